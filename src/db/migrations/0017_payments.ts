import { type Kysely, sql } from 'kysely';

/**
 * Payments: one row per attempt to collect an order's money through the gateway, and the sandbox
 * gateway's own record of what it issued.
 *
 * An order has at most one *active* attempt (being created, waiting for the buyer, or paid): the
 * partial unique index is what makes payment creation idempotent under concurrent calls. Failed,
 * expired and errored attempts stay as history and let a new attempt be made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table payment_attempts (
      id uuid primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      order_id uuid not null references orders(id) on delete cascade,
      provider text not null check (provider in ('sandbox', 'xendit')),
      method text not null,
      sub_method text,
      amount numeric(20,2) not null check (amount > 0),
      currency text not null default 'IDR',
      status text not null default 'creating'
        check (status in ('creating', 'pending', 'paid', 'settled', 'failed', 'expired', 'error', 'conflict')),
      provider_reference text,
      pg_payment_info jsonb not null default '{}'::jsonb,
      request jsonb not null default '{}'::jsonb,
      response jsonb not null default '{}'::jsonb,
      paid_amount numeric(20,2),
      last_error text,
      expires_at timestamptz not null,
      claimed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create unique index payment_attempts_one_active on payment_attempts (order_id)
      where status in ('creating', 'pending', 'paid', 'settled')`.execute(db);
  await sql`
    create unique index payment_attempts_provider_reference on payment_attempts (provider, provider_reference)
      where provider_reference is not null`.execute(db);
  await sql`create index payment_attempts_business_order on payment_attempts (business_id, order_id, created_at)`.execute(
    db,
  );

  await sql`
    create table payment_sandbox_payments (
      reference_id text primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      order_id uuid not null references orders(id) on delete cascade,
      external_reference text not null,
      method text not null,
      channel_code text not null,
      amount numeric(20,2) not null,
      payment_code text,
      status text not null default 'PENDING' check (status in ('PENDING', 'SUCCEEDED', 'SETTLED', 'FAILED', 'EXPIRED')),
      info jsonb not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  // Virtual account numbers and retail codes must never be handed to two payments.
  await sql`
    create unique index payment_sandbox_payments_code on payment_sandbox_payments (channel_code, payment_code)
      where payment_code is not null`.execute(db);
  await sql`create index payment_sandbox_payments_order on payment_sandbox_payments (business_id, order_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists payment_sandbox_payments`.execute(db);
  await sql`drop table if exists payment_attempts`.execute(db);
}
