import { parseArgs } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import type { KyselyPlugin, OperationNode } from 'kysely';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import type { Database, Db } from '../src/db/database.ts';
import { openRuntime } from '../src/runtime.ts';
import { addCheckoutFloor, preflightBodies, setupCheckoutShop } from './checkout.ts';
import { checkoutBody } from './checkout-load.ts';
import { backendPids, processCpuMs } from './cpu.ts';
import { createBenchTenant, removeBenchTenant } from './setup.ts';

/**
 * `npx tsx bench/checkout-profile.ts [--checkouts 300]`: where one checkout's time goes, without
 * concurrency. On the database of DATABASE_URL (else PGlite in NEXUS_DATA_DIR), in a throw-away
 * tenant with the checkout benchmark's shop (bench/checkout.ts), it sends N random checkouts one
 * after another through `app.inject` to the real route, then N to the floor, and prints per side:
 * the statements of the last checkout in order (offset from the request's start and duration,
 * both in ms, from Kysely compiling the statement to its result), every kind of statement with
 * how often it runs per checkout and its median duration, the sequential latency, and the CPU time
 * per checkout of this Node process and of the PostgreSQL backends serving it (read from
 * /proc/<pid>/stat, so only when PostgreSQL runs on this machine and the user may read it).
 */

interface Statement {
  label: string;
  start: number;
  end: number | undefined;
}

/** Records every statement run through the instance while `on`, named by its kind and tables. */
class StatementRecorder implements KyselyPlugin {
  on = false;
  statements: Statement[] = [];
  private readonly pending = new Map<unknown, Statement>();

  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    if (this.on) {
      const statement = { label: describe(args.node), start: performance.now(), end: undefined };
      this.pending.set(args.queryId, statement);
      this.statements.push(statement);
    }
    return args.node;
  };

  transformResult: KyselyPlugin['transformResult'] = async (args) => {
    const statement = this.pending.get(args.queryId);
    if (statement) {
      statement.end = performance.now();
      this.pending.delete(args.queryId);
    }
    return args.result;
  };
}

/** `select stores`, `insert orders`, `raw`: the statement kind and the tables it names (aliases skipped). */
function describe(node: OperationNode): string {
  const tables: string[] = [];
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.kind === 'TableNode') {
      const name = (record.table as { identifier?: { name?: string } } | undefined)?.identifier?.name;
      if (name && !tables.includes(name)) tables.push(name);
    }
    for (const child of Object.values(record)) {
      if (Array.isArray(child)) child.forEach(walk);
      else walk(child);
    }
  };
  walk(node);
  const kind = node.kind
    .replace(/QueryNode$/, '')
    .replace(/Node$/, '')
    .toLowerCase();
  return `${kind} ${tables.join(', ')}`.trim();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? Number.NaN;

