import { sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { releaseDiscountCode } from '../discounts/evaluate.ts';
import { canTransition, GIVES_BACK, type LifecycleKind, transitionError } from './lifecycle.ts';
import { memberName } from './queries.ts';
import type { OrderActor, OrderStatus, OrdersTable, PaymentStatus } from './tables.ts';

/** An order row the caller has locked (`select … for update`) in its transaction. */
export interface LockedOrder {
  businessId: number;
  orderId: string;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  discountCodeId: number | null;
}

export interface StatusMove {
  status?: OrderStatus;
  paymentStatus?: PaymentStatus;
  actor: OrderActor;
  actorUserId?: number | null;
  /** Who the client names as making the change (free text, e.g. a courier or a staff name). */
  by?: string | null;
  at?: Date;
}

export interface MoveResult {
  status: boolean;
  paymentStatus: boolean;
}

/**
 * Moves a locked order's status and/or payment status as the lifecycle allows (`lifecycle.ts`),
 * stamping `<status>_time` and appending a history entry for each, in the caller's transaction;
 * entering `canceled` or `rts` gives back the order's stock and discount code use. Asking for the
 * status the order already has changes nothing (callbacks and bulk requests repeat); a move the
 * lifecycle forbids throws its 409 before anything is written. Updates `order` in place.
 */
export async function moveOrder(trx: Db, order: LockedOrder, move: StatusMove): Promise<MoveResult> {
  const wantsStatus = move.status !== undefined && move.status !== order.status;
  const wantsPayment = move.paymentStatus !== undefined && move.paymentStatus !== order.paymentStatus;
  if (wantsStatus && !canTransition('status', order.status, move.status!, move.actor)) {
    throw transitionError('status', order.status, move.status!, move.actor);
  }
  if (
    wantsPayment &&
    !canTransition('payment_status', order.paymentStatus, move.paymentStatus!, move.actor)
  ) {
    throw transitionError('payment_status', order.paymentStatus, move.paymentStatus!, move.actor);
  }
  const at = move.at ?? new Date();
  if (wantsStatus) {
    await writeStatus(trx, order, 'status', order.status, move.status!, move, at);
    order.status = move.status!;
    if (GIVES_BACK.has(move.status!)) {
      await releaseOrderStock(trx, order.businessId, order.orderId);
      if (order.discountCodeId !== null)
        await releaseDiscountCode(trx, order.businessId, order.discountCodeId);
    }
  }
  if (wantsPayment) {
    await writeStatus(trx, order, 'payment_status', order.paymentStatus, move.paymentStatus!, move, at);
    order.paymentStatus = move.paymentStatus!;
  }
  return { status: wantsStatus, paymentStatus: wantsPayment };
}

/**
 * Gives back what an order holds: its reserved stock (once, whatever the caller) and its discount
 * code use. Entering `canceled` or `rts` does this, and so does deleting an order that still holds
 * them (`HOLDS_STOCK`); the lifecycle never passes through two of those, so the use is given back once.
 */
export async function giveBackHoldings(trx: Db, order: LockedOrder): Promise<void> {
  await releaseOrderStock(trx, order.businessId, order.orderId);
  if (order.discountCodeId !== null) await releaseDiscountCode(trx, order.businessId, order.discountCodeId);
}

async function writeStatus(
  trx: Db,
  order: LockedOrder,
  kind: LifecycleKind,
  from: string,
  to: string,
  move: StatusMove,
  at: Date,
): Promise<void> {
  // Every status has its `<status>_time` column (see the migration).
  const values = { [kind]: to, [`${to}_time`]: at, last_updated_at: at };
  const updated = await trx
    .updateTable('orders')
    .set(values as Updateable<OrdersTable>)
    .where('id', '=', order.orderId)
    .where('business_id', '=', order.businessId)
    .where(sql.ref(kind), '=', from)
    .returning('id')
    .executeTakeFirst();
  // The caller holds the row lock, so the row still has the status it read.
  if (!updated) throw new Error(`order ${order.orderId} is not ${kind} ${from}: lock it before moving it`);
  await trx
    .insertInto('order_status_histories')
    .values({
      business_id: order.businessId,
      order_id: order.orderId,
      kind,
      status: to,
      changed_at: at,
      actor: move.actor,
      actor_user_id: move.actorUserId ?? null,
      by_name: move.by ?? memberName(move.actorUserId),
    })
    .execute();
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

/** The `LockedOrder` of a row read `for update` with these columns. */
export function lockedOrder(row: {
  id: string;
  business_id: number;
  status: OrderStatus;
  payment_status: PaymentStatus;
  discount_code_id: number | null;
}): LockedOrder {
  return {
    businessId: row.business_id,
    orderId: row.id,
    status: row.status,
    paymentStatus: row.payment_status,
    discountCodeId: row.discount_code_id,
  };
}
