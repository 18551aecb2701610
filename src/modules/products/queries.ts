import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type SqlBool,
  sql,
  type Updateable,
} from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern, escapeLike } from '../../db/like.ts';
import { PREPARED } from '../../db/prepared.ts';
import { currentText } from '../../db/read-model.ts';
import type { DB, ItemType, PricingType, ProductsTable, VariantsTable } from '../../db/schema.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';
import type { RecordRef } from '../../lib/refs.ts';
import { sharedProductIdsQuery } from '../partners/queries.ts';

type ProductScope = ExpressionBuilder<DB & { p: ProductsTable }, 'p'>;

export interface ProductFilter {
  search?: string | undefined;
  isInventory?: boolean | undefined;
  isProductSharing?: boolean | undefined;
  warehouseId?: number | undefined;
  availableQty?: boolean | undefined;
  storeId?: number | undefined;
  isChecked?: boolean | undefined;
  itemType?: ItemType | undefined;
  label?: string | undefined;
  pricingType?: PricingType | undefined;
}

/** How a path names a product: its numeric id or its uuid. */
export type ProductKey = { id: number } | { uuid: string };

/**
 * Which products a business sees: its own, those other businesses share with it through an active
 * partnership (see partners/queries.ts), or both.
 */
export type Ownership = 'owned' | 'shared' | 'all';

function ownershipCondition(
  db: Db,
  eb: ProductScope,
  businessId: number,
  ownership: Ownership,
): Expression<SqlBool> {
  const owned = eb('p.business_id', '=', businessId);
  const shared = eb.and([
    eb('p.id', 'in', sharedProductIdsQuery(db, businessId)),
    eb('p.business_id', '!=', businessId),
  ]);
  if (ownership === 'owned') return owned;
  return ownership === 'shared' ? shared : eb.or([owned, shared]);
}

/**
 * Every list filter as one condition; each EXISTS is served by an index on its child table.
 * Stores and warehouses named by a filter must be the caller's: another business's ids match nothing.
 */
function productFilter(
  db: Db,
  eb: ProductScope,
  businessId: number,
  f: ProductFilter,
  ownership: Ownership,
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [ownershipCondition(db, eb, businessId, ownership)];
  if (f.search) conditions.push(sql<SqlBool>`lower(p.name) like lower(${containsPattern(f.search)})`);
  if (f.isInventory !== undefined) conditions.push(eb('p.is_inventory', '=', f.isInventory));
  if (f.isProductSharing !== undefined) conditions.push(eb('p.is_product_sharing', '=', f.isProductSharing));
  if (f.itemType) conditions.push(eb('p.item_type', '=', f.itemType));
  if (f.label) conditions.push(sql<SqlBool>`p.labels @> array[${f.label}]::text[]`);
  if (f.storeId !== undefined) {
    const storeId = f.storeId;
    conditions.push(
      eb.exists(
        eb
          .selectFrom('store_products as sp')
          .select('sp.product_id')
          .where('sp.store_id', '=', storeId)
          .where('sp.business_id', '=', businessId)
          .whereRef('sp.product_id', '=', 'p.id'),
      ),
    );
  }
  if (f.isChecked !== undefined || f.pricingType) {
    let variants = eb.selectFrom('variants as v').select('v.id').whereRef('v.product_id', '=', 'p.id');
    if (f.isChecked !== undefined) variants = variants.where('v.is_checked', '=', f.isChecked);
    if (f.pricingType) variants = variants.where('v.pricing_type', '=', f.pricingType);
    conditions.push(eb.exists(variants));
  }
  if (f.warehouseId !== undefined || f.availableQty) {
    let stocks = eb
      .selectFrom('variants as v')
      .innerJoin('warehouse_stocks as ws', 'ws.variant_id', 'v.id')
      .select('v.id')
      .whereRef('v.product_id', '=', 'p.id');
    if (f.warehouseId !== undefined)
      stocks = stocks.where('ws.warehouse_id', '=', f.warehouseId).where('ws.business_id', '=', businessId);
    if (f.availableQty) stocks = stocks.where('ws.qty', '>', 0);
    // Without inventory tracking a product is never out of stock, so only the warehouse filter binds it.
    conditions.push(
      f.availableQty && f.warehouseId === undefined
        ? eb.or([eb('p.is_inventory', '=', false), eb.exists(stocks)])
        : eb.exists(stocks),
    );
  }
  return eb.and(conditions);
}

