import type { Db } from '../../db/database.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';

/** The customer's orders in one store, newest first (UUIDv7 ids sort by creation); served by `orders_customer`. */
export function customerOrderIds(
  db: Db,
  owner: { businessId: number; storeId: number; customerId: number },
  window: KeysetWindow,
) {
  const query = db
    .selectFrom('orders')
    .select('id')
    .where('customer_id', '=', owner.customerId)
    .where('business_id', '=', owner.businessId)
    .where('store_id', '=', owner.storeId);
  return applyKeyset(query, ['id'], 'desc', window).execute();
}