async function profile(
  name: string,
  server: FastifyInstance,
  url: string,
  headers: Record<string, string>,
  bodies: { warm: Record<string, unknown>; next: () => Record<string, unknown> },
  recorder: StatementRecorder,
  db: Db,
  kind: Database['kind'],
  checkouts: number,
): Promise<string[]> {
  const send = async (body: Record<string, unknown>) => {
    const response = await server.inject({ method: 'POST', url, headers, payload: body });
    if (response.statusCode !== 201)
      throw new Error(`${name} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
  };
  for (let i = 0; i < 20; i++) await send(bodies.warm);
  // PGlite runs inside this process: its CPU is already in Node's.
  const pids = kind === 'postgres' ? await backendPids(db) : [];
  const pg0 = processCpuMs(pids);
  const node0 = process.cpuUsage();
  const latencies: number[] = [];
  const byLabel = new Map<string, number[]>();
  let last: { statements: Statement[]; started: number; total: number } | undefined;
  for (let i = 0; i < checkouts; i++) {
    const body = bodies.next();
    recorder.statements = [];
    recorder.on = true;
    const started = performance.now();
    await send(body);
    const total = performance.now() - started;
    recorder.on = false;
    latencies.push(total);
    for (const s of recorder.statements)
      byLabel.set(s.label, [...(byLabel.get(s.label) ?? []), (s.end ?? s.start) - s.start]);
    last = { statements: recorder.statements, started, total };
  }
  const node = process.cpuUsage(node0);
  const pg1 = processCpuMs(pids);
  const statements = [...byLabel.values()].reduce((sum, list) => sum + list.length, 0) / checkouts;
  const lines = [
    `${name}: ${checkouts} checkouts one after another: median ${median(latencies).toFixed(2)} ms, p90 ${percentile(latencies, 0.9).toFixed(2)} ms, ${statements.toFixed(1)} statements per checkout (BEGIN/COMMIT not counted)`,
    `  CPU per checkout: Node ${((node.user + node.system) / 1000 / checkouts).toFixed(2)} ms, PostgreSQL backends ${pids.length === 0 ? 'n/a (PGlite: inside the Node figure)' : pg0 !== null && pg1 !== null ? `${((pg1 - pg0) / checkouts).toFixed(2)} ms (${pids.length} backends)` : 'n/a (not readable from /proc)'}`,
    '  statements by kind: per checkout, median ms, ms per checkout',
    ...[...byLabel]
      .map(([label, list]) => ({
        label,
        per: list.length / checkouts,
        median: median(list),
        sum: list.reduce((a, b) => a + b, 0) / checkouts,
      }))
      .sort((a, b) => b.sum - a.sum)
      .map((s) => `    ${s.per.toFixed(2)}x  ${s.median.toFixed(2)}  ${s.sum.toFixed(2)}  ${s.label}`),
  ];
  if (last) {
    const { statements: list, started, total } = last;
    lines.push('  the last checkout, in order: start offset ms, duration ms');
    for (const s of list)
      lines.push(
        `    +${(s.start - started).toFixed(2)}  ${((s.end ?? s.start) - s.start).toFixed(2)}  ${s.label}`,
      );
    lines.push(`    answered after ${total.toFixed(2)} ms`);
  }
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { checkouts: { type: 'string', default: '300' } } });
  const checkouts = Number(values.checkouts);
  if (!Number.isInteger(checkouts) || checkouts < 1)
    throw new Error('--checkouts must be a whole number >= 1');
  const loaded = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const config: Config = {
    ...loaded,
    rateLimit: Object.fromEntries(Object.keys(loaded.rateLimit).map((budget) => [budget, 1e9])) as Record<
      keyof Config['rateLimit'],
      number
    >,
  };
  const runtime = await openRuntime(config);
  const recorder = new StatementRecorder();
  const db = runtime.database.db.withPlugin(recorder);
  const tenant = await createBenchTenant(db);
  const servers: FastifyInstance[] = [];
  try {
    const shop = await setupCheckoutShop(db, tenant);
    const app = await buildApp(
      { config, database: { ...runtime.database, db }, keys: runtime.keys, rateLimit: runtime.rateLimit },
      { logger: false },
    );
    servers.push(app);
    const floor = Fastify({ logger: false });
    servers.push(floor);
    addCheckoutFloor(floor, db, shop);
    const headers = { 'x-scalev-storefront-api-key': shop.storefrontKey, 'content-type': 'application/json' };
    const bodies = {
      warm: preflightBodies(shop)[0] as Record<string, unknown>,
      next: () => checkoutBody(shop.variantIds, shop.destination),
    };
    const out = [
      ...(await profile(
        'nexus',
        app,
        `/v3/stores/${shop.storeUniqueId}/public/checkout`,
        headers,
        bodies,
        recorder,
        runtime.database.db,
        runtime.database.kind,
        checkouts,
      )),
      '',
      ...(await profile(
        'floor',
        floor,
        '/floor/checkout',
        headers,
        bodies,
        recorder,
        runtime.database.db,
        runtime.database.kind,
        checkouts,
      )),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    for (const server of servers) await server.close();
    await removeBenchTenant(runtime.database.db, tenant);
    await runtime.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/checkout-profile: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