function selectProducts(db: Db, where: (eb: ProductScope) => Expression<SqlBool>) {
  return db
    .selectFrom('products as p')
    .where(where)
    .leftJoin('users as cu', 'cu.id', 'p.created_by_user_id')
    .leftJoin('users as uu', 'uu.id', 'p.last_updated_by_user_id')
    .selectAll('p')
    .select([
      'cu.name as created_by_name',
      'cu.email as created_by_email',
      'uu.name as last_updated_by_name',
      'uu.email as last_updated_by_email',
    ]);
}
export type ProductRow = Awaited<ReturnType<ReturnType<typeof selectProducts>['executeTakeFirstOrThrow']>>;

/**
 * One keyset page of products, newest id first. Own and shared products come from two index-ordered
 * branches, each cut to the page size, merged by id: neither branch ever sorts a whole catalogue.
 */
export async function listProducts(
  db: Db,
  businessId: number,
  filter: ProductFilter,
  ownership: Ownership,
  window: KeysetWindow,
) {
  const branch = (only: Exclude<Ownership, 'all'>) =>
    applyKeyset(
      selectProducts(db, (eb) => productFilter(db, eb, businessId, filter, only)),
      ['p.id'],
      'desc',
      window,
    );
  if (ownership !== 'all') return branch(ownership).execute();
  // Most businesses have nothing shared with them: skip the union, which PostgreSQL re-plans on
  // every request (a millisecond of planning for the list's most common call).
  if (!(await hasSharedProducts(db, businessId))) return branch('owned').execute();
  const merged = db
    .selectFrom(branch('owned').as('owned'))
    .selectAll()
    .unionAll(db.selectFrom(branch('shared').as('shared')).selectAll());
  return applyKeyset(db.selectFrom(merged.as('p')).selectAll(), ['p.id'], 'desc', {
    ...window,
    values: null,
  }).execute();
}

/**
 * A keyset page of the business's own products as the list's read model has them (db/read-model.ts,
 * migration 0022): each id with its stored list item when current, and where its variants' files go.
 */
export function listOwnProductCards(db: Db, businessId: number, filter: ProductFilter, window: KeysetWindow) {
  return applyKeyset(
    db
      .selectFrom('products as p')
      .leftJoin('product_list_cards as c', 'c.product_id', 'p.id')
      .where((eb) => productFilter(db, eb, businessId, filter, 'owned'))
      .select([
        'p.id',
        currentText('c.card', 'c.snapshot', 'product_id', 'p.id').as('card'),
        'c.variant_ids',
        'c.file_slots',
      ]),
    ['p.id'],
    'desc',
    window,
  )
    .modifyFront(PREPARED)
    .execute();
}
export type ProductCardRow = Awaited<ReturnType<typeof listOwnProductCards>>[number];

/** The business's own products `ids`, as `listProducts` reads them (for rendering their cards). */
export function findOwnProducts(db: Db, businessId: number, ids: readonly number[]) {
  return selectProducts(db, (eb) =>
    eb.and([eb('p.business_id', '=', businessId), eb(sql.ref('p.id'), '=', sql`any(${ids}::bigint[])`)]),
  ).execute();
}

export interface StoredProductCard {
  productId: number;
  card: string;
  variantIds: number[];
  fileSlots: number[];
}

/**
 * Stores rendered list items in the transaction that rendered them (repeatable read: a row written
 * since its snapshot fails the statement), in product order so concurrent renderers queue, not deadlock.
 */
