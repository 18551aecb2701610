import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { type KyselyPlugin, sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import { REPO_ROOT } from '../src/lib/paths.ts';
import { createStorage } from '../src/providers/storage/index.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import {
  BENCH_CATALOG,
  type BenchCatalog,
  ensureBenchCatalog,
  mintBenchKey,
  SHOWCASE_SLUG,
} from './catalog.ts';
import {
  addCheckoutFloor,
  type CheckoutShop,
  comparableOrder,
  orderCount,
  preflightBodies,
  setupCheckoutShop,
  stockBalance,
} from './checkout.ts';
import type { CheckoutLoadJob, CheckoutLoadResult } from './checkout-load.ts';
import { measureCpu } from './cpu.ts';
import { startFloor } from './floor.ts';
import type { LoadJob, LoadResult } from './load.ts';
import {
  addOrderFloors,
  formatOrdersReport,
  ORDER_SCENARIO_LABEL,
  ORDER_SCENARIOS,
  type OrderScenario,
  type OrderScenarioResult,
  type OrdersBench,
  prepareOrdersBench,
  queryString,
  routeCursor,
} from './orders-scenarios.ts';
import {
  type BenchReport,
  type CatalogSummary,
  combineRounds,
  ENDPOINT_LABEL,
  ENDPOINTS,
  type Endpoint,
  formatReport,
  type Machine,
  type RunResult,
  ratiosOf,
  type Settings,
  type Variant,
} from './report.ts';
import { type BenchTenant, createBenchTenant, ensurePostalCodes, removeBenchTenant } from './setup.ts';
import {
  addStorefrontFloors,
  ensureItemsStore,
  formatStorefrontReport,
  type ItemsStore,
  SCENARIO_LABEL,
  type ScenarioResult,
  STOREFRONT_SCENARIOS,
  type StorefrontReport,
  type StorefrontScenario,
} from './storefront.ts';

/**
 * `npm run bench [-- --duration 10 --warmup 3 --connections 20 --rounds 1 --only me,search,products,product,items,checkout --products 10000 --skip-analyze --json]`
 *
 * Opens the runtime from the environment like the server does (DATABASE_URL, else PGlite in a
 * fresh temporary NEXUS_DATA_DIR that is deleted afterwards), creates a throw-away tenant, makes
 * sure the benchmark catalog (bench/catalog.ts, the one `npm run bench:data` builds) holds
 * --products products when a product endpoint is chosen (it is kept afterwards: PostgreSQL runs
 * reuse it), and serves the real app and a bare "floor" Fastify (bench/floor.ts) side by side in
 * this process.
 * A separate autocannon process loads one target at a time: for each endpoint the floor, then
 * the real route, all of it repeated --rounds times (the figures are then medians). Exit code 1
 * when any measured response was not a 2xx: then the numbers describe errors, not the API.
 *
 * The storefront scenarios (bench/storefront.ts, bench/checkout.ts) run the same way: `items`
 * pages a store of the catalog business that lists every product; `checkout` has
 * --connections buyers POST random baskets (bench/checkout-load.ts, also a child process) to a
 * 100-variant shop in the run's tenant, and the run also fails when the orders in the database or
 * the stock taken do not match the 201 answers.
 *
 * The business orders scenarios (bench/orders-scenarios.ts: orders-list, orders-phone, orders-deep,
 * orders-stats) read the orders `npm run bench:data -- --orders 1000000` generated in the catalog
 * business, each beside a floor calling the same service function from a bare route.
 */

const SEARCH = 'cempaka putih';
const RAISED_RATE_LIMIT = 1e9;
const LOAD_WORKER = path.join(import.meta.dirname, 'load.ts');
const CHECKOUT_WORKER = path.join(import.meta.dirname, 'checkout-load.ts');

