import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the storefront catalog. The items list pages each kind of listing newest-listed
 * first, so a page reads ~page_size index entries per kind however large the store; hidden
 * listings never appear in it, hence the partial indexes. Slugs are unique per business but the
 * storefront looks them up within a store (which may also list partner products), so they get
 * plain indexes of their own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index store_products_listing
      on store_products (store_id, created_at desc, product_id desc)
      where not is_hidden_from_listing`.execute(db);
  await sql`
    create index store_bundle_price_options_listing
      on store_bundle_price_options (store_id, created_at desc, bundle_price_option_id desc)
      where not is_hidden_from_listing`.execute(db);
  await sql`create index products_slug on products (slug)`.execute(db);
  await sql`create index bundle_price_options_slug on bundle_price_options (slug)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists bundle_price_options_slug`.execute(db);
  await sql`drop index if exists products_slug`.execute(db);
  await sql`drop index if exists store_bundle_price_options_listing`.execute(db);
  await sql`drop index if exists store_products_listing`.execute(db);
}
