import { type Kysely, sql } from 'kysely';

/**
 * Customers get their whole area: the business's customer records (the same rows checkout and the
 * business API create, one per e-mail per business), their addresses, their own storefront login
 * (password, one-time codes, rotating refresh tokens, password resets), a customer cart, and the
 * outbox every e-mail goes through.
 *
 * - `password_hash` is null until the customer sets a password; `is_generated_password` says the
 *   account was made for them (checkout, the business) and has never been given a password of
 *   their own. `tokens_valid_after` invalidates every token issued before a password change.
 * - Refresh tokens are single-use: each row is one issued token (`id` = its `jti`), rotation marks
 *   it `used_at` and issues the next one in the same `family_id`; presenting a used one revokes the
 *   family. Access tokens are short-lived; the ones revoked early sit in `customer_revoked_tokens`
 *   until they would have expired anyway.
 * - One-time codes and reset tokens are stored hashed.
 * - A cart belongs to a guest token or to a customer, never both; a customer has one cart per store.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table customers
      add column password_hash text,
      add column is_generated_password boolean not null default true,
      add column tokens_valid_after timestamptz not null default '-infinity',
      add column date_of_birth date,
      add column sex text,
      add column is_unsubscribe boolean not null default false,
      add column notes text,
      add column tags text[] not null default '{}'
  `.execute(db);
  // listBusinessCustomers: newest first, filtered by tag, searched by name/e-mail/phone.
  await sql`create index customers_business_id on customers (business_id, id desc)`.execute(db);
  await sql`create index customers_tags on customers using gin (tags)`.execute(db);
  await sql`create index customers_business_phone on customers (business_id, phone) where phone is not null`.execute(
    db,
  );

  await sql`
    create table customer_addresses (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      customer_id bigint not null references customers(id) on delete cascade,
      name text,
      phone text,
      email text,
      location_id integer references locations(id) on delete set null,
      address text,
      postal_code text,
      notes text,
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      last_updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index customer_addresses_customer on customer_addresses (customer_id, id)`.execute(db);
  // One default address per customer; the service moves it in one transaction.
  await sql`
    create unique index customer_addresses_one_default on customer_addresses (customer_id)
      where is_default`.execute(db);

  await sql`
    create table customer_refresh_tokens (
      id uuid primary key,
      family_id uuid not null,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      customer_id bigint not null references customers(id) on delete cascade,
      issued_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz
    )
  `.execute(db);
  await sql`create index customer_refresh_tokens_family on customer_refresh_tokens (family_id)`.execute(db);
  await sql`create index customer_refresh_tokens_customer on customer_refresh_tokens (customer_id)`.execute(
    db,
  );
  await sql`create index customer_refresh_tokens_expires on customer_refresh_tokens (expires_at)`.execute(db);

  await sql`
    create table customer_revoked_tokens (
      jti uuid primary key,
      expires_at timestamptz not null
    )
  `.execute(db);
  await sql`create index customer_revoked_tokens_expires on customer_revoked_tokens (expires_at)`.execute(db);

  await sql`
    create table customer_otps (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      customer_id bigint not null references customers(id) on delete cascade,
      code_hash text not null,
      attempts integer not null default 0,
      expires_at timestamptz not null,
      consumed_at timestamptz,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index customer_otps_customer on customer_otps (customer_id, store_id, id desc)`.execute(
    db,
  );

  await sql`
    create table customer_password_resets (
      token_hash text primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      customer_id bigint not null references customers(id) on delete cascade,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index customer_password_resets_customer on customer_password_resets (customer_id)`.execute(
    db,
  );

  // Customer carts: the guest cart table, owned by a customer instead of a guest token.
  await sql`
    alter table carts
      alter column guest_token drop not null,
      alter column expires_at drop not null,
      add column customer_id bigint references customers(id) on delete cascade,
      add constraint carts_one_owner check ((guest_token is null) <> (customer_id is null))
  `.execute(db);
  await sql`create unique index carts_customer_store on carts (customer_id, store_id) where customer_id is not null`.execute(
    db,
  );

  // Every e-mail: written with the change that causes it, delivered by the worker through the
  // messaging provider. The sandbox provider's outbox is this table (`nexus mail list`).
  await sql`
    create table mail_messages (
      id bigserial primary key,
      business_id bigint references businesses(id) on delete cascade,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      kind text not null,
      status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
      provider text,
      provider_message_id text,
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )
  `.execute(db);
  await sql`create index mail_messages_created on mail_messages (id desc)`.execute(db);
  await sql`create index mail_messages_to on mail_messages (to_address, id desc)`.execute(db);

  // Customer CSV import: rows without an e-mail match the customer whose phone has the same digits
  // (`+62 812-3456` is `+628123456`), one batch of phone keys at a time.
  await sql`
    create index customers_business_phone_key on customers
      (business_id, (regexp_replace(phone, '[^0-9+]', '', 'g'))) where phone is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Customer CSV import.
  await sql`drop index if exists customers_business_phone_key`.execute(db);
  await sql`drop table if exists mail_messages`.execute(db);
  await sql`drop index if exists carts_customer_store`.execute(db);
  await sql`delete from carts where customer_id is not null`.execute(db);
  await sql`
    alter table carts
      drop constraint if exists carts_one_owner,
      drop column if exists customer_id,
      alter column guest_token set not null,
      alter column expires_at set not null
  `.execute(db);
  await sql`drop table if exists customer_password_resets`.execute(db);
  await sql`drop table if exists customer_otps`.execute(db);
  await sql`drop table if exists customer_revoked_tokens`.execute(db);
  await sql`drop table if exists customer_refresh_tokens`.execute(db);
  await sql`drop table if exists customer_addresses`.execute(db);
  await sql`drop index if exists customers_business_phone`.execute(db);
  await sql`drop index if exists customers_tags`.execute(db);
  await sql`drop index if exists customers_business_id`.execute(db);
  await sql`
    alter table customers
      drop column if exists password_hash,
      drop column if exists is_generated_password,
      drop column if exists tokens_valid_after,
      drop column if exists date_of_birth,
      drop column if exists sex,
      drop column if exists is_unsubscribe,
      drop column if exists notes,
      drop column if exists tags
  `.execute(db);
}
