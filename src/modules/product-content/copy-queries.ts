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
 * Reads and inserts of the catalog core (products, variants, bundles) that duplication needs.
 * The product and bundle modules own these tables and build the answer with their own
 * serializers; this module only copies rows.
 */

export function findProductRow(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('products')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('id', '=', productId)
    .executeTakeFirst();
}

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
