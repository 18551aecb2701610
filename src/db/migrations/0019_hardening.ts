import { type Kysely, sql } from 'kysely';

/**
 * Issue 10 (hardening):
 * - `job_schedules`: recurring work (the expiry sweeper, retention) enters the jobs queue from one
 *   row per kind whose `next_run_at` a worker moves forward in the statement that enqueues the run,
 *   so however many workers poll, each period queues one job.
 * - Indexes for what retention deletes: finished jobs by age, expired login codes and reset tokens.
 * - The payment deadline index holds only orders that can still expire: the sweeper reads it, and
 *   canceled orders (still `unpaid`) no longer pile up in it.
 * - `idempotency_keys.claim_token`: who holds a pending claim; the work's transaction stores the
 *   answer only while its token is still the claim's, so a claim taken over can never also commit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table job_schedules (
      kind text primary key check (length(kind) between 1 and 100),
      next_run_at timestamptz not null
    )
  `.execute(db);
  await sql`create index jobs_finished on jobs (finished_at) where status in ('done', 'failed')`.execute(db);
  await sql`create index customer_otps_expires on customer_otps (expires_at)`.execute(db);
  await sql`create index customer_password_resets_expires on customer_password_resets (expires_at)`.execute(
    db,
  );

  await sql`drop index if exists orders_payment_expiration`.execute(db);
  await sql`
    create index orders_payment_deadline on orders (payment_expiration_at)
      where payment_status = 'unpaid' and status in ('draft', 'pending', 'confirmed')
        and payment_expiration_at is not null`.execute(db);

  await sql`alter table idempotency_keys add column claim_token text not null default ''`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table idempotency_keys drop column if exists claim_token`.execute(db);
  await sql`drop index if exists orders_payment_deadline`.execute(db);
  await sql`
    create index if not exists orders_payment_expiration on orders (payment_expiration_at)
      where payment_status = 'unpaid' and payment_expiration_at is not null`.execute(db);
  await sql`drop index if exists customer_password_resets_expires`.execute(db);
  await sql`drop index if exists customer_otps_expires`.execute(db);
  await sql`drop index if exists jobs_finished`.execute(db);
  await sql`drop table if exists job_schedules`.execute(db);
}
