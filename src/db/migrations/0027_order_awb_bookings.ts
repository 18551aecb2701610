import { type Kysely, sql } from 'kysely';

/**
 * Airway-bill bookings of business orders (issue 13): the provider's id for the booking, stored as
 * soon as the provider answers so a cancellation and a support check can always find it, and the
 * booking attempt (its idempotency key, when it started, whether its outcome is unknown) so a repeated
 * or concurrent request never books a second pickup blindly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table orders
      add column shipment_provider_order_id text,
      add column awb_booking_key text,
      add column awb_booking_attempts integer not null default 0,
      add column awb_booking_started_at timestamptz,
      add column awb_outcome_unknown boolean not null default false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table orders
      drop column shipment_provider_order_id, drop column awb_booking_key,
      drop column awb_booking_attempts, drop column awb_booking_started_at,
      drop column awb_outcome_unknown`.execute(db);
}
