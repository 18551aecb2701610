import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern, escapeLike } from '../../db/like.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';

export function findBusiness(db: Db, businessId: number) {
  return db
    .selectFrom('businesses')
    .select(['id', 'unique_id', 'username', 'account_holder', 'email', 'phone', 'tax_rate'])
    .where('id', '=', businessId)
    .executeTakeFirstOrThrow();
}
export type BusinessRow = Awaited<ReturnType<typeof findBusiness>>;

export async function storeBelongsTo(db: Db, businessId: number, storeId: number): Promise<boolean> {
  const row = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Bundles

function bundleQuery(db: Db) {
  return db
    .selectFrom('bundles as b')
    .leftJoin('users as cu', 'cu.id', 'b.created_by_user_id')
    .leftJoin('users as uu', 'uu.id', 'b.last_updated_by_user_id')
    .select([
      'b.id',
      'b.custom_id',
      'b.name',
      'b.public_name',
      'b.description',
      'b.rich_description',
      'b.meta_thumbnail',
      'b.images',
      'b.labels',
      'b.weight_bump',
      'b.is_bundle_sharing',
      'b.created_at',
      'b.last_updated_at',
      'cu.id as created_by_id',
      'cu.name as created_by_name',
      'cu.email as created_by_email',
      'uu.id as last_updated_by_id',
      'uu.name as last_updated_by_name',
      'uu.email as last_updated_by_email',
    ]);
}

export function findBundle(db: Db, businessId: number, bundleId: number) {
  return bundleQuery(db)
    .where('b.business_id', '=', businessId)
    .where('b.id', '=', bundleId)
    .executeTakeFirst();
}
export type BundleRow = NonNullable<Awaited<ReturnType<typeof findBundle>>>;

/** Row lock: serializes changes to one bundle's lines and options with its deletion. */
export function lockBundle(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundles')
    .select(['id', 'name'])
    .where('business_id', '=', businessId)
    .where('id', '=', bundleId)
    .forUpdate()
    .executeTakeFirst();
}

export interface BundleFilters {
  search?: string | undefined;
  isBundleSharing?: boolean | undefined;
  storeId?: number | undefined;
  label?: string | undefined;
}

/** Conditions on alias `b`; the business condition is added by each caller. */
function filterConditions(filters: BundleFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filters.search) {
    // lower(name) LIKE matches the trigram index bundles_name_search.
    conditions.push(sql<SqlBool>`lower(b.name) like ${containsPattern(filters.search.toLowerCase())}`);
  }
  if (filters.isBundleSharing !== undefined) {
    conditions.push(sql<SqlBool>`b.is_bundle_sharing = ${filters.isBundleSharing}`);
  }
  if (filters.storeId !== undefined) {
    conditions.push(sql<SqlBool>`exists (
      select 1 from bundle_price_options o
      join store_bundle_price_options s on s.bundle_price_option_id = o.id
      where o.bundle_id = b.id and s.store_id = ${filters.storeId})`);
  }
  if (filters.label) conditions.push(sql<SqlBool>`b.labels @> array[${filters.label}]::text[]`);
  return conditions;
}

/** One page of bundles, newest first, with each bundle's line count in the same query. */
export function listBundles(db: Db, businessId: number, filters: BundleFilters, window: KeysetWindow) {
  let query = bundleQuery(db)
    .select(sql<string>`(select count(*) from bundle_lines l where l.bundle_id = b.id)`.as('variants_count'))
    .where('b.business_id', '=', businessId);
  for (const condition of filterConditions(filters)) query = query.where(condition);
  return applyKeyset(query, ['b.id'], 'desc', window).execute();
}
export type BundleListRow = Awaited<ReturnType<typeof listBundles>>[number];

