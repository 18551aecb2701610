import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { PREPARED } from '../../db/prepared.ts';
import type { RecordRef } from '../../lib/refs.ts';
import { currentText } from './card-queries.ts';

/**
 * Units a store can sell of the variant aliased `variant`: the store's warehouse when it has one,
 * else every active warehouse of the variant's own business (a partner's product ships from its
 * owner's stock). Needs the store joined as `st`.
 */
export function storeStockOf(variant: string): RawBuilder<number> {
  return sql<number>`(
    select coalesce(sum(ws.qty), 0)::bigint
    from warehouse_stocks ws
    inner join warehouses w on w.id = ws.warehouse_id
    where ws.variant_id = ${sql.ref(`${variant}.id`)}
      and w.business_id = ${sql.ref(`${variant}.business_id`)}
      and w.is_active
      and (st.warehouse_id is null or w.id = st.warehouse_id)
  )`;
}

/** Whether a product (aliased `product`) has something to sell: untracked, or some variant in stock. */
export function productInStock(product: string): RawBuilder<boolean> {
  return sql<boolean>`(not ${sql.ref(`${product}.is_inventory`)} or exists (
    select 1
    from variants iv
    inner join warehouse_stocks ws on ws.variant_id = iv.id
    inner join warehouses w on w.id = ws.warehouse_id
    where iv.product_id = ${sql.ref(`${product}.id`)}
      and ws.qty > 0
      and w.business_id = iv.business_id
      and w.is_active
      and (st.warehouse_id is null or w.id = st.warehouse_id)
  ))`;
}

/** Whether one unit of the bundle (aliased `bundle`) can be made: every tracked line has its quantity. */
export function bundleInStock(bundle: string): RawBuilder<boolean> {
  return sql<boolean>`not exists (
    select 1
    from bundle_lines bl
    inner join variants lv on lv.id = bl.variant_id
    inner join products lp on lp.id = lv.product_id
    where bl.bundle_id = ${sql.ref(`${bundle}.id`)}
      and lp.is_inventory
      and ${storeStockOf('lv')} < bl.quantity
  )`;
}

/** A bundle is physical when any of its lines is (it then needs shipping), else digital. */
export function bundleItemType(bundle: string): RawBuilder<'physical' | 'digital'> {
  return sql<'physical' | 'digital'>`case when exists (
    select 1
    from bundle_lines bl
    inner join variants lv on lv.id = bl.variant_id
    inner join products lp on lp.id = lv.product_id
    where bl.bundle_id = ${sql.ref(`${bundle}.id`)} and lp.item_type = 'physical'
  ) then 'physical' else 'digital' end`;
}

