import autocannon from 'autocannon';
import type { LoadResult } from './load.ts';

/**
 * The checkout load generator, run as its own process by `bench/run.ts` like bench/load.ts (which
 * only sends fixed GETs): each of the `connections` connections is one buyer who POSTs checkout
 * after checkout, every body a fresh random basket (1-2 distinct variants of the shop's, 1-2 units
 * each, bank transfer or COD, one destination and courier service). It reads one job from the
 * BENCH_CHECKOUT_JOB environment variable, warms up, measures, and prints one JSON line: the
 * LoadResult figures plus how many checkouts answered 201 (the harness compares that with the
 * orders that appeared in the database).
 */

export interface CheckoutLoadJob {
  url: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  variantIds: number[];
  destination: CheckoutDestination;
}

export interface CheckoutDestination {
  locationId: number;
  postalCode: string;
  courierServiceId: number;
}

export interface CheckoutLoadResult extends LoadResult {
  /** 201 answers, warm-up included: every one of them is an order. */
  created: number;
}

export const PAYMENT_METHODS = ['bank_transfer', 'cod'] as const;

const FIRST_NAMES = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rina', 'Andi', 'Putri', 'Joko', 'Wati', 'Eko'];

/** A checkout body as a storefront sends it: typed items, the buyer, the destination and courier. */
export function checkoutBody(
  variantIds: readonly number[],
  destination: CheckoutDestination,
  random: () => number = Math.random,
  overrides: { items?: Array<{ variant_id: number; quantity: number }>; payment_method?: string } = {},
): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const first = pick(variantIds);
  const lines = [{ variant_id: first, quantity: 1 + Math.floor(random() * 2) }];
  if (random() < 0.5) {
    const second = pick(variantIds);
    if (second !== first) lines.push({ variant_id: second, quantity: 1 + Math.floor(random() * 2) });
  }
  const name = pick(FIRST_NAMES);
  const buyer = Math.floor(random() * 1_000_000);
  return {
    items: (overrides.items ?? lines).map((line) => ({ type: 'variant', ...line })),
    customer_name: `${name} Pembeli`,
    customer_email: `${name.toLowerCase()}${buyer}@bench.nexus.invalid`,
    customer_phone: `0812${String(buyer).padStart(8, '0')}`,
    shipping_address: `Jl. Asia Afrika No. ${1 + (buyer % 200)}`,
    shipping_location_id: destination.locationId,
    shipping_postal_code: destination.postalCode,
    payment_method: overrides.payment_method ?? pick(PAYMENT_METHODS),
    courier_service_id: destination.courierServiceId,
  };
}

function statusCodes(result: autocannon.Result): Record<string, number> {
  const stats = (result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return Object.fromEntries(Object.entries(stats).map(([code, { count }]) => [code, count]));
}

function fire(job: CheckoutLoadJob, seconds: number): Promise<autocannon.Result> {
  const { pathname, search } = new URL(job.url);
  return autocannon({
    url: job.url,
    connections: job.connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: pathname + search,
        headers: { ...job.headers, 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify(checkoutBody(job.variantIds, job.destination)),
        }),
      },
    ],
  });
}

async function main(): Promise<void> {
  const raw = process.env.BENCH_CHECKOUT_JOB;
  if (!raw) throw new Error('BENCH_CHECKOUT_JOB is not set; this worker is started by bench/run.ts');
  const job = JSON.parse(raw) as CheckoutLoadJob;
  const warmup = await fire(job, job.warmupSeconds);
  const result = await fire(job, job.durationSeconds);
  const codes = statusCodes(result);
  const output: CheckoutLoadResult = {
    requestsPerSecond: result.requests.mean,
    requestsTotal: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMean: result.latency.mean,
    latencyMax: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes: codes,
    warmup: { requestsTotal: warmup.requests.total, non2xx: warmup.non2xx, errors: warmup.errors },
    created: (codes['201'] ?? 0) + (statusCodes(warmup)['201'] ?? 0),
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

// Also imported (for `checkoutBody`) by the harness: run only when started as the worker.
if (import.meta.filename === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench/checkout-load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
