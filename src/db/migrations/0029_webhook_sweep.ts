import { type Kysely, sql } from 'kysely';

/**
 * The stranded-delivery sweep (webhooks/sweep.ts) reads pending deliveries by when their attempt was
 * due. Pending ones are few (most succeed at once) while the log keeps weeks of finished ones, so a
 * partial index keeps the sweep's read small whatever the log's size.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index webhook_deliveries_pending_due
      on webhook_deliveries ((coalesce(next_attempt_at, created_at)))
      where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists webhook_deliveries_pending_due`.execute(db);
}
