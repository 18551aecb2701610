import { sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { releaseDiscountCode } from '../discounts/evaluate.ts';
import type { OrderActor, OrderStatus, OrdersTable, PaymentStatus } from './tables.ts';

export interface StatusChange<S> {
  businessId: number;
  orderId: string;
  status: S;
  actor: OrderActor;
  actorUserId?: number | null;
  at?: Date;
}

/**
 * Moves an order's payment status (e.g. the payment callback marking it paid), stamping
 * `<status>_time` and appending a history entry, in the caller's transaction. Returns false, and
 * writes nothing, when the order is already in that status (callbacks are delivered more than once)
 * or does not belong to the business. Which transitions are allowed is the caller's rule.
 */
export function setPaymentStatus(trx: Db, change: StatusChange<PaymentStatus>): Promise<boolean> {
  return setStatus(trx, 'payment_status', change);
}

/** The order-status counterpart of `setPaymentStatus`. */
export function setOrderStatus(trx: Db, change: StatusChange<OrderStatus>): Promise<boolean> {
  return setStatus(trx, 'status', change);
}

async function setStatus(
  trx: Db,
  kind: 'status' | 'payment_status',
  change: StatusChange<string>,
): Promise<boolean> {
  const at = change.at ?? new Date();
  // Every status has its `<status>_time` column (see the migration).
  const values = { [kind]: change.status, [`${change.status}_time`]: at, last_updated_at: at };
  const updated = await trx
    .updateTable('orders')
    .set(values as Updateable<OrdersTable>)
    .where('id', '=', change.orderId)
    .where('business_id', '=', change.businessId)
    .where(sql.ref(kind), '<>', change.status)
    .returning('id')
    .executeTakeFirst();
  if (!updated) return false;
  await trx
    .insertInto('order_status_histories')
    .values({
      business_id: change.businessId,
      order_id: change.orderId,
      kind,
      status: change.status,
      changed_at: at,
      actor: change.actor,
      actor_user_id: change.actorUserId ?? null,
    })
    .execute();
  return true;
}

/**
 * Puts an order's reserved stock back into the warehouses it came from (cancellation, payment
 * expiry), once: allocations are marked released in the same statement that reads them.
 * Returns the number of units restored.
 */
export async function releaseOrderStock(trx: Db, businessId: number, orderId: string): Promise<number> {
  const released = await trx
    .updateTable('order_stock_allocations')
    .set({ released_at: new Date() })
    .where('order_id', '=', orderId)
    .where('business_id', '=', businessId)
    .where('released_at', 'is', null)
    .returning(['variant_id', 'warehouse_id', 'quantity'])
    .execute();
  // Same (variant, warehouse) order as reservations, so a release never deadlocks with a checkout.
  released.sort((a, b) => a.variant_id - b.variant_id || a.warehouse_id - b.warehouse_id);
  for (const row of released) {
    await trx
      .insertInto('warehouse_stocks')
      .values({
        warehouse_id: row.warehouse_id,
        variant_id: row.variant_id,
        business_id: businessId,
        qty: row.quantity,
      })
      .onConflict((oc) =>
        oc.columns(['warehouse_id', 'variant_id']).doUpdateSet((eb) => ({
          qty: eb('warehouse_stocks.qty', '+', eb.ref('excluded.qty')),
          updated_at: new Date(),
        })),
      )
      .execute();
  }
  return released.reduce((sum, row) => sum + row.quantity, 0);
}

/**
 * Cancels an open order and gives back what it held: its reserved stock and the use of its discount
 * code. Run it in the transaction that locked the order row; it does the give-backs only when it
 * moved the status (a second cancel of the same order changes nothing). Returns whether it did.
 */
export async function cancelOrder(
  trx: Db,
  order: { businessId: number; orderId: string; discountCodeId: number | null },
  change: { actor: OrderActor; actorUserId?: number | null; at?: Date },
): Promise<boolean> {
  const canceled = await setOrderStatus(trx, {
    businessId: order.businessId,
    orderId: order.orderId,
    status: 'canceled',
    ...change,
  });
  if (!canceled) return false;
  await releaseOrderStock(trx, order.businessId, order.orderId);
  if (order.discountCodeId !== null) await releaseDiscountCode(trx, order.businessId, order.discountCodeId);
  return true;
}
