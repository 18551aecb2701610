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
import { REPO_ROOT } from '../src/lib/paths.ts';
import { createStorage } from '../src/providers/storage/index.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { BENCH_CATALOG, type BenchCatalog, ensureBenchCatalog, mintBenchKey } from './catalog.ts';
import { startFloor } from './floor.ts';
import type { LoadJob, LoadResult } from './load.ts';
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

/**
 * `npm run bench [-- --duration 10 --warmup 3 --connections 20 --rounds 1 --only me,search,products,product --products 10000 --skip-analyze --json]`
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
 */

const SEARCH = 'cempaka putih';
const RAISED_RATE_LIMIT = 1e9;
const LOAD_WORKER = path.join(import.meta.dirname, 'load.ts');

interface Options {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  only: Endpoint[] | undefined;
  products: number;
  skipAnalyze: boolean;
  json: boolean;
}

const USAGE = `usage: npm run bench -- [--duration 10] [--warmup 3] [--connections 20] [--rounds 1] [--only ${ENDPOINTS.join('|')}[,...]] [--products ${BENCH_CATALOG.defaultProducts}] [--skip-analyze] [--json]\n`;

function parseOnly(raw: string | undefined): Endpoint[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(ENDPOINTS as readonly string[]).includes(name));
  if (unknown.length || names.length === 0) {
    throw new Error(`--only takes a comma-separated list of ${ENDPOINTS.join(', ')}`);
  }
  return names as Endpoint[];
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
  endpoint: Endpoint;
  variant: Variant;
  url: string;
  headers: Record<string, string>;
}

/** The catalog the product endpoints read, with a key minted for this run. */
interface CatalogTarget {
  catalog: BenchCatalog;
  apiKey: string;
}

function targets(nexus: string, floor: string, tenant: BenchTenant, catalog?: CatalogTarget): Target[] {
  const search = `search=${encodeURIComponent(SEARCH)}`;
  const productTargets = (c: CatalogTarget): Target[] => {
    const authorization = { authorization: `Bearer ${c.apiKey}` };
    const id = c.catalog.showcase_product.id;
    return [
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
function comparable(endpoint: Endpoint, body: Record<string, unknown> | undefined): string {
  switch (endpoint) {
    case 'me':
      return canonical([body?.business, body?.user]);
    case 'product':
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
    const pair = all.filter((t) => t.endpoint === endpoint);
    const [floor, nexus] = await Promise.all(pair.map(getJson));
    const [a, b] = [comparable(endpoint, floor), comparable(endpoint, nexus)];
    if (a !== b) {
      throw new Error(`floor and nexus disagree on ${ENDPOINT_LABEL[endpoint]}:\n${a}\n${b}`);
    }
    if (endpoint === 'search' && ((floor?.data as unknown[] | undefined)?.length ?? 0) === 0) {
      throw new Error(`the search "${SEARCH}" found no locations; are postal codes and regions loaded?`);
    }
    if (endpoint === 'products' && ((floor?.data as unknown[] | undefined)?.length ?? 0) !== 25) {
      throw new Error('the product list did not return a full page of 25; is the benchmark catalog there?');
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

let currentLoad: ChildProcess | undefined;

function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_WORKER], {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_LOAD_JOB: JSON.stringify(job) },
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
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as LoadResult);
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
  const config: Config = {
    ...loaded,
    rateLimit: {
      keyPerHour: RAISED_RATE_LIMIT,
      keyPer10s: RAISED_RATE_LIMIT,
      ipPerHour: RAISED_RATE_LIMIT,
      ipPer10s: RAISED_RATE_LIMIT,
    },
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
    const wantsCatalog = ['products', 'product'].some(
      (endpoint) => !options.only || options.only.includes(endpoint as Endpoint),
    );
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
      },
    );
    servers.push(floor);
    const all = targets(await listen(app), await listen(floor), tenant, catalog);
    const queries = await preflight(all, counter);

    // Rounds alternate floor and nexus per endpoint, so drift on a shared machine hits both sides alike.
    const runs = new Map<Target, LoadResult[]>();
    const chosen = all.filter((target) => !options.only || options.only.includes(target.endpoint));
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of chosen) {
        if (interrupted) throw new Error('interrupted');
        log(`round ${round}/${options.rounds}: ${ENDPOINT_LABEL[target.endpoint]} [${target.variant}] ...`);
        const result = await runLoad({
          url: target.url,
          headers: target.headers,
          connections: options.connections,
          warmupSeconds: options.warmupSeconds,
          durationSeconds: options.durationSeconds,
        });
        runs.set(target, [...(runs.get(target) ?? []), result]);
      }
    }
    const results: RunResult[] = chosen.map((target) => {
      const { pathname, search } = new URL(target.url);
      const perRound = runs.get(target) ?? [];
      return {
        endpoint: target.endpoint,
        variant: target.variant,
        path: pathname + search,
        queriesPerRequest: queries.get(target) ?? Number.NaN,
        ...combineRounds(perRound),
        perRound,
      };
    });

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
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);

    const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0);
    for (const r of failed) {
      const codes = Object.entries(r.statusCodes)
        .map(([code, count]) => `${code} x${count}`)
        .join(', ');
      process.stderr.write(
        `bench: FAILED: ${ENDPOINT_LABEL[r.endpoint]} [${r.variant}] had ${r.non2xx} non-2xx responses and ${r.errors} connection errors (${codes}); these figures measure errors, not the API\n`,
      );
    }
    return failed.length > 0 ? 1 : 0;
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
