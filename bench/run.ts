import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { REPO_ROOT } from '../src/lib/paths.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { startFloor } from './floor.ts';
import type { LoadJob, LoadResult } from './load.ts';
import {
  type BenchReport,
  combineRounds,
  ENDPOINT_LABEL,
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
 * `npm run bench [-- --duration 10 --warmup 3 --connections 20 --rounds 1 --only me|search --json]`
 *
 * Opens the runtime from the environment like the server does (DATABASE_URL, else PGlite in a
 * fresh temporary NEXUS_DATA_DIR that is deleted afterwards), creates a throw-away tenant, and
 * serves the real app and a bare "floor" Fastify (bench/floor.ts) side by side in this process.
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
  only: Endpoint | undefined;
  json: boolean;
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
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench -- [--duration 10] [--warmup 3] [--connections 20] [--rounds 1] [--only me|search] [--json]\n',
    );
    process.exit(0);
  }
  if (values.only !== undefined && values.only !== 'me' && values.only !== 'search') {
    throw new Error('--only must be "me" or "search"');
  }
  return {
    durationSeconds: positiveInt('duration', values.duration, 10),
    warmupSeconds: positiveInt('warmup', values.warmup, 3),
    connections: positiveInt('connections', values.connections, 20),
    rounds: positiveInt('rounds', values.rounds, 1),
    only: values.only,
    json: values.json,
  };
}

interface Target {
  endpoint: Endpoint;
  variant: Variant;
  url: string;
  headers: Record<string, string>;
}

function targets(nexus: string, floor: string, tenant: BenchTenant): Target[] {
  const search = `search=${encodeURIComponent(SEARCH)}`;
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
  ];
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
 * One request to each side before loading them: both must answer 200 with the same data, and the
 * search must find something, or the comparison would be meaningless.
 */
async function preflight(all: Target[]): Promise<void> {
  for (const endpoint of ['me', 'search'] as const) {
    const pair = all.filter((t) => t.endpoint === endpoint);
    const [floor, nexus] = await Promise.all(pair.map(getJson));
    const pick = (body: Record<string, unknown> | undefined) =>
      endpoint === 'me'
        ? JSON.stringify([body?.business, body?.user])
        : JSON.stringify((body?.data as unknown[] | undefined) ?? null);
    if (pick(floor) !== pick(nexus)) {
      throw new Error(
        `floor and nexus disagree on ${ENDPOINT_LABEL[endpoint]}:\n${pick(floor)}\n${pick(nexus)}`,
      );
    }
    if (endpoint === 'search' && ((floor?.data as unknown[] | undefined)?.length ?? 0) === 0) {
      throw new Error(`the search "${SEARCH}" found no locations; are postal codes and regions loaded?`);
    }
  }
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
    const db = runtime.database.db;
    const postal = await ensurePostalCodes(db, log);
    if (postal.imported) log(`imported ${postal.rows} postal codes in ${postal.seconds.toFixed(1)} s`);
    if (interrupted) throw new Error('interrupted');
    tenant = await createBenchTenant(db);

    const app = await buildApp(
      { config, database: runtime.database, keys: runtime.keys, rateLimit: runtime.rateLimit },
      { logger: false },
    );
    servers.push(app);
    const floor = await startFloor(db, tenant);
    servers.push(floor);
    const all = targets(await listen(app), await listen(floor), tenant);
    await preflight(all);

    // Rounds alternate floor and nexus per endpoint, so drift on a shared machine hits both sides alike.
    const runs = new Map<Target, LoadResult[]>();
    const chosen = all.filter((target) => !options.only || target.endpoint === options.only);
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
