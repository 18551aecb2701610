import { type Kysely, sql } from 'kysely';

/**
 * Outgoing webhooks (modules/webhooks): the endpoints a business subscribes, one row per emitted
 * event, one delivery per event and endpoint (the delivery log, with each HTTP attempt beside it).
 *
 * Numbered 0024 while 0023 belongs to another change in flight: this migration touches only its
 * own tables, so it applies whichever of the two lands first.
 *
 * An endpoint's secret signs every delivery, so it is sealed (AES-256-GCM, lib/sealed.ts), not
 * hashed. `oauth_installation_id` has no foreign key yet: an installed OAuth app will subscribe
 * through an endpoint row of its own, signed with its own secret; nothing else about delivery changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      url text not null check (length(url) between 1 and 2000),
      secret_ciphertext text not null,
      events text[] check (events is null or cardinality(events) between 1 and 50),
      is_active boolean not null default true,
      oauth_installation_id bigint,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // Emission reads a business's active endpoints in the order's transaction; listings read them all.
  await sql`create index webhook_endpoints_business on webhook_endpoints (business_id, id)`.execute(db);

  await sql`
    create table webhook_events (
      id bigserial primary key,
      unique_id text not null unique,
      business_id bigint not null references businesses(id) on delete cascade,
      event text not null check (length(event) between 1 and 100),
      payload jsonb not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index webhook_events_business on webhook_events (business_id, id)`.execute(db);
  await sql`create index webhook_events_created on webhook_events (created_at)`.execute(db);

  await sql`
    create table webhook_deliveries (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      endpoint_id bigint not null references webhook_endpoints(id) on delete cascade,
      event_id bigint not null references webhook_events(id) on delete cascade,
      redelivery_of bigint references webhook_deliveries(id) on delete set null,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      attempts integer not null default 0 check (attempts >= 0),
      next_attempt_at timestamptz,
      last_attempt_at timestamptz,
      response_status integer,
      response_body text,
      error text,
      duration_ms integer,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      check ((status = 'pending') = (finished_at is null))
    )`.execute(db);
  // The delivery log lists a business's deliveries newest first, all or one endpoint's.
  await sql`create index webhook_deliveries_business on webhook_deliveries (business_id, id desc)`.execute(
    db,
  );
  await sql`
    create index webhook_deliveries_endpoint on webhook_deliveries (business_id, endpoint_id, id desc)
  `.execute(db);
  // Retention: finished deliveries by age, then events no delivery refers to any more.
  await sql`
    create index webhook_deliveries_finished on webhook_deliveries (finished_at) where status <> 'pending'
  `.execute(db);
  await sql`create index webhook_deliveries_event on webhook_deliveries (event_id)`.execute(db);
  await sql`
    create index webhook_deliveries_redelivery on webhook_deliveries (redelivery_of)
    where redelivery_of is not null
  `.execute(db);

  await sql`
    create table webhook_delivery_attempts (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      delivery_id bigint not null references webhook_deliveries(id) on delete cascade,
      attempt integer not null check (attempt >= 1),
      started_at timestamptz not null,
      duration_ms integer not null check (duration_ms >= 0),
      response_status integer,
      response_body text,
      error text,
      unique (delivery_id, attempt)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'webhook_delivery_attempts',
    'webhook_deliveries',
    'webhook_events',
    'webhook_endpoints',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
