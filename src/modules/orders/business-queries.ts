import type { Db } from '../../db/database.ts';

/**
 * The order with what its business view shows beside it: store, business, page, warehouse, bank,
 * and the members it names (handler, advertiser, last editor), in one statement.
 */
export function businessOrders(db: Db, businessId: number) {
  return db
    .selectFrom('orders as o')
    .innerJoin('stores as s', 's.id', 'o.store_id')
    .innerJoin('businesses as b', 'b.id', 'o.business_id')
    .leftJoin('pages as pg', 'pg.id', 'o.page_id')
    .leftJoin('warehouses as w', 'w.id', 'o.warehouse_id')
    .leftJoin('financial_entities as fe', 'fe.id', 'o.financial_entity_id')
    .leftJoin('users as h', 'h.id', 'o.handler_user_id')
    .leftJoin('users as a', 'a.id', 'o.advertiser_user_id')
    .leftJoin('users as u', 'u.id', 'o.last_updated_by_user_id')
    .selectAll('o')
    .select([
      's.unique_id as store_unique_id',
      's.name as store_name',
      'b.unique_id as business_unique_id',
      'b.username as business_username',
      'b.account_holder as business_account_holder',
      'pg.unique_id as page_unique_id',
      'pg.name as page_name',
      'w.unique_id as warehouse_unique_id',
      'w.name as warehouse_name',
      'w.contact_name as warehouse_contact_name',
      'w.contact_phone as warehouse_contact_phone',
      'fe.code as financial_entity_code',
      'fe.name as financial_entity_name',
      'fe.entity_type as financial_entity_type',
      'h.name as handler_name',
      'h.email as handler_email',
      'h.phone as handler_phone',
      'a.name as advertiser_name',
      'a.email as advertiser_email',
      'a.phone as advertiser_phone',
      'u.name as last_updated_by_name',
      'u.email as last_updated_by_email',
      'u.phone as last_updated_by_phone',
    ])
    .where('o.business_id', '=', businessId);
}
export type BusinessOrderRow = Awaited<ReturnType<ReturnType<typeof businessOrders>['execute']>>[number];

/** The lines of a business's orders, by order then position. */
export function businessOrderlines(db: Db, businessId: number, orderIds: string[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('orderlines')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('position')
    .execute();
}

/** The status history of a business's orders, with who moved them, by order then time. */
export function businessStatusHistory(db: Db, businessId: number, orderIds: string[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_status_histories as h')
    .leftJoin('users as u', 'u.id', 'h.actor_user_id')
    .select([
      'h.order_id',
      'h.kind',
      'h.status',
      'h.changed_at',
      'h.actor',
      'h.by_name',
      'u.name as actor_name',
    ])
    .where('h.business_id', '=', businessId)
    .where('h.order_id', 'in', orderIds)
    .orderBy('h.order_id')
    .orderBy('h.id')
    .execute();
}
export type BusinessHistoryRow = Awaited<ReturnType<typeof businessStatusHistory>>[number];
