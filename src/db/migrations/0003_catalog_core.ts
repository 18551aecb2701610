import { type Kysely, sql } from 'kysely';

/**
 * The catalog's core: product taxonomy, warehouses and stock, products with their variants,
 * bundles with their lines and price options, and what each store sells. Satellite data
 * (knowledge items, follow-up chats, files, courses, partners, store setup) has migrations of its own.
 * Money is numeric(20,2); weights are grams; every business-owned row carries business_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Prices are stored with tax; `*_bt` (before tax) values derive from the business's rate.
  await sql`alter table businesses add column tax_rate numeric(6,4) not null default 0
    check (tax_rate >= 0 and tax_rate < 1)`.execute(db);

  await sql`
    create table product_taxonomies (
      id integer primary key,
      parent_id integer references product_taxonomies(id),
      name text not null,
      full_path text not null,
      level smallint not null check (level between 1 and 7),
      level_1 text not null,
      level_2 text,
      level_3 text,
      level_4 text,
      level_5 text,
      level_6 text,
      level_7 text
    )`.execute(db);
  await sql`create index product_taxonomies_search on product_taxonomies using gist (lower(full_path) gist_trgm_ops)`.execute(
    db,
  );

  await sql`
    create table warehouses (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      unique_id text not null unique,
      name text not null,
      contact_name text,
      contact_phone text,
      address text,
      location_id integer references locations(id),
      postal_code text,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index warehouses_business on warehouses (business_id, id)`.execute(db);

  await sql`
    create table products (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      uuid uuid not null unique default gen_random_uuid(),
      name text not null,
      public_name text,
      slug text not null,
      description text,
      rich_description text,
      item_type text not null check (item_type in ('physical', 'digital', 'course', 'license', 'subscription')),
      is_inventory boolean not null default false,
      is_multiple boolean not null default false,
      is_product_sharing boolean not null default false,
      option1_name text,
      option2_name text,
      option3_name text,
      meta_thumbnail text,
      partnership_sales_letter text,
      taxonomy_id integer references product_taxonomies(id),
      images text[] not null default '{}',
      labels text[] not null default '{}',
      is_affiliate_enabled boolean not null default false,
      is_affiliate_auto_accept boolean not null default false,
      is_affiliate_pro_enabled boolean not null default false,
      affiliate_commission_rate numeric(6,4),
      affiliate_pro_commission_rate numeric(6,4),
      created_by_user_id bigint references users(id) on delete set null,
      last_updated_by_user_id bigint references users(id) on delete set null,
      created_at timestamptz not null default now(),
      last_updated_at timestamptz not null default now(),
      unique (business_id, slug)
    )`.execute(db);
  // listProducts pages by id descending within a business; the filters below have their own.
  await sql`create index products_business_id on products (business_id, id desc)`.execute(db);
  await sql`create index products_business_item_type on products (business_id, item_type, id desc)`.execute(
    db,
  );
  await sql`create index products_labels on products using gin (labels)`.execute(db);
  await sql`create index products_name_search on products using gist (lower(name) gist_trgm_ops)`.execute(db);

  await sql`
    create table variants (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      product_id bigint not null references products(id) on delete cascade,
      uuid uuid not null unique default gen_random_uuid(),
      unique_id text not null unique,
      position integer not null default 0,
      option1_value text,
      option2_value text,
      option3_value text,
      sku text,
      description text,
      rich_description text,
      price numeric(20,2) not null check (price >= 0),
      price_bt numeric(20,2) not null,
      cogs numeric(20,2) not null default 0 check (cogs >= 0),
      cogs_bt numeric(20,2) not null default 0,
      reseller_price numeric(20,2) not null default 0 check (reseller_price >= 0),
      reseller_price_bt numeric(20,2) not null default 0,
      currency text not null default 'IDR',
      weight integer not null default 0 check (weight >= 0),
      pricing_type text not null default 'one_time' check (pricing_type in ('one_time', 'recurring')),
      interval text check (interval in ('day', 'week', 'month', 'year')),
      interval_count integer check (interval_count > 0),
      validity_period integer check (validity_period > 0),
      validity_period_unit text check (validity_period_unit in ('day', 'week', 'month', 'year')),
      is_checked boolean not null default true,
      is_editable boolean not null default true,
      images text[] not null default '{}',
      self_file_urls text[] not null default '{}',
      metadata jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      last_updated_at timestamptz not null default now(),
      check (pricing_type = 'one_time' or (interval is not null and interval_count is not null))
    )`.execute(db);
  await sql`create index variants_product on variants (product_id, position, id)`.execute(db);
  await sql`create index variants_business on variants (business_id, id)`.execute(db);

  await sql`
    create table warehouse_stocks (
      warehouse_id bigint not null references warehouses(id) on delete cascade,
      variant_id bigint not null references variants(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      qty integer not null default 0 check (qty >= 0),
      updated_at timestamptz not null default now(),
      primary key (warehouse_id, variant_id)
    )`.execute(db);
  await sql`create index warehouse_stocks_variant on warehouse_stocks (variant_id)`.execute(db);

  await sql`
    create table bundles (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      custom_id text,
      name text not null,
      public_name text,
      description text,
      rich_description text,
      meta_thumbnail text,
      images text[] not null default '{}',
      labels text[] not null default '{}',
      weight_bump integer not null default 0,
      is_bundle_sharing boolean not null default false,
      created_by_user_id bigint references users(id) on delete set null,
      last_updated_by_user_id bigint references users(id) on delete set null,
      created_at timestamptz not null default now(),
      last_updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index bundles_business_id on bundles (business_id, id desc)`.execute(db);
  await sql`create index bundles_name_search on bundles using gist (lower(name) gist_trgm_ops)`.execute(db);

  await sql`
    create table bundle_lines (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      bundle_id bigint not null references bundles(id) on delete cascade,
      variant_id bigint not null references variants(id),
      quantity integer not null check (quantity > 0),
      position integer not null default 0,
      unique (bundle_id, variant_id)
    )`.execute(db);
  // "Which bundles use this variant": product deletion and relations look bundles up by variant.
  await sql`create index bundle_lines_variant on bundle_lines (variant_id)`.execute(db);

  await sql`
    create table bundle_price_options (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      bundle_id bigint not null references bundles(id) on delete cascade,
      unique_id text not null unique,
      name text not null,
      slug text not null,
      price numeric(20,2) not null check (price >= 0),
      price_bt numeric(20,2) not null,
      weight_bump integer not null default 0,
      position integer not null default 0,
      created_at timestamptz not null default now(),
      last_updated_at timestamptz not null default now(),
      unique (business_id, slug)
    )`.execute(db);
  await sql`create index bundle_price_options_bundle on bundle_price_options (bundle_id, position, id)`.execute(
    db,
  );

  await sql`
    create table store_products (
      store_id bigint not null references stores(id) on delete cascade,
      product_id bigint not null references products(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      is_hidden_from_listing boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (store_id, product_id)
    )`.execute(db);
  await sql`create index store_products_product on store_products (product_id)`.execute(db);

  await sql`
    create table store_bundle_price_options (
      store_id bigint not null references stores(id) on delete cascade,
      bundle_price_option_id bigint not null references bundle_price_options(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      is_hidden_from_listing boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (store_id, bundle_price_option_id)
    )`.execute(db);
  await sql`create index store_bundle_price_options_option on store_bundle_price_options (bundle_price_option_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'store_bundle_price_options',
    'store_products',
    'bundle_price_options',
    'bundle_lines',
    'bundles',
    'warehouse_stocks',
    'variants',
    'products',
    'warehouses',
    'product_taxonomies',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`alter table businesses drop column if exists tax_rate`.execute(db);
}
