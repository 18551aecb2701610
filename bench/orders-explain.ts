import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { CursorCodec } from '../src/http/pagination.ts';
import type { ListOrdersQueryObject } from '../src/modules/orders/business-schemas.ts';
import { listOrders } from '../src/modules/orders/business-service.ts';
import type { OrderStatisticsQueryObject } from '../src/modules/orders/statistics-schemas.ts';
import { getOrderStatistics } from '../src/modules/orders/statistics-service.ts';
import { OrderViewCache } from '../src/modules/orders/view-cache.ts';
import { openRuntime } from '../src/runtime.ts';
import { BENCH_CATALOG } from './catalog.ts';
import { ORDER_SCENARIOS, prepareOrdersBench } from './orders-scenarios.ts';

/**
 * `DATABASE_URL=… npx tsx bench/orders-explain.ts`: EXPLAIN (ANALYZE, BUFFERS) of every statement the
 * business orders scenarios run (bench/orders-scenarios.ts), on the generated orders. The statements
 * are captured as the services send them (pg's Client.query is wrapped while a scenario runs), then
 * explained with the same parameters, each twice: the second, warm plan is printed.
 */

type Captured = { text: string; values: unknown[] };
const captured: Captured[] = [];
let capturing = false;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [first, values] = args;
  // Prepared statements (db/prepared.ts) arrive as {name, text, values}.
  const named = typeof first === 'object' && first !== null ? (first as Captured) : undefined;
  if (capturing && typeof first === 'string')
    captured.push({ text: first, values: (values as unknown[]) ?? [] });
  if (capturing && named?.text) captured.push({ text: named.text, values: named.values ?? [] });
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

async function main() {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  if (!config.databaseUrl) throw new Error('set DATABASE_URL to the benchmark database');
  const runtime = await openRuntime(config);
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const db = runtime.database.db;
    const cursors = new CursorCodec(runtime.keys.cursor);
    const { rows } = await client.query<{ id: string }>('select id from businesses where username = $1', [
      BENCH_CATALOG.username,
    ]);
    const caller = { businessId: Number(rows[0]?.id), userId: null };
    const views = new OrderViewCache(Number(process.env.EXPLAIN_CACHE_BYTES ?? 32 * 1024 * 1024));
    const list = (q: Record<string, string>) =>
      listOrders(
        db,
        views,
        cursors,
        caller,
        { search_field: 'order_id', ...q } as ListOrdersQueryObject,
        config.publicUrl,
      );
    const bench = await prepareOrdersBench(db, caller.businessId, async (cursor) => {
      const page = await list({ columns: 'id', ...(cursor ? { next_cursor: cursor } : {}) });
      return typeof page === 'string' ? null : page.next_cursor;
    });
    for (const scenario of ORDER_SCENARIOS) {
      const q = bench.queries[scenario];
      // The list's steady state: the page's views already serialized (view-cache.ts).
      if (scenario !== 'orders-stats') await list(q);
      captured.length = 0;
      capturing = true;
      if (scenario === 'orders-stats') await getOrderStatistics(db, caller, q as OrderStatisticsQueryObject);
      else await list(q);
      capturing = false;
      process.stdout.write(`\n## ${scenario} ${new URLSearchParams(q).toString().slice(0, 160)}\n`);
      for (const statement of captured) {
        const explain = `explain (analyze, buffers) ${statement.text}`;
        await client.query(explain, statement.values);
        const plan = await client.query<{ 'QUERY PLAN': string }>(explain, statement.values);
        process.stdout.write(`\n${statement.text.replace(/\s+/g, ' ').slice(0, 400)}\n`);
        process.stdout.write(`${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}\n`);
      }
    }
  } finally {
    await client.end();
    await runtime.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `orders-explain: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
