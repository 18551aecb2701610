import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { OrdersTable } from '../orders/tables.ts';

/** Orders a buyer may no longer change: the money has arrived or the order is over. */
export const CLOSED_PAYMENT_STATUSES = ['paid', 'settled'] as const;
export const CLOSED_ORDER_STATUSES = ['canceled', 'closed'] as const;

/**
 * The store behind a `secret_slug`, for the hosted pages, which have no storefront key: the slug
 * itself is the buyer's capability (40 random characters, unique across all businesses).
 */
export function findOrderStoreBySecretSlug(db: Db, secretSlug: string) {
  return db
    .selectFrom('orders')
    .select(['store_id'])
    .where('secret_slug', '=', secretSlug)
    .executeTakeFirst();
}

/** One of the business's active payment accounts, by the `unique_id` buyers see in `store.payment_accounts`. */
export function findActivePaymentAccount(db: Db, businessId: number, uniqueId: string) {
  return db
    .selectFrom('payment_accounts')
    .select(['id', 'financial_entity_id'])
    .where('business_id', '=', businessId)
    .where('unique_id', '=', uniqueId)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

export type BuyerOrderChanges = Pick<
  Updateable<OrdersTable>,
  | 'transferproof_url'
  | 'transfer_time'
  | 'financial_entity_id'
  | 'payment_account_id'
  | 'payment_account_holder'
  | 'payment_account_number'
  | 'notes'
>;

/**
 * Writes the buyer's changes unless the order was paid or closed in the meantime (a payment
 * callback may land between the read and this write). Returns false when nothing was written.
 */
export async function updateOpenOrder(
  db: Db,
  businessId: number,
  orderId: string,
  changes: BuyerOrderChanges,
): Promise<boolean> {
  const row = await db
    .updateTable('orders')
    .set({ ...changes, last_updated_at: new Date() })
    .where('id', '=', orderId)
    .where('business_id', '=', businessId)
    .where('payment_status', 'not in', [...CLOSED_PAYMENT_STATUSES])
    .where('status', 'not in', [...CLOSED_ORDER_STATUSES])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
