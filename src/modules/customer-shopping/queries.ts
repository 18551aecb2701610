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

/** Where bank-transfer buyers pay: the business's active accounts, oldest first. */
export function activePaymentAccounts(db: Db, businessId: number) {
  return db
    .selectFrom('payment_accounts as pa')
    .innerJoin('financial_entities as fe', 'fe.id', 'pa.financial_entity_id')
    .select([
      'pa.unique_id',
      'pa.account_number',
      'pa.account_holder',
      'fe.id as financial_entity_id',
      'fe.code as financial_entity_code',
      'fe.name as financial_entity_name',
      'fe.entity_type as financial_entity_type',
    ])
    .where('pa.business_id', '=', businessId)
    .where('pa.is_active', '=', true)
    .orderBy('pa.id')
    .execute();
}