/** Microseconds since the epoch: exact keyset values for listing times (JS dates keep only ms). */
export function epochMicros(column: string): RawBuilder<number> {
  return sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint`;
}

const PRODUCT_DETAIL_COLUMNS = [
  'p.id',
  'p.business_id',
  'p.slug',
  'p.name',
  'p.public_name',
  'p.description',
  'p.rich_description',
  'p.meta_thumbnail',
  'p.item_type',
  'p.is_inventory',
  'p.is_multiple',
  'p.option1_name',
  'p.option2_name',
  'p.option3_name',
  'p.images',
  'p.labels',
  'p.created_at',
  't.id as taxonomy_id',
  't.name as taxonomy_name',
  't.full_path as taxonomy_full_path',
] as const;

/**
 * The listing of the store's product with this slug (hidden or not). Slugs are unique per business;
 * a store that also lists a partner's product with the same slug shows its own business's first.
 */
function productListingBySlug(db: Db, storeId: number, slug: string) {
  return db
    .selectFrom('store_products as sp')
    .innerJoin('stores as st', 'st.id', 'sp.store_id')
    .innerJoin('products as p', 'p.id', 'sp.product_id')
    .where('sp.store_id', '=', storeId)
    .where('p.slug', '=', slug)
    .orderBy(sql`p.business_id = st.business_id`, 'desc')
    .orderBy('p.id')
    .limit(sql.lit(1));
}

/** A product listed in the store (hidden or not) by slug, with what its page shows. */
export function findStoreProductBySlug(db: Db, storeId: number, slug: string) {
  return productListingBySlug(db, storeId, slug)
    .leftJoin('product_taxonomies as t', 't.id', 'p.taxonomy_id')
    .select(PRODUCT_DETAIL_COLUMNS)
    .executeTakeFirst();
}
export type StoreProductRow = NonNullable<Awaited<ReturnType<typeof findStoreProductBySlug>>>;

/** The product `findStoreProductBySlug` finds, with its stored detail page when still current. */
export function storeProductDetailText(db: Db, storeId: number, slug: string) {
  return productListingBySlug(db, storeId, slug)
    .select(['p.id', currentText('sp', 'detail', { product: 'sp.product_id' }).as('detail')])
    .modifyFront(PREPARED)
    .executeTakeFirst();
}

/** The variants of a product in position order, each with the units the store can sell. */
export function storeVariantsOfProduct(db: Db, storeId: number, productId: number) {
  return db
    .selectFrom('variants as v')
    .innerJoin('stores as st', (join) => join.on('st.id', '=', storeId))
    .select([
      'v.id',
      'v.uuid',
      'v.unique_id',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'v.sku',
      'v.description',
      'v.rich_description',
      'v.price',
      'v.weight',
      'v.pricing_type',
      'v.interval',
      'v.interval_count',
      'v.validity_period',
      'v.validity_period_unit',
      'v.images',
      storeStockOf('v').as('stock_qty'),
    ])
    .where('v.product_id', '=', productId)
    .orderBy('v.position')
    .orderBy('v.id')
    .execute();
}
export type StoreVariantRow = Awaited<ReturnType<typeof storeVariantsOfProduct>>[number];

/**
 * The variants of the listed products on one page of the items list, for their cards: one query
 * for the whole page (never one per product), in product then position order, each with the units
 * the store can sell. Rows come only through the store's own listings, so another store's product
 * ids name nothing here.
 */
export function storeVariantsOfListedProducts(db: Db, storeId: number, productIds: readonly number[]) {
  return db
    .selectFrom('store_products as sp')
    .innerJoin('stores as st', 'st.id', 'sp.store_id')
    .innerJoin('products as p', 'p.id', 'sp.product_id')
    .innerJoin('variants as v', 'v.product_id', 'sp.product_id')
    .select([
      'v.id',
      'v.product_id',
      'v.uuid',
      'v.unique_id',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'v.price',
      'v.pricing_type',
      'v.interval',
      'v.interval_count',
      'v.images',
      'p.is_inventory',
      storeStockOf('v').as('stock_qty'),
    ])
    .where('sp.store_id', '=', storeId)
    .where('sp.product_id', 'in', productIds)
    .orderBy('v.product_id')
    .orderBy('v.position')
    .orderBy('v.id')
    .execute();
}
export type ListedVariantRow = Awaited<ReturnType<typeof storeVariantsOfListedProducts>>[number];

/** The listing of the store's bundle price option with this slug (hidden or not); own business first. */
function priceOptionListingBySlug(db: Db, storeId: number, slug: string) {
  return db
    .selectFrom('store_bundle_price_options as sb')
    .innerJoin('stores as st', 'st.id', 'sb.store_id')
    .innerJoin('bundle_price_options as bpo', 'bpo.id', 'sb.bundle_price_option_id')
    .where('sb.store_id', '=', storeId)
    .where('bpo.slug', '=', slug)
    .orderBy(sql`bpo.business_id = st.business_id`, 'desc')
    .orderBy('bpo.id')
    .limit(sql.lit(1));
}

/** A bundle price option attached to the store (hidden or not) by slug, with what its page shows. */
export function findStorePriceOptionBySlug(db: Db, storeId: number, slug: string) {
  return priceOptionListingBySlug(db, storeId, slug)
    .innerJoin('bundles as b', 'b.id', 'bpo.bundle_id')
    .select([
      'bpo.id',
      'bpo.bundle_id',
      'bpo.slug',
      'bpo.name',
      'bpo.price',
      'bpo.weight_bump',
      'bpo.created_at',
      'b.name as bundle_name',
      'b.public_name as bundle_public_name',
      'b.description',
      'b.rich_description',
      'b.meta_thumbnail',
      'b.images',
      'b.labels',
      'b.weight_bump as bundle_weight_bump',
      bundleItemType('b').as('item_type'),
    ])
    .executeTakeFirst();
}
export type StorePriceOptionRow = NonNullable<Awaited<ReturnType<typeof findStorePriceOptionBySlug>>>;

/** The price option `findStorePriceOptionBySlug` finds, with its stored detail page when still current. */
export function storePriceOptionDetailText(db: Db, storeId: number, slug: string) {
  return priceOptionListingBySlug(db, storeId, slug)
    .select(['bpo.id', currentText('sb', 'detail', { bundle: 'bpo.bundle_id' }).as('detail')])
    .modifyFront(PREPARED)
    .executeTakeFirst();
}

/** A bundle's lines in position order with what a buyer sees of each variant and its stock. */
export function storeBundleLines(db: Db, storeId: number, bundleId: number) {
  return db
    .selectFrom('bundle_lines as bl')
    .innerJoin('variants as v', 'v.id', 'bl.variant_id')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .innerJoin('stores as st', (join) => join.on('st.id', '=', storeId))
    .select([
      'bl.quantity',
      'v.id as variant_id',
      'v.unique_id as variant_unique_id',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'v.price',
      'v.weight',
      'v.images',
      'p.id as product_id',
      'p.name as product_name',
      'p.public_name as product_public_name',
      'p.item_type',
      'p.is_inventory',
      'p.images as product_images',
      storeStockOf('v').as('stock_qty'),
    ])
    .where('bl.bundle_id', '=', bundleId)
    .orderBy('bl.position')
    .orderBy('bl.id')
    .execute();
}
export type StoreBundleLineRow = Awaited<ReturnType<typeof storeBundleLines>>[number];

/** Whether the store's business (or a partner's) has a product or price option with this slug at all. */
export async function businessHasSlug(
  db: Db,
  businessId: number,
  kind: 'product' | 'bundle_price_option',
  slug: string,
): Promise<boolean> {
  const table = kind === 'product' ? 'products' : 'bundle_price_options';
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('business_id', '=', businessId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row !== undefined;
}

/** Taxonomy categories of the store's visible products, with how many products each has. */
export function storeCategories(db: Db, storeId: number) {
  return db
    .selectFrom('store_products as sp')
    .innerJoin('products as p', 'p.id', 'sp.product_id')
    .innerJoin('product_taxonomies as t', 't.id', 'p.taxonomy_id')
    .select(['t.id', 't.name', 't.full_path', (eb) => eb.fn.countAll<number>().as('product_count')])
    .where('sp.store_id', '=', storeId)
    .where('sp.is_hidden_from_listing', '=', false)
    .groupBy(['t.id', 't.name', 't.full_path'])
    .orderBy('t.full_path')
    .execute();
}

export function storePaymentSettings(db: Db, storeId: number) {
  return db
    .selectFrom('stores')
    .select(['payment_methods', 'va_bank_codes'])
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
}

/** Variants whose product is listed in the store (hidden or not), by any of their three ids. */
export function storeVariantsByRefs(db: Db, storeId: number, refs: readonly RecordRef[]) {
  const ids = refs.flatMap((ref) => ('id' in ref ? [ref.id] : []));
  const uuids = refs.flatMap((ref) => ('uuid' in ref ? [ref.uuid] : []));
  const uniqueIds = refs.flatMap((ref) => ('unique_id' in ref ? [ref.unique_id] : []));
  return db
    .selectFrom('variants as v')
    .innerJoin('store_products as sp', (join) =>
      join.onRef('sp.product_id', '=', 'v.product_id').on('sp.store_id', '=', storeId),
    )
    .innerJoin('stores as st', 'st.id', 'sp.store_id')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'v.id',
      'v.uuid',
      'v.unique_id',
      'v.product_id',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'v.price',
      'v.pricing_type',
      'v.interval',
      'v.interval_count',
      'p.name as product_name',
      'p.public_name as product_public_name',
      'p.is_inventory',
      storeStockOf('v').as('stock_qty'),
    ])
    .where((eb) =>
      eb.or([
        ...(ids.length ? [eb('v.id', 'in', ids)] : []),
        ...(uuids.length ? [eb('v.uuid', 'in', uuids)] : []),
        ...(uniqueIds.length ? [eb('v.unique_id', 'in', uniqueIds)] : []),
      ]),
    )
    .execute();
}
export type StoreVariantRefRow = Awaited<ReturnType<typeof storeVariantsByRefs>>[number];
