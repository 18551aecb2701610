import { sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { OrdersTable, ShipmentStatusEntry } from './tables.ts';

const AWB_COLUMNS = [
  'id',
  'business_id',
  'order_id',
  'secret_slug',
  'status',
  'payment_status',
  'discount_code_id',
  'payment_method',
  'gross_revenue',
  'customer_name',
  'customer_email',
  'customer_phone',
  'shipping_address',
  'shipping_postal_code',
  'shipping_city',
  'notes',
  'courier_service',
  'warehouse_id',
  'shipment_receipt',
  'awb_status',
  'awb_ca_status',
  'shipment_provider_order_id',
  'awb_booking_key',
  'awb_booking_attempts',
  'awb_booking_started_at',
  'awb_outcome_unknown',
] as const;

/** A business's order with what booking its airway bill reads, row locked for the caller's transaction. */
export function lockOrderForAwb(trx: Db, businessId: number, orderId: string) {
  return trx
    .selectFrom('orders')
    .select(AWB_COLUMNS)
    .where('business_id', '=', businessId)
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
}
export type AwbOrderRow = NonNullable<Awaited<ReturnType<typeof lockOrderForAwb>>>;

/** The warehouse an order ships from: the pickup address. */
export function findOrderWarehouse(db: Db, businessId: number, warehouseId: number) {
  return db
    .selectFrom('warehouses')
    .select(['name', 'contact_name', 'contact_phone', 'address', 'postal_code'])
    .where('business_id', '=', businessId)
    .where('id', '=', warehouseId)
    .executeTakeFirst();
}

/** The lines of an order that travel (digital goods and courses do not). */
export function findShippableLines(db: Db, businessId: number, orderId: string) {
  return db
    .selectFrom('orderlines')
    .select(['name', 'sku', 'quantity', 'unit_price', 'weight', 'item_type'])
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .orderBy('position')
    .execute();
}

export type AwbUpdate = Pick<
  Updateable<OrdersTable>,
  | 'awb_status'
  | 'awb_ca_status'
  | 'shipment_receipt'
  | 'shipment_status'
  | 'shipment_provider_order_id'
  | 'courier_aggregator_code'
  | 'awb_booking_key'
  | 'awb_booking_attempts'
  | 'awb_booking_started_at'
  | 'awb_outcome_unknown'
  | 'last_updated_by_user_id'
>;

/** Writes a booking's state on the order; with `bookingKey`, only while that attempt is the order's. */
export async function updateOrderAwb(
  trx: Db,
  businessId: number,
  orderId: string,
  values: AwbUpdate,
  bookingKey?: string,
): Promise<boolean> {
  let query = trx
    .updateTable('orders')
    .set({ ...values, last_updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('id', '=', orderId);
  if (bookingKey !== undefined) query = query.where('awb_booking_key', '=', bookingKey);
  const updated = await query.returning('id').executeTakeFirst();
  return updated !== undefined;
}

/** The shipment fields `updateOrderShipment` and the receipt routes write. */
export async function updateOrderShipmentFields(
  trx: Db,
  businessId: number,
  orderId: string,
  values: AwbUpdate & Pick<Updateable<OrdersTable>, 'courier_additional_info' | 'shipment_provider_code'>,
): Promise<void> {
  await trx
    .updateTable('orders')
    .set({ ...values, last_updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('id', '=', orderId)
    .execute();
}

/** Appends one entry to the order's shipment status history. */
export async function appendShipmentHistory(
  trx: Db,
  businessId: number,
  orderId: string,
  entry: ShipmentStatusEntry,
): Promise<void> {
  await trx
    .updateTable('orders')
    .set({
      shipment_status_history: sql`shipment_status_history || ${JSON.stringify([entry])}::jsonb`,
      last_updated_at: new Date(),
    })
    .where('business_id', '=', businessId)
    .where('id', '=', orderId)
    .execute();
}

/** The business's orders named by `order_id` or UUID `id`, row locked in id order. */
export function lockOrdersByReference(trx: Db, businessId: number, orderIds: string[], ids: string[]) {
  if (orderIds.length === 0 && ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('orders')
    .select(AWB_COLUMNS)
    .where('business_id', '=', businessId)
    .where((eb) =>
      eb.or([
        ...(orderIds.length > 0 ? [eb('order_id', 'in', orderIds)] : []),
        ...(ids.length > 0 ? [eb('id', 'in', ids)] : []),
      ]),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}
