import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import type { CursorCodec } from '../src/http/pagination.ts';
import type { ListOrdersQueryObject } from '../src/modules/orders/business-schemas.ts';
import { listOrders, type OrderCaller } from '../src/modules/orders/business-service.ts';
import type { OrderStatisticsQueryObject } from '../src/modules/orders/statistics-schemas.ts';
import { getOrderStatistics } from '../src/modules/orders/statistics-service.ts';
import { OrderViewCache } from '../src/modules/orders/view-cache.ts';
import type { LoadResult } from './load.ts';
import { CPU_HEADERS, cpuCells, type Variant } from './report.ts';

/**
 * The business orders scenarios (issue 13), on the orders `npm run bench:data -- --orders N`
 * generates (bench/orders.ts), each beside a floor: a bare Fastify route that calls the same service
 * function (the same SQL statements: the cheapest correct answer) and sends its JSON text, without
 * the API key check, rate limit, validation, schema serialization or logging.
 *
 * - `orders-list`: the first page of confirmed orders drafted in the last 30 days (the merchant's
 *   "to be processed" tab);
 * - `orders-phone`: a search by a customer's phone typed with dashes (`search_field=customer_phone`);
 * - `orders-deep`: the page after 200 pages of the unfiltered list (its cursor found by following
 *   next_cursor 200 times before loading);
 * - `orders-stats`: getOrderStatistics for the last 30 days by day and status.
 */

export const ORDER_SCENARIOS = ['orders-list', 'orders-phone', 'orders-deep', 'orders-stats'] as const;
export type OrderScenario = (typeof ORDER_SCENARIOS)[number];

export const ORDER_SCENARIO_LABEL: Record<OrderScenario, string> = {
  'orders-list': 'GET /v3/orders?status=confirmed&draft_time 30 days',
  'orders-phone': 'GET /v3/orders?search_field=customer_phone',
  'orders-deep': 'GET /v3/orders?next_cursor=(page 201)',
  'orders-stats': 'GET /v3/orders/statistics?breakdown_date=day (30 days)',
};

/** Issue 13's targets (PostgreSQL, 20 connections): p99 and the share of the floor's throughput. */
export const ORDER_TARGETS: Record<OrderScenario, { p99Ms: number; floorShare: number }> = {
  'orders-list': { p99Ms: 50, floorShare: 0.5 },
  'orders-phone': { p99Ms: 50, floorShare: 0.5 },
  'orders-deep': { p99Ms: 50, floorShare: 0.5 },
  'orders-stats': { p99Ms: 300, floorShare: 0.5 },
};

const DEEP_PAGES = 200;

export interface OrdersBench {
  businessId: number;
  orders: number;
  /** The query string of each scenario, the same for the route and its floor. */
  queries: Record<OrderScenario, Record<string, string>>;
}

/** The generated orders' business and the scenarios' queries; fails when there are too few orders. */
export async function prepareOrdersBench(
  db: Db,
  businessId: number,
  /** The next_cursor after `cursor` on the unfiltered list (null: the first page). */
  nextCursor: (cursor: string | null) => Promise<string | null>,
): Promise<OrdersBench> {
  const counted = await sql<{ n: string }>`
    select count(*) as n from orders where business_id = ${businessId}`.execute(db);
  const orders = Number(counted.rows[0]?.n ?? 0);
  if (orders < (DEEP_PAGES + 2) * 25) {
    throw new Error(
      `the benchmark business has ${orders} orders; run \`npm run bench:data -- --orders 1000000\` first`,
    );
  }
  const until = new Date();
  const since = new Date(until.getTime() - 30 * 86_400_000);
  const range = { draft_time_since: since.toISOString(), draft_time_until: until.toISOString() };
  const sample = await sql<{ customer_phone: string }>`
    select customer_phone from orders where business_id = ${businessId} and customer_phone like '08%'
    order by created_at limit 1 offset ${Math.floor(orders / 3)}`.execute(db);
  const phone = sample.rows[0]?.customer_phone ?? '';
  // As a merchant types it from a chat: dashes between groups of four.
  const typed = phone.replace(/^(\d{4})(\d{4})(\d+)$/, '$1-$2-$3');
  let cursor: string | null = null;
  for (let page = 0; page < DEEP_PAGES; page++) {
    cursor = await nextCursor(cursor);
    if (!cursor) throw new Error(`the list ended after ${page + 1} pages`);
  }
  return {
    businessId,
    orders,
    queries: {
      'orders-list': { status: 'confirmed', ...range },
      'orders-phone': { search_field: 'customer_phone', search: typed },
      'orders-deep': { next_cursor: cursor as string },
      'orders-stats': { breakdown_date: 'day', is_breakdown_status: 'true', ...range },
    },
  };
}