export async function storeProductCards(
  trx: Db,
  businessId: number,
  snapshot: string,
  cards: readonly StoredProductCard[],
): Promise<void> {
  if (cards.length === 0) return;
  const sorted = [...cards].sort((a, b) => a.productId - b.productId);
  await sql`
    insert into product_list_cards (product_id, business_id, card, variant_ids, file_slots, snapshot)
    select u.product_id, ${businessId}, u.card, string_to_array(u.variant_ids, ',')::bigint[],
      string_to_array(u.file_slots, ',')::integer[], ${snapshot}::pg_snapshot
    from unnest(${sorted.map((c) => c.productId)}::bigint[], ${sorted.map((c) => c.card)}::text[],
      ${sorted.map((c) => c.variantIds.join(','))}::text[], ${sorted.map((c) => c.fileSlots.join(','))}::text[])
      with ordinality as u(product_id, card, variant_ids, file_slots, n)
    order by u.n
    on conflict (product_id) do update set card = excluded.card, variant_ids = excluded.variant_ids,
      file_slots = excluded.file_slots, snapshot = excluded.snapshot`.execute(trx);
}

export async function hasSharedProducts(db: Db, businessId: number): Promise<boolean> {
  return Boolean(
    await sharedProductIdsQuery(db, businessId).limit(sql.lit(1)).modifyFront(PREPARED).executeTakeFirst(),
  );
}

