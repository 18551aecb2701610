import type { Db } from '../../db/database.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';
import type { RecordRef } from '../../lib/refs.ts';

export function listStoreProducts(db: Db, businessId: number, storeId: number, window: KeysetWindow) {
  const query = db
    .selectFrom('store_products as sp')
    .innerJoin('products as p', 'p.id', 'sp.product_id')
    .select([
      'p.id',
      'p.uuid',
      'p.name',
      'p.public_name',
      'p.slug',
      'p.item_type',
      'p.is_inventory',
      'p.is_multiple',
      'p.images',
      'p.labels',
      'p.created_at',
      'p.last_updated_at',
      'sp.is_hidden_from_listing',
    ])
    .where('sp.store_id', '=', storeId)
    .where('sp.business_id', '=', businessId);
  return applyKeyset(query, ['sp.product_id'], 'desc', window).execute();
}

export async function variantsOfProducts(db: Db, productIds: number[]) {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('variants')
    .select([
      'id',
      'product_id',
      'uuid',
      'unique_id',
      'sku',
      'option1_value',
      'option2_value',
      'option3_value',
      'price',
      'price_bt',
      'weight',
      'images',
    ])
    .where('product_id', 'in', productIds)
    .orderBy('product_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

const BUNDLE_COLUMNS = [
  'b.id',
  'b.name',
  'b.public_name',
  'b.images',
  'b.created_at',
  'b.last_updated_at',
] as const;

/** Bundles with at least one price option attached to the store. */
export function listStoreBundles(db: Db, businessId: number, storeId: number, window: KeysetWindow) {
  const query = db
    .selectFrom('bundles as b')
    .select(BUNDLE_COLUMNS)
    .where('b.business_id', '=', businessId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('bundle_price_options as bpo')
          .innerJoin('store_bundle_price_options as sbpo', 'sbpo.bundle_price_option_id', 'bpo.id')
          .select('bpo.id')
          .whereRef('bpo.bundle_id', '=', 'b.id')
          .where('sbpo.store_id', '=', storeId),
      ),
    );
  return applyKeyset(query, ['b.id'], 'desc', window).execute();
}
export type StoreBundleRow = Awaited<ReturnType<typeof listStoreBundles>>[number];

export function findBundle(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundles as b')
    .select(BUNDLE_COLUMNS)
    .where('b.id', '=', bundleId)
    .where('b.business_id', '=', businessId)
    .executeTakeFirst();
}

const PRICE_OPTION_COLUMNS = [
  'bpo.id',
  'bpo.unique_id',
  'bpo.bundle_id',
  'bpo.name',
  'bpo.slug',
  'bpo.price',
  'bpo.price_bt',
  'sbpo.is_hidden_from_listing',
] as const;

/** The store's price options of these bundles. */
export async function storePriceOptionsOfBundles(db: Db, storeId: number, bundleIds: number[]) {
  if (bundleIds.length === 0) return [];
  return db
    .selectFrom('bundle_price_options as bpo')
    .innerJoin('store_bundle_price_options as sbpo', 'sbpo.bundle_price_option_id', 'bpo.id')
    .select(PRICE_OPTION_COLUMNS)
    .where('sbpo.store_id', '=', storeId)
    .where('bpo.bundle_id', 'in', bundleIds)
    .orderBy('bpo.bundle_id')
    .orderBy('bpo.position')
    .orderBy('bpo.id')
    .execute();
}
export type StorePriceOptionRow = Awaited<ReturnType<typeof storePriceOptionsOfBundles>>[number];

/** A price option attached to the store, by numeric id or unique_id. */
export function findStorePriceOption(db: Db, businessId: number, storeId: number, ref: number | string) {
  return db
    .selectFrom('bundle_price_options as bpo')
    .innerJoin('store_bundle_price_options as sbpo', 'sbpo.bundle_price_option_id', 'bpo.id')
    .select(PRICE_OPTION_COLUMNS)
    .where('sbpo.store_id', '=', storeId)
    .where('bpo.business_id', '=', businessId)
    .where(typeof ref === 'number' ? 'bpo.id' : 'bpo.unique_id', '=', ref)
    .executeTakeFirst();
}

export async function businessPriceOptionIds(db: Db, businessId: number, ids: number[]) {
  const rows = await db
    .selectFrom('bundle_price_options')
    .select('id')
    .where('business_id', '=', businessId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((row) => row.id));
}

export async function attachPriceOptions(db: Db, businessId: number, storeId: number, ids: number[]) {
  await db
    .insertInto('store_bundle_price_options')
    .values(ids.map((id) => ({ store_id: storeId, bundle_price_option_id: id, business_id: businessId })))
    .onConflict((oc) => oc.columns(['store_id', 'bundle_price_option_id']).doNothing())
    .execute();
}

/** The subset of `ids` that are products of the business. */
export async function businessProductIds(db: Db, businessId: number, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('products')
    .select('id')
    .where('business_id', '=', businessId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((row) => row.id));
}

export async function attachProducts(db: Db, businessId: number, storeId: number, ids: number[]) {
  await db
    .insertInto('store_products')
    .values(ids.map((id) => ({ store_id: storeId, product_id: id, business_id: businessId })))
    .onConflict((oc) => oc.columns(['store_id', 'product_id']).doNothing())
    .execute();
}

export function detachPriceOption(db: Db, businessId: number, storeId: number, priceOptionId: number) {
  return db
    .deleteFrom('store_bundle_price_options')
    .where('store_id', '=', storeId)
    .where('business_id', '=', businessId)
    .where('bundle_price_option_id', '=', priceOptionId)
    .executeTakeFirst();
}

export function storesOfPriceOption(db: Db, businessId: number, priceOptionId: number) {
  return db
    .selectFrom('store_bundle_price_options as sbpo')
    .innerJoin('stores as s', 's.id', 'sbpo.store_id')
    .select(['s.id', 's.unique_id', 's.name'])
    .where('sbpo.bundle_price_option_id', '=', priceOptionId)
    .where('sbpo.business_id', '=', businessId)
    .orderBy('s.id')
    .execute();
}

export function findBusiness(db: Db, businessId: number) {
  return db
    .selectFrom('businesses')
    .select(['id', 'unique_id', 'username', 'account_holder', 'email', 'phone'])
    .where('id', '=', businessId)
    .executeTakeFirstOrThrow();
}

/** A variant of a product listed in the store, by numeric id, unique_id or uuid. */
export function findStoreVariant(db: Db, businessId: number, storeId: number, ref: RecordRef) {
  let query = db
    .selectFrom('variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .innerJoin('store_products as sp', (join) =>
      join.onRef('sp.product_id', '=', 'p.id').on('sp.store_id', '=', storeId),
    )
    .selectAll('v')
    .select([
      'p.name as product_name',
      'p.public_name as product_public_name',
      'p.uuid as product_uuid',
      'p.description as product_description',
      'p.item_type',
      'p.is_inventory',
      'p.is_multiple',
      'p.is_product_sharing',
      'p.option1_name',
      'p.option2_name',
      'p.option3_name',
    ])
    .where('v.business_id', '=', businessId);
  if ('id' in ref) query = query.where('v.id', '=', ref.id);
  else if ('unique_id' in ref) query = query.where('v.unique_id', '=', ref.unique_id);
  else query = query.where('v.uuid', '=', ref.uuid);
  return query.executeTakeFirst();
}

/** Units in the store's warehouse, or in every active warehouse of the business when it has none. */
export async function variantStock(
  db: Db,
  businessId: number,
  storeId: number,
  variantId: number,
): Promise<{ qty: number; warehouseUniqueId: string | null }> {
  const store = await db
    .selectFrom('stores as s')
    .leftJoin('warehouses as w', 'w.id', 's.warehouse_id')
    .select(['s.warehouse_id', 'w.unique_id'])
    .where('s.id', '=', storeId)
    .executeTakeFirstOrThrow();
  let query = db
    .selectFrom('warehouse_stocks as ws')
    .innerJoin('warehouses as w', 'w.id', 'ws.warehouse_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('ws.qty'), eb.val('0')).as('qty'))
    .where('ws.variant_id', '=', variantId)
    .where('ws.business_id', '=', businessId)
    .where('w.is_active', '=', true);
  if (store.warehouse_id !== null) query = query.where('ws.warehouse_id', '=', store.warehouse_id);
  const row = await query.executeTakeFirstOrThrow();
  return { qty: Number(row.qty), warehouseUniqueId: store.unique_id ?? null };
}
