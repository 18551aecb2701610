import type { Database } from '../src/db/database.ts';
import type { LoadResult } from './load.ts';

export const ENDPOINTS = ['me', 'search', 'products', 'product'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];
/**
 * `sql`: the reads each route made before issue 12 (the catalog tables joined and mapped on every
 * request), without the framework; `floor`: the cheapest correct answer, the route's own reads of
 * its read model without the framework; `nexus`: the real route.
 */
export type Variant = 'sql' | 'floor' | 'nexus';

/** Medians over the rounds (counts are summed); `perRound` keeps every measured run. */
export interface RunResult extends LoadResult {
  endpoint: Endpoint;
  variant: Variant;
  /** What the load generator requested (credentials left out). */
  path: string;
  /** SQL statements one warm request ran (counted on the shared Kysely instance before loading). */
  queriesPerRequest: number;
  perRound: LoadResult[];
}

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  platform: string;
  node: string;
  database: { kind: Database['kind']; describe: string; version: string };
  rateLimitStore: 'memory' | 'redis';
}

export interface Settings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  rounds: number;
  /** Every rate-limit budget passed to buildApp, raised so the run measures the API and not 429s. */
  rateLimitsRaisedTo: number;
  authCacheSeconds: number;
}

export interface Ratio {
  endpoint: Endpoint;
  /** nexus req/s ÷ floor req/s: the share of the floor's throughput the real route keeps. */
  throughput: number;
  /** nexus req/s ÷ sql req/s, where a `sql` variant ran: the gain over the reads before issue 12. */
  overSql?: number;
  /** nexus p50 ÷ floor p50 and the same for p99 (latency multiples). */
  p50: number;
  p99: number;
}

/** The benchmark catalog the product endpoints read (bench/catalog.ts). */
export interface CatalogSummary {
  products: number;
  variants: number;
  stockRows: number;
  storeProducts: number;
  digitalFiles: number;
  bundles: number;
  /** The product GET /v3/products/{id} reads, and its variant count. */
  productId: number;
  productVariants: number;
  /** Products this run had to insert (0 when the catalog already existed) and how long that took. */
  insertedProducts: number;
  /** Whether the run analyzed the catalog tables after inserting them. */
  analyzed: boolean;
  seconds: number;
}

export interface BenchReport {
  date: string;
  machine: Machine;
  settings: Settings;
  catalog?: CatalogSummary;
  results: RunResult[];
  ratios: Ratio[];
}

