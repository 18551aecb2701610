import { type Kysely, sql } from 'kysely';

/**
 * Courier tracking (issue 13): when the tracking sweep last asked the courier about an order's
 * booking, and the index it walks, oldest-checked first (never-checked first of all), over the
 * orders it tracks: booked (the provider's id, an airway bill created or being issued) and not yet
 * delivered, returned, canceled or closed by the lifecycle.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table orders add column shipment_checked_at timestamptz`.execute(db);
  await sql`
    create index orders_shipment_tracking on orders (shipment_checked_at nulls first, id)
      where shipment_provider_order_id is not null and awb_ca_status in ('created', 'waiting')
        and status in ('confirmed', 'in_process', 'ready', 'shipped', 'shipped_rts')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists orders_shipment_tracking`.execute(db);
  await sql`alter table orders drop column shipment_checked_at`.execute(db);
}