/** Everything `--only` can name: the business endpoints of bench/report.ts and the storefront scenarios. */
const SCENARIOS = [...ENDPOINTS, ...STOREFRONT_SCENARIOS, ...ORDER_SCENARIOS] as const;
type Scenario = Endpoint | StorefrontScenario | OrderScenario;

const isStorefront = (name: Scenario): name is StorefrontScenario =>
  (STOREFRONT_SCENARIOS as readonly string[]).includes(name);
const isOrders = (name: Scenario): name is OrderScenario =>
  (ORDER_SCENARIOS as readonly string[]).includes(name);
const labelOf = (name: Scenario) =>
  isStorefront(name)
    ? SCENARIO_LABEL[name]
    : isOrders(name)
      ? ORDER_SCENARIO_LABEL[name]
      : ENDPOINT_LABEL[name];

interface Options {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  only: Scenario[] | undefined;
  products: number;
  skipAnalyze: boolean;
  json: boolean;
}

const USAGE = `usage: npm run bench -- [--duration 10] [--warmup 3] [--connections 20] [--rounds 1] [--only ${SCENARIOS.join('|')}[,...]] [--products ${BENCH_CATALOG.defaultProducts}] [--skip-analyze] [--json]\n`;

function parseOnly(raw: string | undefined): Scenario[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length || names.length === 0) {
    throw new Error(`--only takes a comma-separated list of ${SCENARIOS.join(', ')}`);
  }
  return names as Scenario[];
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return value;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      only: { type: 'string' },
      products: { type: 'string' },
      'skip-analyze': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  return {
    durationSeconds: positiveInt('duration', values.duration, 10),
    warmupSeconds: positiveInt('warmup', values.warmup, 3),
    connections: positiveInt('connections', values.connections, 20),
    rounds: positiveInt('rounds', values.rounds, 1),
    only: parseOnly(values.only),
    products: positiveInt('products', values.products, BENCH_CATALOG.defaultProducts),
    skipAnalyze: values['skip-analyze'],
    json: values.json,
  };
}

interface Target {
  endpoint: Scenario;
  variant: Variant;
  url: string;
  headers: Record<string, string>;
}

/** The catalog the product endpoints read, with a key minted for this run. */
interface CatalogTarget {
  catalog: BenchCatalog;
  apiKey: string;
}

