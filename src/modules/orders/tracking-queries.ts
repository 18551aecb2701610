import { sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { OrderStatus, OrdersTable } from './tables.ts';

/**
 * The orders the tracking sweep asks the courier about (the `orders_shipment_tracking` index,
 * migration 0028, has the same predicate): booked through a provider, the airway bill created or
 * being issued, and the order not yet completed, returned, canceled or closed.
 */
export const TRACKED_STATUSES: readonly OrderStatus[] = [
  'confirmed',
  'in_process',
  'ready',
  'shipped',
  'shipped_rts',
];
/** The courier's last word on a parcel: nothing further will come. */
const JOURNEY_ENDED = ['delivered', 'returned'];

/**
 * Up to `limit` tracked orders not checked since `checkedBefore`, oldest-checked first (never
 * checked first of all), of every business: the sweep's next batch.
 */
export function findTrackedOrders(db: Db, query: { checkedBefore: Date; limit: number }) {
  return db
    .selectFrom('orders')
    .select(['id', 'business_id', 'shipment_provider_order_id'])
    .where('shipment_provider_order_id', 'is not', null)
    .where('awb_ca_status', 'in', ['created', 'waiting'])
    .where('status', 'in', TRACKED_STATUSES)
    .where((eb) =>
      eb.or([eb('shipment_checked_at', 'is', null), eb('shipment_checked_at', '<', query.checkedBefore)]),
    )
    .where((eb) => eb.or([eb('shipment_status', 'is', null), eb('shipment_status', 'not in', JOURNEY_ENDED)]))
    .orderBy(sql`shipment_checked_at asc nulls first`)
    .orderBy('id')
    .limit(query.limit)
    .execute();
}
export type TrackedOrder = Awaited<ReturnType<typeof findTrackedOrders>>[number];

/** A business's order with what tracking reads and writes, row locked for the caller's transaction. */
export function lockTrackedOrder(trx: Db, businessId: number, orderId: string) {
  return trx
    .selectFrom('orders')
    .select([
      'id',
      'business_id',
      'status',
      'payment_status',
      'discount_code_id',
      'shipment_provider_order_id',
      'shipment_receipt',
      'shipment_status',
      'shipment_status_history',
      'awb_status',
      'awb_ca_status',
    ])
    .where('business_id', '=', businessId)
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
}
export type TrackedOrderRow = NonNullable<Awaited<ReturnType<typeof lockTrackedOrder>>>;

export type TrackingUpdate = Pick<
  Updateable<OrdersTable>,
  'shipment_status' | 'shipment_receipt' | 'awb_status' | 'awb_ca_status'
>;

/**
 * Stamps the order as checked at `at`, with what the courier changed (`values`, possibly nothing);
 * `last_updated_at` moves only when something did.
 */
export async function markShipmentChecked(
  db: Db,
  businessId: number,
  orderId: string,
  at: Date,
  values: TrackingUpdate = {},
): Promise<void> {
  const changed = Object.keys(values).length > 0;
  await db
    .updateTable('orders')
    .set({ ...values, shipment_checked_at: at, ...(changed ? { last_updated_at: new Date() } : {}) })
    .where('business_id', '=', businessId)
    .where('id', '=', orderId)
    .execute();
}
