import { type Kysely, sql } from 'kysely';

/**
 * Guest carts. The wire `id` is the bigint id (the contract shows an integer); the buyer holds the
 * random `guest_token` UUID, which is the only secret that opens a cart. A line names exactly one
 * sellable item (a variant or a bundle price option) once per cart, so adding the same item again
 * is an upsert on the partial unique indexes. Lines go with their variant or price option, and
 * carts with their store, so catalog and store deletions never trip over a forgotten cart.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table carts (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      guest_token uuid not null unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      expires_at timestamptz not null
    )
  `.execute(db);
  // deleteExpiredCarts scans by expiry.
  await sql`create index carts_expires_at on carts (expires_at)`.execute(db);
  await sql`create index carts_store_id on carts (store_id)`.execute(db);

  await sql`
    create table cart_items (
      id bigserial primary key,
      cart_id bigint not null references carts(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      variant_id bigint references variants(id) on delete cascade,
      bundle_price_option_id bigint references bundle_price_options(id) on delete cascade,
      quantity integer not null check (quantity between 1 and 10000),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((variant_id is null) <> (bundle_price_option_id is null))
    )
  `.execute(db);
  await sql`
    create unique index cart_items_cart_variant on cart_items (cart_id, variant_id)
      where variant_id is not null
  `.execute(db);
  await sql`
    create unique index cart_items_cart_bundle_price_option on cart_items (cart_id, bundle_price_option_id)
      where bundle_price_option_id is not null
  `.execute(db);
  // Lines are listed in the order they were added; the cascades from the catalog need these too.
  await sql`create index cart_items_cart_id on cart_items (cart_id, id)`.execute(db);
  await sql`create index cart_items_variant_id on cart_items (variant_id) where variant_id is not null`.execute(
    db,
  );
  await sql`
    create index cart_items_bundle_price_option_id on cart_items (bundle_price_option_id)
      where bundle_price_option_id is not null
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists cart_items`.execute(db);
  await sql`drop table if exists carts`.execute(db);
}