function targets(
  nexus: string,
  floor: string,
  tenant: BenchTenant,
  catalog?: CatalogTarget,
  itemsStore?: ItemsStore,
  shop?: CheckoutShop,
  orders?: { bench: OrdersBench; apiKey: string },
): Target[] {
  const search = `search=${encodeURIComponent(SEARCH)}`;
  const productTargets = (c: CatalogTarget): Target[] => {
    const authorization = { authorization: `Bearer ${c.apiKey}` };
    const id = c.catalog.showcase_product.id;
    return [
      { endpoint: 'products', variant: 'sql', url: `${floor}/sql/products`, headers: {} },
      { endpoint: 'products', variant: 'floor', url: `${floor}/floor/products`, headers: {} },
      {
        endpoint: 'products',
        variant: 'nexus',
        url: `${nexus}/v3/products?page_size=25`,
        headers: authorization,
      },
      { endpoint: 'product', variant: 'floor', url: `${floor}/floor/products/${id}`, headers: {} },
      { endpoint: 'product', variant: 'nexus', url: `${nexus}/v3/products/${id}`, headers: authorization },
    ];
  };
  return [
    { endpoint: 'me', variant: 'floor', url: `${floor}/floor/me`, headers: {} },
    {
      endpoint: 'me',
      variant: 'nexus',
      url: `${nexus}/v3/me`,
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    },
    { endpoint: 'search', variant: 'floor', url: `${floor}/floor/locations?${search}`, headers: {} },
    {
      endpoint: 'search',
      variant: 'nexus',
      url: `${nexus}/v3/stores/${tenant.storeUniqueId}/public/locations?${search}`,
      headers: { 'x-scalev-storefront-api-key': tenant.storefrontKey },
    },
    ...(catalog ? productTargets(catalog) : []),
    ...(itemsStore
      ? ([
          { endpoint: 'items', variant: 'sql', url: `${floor}/sql/items`, headers: {} },
          { endpoint: 'items', variant: 'floor', url: `${floor}/floor/items`, headers: {} },
          {
            endpoint: 'items',
            variant: 'nexus',
            url: `${nexus}/v3/stores/${itemsStore.storeUniqueId}/public/items?page_size=25`,
            headers: { 'x-scalev-storefront-api-key': itemsStore.storefrontKey },
          },
          { endpoint: 'page', variant: 'sql', url: `${floor}/sql/page`, headers: {} },
          { endpoint: 'page', variant: 'floor', url: `${floor}/floor/page`, headers: {} },
          {
            endpoint: 'page',
            variant: 'nexus',
            url: `${nexus}/v3/stores/${itemsStore.storeUniqueId}/public/products/${SHOWCASE_SLUG}`,
            headers: { 'x-scalev-storefront-api-key': itemsStore.storefrontKey },
          },
        ] satisfies Target[])
      : []),
    ...(shop
      ? ([
          { endpoint: 'checkout', variant: 'floor', url: `${floor}/floor/checkout`, headers: {} },
          {
            endpoint: 'checkout',
            variant: 'nexus',
            url: `${nexus}/v3/stores/${shop.storeUniqueId}/public/checkout`,
            headers: { 'x-scalev-storefront-api-key': shop.storefrontKey },
          },
        ] satisfies Target[])
      : []),
    ...(orders
      ? ORDER_SCENARIOS.flatMap((scenario): Target[] => {
          const path = scenario === 'orders-stats' ? '/orders/statistics' : '/orders';
          const query = queryString(orders.bench.queries[scenario]);
          return [
            { endpoint: scenario, variant: 'floor', url: `${floor}/floor${path}?${query}`, headers: {} },
            {
              endpoint: scenario,
              variant: 'nexus',
              url: `${nexus}/v3${path}?${query}`,
              headers: { authorization: `Bearer ${orders.apiKey}` },
            },
          ];
        })
      : []),
  ];
}

/**
 * JSON with object keys sorted (the floor and the schema serializer order fields differently),
 * and signed URLs without their expiry and signature, which change every second.
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'url' && typeof v === 'string' && v.includes('sig=')) {
      return v.replace(/[?&](exp|sig)=[^&]*/g, '');
    }
    return v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v;
  });
}

/** What both sides of an endpoint must agree on. */
function comparable(endpoint: Scenario, body: Record<string, unknown> | undefined): string {
  switch (endpoint) {
    case 'me':
      return canonical([body?.business, body?.user]);
    case 'product':
    case 'page':
      return canonical(body ?? null);
    default:
      return canonical((body?.data as unknown[] | undefined) ?? null);
  }
}

/**
 * Counts the statements executed through the Kysely instance the app and the floor share, so the
 * preflight can tell how many queries one request makes. Kysely hands every executed query's
 * result to transformResult once (transformQuery also sees subqueries built from `db`), and the
 * count is one increment.
 */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;
  transformResult: KyselyPlugin['transformResult'] = async (args) => {
    this.count++;
    return args.result;
  };
}

async function getJson(target: Target): Promise<Record<string, unknown>> {
  const response = await fetch(target.url, { headers: target.headers });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(
      `${target.variant} ${target.endpoint} answered ${response.status}: ${body.slice(0, 300)}`,
    );
  }
  return JSON.parse(body) as Record<string, unknown>;
}

/**
 * Before loading: both sides of each endpoint must answer 200 with the same data, and the search
 * and the product list must find something, or the comparison would be meaningless. Each target
 * is then requested once more on its own, warm (credential cached), to count its SQL statements.
 */
