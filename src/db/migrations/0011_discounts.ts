import { type Kysely, sql } from 'kysely';

/**
 * Discount codes: business-owned, unique by normalized code within a business, with the optional
 * limits the contract lists (usage, expiry, pages, payment methods, minimum revenue). Limits keep
 * their values while switched off, so turning a flag back on restores the merchant's setting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table discount_codes (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      code text not null,
      applied_to text not null check (applied_to in ('product_price', 'shipping_cost')),
      amount_type text not null check (amount_type in ('fixed', 'percentage')),
      amount numeric(20,2) check (amount >= 0),
      percentage numeric(5,2) check (percentage between 0 and 100),
      is_max_amount boolean not null default false,
      max_amount numeric(20,2) check (max_amount >= 0),
      is_enabled boolean not null default true,
      is_usage_limit boolean not null default false,
      usage_limit integer check (usage_limit >= 0),
      current_usage integer not null default 0 check (current_usage >= 0),
      is_expiry boolean not null default false,
      expiry_time timestamptz,
      is_limited_to_pages boolean not null default false,
      is_limited_to_payment_methods boolean not null default false,
      payment_methods text[] not null default '{}',
      is_minimum_revenue boolean not null default false,
      minimum_revenue numeric(20,2) check (minimum_revenue >= 0),
      inserted_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((amount_type = 'fixed') = (amount is not null)),
      check ((amount_type = 'percentage') = (percentage is not null)),
      check (not is_max_amount or max_amount is not null),
      check (not is_usage_limit or usage_limit is not null),
      check (not is_expiry or expiry_time is not null),
      check (not is_minimum_revenue or minimum_revenue is not null)
    )`.execute(db);
  // Codes are stored normalized (upper case, no spaces), so a plain unique index is case-insensitive.
  await sql`create unique index discount_codes_business_code on discount_codes (business_id, code)`.execute(
    db,
  );
  // listDiscountCodes pages by id descending within a business, optionally by applied_to or status.
  await sql`create index discount_codes_business_id on discount_codes (business_id, id)`.execute(db);
  await sql`create index discount_codes_applied_to on discount_codes (business_id, applied_to, id)`.execute(
    db,
  );
  await sql`create index discount_codes_enabled on discount_codes (business_id, is_enabled, id)`.execute(db);
  await sql`create index discount_codes_code_search on discount_codes using gin (code gin_trgm_ops)`.execute(
    db,
  );

  await sql`
    create table discount_code_pages (
      discount_code_id bigint not null references discount_codes(id) on delete cascade,
      page_id bigint not null references pages(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      primary key (discount_code_id, page_id)
    )`.execute(db);
  await sql`create index discount_code_pages_page on discount_code_pages (page_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists discount_code_pages`.execute(db);
  await sql`drop table if exists discount_codes`.execute(db);
}