export const ENDPOINT_LABEL: Record<Endpoint, string> = {
  me: 'GET /v3/me',
  search: 'GET /v3/stores/{id}/public/locations?search=cempaka putih',
  products: 'GET /v3/products?page_size=25',
  product: 'GET /v3/products/{id}',
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function combineRounds(runs: LoadResult[]): LoadResult {
  const mid = (pick: (run: LoadResult) => number) => median(runs.map(pick));
  const sum = (pick: (run: LoadResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const statusCodes: Record<string, number> = {};
  for (const run of runs)
    for (const [code, count] of Object.entries(run.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    requestsPerSecond: mid((r) => r.requestsPerSecond),
    requestsTotal: sum((r) => r.requestsTotal),
    latencyP50: mid((r) => r.latencyP50),
    latencyP99: mid((r) => r.latencyP99),
    latencyMean: mid((r) => r.latencyMean),
    latencyMax: Math.max(...runs.map((r) => r.latencyMax)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    statusCodes,
    warmup: {
      requestsTotal: sum((r) => r.warmup.requestsTotal),
      non2xx: sum((r) => r.warmup.non2xx),
      errors: sum((r) => r.warmup.errors),
    },
    ...(runs.every((r) => r.cpuMsPerRequest)
      ? {
          cpuMsPerRequest: {
            node: mid((r) => r.cpuMsPerRequest?.node ?? Number.NaN),
            postgres: runs.some((r) => r.cpuMsPerRequest?.postgres === null)
              ? null
              : mid((r) => r.cpuMsPerRequest?.postgres ?? Number.NaN),
          },
        }
      : {}),
  };
}

/** The CPU columns of a row: Node and PostgreSQL milliseconds per request (`–` on PGlite). */
export function cpuCells(run: LoadResult): string[] {
  const cpu = run.cpuMsPerRequest;
  return [cpu ? cpu.node.toFixed(2) : '', cpu?.postgres != null ? cpu.postgres.toFixed(2) : '–'];
}
export const CPU_HEADERS = ['Node CPU ms/req', 'PG CPU ms/req'];

const safeDivide = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

export function ratiosOf(results: RunResult[]): Ratio[] {
  const ratios: Ratio[] = [];
  for (const endpoint of ENDPOINTS) {
    const floor = results.find((r) => r.endpoint === endpoint && r.variant === 'floor');
    const nexus = results.find((r) => r.endpoint === endpoint && r.variant === 'nexus');
    if (!floor || !nexus) continue;
    const old = results.find((r) => r.endpoint === endpoint && r.variant === 'sql');
    ratios.push({
      endpoint,
      throughput: safeDivide(nexus.requestsPerSecond, floor.requestsPerSecond),
      ...(old ? { overSql: safeDivide(nexus.requestsPerSecond, old.requestsPerSecond) } : {}),
      p50: safeDivide(nexus.latencyP50, floor.latencyP50),
      p99: safeDivide(nexus.latencyP99, floor.latencyP99),
    });
  }
  return ratios;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const numeric = (i: number) => i >= 2;
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (numeric(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A Markdown table, so the output can be pasted into docs/performance.md as it is. */
export function formatReport(report: BenchReport): string {
  const { machine, settings } = report;
  const rounds = settings.rounds > 1;
  const rows = report.results.map((r) => {
    const ratio = report.ratios.find((x) => x.endpoint === r.endpoint);
    const perSecond = r.perRound.map((run) => run.requestsPerSecond);
    return [
      ENDPOINT_LABEL[r.endpoint],
      r.variant,
      r.requestsPerSecond.toFixed(0),
      ...(rounds ? [`${Math.min(...perSecond).toFixed(0)}-${Math.max(...perSecond).toFixed(0)}`] : []),
      r.latencyP50.toFixed(0),
      r.latencyP99.toFixed(0),
      r.latencyMean.toFixed(2),
      String(r.non2xx + r.errors),
      String(r.queriesPerRequest),
      ...cpuCells(r),
      r.variant === 'nexus' && ratio ? ratio.throughput.toFixed(2) : '',
      r.variant === 'nexus' && ratio?.overSql !== undefined ? ratio.overSql.toFixed(2) : '',
    ];
  });
  return [
    `Nexus benchmark ${report.date}`,
    `machine:  ${machine.cpuModel} x ${machine.cpuCount}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}`,
    `database: ${machine.database.kind} (${machine.database.describe}), ${machine.database.version}`,
    `load:     autocannon in a child process, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured per row, sql (where there is one), floor, then nexus${rounds ? `, ${settings.rounds} rounds (medians shown)` : ''}`,
    ...(report.catalog
      ? [
          `catalog:  ${report.catalog.products} products, ${report.catalog.variants} variants, ${report.catalog.stockRows} stock rows, ${report.catalog.storeProducts} store listings, ${report.catalog.digitalFiles} digital files, ${report.catalog.bundles} bundles (${report.catalog.insertedProducts} products inserted by this run in ${report.catalog.seconds.toFixed(1)} s${report.catalog.insertedProducts > 0 ? (report.catalog.analyzed ? ', then ANALYZE' : ', NOT analyzed') : ''}); single product id ${report.catalog.productId} with ${report.catalog.productVariants} variants`,
        ]
      : []),
    `cpu:      per request, warm-up included: this process (the app or the floor, one at a time) and PostgreSQL's backends (PGlite runs inside Node)`,
    `note:     rate limits raised to ${settings.rateLimitsRaisedTo} for this run (${machine.rateLimitStore} store) so it measures the API, not 429s; credential cache ${settings.authCacheSeconds} s`,
    '',
    table(
      [
        'endpoint',
        'variant',
        'req/s',
        ...(rounds ? ['req/s range'] : []),
        'p50 ms',
        'p99 ms',
        'mean ms',
        'non-2xx',
        'queries/req',
        ...CPU_HEADERS,
        'nexus/floor req/s',
        'nexus/sql req/s',
      ],
      rows,
    ),
    '',
    ...report.ratios.map(
      (r) =>
        `${ENDPOINT_LABEL[r.endpoint]}: nexus serves ${(r.throughput * 100).toFixed(0)}% of the floor's req/s; p50 x${r.p50.toFixed(2)}, p99 x${r.p99.toFixed(2)}${r.overSql !== undefined ? `; x${r.overSql.toFixed(2)} the req/s of the reads before the read model (sql)` : ''}`,
    ),
  ].join('\n');
}
