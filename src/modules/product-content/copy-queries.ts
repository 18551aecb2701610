import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  BundleLinesTable,
  BundlePriceOptionsTable,
  BundlesTable,
  ProductsTable,
  VariantsTable,
} from '../../db/schema.ts';

/**
 * Reads and inserts of the catalog core (products, variants, bundles) that duplication and its
 * answer need. The product and bundle modules own these tables; this module only copies rows.
 */

export function findProductRow(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('products')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('id', '=', productId)
    .executeTakeFirst();
}
export type ProductRow = NonNullable<Awaited<ReturnType<typeof findProductRow>>>;

export function listVariantRows(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('variants')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('product_id', '=', productId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}
export type VariantRow = Awaited<ReturnType<typeof listVariantRows>>[number];

export function insertProduct(db: Db, values: Insertable<ProductsTable>) {
  return db
    .insertInto('products')
    .values(values)
    .onConflict((oc) => oc.columns(['business_id', 'slug']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export function insertVariants(db: Db, rows: Insertable<VariantsTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('variants').values(rows).returning(['id', 'unique_id']).execute();
}

/** The business, creator and last editor of a product, and its taxonomy, in one query. */
export function findProductHeader(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('products as p')
    .innerJoin('businesses as b', 'b.id', 'p.business_id')
    .leftJoin('users as cu', 'cu.id', 'p.created_by_user_id')
    .leftJoin('users as lu', 'lu.id', 'p.last_updated_by_user_id')
    .leftJoin('product_taxonomies as t', 't.id', 'p.taxonomy_id')
    .selectAll('p')
    .select([
      'b.unique_id as business_unique_id',
      'b.username as business_username',
      'b.account_holder as business_account_holder',
      'b.email as business_email',
      'b.phone as business_phone',
      'cu.id as created_by_id',
      'cu.name as created_by_name',
      'cu.email as created_by_email',
      'lu.id as last_updated_by_id',
      'lu.name as last_updated_by_name',
      'lu.email as last_updated_by_email',
      't.full_path as taxonomy_full_path',
      't.level_1 as taxonomy_level_1',
      't.level_2 as taxonomy_level_2',
      't.level_3 as taxonomy_level_3',
      't.level_4 as taxonomy_level_4',
      't.level_5 as taxonomy_level_5',
      't.level_6 as taxonomy_level_6',
      't.level_7 as taxonomy_level_7',
    ])
    .where('p.business_id', '=', businessId)
    .where('p.id', '=', productId)
    .executeTakeFirst();
}
export type ProductHeaderRow = NonNullable<Awaited<ReturnType<typeof findProductHeader>>>;

// ---- bundles -------------------------------------------------------------------------------

export function findBundleRow(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundles')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('id', '=', bundleId)
    .executeTakeFirst();
}

export function listBundleLineRows(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundle_lines')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('bundle_id', '=', bundleId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function listPriceOptionRows(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundle_price_options')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('bundle_id', '=', bundleId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}
export type PriceOptionRow = Awaited<ReturnType<typeof listPriceOptionRows>>[number];

export function insertBundle(db: Db, values: Insertable<BundlesTable>) {
  return db.insertInto('bundles').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function insertBundleLines(db: Db, rows: Insertable<BundleLinesTable>[]) {
  if (rows.length > 0) await db.insertInto('bundle_lines').values(rows).execute();
}

/** Inserts price options; a slug taken meanwhile by a concurrent request leaves that option out. */
export function insertPriceOptions(db: Db, rows: Insertable<BundlePriceOptionsTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db
    .insertInto('bundle_price_options')
    .values(rows)
    .onConflict((oc) => oc.columns(['business_id', 'slug']).doNothing())
    .returning('unique_id')
    .execute();
}

export function findBundleHeader(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundles as x')
    .innerJoin('businesses as b', 'b.id', 'x.business_id')
    .leftJoin('users as cu', 'cu.id', 'x.created_by_user_id')
    .leftJoin('users as lu', 'lu.id', 'x.last_updated_by_user_id')
    .selectAll('x')
    .select([
      'b.unique_id as business_unique_id',
      'b.username as business_username',
      'b.account_holder as business_account_holder',
      'b.email as business_email',
      'b.phone as business_phone',
      'cu.id as created_by_id',
      'cu.name as created_by_name',
      'cu.email as created_by_email',
      'lu.id as last_updated_by_id',
      'lu.name as last_updated_by_name',
      'lu.email as last_updated_by_email',
    ])
    .where('x.business_id', '=', businessId)
    .where('x.id', '=', bundleId)
    .executeTakeFirst();
}
export type BundleHeaderRow = NonNullable<Awaited<ReturnType<typeof findBundleHeader>>>;

/** A bundle's lines with the variant and product each line sells. */
export function listBundleLineViews(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundle_lines as l')
    .innerJoin('variants as v', 'v.id', 'l.variant_id')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .selectAll('v')
    .select([
      'l.id as line_id',
      'l.quantity as line_quantity',
      'p.name as product_name',
      'p.item_type as product_item_type',
    ])
    .where('l.business_id', '=', businessId)
    .where('l.bundle_id', '=', bundleId)
    .orderBy('l.position')
    .orderBy('l.id')
    .execute();
}
export type BundleLineViewRow = Awaited<ReturnType<typeof listBundleLineViews>>[number];
