import { type Kysely, sql } from 'kysely';

/**
 * Orders: the order itself (totals are numeric(20,2) snapshots taken at checkout, never recomputed
 * from the catalog), its lines, its status and payment-status history, the stock each order took
 * from which warehouse (so a cancellation can put it back), and stored answers for
 * `Idempotency-Key` retries.
 *
 * `courier_service_id` and `discount_code_id` have no foreign key here: their tables arrive in
 * later migrations (0011 discounts, 0012 shipping), which may add the constraint.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table orders (
      id uuid primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      -- Orders are the merchant's books: a store that sold something cannot silently take them along.
      store_id bigint not null references stores(id) on delete restrict,
      order_id text not null,
      secret_slug text not null unique,
      source text not null check (source in ('storefront', 'customer', 'page', 'business')),
      page_id bigint references pages(id) on delete set null,
      channel_id bigint references store_channels(id) on delete set null,
      handler_user_id bigint references users(id) on delete set null,
      status text not null check (status in ('draft', 'pending', 'confirmed', 'in_process', 'ready',
        'canceled', 'shipped', 'shipped_rts', 'completed', 'rts', 'closed')),
      payment_status text not null default 'unpaid'
        check (payment_status in ('unpaid', 'paid', 'conflict', 'settled')),
      draft_time timestamptz,
      pending_time timestamptz,
      confirmed_time timestamptz,
      in_process_time timestamptz,
      ready_time timestamptz,
      canceled_time timestamptz,
      shipped_time timestamptz,
      shipped_rts_time timestamptz,
      completed_time timestamptz,
      rts_time timestamptz,
      closed_time timestamptz,
      unpaid_time timestamptz,
      paid_time timestamptz,
      conflict_time timestamptz,
      settled_time timestamptz,
      is_probably_spam boolean not null default false,

      customer_id bigint references customers(id) on delete set null,
      customer_name text not null,
      customer_email text,
      customer_phone text,
      shipping_address text,
      shipping_location_id integer references locations(id),
      shipping_postal_code text,
      shipping_province text,
      shipping_city text,
      shipping_subdistrict text,

      payment_method text not null,
      sub_payment_method text,
      epayment_provider text,
      payment_account_id bigint references payment_accounts(id) on delete set null,
      financial_entity_id integer references financial_entities(id),
      payment_account_bank text,
      payment_account_number text,
      payment_account_holder text,
      pg_payment_info jsonb not null default '{}'::jsonb,
      pg_reference_id text,
      payment_expiration_at timestamptz,
      transfer_time timestamptz,
      transferproof_url text,

      courier_service_id bigint,
      courier_service jsonb,
      courier_aggregator_code text,
      warehouse_id bigint references warehouses(id) on delete set null,
      shipment_receipt text,
      shipment_status text,
      shipment_status_history jsonb not null default '[]'::jsonb,
      awb_status text not null default 'unavailable',
      total_quantity integer not null check (total_quantity > 0),
      product_weight integer not null default 0 check (product_weight >= 0),

      tax_rate numeric(6,4) not null default 0,
      product_price numeric(20,2) not null,
      product_price_bt numeric(20,2) not null,
      product_discount numeric(20,2) not null default 0,
      product_discount_bt numeric(20,2) not null default 0,
      shipping_cost numeric(20,2) not null default 0,
      shipping_discount numeric(20,2) not null default 0,
      discount_code_discount numeric(20,2) not null default 0,
      discount_code_discount_bt numeric(20,2) not null default 0,
      unique_code_discount numeric(20,2) not null default 0,
      other_income numeric(20,2) not null default 0,
      other_income_bt numeric(20,2) not null default 0,
      other_income_name text,
      service_fee numeric(20,2) not null default 0,
      gross_revenue numeric(20,2) not null,
      net_revenue numeric(20,2) not null,
      cogs numeric(20,2) not null default 0,
      cogs_bt numeric(20,2) not null default 0,
      discount_code_id bigint,
      discount_code_code text,

      notes text,
      redirect_url text,
      client_ip text,
      user_agent text,
      metadata jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      last_updated_at timestamptz not null default now(),
      unique (business_id, order_id)
    )`.execute(db);
  // Business order lists page newest first; UUIDv7 ids sort by creation time.
  await sql`create index orders_business on orders (business_id, id)`.execute(db);
  await sql`create index orders_business_status on orders (business_id, status, id)`.execute(db);
  await sql`create index orders_store on orders (store_id, id)`.execute(db);
  await sql`create index orders_customer on orders (customer_id, id) where customer_id is not null`.execute(
    db,
  );
  await sql`
    create index orders_pg_reference on orders (business_id, pg_reference_id)
      where pg_reference_id is not null`.execute(db);
  // Discount usage limits count orders per code.
  await sql`create index orders_discount_code on orders (discount_code_id) where discount_code_id is not null`.execute(
    db,
  );
  // Deleting a page, channel, member, warehouse or payment account nulls these references.
  for (const column of ['page_id', 'channel_id', 'handler_user_id', 'warehouse_id', 'payment_account_id']) {
    await sql`create index ${sql.id(`orders_${column}`)} on orders (${sql.ref(column)})
      where ${sql.ref(column)} is not null`.execute(db);
  }
  // The payment-expiry job looks for unpaid orders past their deadline.
  await sql`
    create index orders_payment_expiration on orders (payment_expiration_at)
      where payment_status = 'unpaid' and payment_expiration_at is not null`.execute(db);

  await sql`
    create table orderlines (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      order_id uuid not null references orders(id) on delete cascade,
      position integer not null,
      variant_id bigint references variants(id) on delete set null,
      bundle_price_option_id bigint references bundle_price_options(id) on delete set null,
      item_type text not null,
      name text not null,
      product_name text,
      variant_unique_id text,
      bundle_price_option_unique_id text,
      sku text,
      variant_option1_value text,
      variant_option2_value text,
      variant_option3_value text,
      quantity integer not null check (quantity > 0),
      unit_price numeric(20,2) not null,
      unit_price_bt numeric(20,2) not null,
      product_price numeric(20,2) not null,
      weight integer not null default 0 check (weight >= 0),
      is_inventory boolean not null default false,
      cogs numeric(20,2) not null default 0,
      cogs_bt numeric(20,2) not null default 0,
      -- Units of each variant one item consumes (a bundle lists its lines).
      components jsonb not null default '[]'::jsonb,
      unique (order_id, position)
    )`.execute(db);
  await sql`create index orderlines_variant on orderlines (variant_id) where variant_id is not null`.execute(
    db,
  );
  await sql`
    create index orderlines_bundle_price_option on orderlines (bundle_price_option_id)
      where bundle_price_option_id is not null`.execute(db);

  await sql`
    create table order_status_histories (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      order_id uuid not null references orders(id) on delete cascade,
      kind text not null check (kind in ('status', 'payment_status')),
      status text not null,
      changed_at timestamptz not null default now(),
      actor text not null check (actor in ('customer', 'business', 'system')),
      actor_user_id bigint references users(id) on delete set null
    )`.execute(db);
  await sql`create index order_status_histories_order on order_status_histories (order_id, id)`.execute(db);

  await sql`
    create table order_stock_allocations (
      order_id uuid not null references orders(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      variant_id bigint not null references variants(id) on delete cascade,
      warehouse_id bigint not null references warehouses(id) on delete cascade,
      quantity integer not null check (quantity > 0),
      released_at timestamptz,
      primary key (order_id, variant_id, warehouse_id)
    )`.execute(db);
  await sql`create index order_stock_allocations_variant on order_stock_allocations (variant_id)`.execute(db);
  await sql`create index order_stock_allocations_warehouse on order_stock_allocations (warehouse_id)`.execute(
    db,
  );

  // One row per (credential scope, Idempotency-Key); the body is kept as sent so a replay is byte-identical.
  await sql`
    create table idempotency_keys (
      id bigserial primary key,
      business_id bigint references businesses(id) on delete cascade,
      scope text not null,
      key text not null,
      fingerprint text not null,
      state text not null check (state in ('pending', 'completed')),
      response_status integer,
      response_body text,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      unique (scope, key)
    )`.execute(db);
  await sql`create index idempotency_keys_created on idempotency_keys (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'order_stock_allocations',
    'order_status_histories',
    'orderlines',
    'orders',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
