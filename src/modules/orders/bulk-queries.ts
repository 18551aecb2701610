import { sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { OrdersTable } from './tables.ts';

/** Locks one of the business's orders for a change, with what the lifecycle and the answers need. */
export function lockBusinessOrder(trx: Db, businessId: number, id: string) {
  return trx
    .selectFrom('orders')
    .select([
      'id',
      'business_id',
      'order_id',
      'secret_slug',
      'status',
      'payment_status',
      'discount_code_id',
      'is_probably_spam',
    ])
    .where('business_id', '=', businessId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}
export type LockedBusinessOrder = NonNullable<Awaited<ReturnType<typeof lockBusinessOrder>>>;

/** The order's whole row as canonical text (jsonb's), to tell whether a change changed anything. */
export async function orderSnapshot(trx: Db, businessId: number, id: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('orders as o')
    .select(sql<string>`to_jsonb(o)::text`.as('snapshot'))
    .where('o.business_id', '=', businessId)
    .where('o.id', '=', id)
    .executeTakeFirst();
  return row?.snapshot;
}

export async function updateBusinessOrder(
  trx: Db,
  businessId: number,
  id: string,
  values: Updateable<OrdersTable>,
): Promise<void> {
  await trx
    .updateTable('orders')
    .set(values)
    .where('business_id', '=', businessId)
    .where('id', '=', id)
    .execute();
}

export async function deleteBusinessOrder(trx: Db, businessId: number, id: string): Promise<void> {
  await trx.deleteFrom('orders').where('business_id', '=', businessId).where('id', '=', id).execute();
}

/**
 * Forgets allocations already given back, so the order can take stock from the same warehouse again
 * (one allocation row per order, variant and warehouse).
 */
export async function deleteReleasedAllocations(trx: Db, businessId: number, orderId: string): Promise<void> {
  await trx
    .deleteFrom('order_stock_allocations')
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .where('released_at', 'is not', null)
    .execute();
}