async function preflight(all: Target[], counter: QueryCounter): Promise<Map<Target, number>> {
  const endpoints = [...new Set(all.map((t) => t.endpoint))];
  for (const endpoint of endpoints) {
    const sides = all.filter((t) => t.endpoint === endpoint);
    const bodies = await Promise.all(sides.map(getJson));
    const floor = bodies[sides.findIndex((t) => t.variant === 'floor')];
    const nexus = comparable(endpoint, bodies[sides.findIndex((t) => t.variant === 'nexus')]);
    for (const [index, side] of sides.entries()) {
      const other = comparable(endpoint, bodies[index]);
      if (other !== nexus) {
        throw new Error(`${side.variant} and nexus disagree on ${labelOf(endpoint)}:\n${other}\n${nexus}`);
      }
    }
    if (endpoint === 'search' && ((floor?.data as unknown[] | undefined)?.length ?? 0) === 0) {
      throw new Error(`the search "${SEARCH}" found no locations; are postal codes and regions loaded?`);
    }
    if (isOrders(endpoint) && ((floor?.data as unknown[] | undefined)?.length ?? 0) === 0) {
      throw new Error(`${labelOf(endpoint)} found nothing; are the benchmark orders there?`);
    }
    if (
      (endpoint === 'products' || endpoint === 'items') &&
      ((floor?.data as unknown[] | undefined)?.length ?? 0) !== 25
    ) {
      throw new Error(
        `${labelOf(endpoint)} did not return a full page of 25; is the benchmark catalog there?`,
      );
    }
  }
  const queries = new Map<Target, number>();
  for (const target of all) {
    counter.count = 0;
    await getJson(target);
    queries.set(target, counter.count);
  }
  return queries;
}

async function postJson(target: Target, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { ...target.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`${target.variant} checkout answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Checkout's preflight: for a bank-transfer basket of two variants and a COD basket, floor and nexus
 * must each answer 201 with the same totals, lines and courier service; then each side checks out
 * once more, warm, to count its SQL statements (BEGIN and COMMIT are not counted).
 */
async function preflightCheckout(
  pair: Target[],
  shop: CheckoutShop,
  counter: QueryCounter,
): Promise<Map<Target, number>> {
  const bodies = preflightBodies(shop);
  for (const body of bodies) {
    const [floor, nexus] = [await postJson(pair[0]!, body), await postJson(pair[1]!, body)];
    const [a, b] = [comparableOrder(floor), comparableOrder(nexus)];
    if (a !== b) throw new Error(`floor and nexus disagree on ${SCENARIO_LABEL.checkout}:\n${a}\n${b}`);
  }
  const queries = new Map<Target, number>();
  for (const target of pair) {
    counter.count = 0;
    await postJson(target, bodies[0]!);
    queries.set(target, counter.count);
  }
  return queries;
}

let currentLoad: ChildProcess | undefined;

function runLoad(job: LoadJob): Promise<LoadResult> {
  return runWorker(LOAD_WORKER, 'BENCH_LOAD_JOB', job);
}

function runCheckoutLoad(job: CheckoutLoadJob): Promise<CheckoutLoadResult> {
  return runWorker(CHECKOUT_WORKER, 'BENCH_CHECKOUT_JOB', job);
}

function runWorker<Result>(worker: string, variable: string, job: unknown): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker], {
      cwd: REPO_ROOT,
      env: { ...process.env, [variable]: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    currentLoad = child;
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      currentLoad = undefined;
      if (code !== 0) {
        reject(new Error(`load generator exited with ${signal ?? `code ${code}`}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as Result);
      } catch {
        reject(new Error(`load generator printed no result: ${stdout.slice(0, 300)}`));
      }
    });
  });
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

async function databaseVersion(runtime: Runtime): Promise<string> {
  const { rows } = await sql<{ version: string }>`select version()`.execute(runtime.database.db);
  return rows[0]?.version.split(' on ')[0]?.split(',')[0] ?? 'unknown';
}

