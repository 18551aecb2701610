import { type Kysely, sql } from 'kysely';

/**
 * The background job queue (PostgreSQL is the queue: workers claim due rows with
 * `FOR UPDATE SKIP LOCKED`), the conversion pixels a store relays browser events to, and the
 * sandbox conversions provider's record of what it would have sent.
 *
 * `jobs` is infrastructure, not business data: the business a job works for is inside its payload.
 * Pixel access tokens are stored encrypted (AES-256-GCM with a key derived from the server secret).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table jobs (
      id bigserial primary key,
      kind text not null check (length(kind) between 1 and 100),
      payload jsonb not null default '{}',
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      run_at timestamptz not null default now(),
      attempts integer not null default 0 check (attempts >= 0),
      max_attempts integer not null default 8 check (max_attempts between 1 and 100),
      last_error text,
      locked_at timestamptz,
      locked_by text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )
  `.execute(db);
  // Claiming reads due queued jobs in run_at order; recovery reads running jobs by lock age.
  await sql`create index jobs_due on jobs (run_at, id) where status = 'queued'`.execute(db);
  await sql`create index jobs_running on jobs (locked_at) where status = 'running'`.execute(db);

  await sql`
    create table store_conversion_pixels (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      platform text not null check (platform in ('meta', 'tiktok', 'snackvideo')),
      pixel_id text not null check (pixel_id ~ '^[A-Za-z0-9_-]{1,64}$'),
      access_token_ciphertext text not null,
      test_event_code text check (length(test_event_code) between 1 and 100),
      placement text not null default 'all' check (placement in ('all', 'home', 'checkout')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (store_id, platform, pixel_id)
    )
  `.execute(db);
  await sql`create index store_conversion_pixels_business on store_conversion_pixels (business_id)`.execute(
    db,
  );

  await sql`
    create table conversion_sandbox_events (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      platform text not null,
      pixel_id text not null,
      test_event_code text,
      request_body jsonb not null,
      job_id bigint,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index conversion_sandbox_events_store on conversion_sandbox_events (store_id, id desc)`.execute(
    db,
  );
  await sql`create index conversion_sandbox_events_business on conversion_sandbox_events (business_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists conversion_sandbox_events`.execute(db);
  await sql`drop table if exists store_conversion_pixels`.execute(db);
  await sql`drop table if exists jobs`.execute(db);
}
