import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import type { CursorCodec } from '../src/http/pagination.ts';
import { findStoreByName } from '../src/modules/businesses/queries.ts';
import { createStore } from '../src/modules/businesses/service.ts';
import { getProduct, listItems } from '../src/modules/storefront/service.ts';
import { createStorefrontKey } from '../src/modules/storefront-setup/service.ts';
import { type BenchCatalog, SHOWCASE_SLUG } from './catalog.ts';
import type { LoadResult } from './load.ts';
import { CPU_HEADERS, cpuCells, type Variant } from './report.ts';

/**
 * The storefront catalog benchmark (`items`): `GET /v3/stores/{store}/public/items?page_size=25`
 * on a store that lists every product of the benchmark catalog (bench/catalog.ts), visible, plus
 * every bundle price option, beside a floor doing the same two listing reads.
 *
 * The catalog's own stores list 90% and 25% of the products, so the storefront benchmark gets a
 * store of its own, "Toko Etalase", in the catalog business. Its listings are spread one second
 * apart (newest = highest product id), as if the merchant had listed the products one by one, so
 * the newest-first keyset walks distinct listing times as it would in a real store.
 */

export const ITEMS_STORE_NAME = 'Toko Etalase';
/** The page size the benchmark asks for, and the route's default. */
const PAGE_SIZE = 25;

export interface ItemsStore {
  storeId: number;
  businessId: number;
  storeUniqueId: string;
  /** `sfpk_...`: a publishable key of the store (they are stored as they are, so one is reused). */
  storefrontKey: string;
  /** Visible listings the route pages through. */
  products: number;
  priceOptions: number;
  /** Listings this call added (0 when the store was complete). */
  inserted: number;
}

/**
 * Creates (or completes) the items store: every product and every bundle price option of the
 * catalog business listed and visible. Idempotent; analyzes the listing tables when it added rows.
 */
export async function ensureItemsStore(
  db: Db,
  catalog: Pick<BenchCatalog, 'business_id' | 'owner_user_id'>,
  log: (line: string) => void = () => undefined,
): Promise<ItemsStore> {
  const businessId = catalog.business_id;
  const store =
    (await findStoreByName(db, businessId, ITEMS_STORE_NAME)) ??
    (await createStore(db, businessId, { name: ITEMS_STORE_NAME }));

  const products = await sql<{ id: string }>`
    insert into store_products (store_id, product_id, business_id, created_at)
    select ${store.id}, p.id, p.business_id,
           now() - (row_number() over (order by p.id desc)) * interval '1 second'
    from products p
    where p.business_id = ${businessId}
      and not exists (select 1 from store_products sp where sp.store_id = ${store.id} and sp.product_id = p.id)
    on conflict do nothing
    returning product_id as id`.execute(db);
  const options = await sql<{ id: string }>`
    insert into store_bundle_price_options (store_id, bundle_price_option_id, business_id, created_at)
    select ${store.id}, o.id, o.business_id,
           now() - (row_number() over (order by o.id desc)) * interval '7 minutes'
    from bundle_price_options o
    where o.business_id = ${businessId}
      and not exists (
        select 1 from store_bundle_price_options sb
        where sb.store_id = ${store.id} and sb.bundle_price_option_id = o.id)
    on conflict do nothing
    returning bundle_price_option_id as id`.execute(db);
  // The scenario is a store whose every listing is visible: undo any hiding done by hand since.
  await db
    .updateTable('store_products')
    .set({ is_hidden_from_listing: false })
    .where('store_id', '=', store.id)
    .where('is_hidden_from_listing', '=', true)
    .execute();
  const inserted = products.rows.length + options.rows.length;
  if (inserted > 0) {
    log(
      `listed ${products.rows.length} products and ${options.rows.length} price options in ${ITEMS_STORE_NAME}`,
    );
    await sql`analyze store_products, store_bundle_price_options`.execute(db);
  }

  const key =
    (await db
      .selectFrom('storefront_public_api_keys')
      .select('token')
      .where('store_id', '=', store.id)
      .where('status', '=', 'active')
      .orderBy('id')
      .executeTakeFirst()) ??
    (await createStorefrontKey(db, { businessId, userId: catalog.owner_user_id }, store.id));
  if (!key.token) throw new Error('The storefront key of the items store came back without its token');

  const counts = await sql<{ products: string; options: string }>`
    select
      (select count(*) from store_products where store_id = ${store.id} and not is_hidden_from_listing) as products,
      (select count(*) from store_bundle_price_options where store_id = ${store.id} and not is_hidden_from_listing) as options`.execute(
    db,
  );
  const row = counts.rows[0];
  return {
    storeId: store.id,
    businessId,
    storeUniqueId: store.unique_id,
    storefrontKey: key.token,
    products: Number(row?.products ?? 0),
    priceOptions: Number(row?.options ?? 0),
    inserted,
  };
}

