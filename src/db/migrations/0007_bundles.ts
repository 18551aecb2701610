import { type Kysely, sql } from 'kysely';

/**
 * Bundles live in the core catalog tables (0003); this adds the indexes the bundle lists need:
 * the `label` and `is_bundle_sharing` filters of listBundles, and a bundle's price options by id
 * (listBundlePriceOptions pages by id descending).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index bundles_labels on bundles using gin (labels)`.execute(db);
  await sql`create index bundles_business_sharing on bundles (business_id, is_bundle_sharing, id desc)`.execute(
    db,
  );
  await sql`create index bundle_price_options_bundle_id on bundle_price_options (bundle_id, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists bundle_price_options_bundle_id`.execute(db);
  await sql`drop index if exists bundles_business_sharing`.execute(db);
  await sql`drop index if exists bundles_labels`.execute(db);
}