export async function countProducts(
  db: Db,
  businessId: number,
  filter: ProductFilter,
  ownership: Ownership,
): Promise<number> {
  const row = await db
    .selectFrom('products as p')
    .where((eb) => productFilter(db, eb, businessId, filter, ownership))
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A product the business owns, or (with `ownership` 'all') one shared with it. */
export function findProduct(db: Db, businessId: number, key: ProductKey, ownership: Ownership = 'owned') {
  return selectProducts(db, (eb) =>
    eb.and([
      ownershipCondition(db, eb, businessId, ownership),
      'id' in key ? eb('p.id', '=', key.id) : eb('p.uuid', '=', key.uuid),
    ]),
  ).executeTakeFirst();
}

/** Row lock on the product: concurrent updates of one product's variants run one after the other. */
export function lockProduct(db: Db, businessId: number, key: ProductKey) {
  const query = db
    .selectFrom('products')
    .select(['id', 'name', 'slug', 'option1_name', 'option2_name', 'option3_name'])
    .where('business_id', '=', businessId)
    .forUpdate();
  return (
    'id' in key ? query.where('id', '=', key.id) : query.where('uuid', '=', key.uuid)
  ).executeTakeFirst();
}

const BUSINESS_COLUMNS = [
  'id',
  'unique_id',
  'username',
  'account_holder',
  'email',
  'phone',
  'tax_rate',
] as const;

export function findBusiness(db: Db, businessId: number) {
  return db
    .selectFrom('businesses')
    .select(BUSINESS_COLUMNS)
    .where('id', '=', businessId)
    .modifyFront(PREPARED)
    .executeTakeFirstOrThrow();
}
export type BusinessRow = Awaited<ReturnType<typeof findBusiness>>;

/** The owners of a page of products (the caller, and the businesses sharing products with it). */
export function findBusinesses(db: Db, businessIds: readonly number[]) {
  if (businessIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('businesses')
    .select(BUSINESS_COLUMNS)
    .where(sql<boolean>`id = any(${businessIds}::bigint[])`)
    .modifyFront(PREPARED)
    .execute();
}

/** The variants of a page of products in one query, with stock summed over warehouses. */
export function listVariantsOf(db: Db, productIds: readonly number[]) {
  if (productIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('variants as v')
    .selectAll('v')
    .select((eb) =>
      eb
        .selectFrom('warehouse_stocks as ws')
        .select(sql<number>`coalesce(sum(ws.qty), 0)::integer`.as('qty'))
        .whereRef('ws.variant_id', '=', 'v.id')
        .as('stock_qty'),
    )
    .where('v.product_id', 'in', productIds)
    .orderBy('v.product_id')
    .orderBy('v.position')
    .orderBy('v.id')
    .execute();
}
export type VariantRow = Awaited<ReturnType<typeof listVariantsOf>>[number];

export function findVariant(db: Db, businessId: number, ref: RecordRef) {
  const query = db.selectFrom('variants').select(['id', 'product_id']).where('business_id', '=', businessId);
  if ('id' in ref) return query.where('id', '=', ref.id).executeTakeFirst();
  if ('uuid' in ref) return query.where('uuid', '=', ref.uuid).executeTakeFirst();
  return query.where('unique_id', '=', ref.unique_id).executeTakeFirst();
}

export function listProductStores(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('store_products as sp')
    .innerJoin('stores as s', 's.id', 'sp.store_id')
    .select(['s.id', 's.name', 's.unique_id'])
    .where('sp.business_id', '=', businessId)
    .where('sp.product_id', '=', productId)
    .orderBy('s.id')
    .modifyFront(PREPARED)
    .execute();
}

export function listProductWarehouses(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('warehouses as w')
    .select(['w.id', 'w.unique_id', 'w.name'])
    .where('w.business_id', '=', businessId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('warehouse_stocks as ws')
          .innerJoin('variants as v', 'v.id', 'ws.variant_id')
          .select('ws.variant_id')
          .whereRef('ws.warehouse_id', '=', 'w.id')
          .where('v.product_id', '=', productId),
      ),
    )
    .orderBy('w.id')
    .modifyFront(PREPARED)
    .execute();
}

export function isStoreOfBusiness(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}

/** Which of these products the store sells. */
export async function productIdsInStore(db: Db, storeId: number, productIds: readonly number[]) {
  if (productIds.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom('store_products')
    .select('product_id')
    .where('store_id', '=', storeId)
    .where('product_id', 'in', productIds)
    .execute();
  return new Set(rows.map((row) => row.product_id));
}

export function taxonomyExists(db: Db, id: number) {
  return db.selectFrom('product_taxonomies').select('id').where('id', '=', id).executeTakeFirst();
}

const TAXONOMY_COLUMNS = [
  'id',
  'full_path',
  'level_1',
  'level_2',
  'level_3',
  'level_4',
  'level_5',
  'level_6',
  'level_7',
] as const;

export function findTaxonomy(db: Db, id: number) {
  return db
    .selectFrom('product_taxonomies')
    .select(TAXONOMY_COLUMNS)
    .where('id', '=', id)
    .modifyFront(PREPARED)
    .executeTakeFirst();
}
export type TaxonomyRow = NonNullable<Awaited<ReturnType<typeof findTaxonomy>>>;

/** Byte order of full_path, served by the product_taxonomies_full_path index. */
const fullPathOrder = sql`(full_path collate "C")`;

export function listTaxonomies(db: Db, search: string | null, window: KeysetWindow) {
  let query = db.selectFrom('product_taxonomies').select(TAXONOMY_COLUMNS);
  // lower(full_path) LIKE is what the trigram index on lower(full_path) serves.
  if (search !== null)
    query = query.where(sql<SqlBool>`lower(full_path) like lower(${containsPattern(search)})`);
  return applyKeyset(query, [fullPathOrder, 'id'], 'asc', window).execute();
}

// ---- writes ----

/** The business's slugs equal to `base` or `base-<suffix>`, to pick the next free suffix. */
export async function slugsLike(db: Db, businessId: number, base: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('products')
    .select('slug')
    .where('business_id', '=', businessId)
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${escapeLike(base)}-%`)]))
    .execute();
  return new Set(rows.map((row) => row.slug));
}

export function findProductBySlug(db: Db, businessId: number, slug: string) {
  return db
    .selectFrom('products')
    .select('id')
    .where('business_id', '=', businessId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function insertProduct(db: Db, values: Insertable<ProductsTable>): Promise<number> {
  const row = await db.insertInto('products').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProduct(
  db: Db,
  businessId: number,
  productId: number,
  values: Updateable<ProductsTable>,
): Promise<void> {
  await db
    .updateTable('products')
    .set(values)
    .where('business_id', '=', businessId)
    .where('id', '=', productId)
    .execute();
}

export async function deleteProduct(db: Db, businessId: number, productId: number): Promise<void> {
  await db.deleteFrom('products').where('business_id', '=', businessId).where('id', '=', productId).execute();
}

export function variantsOfProduct(db: Db, productId: number) {
  return db
    .selectFrom('variants')
    .selectAll()
    .where('product_id', '=', productId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}
export type StoredVariant = Awaited<ReturnType<typeof variantsOfProduct>>[number];

export async function insertVariants(db: Db, values: Insertable<VariantsTable>[]): Promise<void> {
  if (values.length > 0) await db.insertInto('variants').values(values).execute();
}

export async function updateVariant(
  db: Db,
  productId: number,
  variantId: number,
  values: Updateable<VariantsTable>,
): Promise<void> {
  await db
    .updateTable('variants')
    .set(values)
    .where('product_id', '=', productId)
    .where('id', '=', variantId)
    .execute();
}

export async function deleteVariants(
  db: Db,
  productId: number,
  variantIds: readonly number[],
): Promise<void> {
  if (variantIds.length === 0) return;
  await db.deleteFrom('variants').where('product_id', '=', productId).where('id', 'in', variantIds).execute();
}

/** Bundle lines that hold these variants, with the bundle they belong to. */
export function bundleLinesOfVariants(db: Db, businessId: number, variantIds: readonly number[]) {
  if (variantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bundle_lines as bl')
    .innerJoin('bundles as b', 'b.id', 'bl.bundle_id')
    .select(['bl.variant_id', 'b.id as bundle_id', 'b.name as bundle_name'])
    .where('bl.business_id', '=', businessId)
    .where('bl.variant_id', 'in', variantIds)
    .orderBy('b.id')
    .orderBy('bl.variant_id')
    .execute();
}

// ---- relations ----

/** Bundles with a line holding one of the product's variants. */
export function bundlesOfProduct(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('bundles as b')
    .select(['b.id', 'b.name'])
    .where('b.business_id', '=', businessId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('bundle_lines as bl')
          .innerJoin('variants as v', 'v.id', 'bl.variant_id')
          .select('bl.id')
          .whereRef('bl.bundle_id', '=', 'b.id')
          .where('v.product_id', '=', productId),
      ),
    )
    .orderBy('b.id')
    .execute();
}

export function priceOptionsOfBundles(db: Db, bundleIds: readonly number[]) {
  if (bundleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bundle_price_options')
    .select(['id', 'unique_id', 'name', 'bundle_id'])
    .where('bundle_id', 'in', bundleIds)
    .orderBy('bundle_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** Stores selling at least one price option of each bundle. */
export function storesOfBundles(db: Db, bundleIds: readonly number[]) {
  if (bundleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('store_bundle_price_options as sbpo')
    .innerJoin('bundle_price_options as bpo', 'bpo.id', 'sbpo.bundle_price_option_id')
    .innerJoin('stores as s', 's.id', 'sbpo.store_id')
    .select(['bpo.bundle_id', 's.id', 's.name', 's.unique_id'])
    .distinct()
    .where('bpo.bundle_id', 'in', bundleIds)
    .orderBy('bpo.bundle_id')
    .orderBy('s.id')
    .execute();
}

/** Buyers still holding access to each variant (courses, digital products, subscriptions). */
export function accessCountsOfVariants(db: Db, businessId: number, variantIds: readonly number[]) {
  return db
    .selectFrom('variant_accesses')
    .select(['variant_id', (eb) => eb.fn.countAll<number>().as('customers')])
    .where('business_id', '=', businessId)
    .where('variant_id', 'in', variantIds)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .groupBy('variant_id')
    .execute();
}
