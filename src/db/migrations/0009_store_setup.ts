import { type Kysely, sql } from 'kysely';

/**
 * Store settings and the setup data the API reads but the `nexus` CLI manages: enabled payment
 * methods, per-method other charges, payment accounts (with the banks/e-wallets they belong to),
 * sales people and sales channels. Money is numeric(20,2); percentages are numeric(7,4) in percent
 * (2.5 = 2.5%).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table stores
      add column uuid uuid not null unique default gen_random_uuid(),
      add column logo text,
      add column warehouse_id bigint references warehouses(id) on delete set null,
      add column payment_methods text[] not null default '{bank_transfer}',
      add column va_bank_codes text[] not null default '{}',
      add column is_auto_expire boolean not null default false,
      add column auto_expire_days integer not null default 3 check (auto_expire_days between 1 and 365),
      add column is_discount_editable boolean not null default false,
      add column is_unique_code boolean not null default false,
      add column max_unique_code_amount integer not null default 0 check (max_unique_code_amount >= 0),
      add column is_postal_code boolean not null default false,
      add column postal_code_requirement text not null default 'manual'
        check (postal_code_requirement in ('autofill', 'manual')),
      add column is_customer_otp_required boolean not null default false,
      add column is_manual_shipping_cost boolean not null default false,
      add column is_courier_required boolean not null default true,
      add column is_transferproof_required boolean not null default false,
      add column is_dropshipping_allowed boolean not null default false,
      add column is_moota_enabled boolean not null default false,
      add column email_notification_statuses text[] not null default '{}',
      add column email_reply_to_id bigint,
      add column email_reply_to_assignment text not null default 'fixed'
        check (email_reply_to_assignment in ('fixed', 'rotator')),
      add column is_email_new_order boolean not null default false,
      add column is_email_notifications boolean not null default false,
      add column whatsapp_notification_statuses text[] not null default '{}',
      add column is_whatsapp_new_order boolean not null default false,
      add column is_whatsapp_payment_d1_fu boolean not null default false,
      add column is_whatsapp_payment_d2_fu boolean not null default false,
      add column is_whatsapp_payment_last_fu boolean not null default false,
      add column is_whatsapp_link_download boolean not null default false,
      add column non_cod_purchase_triggers text[] not null default '{}',
      add column cod_purchase_triggers text[] not null default '{}',
      add column capi_purchase_value_type text not null default 'gross_revenue'
        check (capi_purchase_value_type in ('gross_revenue', 'net_revenue', 'adj_gross_revenue')),
      add column days_of_payment_processing integer not null default 0 check (days_of_payment_processing >= 0),
      add column is_show_download_invoice boolean not null default false,
      add column is_show_whatsapp boolean not null default false,
      add column is_fuc_product_enabled boolean not null default false,
      add column is_fuc_bundle_enabled boolean not null default false,
      add column is_advanced_validation boolean not null default false,
      add column min_name_length integer not null default 0 check (min_name_length >= 0),
      add column min_address_length integer not null default 0 check (min_address_length >= 0),
      add column max_per_phone integer not null default 0 check (max_per_phone >= 0),
      add column max_per_ip integer not null default 0 check (max_per_ip >= 0),
      add column blocked_message text not null default '',
      add column is_order_hard_filter boolean not null default false,
      add column is_customer_spam_filter boolean not null default false,
      add column is_ip_spam_filter boolean not null default false,
      add column is_spam_filter boolean not null default false,
      add column is_use_waba boolean not null default false,
      add column waba_account_id bigint,
      add column greeting_message text not null default '',
      add column inactivity_period integer not null default 0 check (inactivity_period >= 0),
      add column is_greeting_message_enabled boolean not null default false,
      add column digital_only_complete_type text not null default 'auto'
        check (digital_only_complete_type in ('auto', 'when_settled', 'manual')),
      add column auto_other_income text not null default 'off'
        check (auto_other_income in ('off', 'fixed', 'dynamic')),
      add column fixed_auto_other_income numeric(20,2) not null default 0 check (fixed_auto_other_income >= 0),
      add column other_income_name text not null default '',
      add column dynamic_other_income_cod_type text not null default 'fixed'
        check (dynamic_other_income_cod_type in ('fixed', 'percentage')),
      add column dynamic_other_income_cod_default_amount numeric(20,2) not null default 0
        check (dynamic_other_income_cod_default_amount >= 0),
      add column dynamic_other_income_cod_default_percentage numeric(7,4) not null default 0
        check (dynamic_other_income_cod_default_percentage between 0 and 100),
      add column dynamic_other_income_epayment_type text not null default 'fixed'
        check (dynamic_other_income_epayment_type in ('fixed', 'percentage')),
      add column dynamic_other_income_epayment_default_amount numeric(20,2) not null default 0
        check (dynamic_other_income_epayment_default_amount >= 0),
      add column dynamic_other_income_epayment_default_percentage numeric(7,4) not null default 0
        check (dynamic_other_income_epayment_default_percentage between 0 and 100),
      add column store_courier_other_incomes jsonb not null default '[]'::jsonb,
      add column store_custom_audiences jsonb not null default '[]'::jsonb`.execute(db);
  // listBusinessStores: name search; the (business_id, id) index from 0001 serves paging.
  await sql`create index stores_name_search on stores using gin (name gin_trgm_ops)`.execute(db);
  // listBusinessStorePages pages a store's pages by id.
  await sql`create index pages_store_id on pages (store_id, id)`.execute(db);
  // searchBusinessStoreProductKnowledge: substring search over questions and answers.
  await sql`create index store_knowledge_q_search on product_knowledge_items using gin (q gin_trgm_ops)`.execute(
    db,
  );
  await sql`create index store_knowledge_a_search on product_knowledge_items using gin (a gin_trgm_ops)`.execute(
    db,
  );

  // Per payment method (and optional VA bank) charge added to orders as other_income.
  await sql`
    create table store_method_other_incomes (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      payment_method text not null,
      sub_payment_method text,
      type text not null check (type in ('fixed', 'percentage')),
      amount numeric(20,2) not null default 0 check (amount >= 0),
      percentage numeric(7,4) not null default 0 check (percentage between 0 and 100),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create unique index store_method_other_incomes_method
      on store_method_other_incomes (store_id, payment_method, coalesce(sub_payment_method, ''))`.execute(db);

  // Platform reference data: the banks and e-wallets a payment account can belong to.
  await sql`
    create table financial_entities (
      id integer primary key,
      code text not null unique,
      name text not null,
      entity_type text not null check (entity_type in ('bank', 'ewallet'))
    )`.execute(db);
  await sql`
    insert into financial_entities (id, code, name, entity_type) values
      (1, 'BCA', 'Bank Central Asia', 'bank'),
      (2, 'BNI', 'Bank Negara Indonesia', 'bank'),
      (3, 'BRI', 'Bank Rakyat Indonesia', 'bank'),
      (4, 'MANDIRI', 'Bank Mandiri', 'bank'),
      (5, 'PERMATA', 'Bank Permata', 'bank'),
      (6, 'BSI', 'Bank Syariah Indonesia', 'bank'),
      (7, 'BJB', 'Bank BJB', 'bank'),
      (8, 'CIMB', 'CIMB Niaga', 'bank'),
      (9, 'DANAMON', 'Bank Danamon', 'bank'),
      (10, 'BTN', 'Bank Tabungan Negara', 'bank'),
      (11, 'JAGO', 'Bank Jago', 'bank'),
      (12, 'SEABANK', 'SeaBank', 'bank'),
      (13, 'OVO', 'OVO', 'ewallet'),
      (14, 'DANA', 'DANA', 'ewallet'),
      (15, 'GOPAY', 'GoPay', 'ewallet'),
      (16, 'SHOPEEPAY', 'ShopeePay', 'ewallet')`.execute(db);

  // Where buyers transfer to (bank_transfer); every active account is offered by every store.
  await sql`
    create table payment_accounts (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      unique_id text not null unique,
      financial_entity_id integer not null references financial_entities(id),
      account_number text not null,
      account_holder text not null,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (business_id, financial_entity_id, account_number)
    )`.execute(db);
  await sql`create index payment_accounts_business on payment_accounts (business_id, id) where is_active`.execute(
    db,
  );

  // Business members who handle a store's orders; `weight` drives the order rotator.
  await sql`
    create table store_sales_people (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      user_id bigint not null references users(id) on delete cascade,
      weight integer not null default 1 check (weight between 1 and 1000),
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (store_id, user_id)
    )`.execute(db);
  await sql`create index store_sales_people_store on store_sales_people (store_id, id)`.execute(db);

  // Sales channels an order can be attributed to (orders take channel_unique_id).
  await sql`
    create table store_channels (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      unique_id text not null unique,
      name text not null,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index store_channels_name on store_channels (store_id, lower(name))`.execute(db);
  await sql`create index store_channels_store on store_channels (store_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'store_channels',
    'store_sales_people',
    'payment_accounts',
    'financial_entities',
    'store_method_other_incomes',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop index if exists store_knowledge_a_search`.execute(db);
  await sql`drop index if exists store_knowledge_q_search`.execute(db);
  await sql`drop index if exists pages_store_id`.execute(db);
  await sql`drop index if exists stores_name_search`.execute(db);
  for (const column of STORE_COLUMNS) {
    await sql`alter table stores drop column if exists ${sql.ref(column)}`.execute(db);
  }
}

const STORE_COLUMNS = [
  'uuid',
  'logo',
  'warehouse_id',
  'payment_methods',
  'va_bank_codes',
  'is_auto_expire',
  'auto_expire_days',
  'is_discount_editable',
  'is_unique_code',
  'max_unique_code_amount',
  'is_postal_code',
  'postal_code_requirement',
  'is_customer_otp_required',
  'is_manual_shipping_cost',
  'is_courier_required',
  'is_transferproof_required',
  'is_dropshipping_allowed',
  'is_moota_enabled',
  'email_notification_statuses',
  'email_reply_to_id',
  'email_reply_to_assignment',
  'is_email_new_order',
  'is_email_notifications',
  'whatsapp_notification_statuses',
  'is_whatsapp_new_order',
  'is_whatsapp_payment_d1_fu',
  'is_whatsapp_payment_d2_fu',
  'is_whatsapp_payment_last_fu',
  'is_whatsapp_link_download',
  'non_cod_purchase_triggers',
  'cod_purchase_triggers',
  'capi_purchase_value_type',
  'days_of_payment_processing',
  'is_show_download_invoice',
  'is_show_whatsapp',
  'is_fuc_product_enabled',
  'is_fuc_bundle_enabled',
  'is_advanced_validation',
  'min_name_length',
  'min_address_length',
  'max_per_phone',
  'max_per_ip',
  'blocked_message',
  'is_order_hard_filter',
  'is_customer_spam_filter',
  'is_ip_spam_filter',
  'is_spam_filter',
  'is_use_waba',
  'waba_account_id',
  'greeting_message',
  'inactivity_period',
  'is_greeting_message_enabled',
  'digital_only_complete_type',
  'auto_other_income',
  'fixed_auto_other_income',
  'other_income_name',
  'dynamic_other_income_cod_type',
  'dynamic_other_income_cod_default_amount',
  'dynamic_other_income_cod_default_percentage',
  'dynamic_other_income_epayment_type',
  'dynamic_other_income_epayment_default_amount',
  'dynamic_other_income_epayment_default_percentage',
  'store_courier_other_incomes',
  'store_custom_audiences',
];