function machineOf(runtime: Runtime, config: Config, version: string): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    database: { kind: runtime.database.kind, describe: runtime.database.describe, version },
    rateLimitStore: config.redisUrl ? 'redis' : 'memory',
  };
}

function summaryOf(catalog: BenchCatalog): CatalogSummary {
  return {
    products: catalog.totals.products,
    variants: catalog.totals.variants,
    stockRows: catalog.totals.stock_rows,
    storeProducts: catalog.totals.store_products,
    digitalFiles: catalog.totals.digital_files,
    bundles: catalog.totals.bundles,
    productId: catalog.showcase_product.id,
    productVariants: catalog.showcase_product.variants,
    insertedProducts: catalog.inserted.products,
    analyzed: catalog.analyzed,
    seconds: catalog.seconds,
  };
}

/**
 * The shop's order count once checkouts still in flight when the load generator stopped have
 * finished (two equal counts 200 ms apart), so they are not counted in the next run.
 */
async function settledOrderCount(db: Db, shop: CheckoutShop): Promise<number> {
  let previous = await orderCount(db, shop);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const current = await orderCount(db, shop);
    if (current === previous) return current;
    previous = current;
  }
}

/**
 * What must hold after the checkout runs: every 201 is an order in the database (a few more orders
 * may exist: requests in flight when autocannon stopped counting, at most one per connection and
 * run), and the stock taken equals the units allocated and the units on order lines.
 */
