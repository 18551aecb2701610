import { type Kysely, sql } from 'kysely';

/**
 * OAuth Billing (issue 14) as a double-entry ledger. Every money movement is a set of
 * `billing_ledger_entries` rows sharing a `movement_id` whose amounts sum to zero (a deferred
 * constraint trigger checks it at commit); entries are append-only. `billing_accounts.balance` is
 * the running sum of an account's entries, kept in the same transaction and locked by the update
 * that changes it, so competing reservations serialise on the merchant's wallet row; only the
 * platform funding account (the source of top-ups) may go negative. Amounts are integer IDR.
 * Timestamps that order keyset pages are kept to the millisecond, the precision a cursor carries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table oauth_billing_tags (
      id uuid primary key,
      application_id bigint not null references oauth_applications(id) on delete cascade,
      tag_code text not null,
      label text not null,
      price bigint not null check (price > 0),
      currency text not null default 'IDR' check (currency = 'IDR'),
      action_key text not null,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (application_id, tag_code)
    )`.execute(db);

  await sql`
    create table billing_accounts (
      id bigserial primary key,
      kind text not null check (kind in ('platform_funding', 'platform_fees', 'payouts_settled',
        'merchant_wallet', 'merchant_holds', 'developer_earnings', 'payouts_in_transit')),
      business_id bigint references businesses(id) on delete restrict,
      balance bigint not null default 0,
      check (kind = 'platform_funding' or balance >= 0),
      check ((business_id is null) = (kind in ('platform_funding', 'platform_fees', 'payouts_settled')))
    )`.execute(db);
  await sql`create unique index billing_accounts_kind_business
    on billing_accounts (kind, coalesce(business_id, 0))`.execute(db);

  await sql`
    create table billing_ledger_entries (
      id uuid primary key,
      movement_id uuid not null,
      movement_kind text not null check (movement_kind in ('top_up', 'reservation', 'release',
        'expiry', 'capture', 'refund', 'withdrawal', 'payout_succeeded', 'payout_failed')),
      account_id bigint not null references billing_accounts(id),
      amount bigint not null check (amount <> 0),
      balance_after bigint not null,
      application_id bigint references oauth_applications(id) on delete set null,
      reservation_id uuid,
      charge_id uuid,
      settlement_id uuid,
      created_at timestamptz not null default date_trunc('milliseconds', now())
    )`.execute(db);
  await sql`create index billing_ledger_entries_movement on billing_ledger_entries (movement_id)`.execute(db);
  await sql`create index billing_ledger_entries_account
    on billing_ledger_entries (account_id, created_at desc, id desc)`.execute(db);

  await sql`create function billing_movement_balanced() returns trigger language plpgsql as $$
    begin
      if (select coalesce(sum(amount), 0) from billing_ledger_entries
          where movement_id = new.movement_id) <> 0 then
        raise exception 'ledger movement % does not sum to zero', new.movement_id
          using errcode = '23514';
      end if;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger billing_movement_balanced
    after insert on billing_ledger_entries deferrable initially deferred
    for each row execute function billing_movement_balanced()`.execute(db);
  await sql`create function billing_entries_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger entries are append-only' using errcode = '23514';
    end $$`.execute(db);
  await sql`create trigger billing_entries_append_only
    before update or delete on billing_ledger_entries
    for each row execute function billing_entries_append_only()`.execute(db);

  await sql`
    create table oauth_billing_reservations (
      id uuid primary key,
      application_id bigint not null references oauth_applications(id),
      installation_id bigint not null references oauth_installations(id),
      merchant_business_id bigint not null references businesses(id),
      developer_business_id bigint not null references businesses(id),
      billing_tag text not null,
      action_key text not null,
      billing_idempotency_key text not null,
      amount bigint not null check (amount > 0),
      currency text not null default 'IDR',
      billing_status text not null default 'reserved'
        check (billing_status in ('reserved', 'released', 'expired', 'captured', 'refunded')),
      expires_at timestamptz not null,
      released_at timestamptz,
      released_reason text,
      captured_at timestamptz,
      charge_id uuid,
      metadata jsonb not null default '{}'::jsonb,
      capture_context jsonb,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (installation_id, billing_idempotency_key)
    )`.execute(db);
  await sql`create index oauth_billing_reservations_due
    on oauth_billing_reservations (expires_at) where billing_status = 'reserved'`.execute(db);
  await sql`create index oauth_billing_reservations_developer
    on oauth_billing_reservations (developer_business_id, created_at desc, id desc)`.execute(db);

  await sql`
    create table oauth_billing_charges (
      id uuid primary key,
      reservation_id uuid not null unique references oauth_billing_reservations(id),
      application_id bigint not null references oauth_applications(id),
      installation_id bigint not null references oauth_installations(id),
      merchant_business_id bigint not null references businesses(id),
      developer_business_id bigint not null references businesses(id),
      billing_tag text not null,
      action_key text not null,
      billing_idempotency_key text not null,
      gross_amount bigint not null check (gross_amount > 0),
      platform_fee_bps integer not null check (platform_fee_bps between 0 and 10000),
      platform_fee_amount bigint not null check (platform_fee_amount >= 0),
      developer_net_amount bigint not null check (developer_net_amount >= 0),
      currency text not null default 'IDR',
      request_id text not null,
      metadata jsonb not null default '{}'::jsonb,
      capture_context jsonb not null,
      captured_at timestamptz not null,
      refunded_at timestamptz,
      check (platform_fee_amount + developer_net_amount = gross_amount)
    )`.execute(db);
  await sql`create index oauth_billing_charges_developer
    on oauth_billing_charges (developer_business_id, captured_at desc, id desc)`.execute(db);

  await sql`
    create table oauth_billing_refunds (
      id uuid primary key,
      charge_id uuid not null unique references oauth_billing_charges(id),
      installation_id bigint not null references oauth_installations(id),
      refund_idempotency_key text not null,
      amount bigint not null,
      currency text not null default 'IDR',
      reason_code text not null,
      reason text not null,
      metadata jsonb not null default '{}'::jsonb,
      merchant_entry_id uuid not null,
      developer_entry_id uuid not null,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (installation_id, refund_idempotency_key)
    )`.execute(db);

  await sql`
    create table oauth_billing_settlements (
      id uuid primary key,
      business_id bigint not null references businesses(id),
      settlement_rail text not null default 'xendit' check (settlement_rail = 'xendit'),
      status text not null check (status in ('pending', 'requested', 'succeeded', 'failed')),
      amount bigint not null check (amount > 0),
      currency text not null default 'IDR',
      balance_before bigint not null,
      balance_after bigint not null,
      description text not null,
      idempotency_key text,
      xendit_transfer_id text,
      failure_code text,
      metadata jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default now(),
      unique (business_id, idempotency_key)
    )`.execute(db);
  // Where a developer's withdrawals are paid (`nexus billing payout-account set`).
  await sql`
    create table oauth_billing_payout_accounts (
      business_id bigint primary key references businesses(id),
      channel_code text not null,
      account_number text not null,
      account_holder_name text not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index oauth_billing_settlements_open
    on oauth_billing_settlements (updated_at) where status in ('pending', 'requested')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists oauth_billing_payout_accounts`.execute(db);
  await sql`drop table if exists oauth_billing_settlements`.execute(db);
  await sql`drop table if exists oauth_billing_refunds`.execute(db);
  await sql`drop table if exists oauth_billing_charges`.execute(db);
  await sql`drop table if exists oauth_billing_reservations`.execute(db);
  await sql`drop table if exists billing_ledger_entries`.execute(db);
  await sql`drop function if exists billing_movement_balanced()`.execute(db);
  await sql`drop function if exists billing_entries_append_only()`.execute(db);
  await sql`drop table if exists billing_accounts`.execute(db);
  await sql`drop table if exists oauth_billing_tags`.execute(db);
}