export const queryString = (query: Record<string, string>) => new URLSearchParams(query).toString();

/** next_cursor through the real route, as a client pages. */
export function routeCursor(nexus: string, apiKey: string) {
  return async (cursor: string | null): Promise<string | null> => {
    const url = `${nexus}/v3/orders?columns=id${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    if (response.status !== 200) throw new Error(`paging to the deep cursor answered ${response.status}`);
    return ((await response.json()) as { next_cursor: string | null }).next_cursor;
  };
}

/** GET /floor/orders and /floor/orders/statistics: the services the routes call, for the bench business. */
export function addOrderFloors(
  app: FastifyInstance,
  db: Db,
  cursors: CursorCodec,
  bench: OrdersBench,
  publicUrl: string,
  viewCacheMb: number,
): void {
  const caller: OrderCaller = { businessId: bench.businessId, userId: null };
  // The same serialized views as the route keeps (a cache of the floor's own, the same size).
  const views = new OrderViewCache(viewCacheMb * 1024 * 1024);
  // The route's schema fills in search_field's default, which the cursor's scope includes.
  app.get('/floor/orders', async (request, reply) => {
    const query = { search_field: 'order_id', ...(request.query as ListOrdersQueryObject) };
    return reply
      .type('application/json; charset=utf-8')
      .send(await listOrders(db, views, cursors, caller, query, publicUrl));
  });
  app.get('/floor/orders/statistics', async (request, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .send(await getOrderStatistics(db, caller, request.query as OrderStatisticsQueryObject)),
  );
}

export interface OrderScenarioResult extends LoadResult {
  scenario: OrderScenario;
  variant: Variant;
  path: string;
  queriesPerRequest: number;
  perRound: LoadResult[];
}

function pad(cells: string[], widths: number[]): string {
  return `| ${cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
}

/** A Markdown table like the storefront's, then each scenario's verdict on its target. */
export function formatOrdersReport(
  results: OrderScenarioResult[],
  bench: OrdersBench,
  rounds: number,
  onPostgres: boolean,
): string {
  const share = (scenario: OrderScenario) => {
    const floor = results.find((r) => r.scenario === scenario && r.variant === 'floor');
    const nexus = results.find((r) => r.scenario === scenario && r.variant === 'nexus');
    return floor && nexus && floor.requestsPerSecond > 0
      ? { floor, nexus, throughput: nexus.requestsPerSecond / floor.requestsPerSecond }
      : undefined;
  };
  const header = [
    'scenario',
    'variant',
    'req/s',
    ...(rounds > 1 ? ['req/s range'] : []),
    'p50 ms',
    'p99 ms',
    'mean ms',
    'non-2xx',
    'queries/req',
    ...CPU_HEADERS,
    'nexus/floor req/s',
  ];
  const rows = results.map((r) => {
    const perSecond = r.perRound.map((run) => run.requestsPerSecond);
    const ratio = r.variant === 'nexus' ? share(r.scenario) : undefined;
    return [
      ORDER_SCENARIO_LABEL[r.scenario],
      r.variant,
      r.requestsPerSecond.toFixed(0),
      ...(rounds > 1 ? [`${Math.min(...perSecond).toFixed(0)}-${Math.max(...perSecond).toFixed(0)}`] : []),
      r.latencyP50.toFixed(0),
      r.latencyP99.toFixed(0),
      r.latencyMean.toFixed(2),
      String(r.non2xx + r.errors),
      String(r.queriesPerRequest),
      ...cpuCells(r),
      ratio ? ratio.throughput.toFixed(2) : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const rule = `| ${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  const notes = [`orders: ${bench.orders} in the benchmark business`];
  for (const scenario of ORDER_SCENARIOS) {
    const ratio = share(scenario);
    if (!ratio) continue;
    const target = ORDER_TARGETS[scenario];
    const met = ratio.nexus.latencyP99 <= target.p99Ms && ratio.throughput >= target.floorShare;
    const verdict = onPostgres ? (met ? 'met' : 'NOT met') : 'not judged on the embedded database';
    notes.push(
      `${ORDER_SCENARIO_LABEL[scenario]}: ${ratio.nexus.requestsPerSecond.toFixed(0)} req/s, p99 ${ratio.nexus.latencyP99} ms, ${(ratio.throughput * 100).toFixed(0)}% of the floor's req/s (target p99 <= ${target.p99Ms} ms at >= ${target.floorShare * 100}% of the floor: ${verdict})`,
    );
  }
  return [pad(header, widths), rule, ...rows.map((row) => pad(row, widths)), '', ...notes].join('\n');
}