function checkoutProblems(report: StorefrontReport, connections: number): string[] {
  const problems: string[] = [];
  for (const r of report.results) {
    if (!r.orders) continue;
    const extra = r.orders.inDatabase - r.orders.answered201;
    const runs = r.perRound.length * 2; // warm-up and measured run of every round
    if (extra < 0 || extra > connections * runs)
      problems.push(
        `checkout [${r.variant}]: ${r.orders.answered201} answers 201 but ${r.orders.inDatabase} new orders in the database`,
      );
  }
  const stock = report.stock;
  if (stock && (stock.taken !== stock.allocated || stock.taken !== stock.ordered))
    problems.push(
      `checkout stock: ${stock.taken} units taken, ${stock.allocated} allocated, ${stock.ordered} on order lines`,
    );
  return problems;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

  const usePGlite = !process.env.DATABASE_URL?.trim();
  const tempDir = usePGlite ? fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-')) : undefined;
  const loaded = loadConfig({
    ...process.env,
    ...(tempDir ? { NEXUS_DATA_DIR: tempDir } : {}),
    LOG_LEVEL: 'silent',
  });
  // Every budget raised, whatever budgets the configuration has grown since.
  const config: Config = {
    ...loaded,
    rateLimit: Object.fromEntries(
      Object.keys(loaded.rateLimit).map((budget) => [budget, RAISED_RATE_LIMIT]),
    ) as Record<keyof Config['rateLimit'], number>,
  };

  const servers: FastifyInstance[] = [];
  let runtime: Runtime | undefined;
  let tenant: BenchTenant | undefined;
  let interrupted = false;
  const onSignal = () => {
    log('interrupted; cleaning up');
    interrupted = true;
    currentLoad?.kill('SIGTERM');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`opening ${usePGlite ? `PGlite in ${tempDir}` : 'DATABASE_URL'} and migrating ...`);
    runtime = await openRuntime(config);
    const counter = new QueryCounter();
    const db = runtime.database.db.withPlugin(counter);
    const wants = (name: Scenario) => !options.only || options.only.includes(name);
    const wantsOrders = ORDER_SCENARIOS.some(wants);
    const wantsCatalog = wantsOrders || (['products', 'product', 'items', 'page'] as const).some(wants);
    const postal = await ensurePostalCodes(db, log);
    if (postal.imported) log(`imported ${postal.rows} postal codes in ${postal.seconds.toFixed(1)} s`);
    if (interrupted) throw new Error('interrupted');
    tenant = await createBenchTenant(db);
    let catalog: CatalogTarget | undefined;
    if (wantsCatalog) {
      log(`making sure the benchmark catalog has ${options.products} products ...`);
      const built = await ensureBenchCatalog(db, {
        products: options.products,
        skipAnalyze: options.skipAnalyze,
        log,
      });
      if (built.totals.products !== options.products) {
        log(
          `note: the benchmark business holds ${built.totals.products} products (--products ${options.products})`,
        );
      }
      catalog = { catalog: built, apiKey: await mintBenchKey(db, built) };
    }
    const itemsStore =
      catalog && (wants('items') || wants('page'))
        ? await ensureItemsStore(db, catalog.catalog, log)
        : undefined;
    const shop = wants('checkout') ? await setupCheckoutShop(db, tenant) : undefined;
    if (interrupted) throw new Error('interrupted');

    const app = await buildApp(
      { config, database: { ...runtime.database, db }, keys: runtime.keys, rateLimit: runtime.rateLimit },
      { logger: false },
    );
    servers.push(app);
    const floor = await startFloor(
      db,
      tenant,
      catalog && {
        businessId: catalog.catalog.business_id,
        storage: createStorage(config, runtime.keys),
        cursors: app.deps.cursors,
      },
    );
    servers.push(floor);
    if (itemsStore) addStorefrontFloors(floor, db, app.deps.cursors, itemsStore);
    if (shop) addCheckoutFloor(floor, db, shop);
    const nexusUrl = await listen(app);
    let businessOrders: { bench: OrdersBench; apiKey: string } | undefined;
    if (wantsOrders && catalog) {
      log('preparing the orders scenarios (following the list 200 pages deep) ...');
      const bench = await prepareOrdersBench(
        db,
        catalog.catalog.business_id,
        routeCursor(nexusUrl, catalog.apiKey),
      );
      addOrderFloors(floor, db, app.deps.cursors, bench, config.publicUrl, config.orderViewCacheMb);
      businessOrders = { bench, apiKey: catalog.apiKey };
    }
    const all = targets(nexusUrl, await listen(floor), tenant, catalog, itemsStore, shop, businessOrders);
    const queries = await preflight(
      all.filter((target) => target.endpoint !== 'checkout'),
      counter,
    );
    const checkoutPair = all.filter((target) => target.endpoint === 'checkout');
    if (shop) {
      for (const [target, count] of await preflightCheckout(checkoutPair, shop, counter))
        queries.set(target, count);
    }

    // Rounds alternate floor and nexus per endpoint, so drift on a shared machine hits both sides alike.
    const runs = new Map<Target, LoadResult[]>();
    const orders = new Map<Target, { answered201: number; inDatabase: number }>();
    const chosen = all.filter((target) => wants(target.endpoint));
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of chosen) {
        if (interrupted) throw new Error('interrupted');
        log(`round ${round}/${options.rounds}: ${labelOf(target.endpoint)} [${target.variant}] ...`);
        const job = {
          url: target.url,
          headers: target.headers,
          connections: options.connections,
          warmupSeconds: options.warmupSeconds,
          durationSeconds: options.durationSeconds,
        };
        let result: LoadResult;
        const measured = <T extends LoadResult>(load: () => Promise<T>) =>
          measureCpu(db, !usePGlite, load, (r) => r.requestsTotal + r.warmup.requestsTotal).then(
            ({ result: r, cpu }) => ({ ...r, cpuMsPerRequest: cpu }),
          );
        if (target.endpoint === 'checkout' && shop) {
          const before = await orderCount(db, shop);
          const { created, ...load } = await measured(() =>
            runCheckoutLoad({ ...job, variantIds: shop.variantIds, destination: shop.destination }),
          );
          const seen = orders.get(target) ?? { answered201: 0, inDatabase: 0 };
          orders.set(target, {
            answered201: seen.answered201 + created,
            inDatabase: seen.inDatabase + (await settledOrderCount(db, shop)) - before,
          });
          result = load;
        } else {
          result = await measured(() => runLoad(job));
        }
        runs.set(target, [...(runs.get(target) ?? []), result]);
      }
    }
    const combined = chosen.map((target) => {
      const { pathname, search } = new URL(target.url);
      const perRound = runs.get(target) ?? [];
      return {
        target,
        variant: target.variant,
        path: pathname + search,
        queriesPerRequest: queries.get(target) ?? Number.NaN,
        ...combineRounds(perRound),
        perRound,
      };
    });
    const results: RunResult[] = combined.flatMap(({ target, ...result }) =>
      isStorefront(target.endpoint) || isOrders(target.endpoint)
        ? []
        : [{ endpoint: target.endpoint, ...result }],
    );
    const orderResults: OrderScenarioResult[] = combined.flatMap(({ target, ...result }) =>
      isOrders(target.endpoint) ? [{ scenario: target.endpoint, ...result }] : [],
    );
    const storefront: StorefrontReport = {
      results: combined.flatMap(({ target, ...result }): ScenarioResult[] => {
        if (!isStorefront(target.endpoint)) return [];
        const created = orders.get(target);
        return [{ scenario: target.endpoint, ...result, ...(created ? { orders: created } : {}) }];
      }),
      ...(itemsStore
        ? { itemsStore: { products: itemsStore.products, priceOptions: itemsStore.priceOptions } }
        : {}),
      ...(shop ? { stock: await stockBalance(db, shop) } : {}),
    };

    const settings: Settings = {
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      rounds: options.rounds,
      rateLimitsRaisedTo: RAISED_RATE_LIMIT,
      authCacheSeconds: config.authCacheSeconds,
    };
    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: machineOf(runtime, config, await databaseVersion(runtime)),
      settings,
      ...(catalog ? { catalog: summaryOf(catalog.catalog) } : {}),
      results,
      ratios: ratiosOf(results),
    };
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          ...report,
          ...(storefront.results.length ? { storefront } : {}),
          ...(orderResults.length ? { orders: orderResults } : {}),
        })}\n`,
      );
    } else {
      const text = formatReport(report);
      // Without business endpoints, keep the header lines and leave out their empty table.
      const head = results.length ? text : text.slice(0, text.indexOf('\n\n|'));
      const tail = storefront.results.length
        ? `\n\nStorefront scenarios\n\n${formatStorefrontReport(storefront, options.rounds, !usePGlite)}`
        : '';
      const ordersTail =
        businessOrders && orderResults.length
          ? `\n\nBusiness orders scenarios\n\n${formatOrdersReport(orderResults, businessOrders.bench, options.rounds, !usePGlite)}`
          : '';
      process.stdout.write(`${head}${tail}${ordersTail}\n`);
    }

    const failed = combined.filter((r) => r.non2xx > 0 || r.errors > 0);
    for (const r of failed) {
      const codes = Object.entries(r.statusCodes)
        .map(([code, count]) => `${code} x${count}`)
        .join(', ');
      process.stderr.write(
        `bench: FAILED: ${labelOf(r.target.endpoint)} [${r.variant}] had ${r.non2xx} non-2xx responses and ${r.errors} connection errors (${codes}); these figures measure errors, not the API\n`,
      );
    }
    const broken = checkoutProblems(storefront, options.connections);
    for (const problem of broken) process.stderr.write(`bench: FAILED: ${problem}\n`);
    return failed.length > 0 || broken.length > 0 ? 1 : 0;
  } finally {
    for (const server of servers.reverse()) await server.close();
    if (runtime && tenant) await removeBenchTenant(runtime.database.db, tenant).catch(() => undefined);
    await runtime?.close();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