/**
 * The storefront routes' floors and their reads before issue 12, on the items store:
 *
 * - GET /floor/items and /floor/page: the cheapest correct answer, the storefront service's own
 *   calls on its read model (`listItems`: one listing statement with the stored cards, any missing
 *   card rendered and stored; `getProduct`: one read of the stored page), sent as the JSON text they
 *   return from a bare route. They do NOT resolve the storefront key (cached in the real route),
 *   rate-limit by IP, check the browser origin, validate the request or log.
 * - GET /sql/items and /sql/page: the same answers rendered from the catalog tables on every request
 *   (`source: 'rendered'`: the listing, the cards' products with their price range and stock, their
 *   variants with stock; the product with its variants), as every request cost before the read model.
 */
export function addStorefrontFloors(
  app: FastifyInstance,
  db: Db,
  cursors: CursorCodec,
  store: Pick<ItemsStore, 'storeId' | 'businessId'>,
): void {
  const owner = { storeId: store.storeId, businessId: store.businessId };
  for (const source of ['stored', 'rendered'] as const) {
    const prefix = source === 'stored' ? '/floor' : '/sql';
    app.get(`${prefix}/items`, async (_request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(await listItems(db, cursors, owner, {}, { page_size: PAGE_SIZE }, source)),
    );
    app.get(`${prefix}/page`, async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send(await getProduct(db, owner, SHOWCASE_SLUG, source)),
    );
  }
}

/* ---------------------------------------------------------------------------------------------- */
/* The storefront scenarios' part of the report (bench/report.ts covers the business endpoints).  */

export const STOREFRONT_SCENARIOS = ['items', 'page', 'checkout'] as const;
export type StorefrontScenario = (typeof STOREFRONT_SCENARIOS)[number];

export const SCENARIO_LABEL: Record<StorefrontScenario, string> = {
  items: 'GET /v3/stores/{id}/public/items?page_size=25',
  page: 'GET /v3/stores/{id}/public/products/{slug}',
  checkout: 'POST /v3/stores/{id}/public/checkout',
};

/** Checkout's targets (issue 5): 200 orders/s with p99 under 200 ms. */
export const TARGETS = { checkoutOrdersPerSecond: 200, checkoutP99Ms: 200 } as const;

/** Issue 12's targets for the hot storefront reads (PostgreSQL, 20 connections, 2 cores). */
export const HOT_READ_TARGETS = {
  items: { requestsPerSecond: 1200, p99Ms: 40 },
  page: { requestsPerSecond: 1500, p99Ms: 30 },
} as const;

export interface ScenarioResult extends LoadResult {
  scenario: StorefrontScenario;
  variant: Variant;
  path: string;
  /** SQL statements one warm request ran (BEGIN/COMMIT not counted). */
  queriesPerRequest: number;
  perRound: LoadResult[];
  /** Checkout only: 201 answers (warm-up included) and the orders that appeared in the database. */
  orders?: { answered201: number; inDatabase: number };
}

export interface StorefrontReport {
  results: ScenarioResult[];
  /** Store the items list pages through. */
  itemsStore?: { products: number; priceOptions: number };
  /** Checkout only: stock units gone, allocated to orders and ordered, after every run. */
  stock?: { taken: number; allocated: number; ordered: number };
}

function pad(cells: string[], widths: number[]): string {
  return `| ${cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
}

/** A Markdown table in the style of bench/report.ts, then the ratios and the verdict on each target. */
export function formatStorefrontReport(
  report: StorefrontReport,
  rounds: number,
  onPostgres: boolean,
): string {
  const ratio = (scenario: StorefrontScenario) => {
    const floor = report.results.find((r) => r.scenario === scenario && r.variant === 'floor');
    const nexus = report.results.find((r) => r.scenario === scenario && r.variant === 'nexus');
    const old = report.results.find((r) => r.scenario === scenario && r.variant === 'sql');
    return floor && nexus && floor.requestsPerSecond > 0
      ? {
          floor,
          nexus,
          throughput: nexus.requestsPerSecond / floor.requestsPerSecond,
          overSql: old ? nexus.requestsPerSecond / old.requestsPerSecond : undefined,
        }
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
    'nexus/sql req/s',
  ];
  const rows = report.results.map((r) => {
    const perSecond = r.perRound.map((run) => run.requestsPerSecond);
    const share = r.variant === 'nexus' ? ratio(r.scenario) : undefined;
    return [
      SCENARIO_LABEL[r.scenario],
      r.variant,
      r.requestsPerSecond.toFixed(0),
      ...(rounds > 1 ? [`${Math.min(...perSecond).toFixed(0)}-${Math.max(...perSecond).toFixed(0)}`] : []),
      r.latencyP50.toFixed(0),
      r.latencyP99.toFixed(0),
      r.latencyMean.toFixed(2),
      String(r.non2xx + r.errors),
      String(r.queriesPerRequest),
      ...cpuCells(r),
      share ? share.throughput.toFixed(2) : '',
      share?.overSql !== undefined ? share.overSql.toFixed(2) : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const rule = `| ${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  const notes: string[] = [];
  if (report.itemsStore)
    notes.push(
      `items store: ${report.itemsStore.products} visible products and ${report.itemsStore.priceOptions} visible bundle price options`,
    );
  for (const scenario of ['items', 'page'] as const) {
    const share = ratio(scenario);
    if (!share) continue;
    const target = HOT_READ_TARGETS[scenario];
    const met =
      share.nexus.requestsPerSecond >= target.requestsPerSecond && share.nexus.latencyP99 <= target.p99Ms;
    const verdict = onPostgres ? (met ? 'met' : 'NOT met') : 'not judged on the embedded database';
    notes.push(
      `${SCENARIO_LABEL[scenario]}: ${share.nexus.requestsPerSecond.toFixed(0)} req/s, p99 ${share.nexus.latencyP99} ms (issue 12 target on PostgreSQL >= ${target.requestsPerSecond} req/s, p99 <= ${target.p99Ms} ms: ${verdict}); ${(share.throughput * 100).toFixed(0)}% of the floor's req/s${share.overSql !== undefined ? `, x${share.overSql.toFixed(2)} the reads before the read model` : ''}`,
    );
  }
  const checkout = report.results.find((r) => r.scenario === 'checkout' && r.variant === 'nexus');
  if (checkout) {
    const met =
      checkout.requestsPerSecond >= TARGETS.checkoutOrdersPerSecond &&
      checkout.latencyP99 < TARGETS.checkoutP99Ms;
    const share = ratio('checkout');
    notes.push(
      `${SCENARIO_LABEL.checkout}: ${checkout.requestsPerSecond.toFixed(0)} orders/s, p50 ${checkout.latencyP50} ms, p99 ${checkout.latencyP99} ms (target >= ${TARGETS.checkoutOrdersPerSecond} orders/s and p99 < ${TARGETS.checkoutP99Ms} ms: ${met ? 'met' : 'NOT met'})${share ? `; ${(share.throughput * 100).toFixed(0)}% of the floor's orders/s` : ''}`,
    );
  }
  for (const r of report.results.filter((x) => x.orders))
    notes.push(
      `checkout [${r.variant}]: ${r.orders?.answered201} answers 201 (warm-up included), ${r.orders?.inDatabase} new orders in the database`,
    );
  if (report.stock)
    notes.push(
      `checkout stock: ${report.stock.taken} units taken from the warehouse, ${report.stock.allocated} allocated to orders, ${report.stock.ordered} on order lines`,
    );
  return [pad(header, widths), rule, ...rows.map((row) => pad(row, widths)), '', ...notes].join('\n');
}
