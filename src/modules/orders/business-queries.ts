import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { PREPARED } from '../../db/prepared.ts';

/**
 * Every column of `orders`, named: the list is a prepared statement (db/prepared.ts), and a prepared
 * `select o.*` fails once a migration adds a column while a server holds it.
 */
const ORDER_COLUMNS = [
  'o.id',
  'o.business_id',
  'o.store_id',
  'o.order_id',
  'o.secret_slug',
  'o.source',
  'o.page_id',
  'o.channel_id',
  'o.handler_user_id',
  'o.status',
  'o.payment_status',
  'o.draft_time',
  'o.pending_time',
  'o.confirmed_time',
  'o.in_process_time',
  'o.ready_time',
  'o.canceled_time',
  'o.shipped_time',
  'o.shipped_rts_time',
  'o.completed_time',
  'o.rts_time',
  'o.closed_time',
  'o.unpaid_time',
  'o.paid_time',
  'o.conflict_time',
  'o.settled_time',
  'o.is_probably_spam',
  'o.customer_id',
  'o.customer_name',
  'o.customer_email',
  'o.customer_phone',
  'o.shipping_address',
  'o.shipping_location_id',
  'o.shipping_postal_code',
  'o.shipping_province',
  'o.shipping_city',
  'o.shipping_subdistrict',
  'o.payment_method',
  'o.sub_payment_method',
  'o.epayment_provider',
  'o.payment_account_id',
  'o.financial_entity_id',
  'o.payment_account_bank',
  'o.payment_account_number',
  'o.payment_account_holder',
  'o.pg_payment_info',
  'o.pg_reference_id',
  'o.payment_expiration_at',
  'o.transfer_time',
  'o.transferproof_url',
  'o.courier_service_id',
  'o.courier_service',
  'o.courier_aggregator_code',
  'o.warehouse_id',
  'o.shipment_receipt',
  'o.shipment_status',
  'o.shipment_status_history',
  'o.awb_status',
  'o.total_quantity',
  'o.product_weight',
  'o.tax_rate',
  'o.product_price',
  'o.product_price_bt',
  'o.product_discount',
  'o.product_discount_bt',
  'o.shipping_cost',
  'o.shipping_discount',
  'o.discount_code_discount',
  'o.discount_code_discount_bt',
  'o.unique_code_discount',
  'o.other_income',
  'o.other_income_bt',
  'o.other_income_name',
  'o.service_fee',
  'o.gross_revenue',
  'o.net_revenue',
  'o.cogs',
  'o.cogs_bt',
  'o.discount_code_id',
  'o.discount_code_code',
  'o.notes',
  'o.redirect_url',
  'o.client_ip',
  'o.user_agent',
  'o.metadata',
  'o.created_at',
  'o.last_updated_at',
  'o.tags',
  'o.utm_source',
  'o.utm_medium',
  'o.utm_campaign',
  'o.utm_content',
  'o.utm_term',
  'o.external_id',
  'o.platform',
  'o.is_repeat',
  'o.is_from_form',
  'o.advertiser_user_id',
  'o.awb_ca_status',
  'o.shipment_provider_code',
  'o.courier_additional_info',
  'o.rtsproof_url',
  'o.mark_as_spam_by',
  'o.agent_context',
  'o.last_updated_by_user_id',
  'o.is_purchase_fb',
  'o.is_purchase_tiktok',
  'o.is_purchase_kwai',
  'o.is_dropshipping',
  'o.dropshipper_name',
  'o.dropshipper_phone',
] as const;

/** The order and the rows its business view shows beside it: store, business, page, warehouse, bank, members. */
function viewJoins(db: Db, businessId: number) {
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
    .where('o.business_id', '=', businessId);
}

/**
 * What an order's business view is read from, as one text: the `xmin` of each row of `viewJoins`
 * (`-` for a row it does not name). Any change to any of them changes it (view-cache.ts).
 */
const VIEW_VERSION = sql<string>`concat_ws('.', ${sql.join(
  ['o', 's', 'b', 'pg', 'w', 'fe', 'h', 'a', 'u'].map(
    (alias) => sql`coalesce(${sql.ref(`${alias}.xmin`)}::text, '-')`,
  ),
)})`;

/**
 * The order with what its business view shows beside it (store, business, page, warehouse, bank,
 * and the members it names: handler, advertiser, last editor) and the view's version, in one statement.
 */
export function businessOrders(db: Db, businessId: number) {
  return viewJoins(db, businessId)
    .select(ORDER_COLUMNS)
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
      VIEW_VERSION.as('view_version'),
    ]);
}

/** The business view's version of each of `ids` (view-cache.ts), a prepared statement. */
export function businessOrderVersions(db: Db, businessId: number, ids: readonly string[]) {
  return viewJoins(db, businessId)
    .select(['o.id', VIEW_VERSION.as('version')])
    .where(sql<boolean>`o.id = any(${[...ids]}::uuid[])`)
    .modifyFront(PREPARED)
    .execute();
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

/** The status history of a business's orders (who moved them as they were named then), by order then time. */
export function businessStatusHistory(db: Db, businessId: number, orderIds: string[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_status_histories as h')
    .select(['h.order_id', 'h.kind', 'h.status', 'h.changed_at', 'h.actor', 'h.by_name'])
    .where('h.business_id', '=', businessId)
    .where('h.order_id', 'in', orderIds)
    .orderBy('h.order_id')
    .orderBy('h.id')
    .execute();
}
export type BusinessHistoryRow = Awaited<ReturnType<typeof businessStatusHistory>>[number];