export async function countBundles(db: Db, businessId: number, filters: BundleFilters): Promise<number> {
  let query = db
    .selectFrom('bundles as b')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('b.business_id', '=', businessId);
  for (const condition of filterConditions(filters)) query = query.where(condition);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface BundleValues {
  custom_id?: string | null;
  name?: string;
  public_name?: string | null;
  description?: string | null;
  rich_description?: string | null;
  meta_thumbnail?: string | null;
  images?: string[];
  labels?: string[];
  weight_bump?: number;
  is_bundle_sharing?: boolean;
}

export function insertBundle(
  db: Db,
  businessId: number,
  userId: number | null,
  values: BundleValues & { name: string },
) {
  return db
    .insertInto('bundles')
    .values({
      ...values,
      business_id: businessId,
      created_by_user_id: userId,
      last_updated_by_user_id: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateBundle(
  db: Db,
  businessId: number,
  bundleId: number,
  userId: number | null,
  values: BundleValues,
): Promise<void> {
  await db
    .updateTable('bundles')
    .set({ ...values, last_updated_by_user_id: userId, last_updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('id', '=', bundleId)
    .execute();
}

/** Lines, price options and their store placements go with the bundle (ON DELETE CASCADE). */
export async function deleteBundle(db: Db, businessId: number, bundleId: number): Promise<void> {
  await db.deleteFrom('bundles').where('business_id', '=', businessId).where('id', '=', bundleId).execute();
}

// ---------------------------------------------------------------------------------------------
// Bundle lines

/** The lines of several bundles with their variants and products, in one query. */
export function listLines(db: Db, bundleIds: number[]) {
  if (bundleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bundle_lines as l')
    .innerJoin('variants as v', 'v.id', 'l.variant_id')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'l.id',
      'l.bundle_id',
      'l.quantity',
      'v.id as variant_id',
      'v.uuid as variant_uuid',
      'v.unique_id as variant_unique_id',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'v.sku',
      'v.price',
      'v.price_bt',
      'v.cogs',
      'v.cogs_bt',
      'v.reseller_price',
      'v.reseller_price_bt',
      'v.currency',
      'v.weight',
      'v.pricing_type',
      'v.interval',
      'v.interval_count',
      'v.validity_period',
      'v.validity_period_unit',
      'v.is_checked',
      'v.is_editable',
      'v.images',
      'v.self_file_urls',
      'v.metadata',
      'v.created_at',
      'v.last_updated_at',
      'p.id as product_id',
      'p.uuid as product_uuid',
      'p.name as product_name',
      'p.public_name as product_public_name',
      'p.description as product_description',
      'p.item_type',
      'p.is_inventory',
      'p.is_multiple',
      'p.is_product_sharing',
      'p.option1_name',
      'p.option2_name',
      'p.option3_name',
    ])
    .where('l.bundle_id', 'in', bundleIds)
    .orderBy('l.bundle_id')
    .orderBy('l.position')
    .orderBy('l.id')
    .execute();
}
export type LineRow = Awaited<ReturnType<typeof listLines>>[number];

/** Which of these variant ids belong to the business. */
export async function businessVariantIds(
  db: Db,
  businessId: number,
  variantIds: number[],
): Promise<Set<number>> {
  if (variantIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('variants')
    .select('id')
    .where('business_id', '=', businessId)
    .where('id', 'in', variantIds)
    .execute();
  return new Set(rows.map((row) => row.id));
}

/**
 * Makes the bundle's lines exactly `lines` (in order). Lines of variants that stay keep their ids;
 * the others are removed.
 */
export async function replaceLines(
  db: Db,
  businessId: number,
  bundleId: number,
  lines: ReadonlyArray<{ variant_id: number; quantity: number }>,
): Promise<void> {
  let removal = db.deleteFrom('bundle_lines').where('bundle_id', '=', bundleId);
  if (lines.length > 0)
    removal = removal.where(
      'variant_id',
      'not in',
      lines.map((line) => line.variant_id),
    );
  await removal.execute();
  if (lines.length === 0) return;
  await db
    .insertInto('bundle_lines')
    .values(
      lines.map((line, position) => ({
        business_id: businessId,
        bundle_id: bundleId,
        variant_id: line.variant_id,
        quantity: line.quantity,
        position,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['bundle_id', 'variant_id']).doUpdateSet((eb) => ({
        quantity: eb.ref('excluded.quantity'),
        position: eb.ref('excluded.position'),
      })),
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Bundle price options

const OPTION_COLUMNS = [
  'o.id',
  'o.bundle_id',
  'o.unique_id',
  'o.name',
  'o.slug',
  'o.price',
  'o.price_bt',
  'o.weight_bump',
] as const;

/** The price options of several bundles, in their display order, in one query. */
export function listOptionsOfBundles(db: Db, bundleIds: number[]) {
  if (bundleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bundle_price_options as o')
    .select(OPTION_COLUMNS)
    .where('o.bundle_id', 'in', bundleIds)
    .orderBy('o.bundle_id')
    .orderBy('o.position')
    .orderBy('o.id')
    .execute();
}
export type OptionRow = Awaited<ReturnType<typeof listOptionsOfBundles>>[number];

/** One page of a bundle's price options, newest first. */
export function listOptionsPage(db: Db, businessId: number, bundleId: number, window: KeysetWindow) {
  const query = db
    .selectFrom('bundle_price_options as o')
    .select(OPTION_COLUMNS)
    .where('o.business_id', '=', businessId)
    .where('o.bundle_id', '=', bundleId);
  return applyKeyset(query, ['o.id'], 'desc', window).execute();
}

export function findOption(db: Db, businessId: number, bundleId: number, optionId: number) {
  return db
    .selectFrom('bundle_price_options as o')
    .select(OPTION_COLUMNS)
    .where('o.business_id', '=', businessId)
    .where('o.bundle_id', '=', bundleId)
    .where('o.id', '=', optionId)
    .executeTakeFirst();
}

/** Stores each of these price options is placed in, in one query. */
export function listOptionStores(db: Db, optionIds: number[]) {
  if (optionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('store_bundle_price_options as so')
    .innerJoin('stores as s', 's.id', 'so.store_id')
    .select(['so.bundle_price_option_id', 's.id', 's.name', 's.unique_id'])
    .where('so.bundle_price_option_id', 'in', optionIds)
    .orderBy('s.id')
    .execute();
}
export type OptionStoreRow = Awaited<ReturnType<typeof listOptionStores>>[number];

/** Which of these price options the store sells. */
export async function optionIdsInStore(db: Db, storeId: number, optionIds: number[]): Promise<Set<number>> {
  if (optionIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('store_bundle_price_options')
    .select('bundle_price_option_id')
    .where('store_id', '=', storeId)
    .where('bundle_price_option_id', 'in', optionIds)
    .execute();
  return new Set(rows.map((row) => row.bundle_price_option_id));
}

/**
 * The business's slugs among `exact`, or equal to a `base` or of the form `base-…` (to pick a
 * free generated slug), in one query.
 */
export async function takenSlugs(
  db: Db,
  businessId: number,
  exact: readonly string[],
  bases: readonly string[],
): Promise<Set<string>> {
  const equal = [...new Set([...exact, ...bases])];
  const prefixes = [...new Set(bases)];
  if (equal.length === 0) return new Set();
  const rows = await db
    .selectFrom('bundle_price_options')
    .select('slug')
    .where('business_id', '=', businessId)
    .where((eb) =>
      eb.or([
        eb('slug', 'in', equal),
        ...prefixes.map((base) => eb('slug', 'like', `${escapeLike(base)}-%`)),
      ]),
    )
    .execute();
  return new Set(rows.map((row) => row.slug));
}

export async function slugTaken(
  db: Db,
  businessId: number,
  slug: string,
  exceptOptionId?: number,
): Promise<boolean> {
  let query = db
    .selectFrom('bundle_price_options')
    .select('id')
    .where('business_id', '=', businessId)
    .where('slug', '=', slug);
  if (exceptOptionId !== undefined) query = query.where('id', '<>', exceptOptionId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function nextOptionPosition(db: Db, bundleId: number): Promise<number> {
  const row = await db
    .selectFrom('bundle_price_options')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('bundle_id', '=', bundleId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

export interface OptionValues {
  name: string;
  slug: string;
  price: string;
  price_bt: string;
  weight_bump?: number;
}

/** Inserts the options whose slug is free in the business; the others are skipped, not an error. */
export function insertOptions(
  db: Db,
  businessId: number,
  bundleId: number,
  rows: ReadonlyArray<OptionValues & { unique_id: string; position: number }>,
) {
  return db
    .insertInto('bundle_price_options')
    .values(rows.map((row) => ({ ...row, business_id: businessId, bundle_id: bundleId })))
    .onConflict((oc) => oc.columns(['business_id', 'slug']).doNothing())
    .returning(['id', 'slug'])
    .execute();
}

export async function updateOption(
  db: Db,
  businessId: number,
  optionId: number,
  values: OptionValues,
): Promise<void> {
  await db
    .updateTable('bundle_price_options')
    .set({ ...values, last_updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('id', '=', optionId)
    .execute();
}

/** Store placements go with the option (ON DELETE CASCADE). */
export async function deleteOption(db: Db, businessId: number, optionId: number): Promise<void> {
  await db
    .deleteFrom('bundle_price_options')
    .where('business_id', '=', businessId)
    .where('id', '=', optionId)
    .execute();
}
