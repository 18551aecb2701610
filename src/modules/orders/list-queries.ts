import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import type { DB } from '../../db/schema.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';

/** The list's filters, parsed: ids resolved to numbers, flags to booleans, times to dates. */
export interface OrderFilters {
  /** A filter that can match nothing (another business's id, an unknown store): the empty page. */
  none: boolean;
  equals: Partial<Record<EqualsColumn, string | number | boolean>>;
  storeRef: string | null;
  warehouseRef: string | null;
  pageRef: string | null;
  productId: number | null;
  courierServiceId: number | null;
  tags: string[];
  transferproof: boolean | null;
  ranges: Array<{ column: TimeColumn; since: Date | null; until: Date | null }>;
  search: { field: SearchField; text: string } | null;
}

export type EqualsColumn =
  | 'status'
  | 'payment_status'
  | 'payment_method'
  | 'platform'
  | 'awb_ca_status'
  | 'is_probably_spam'
  | 'is_repeat'
  | 'is_from_form'
  | 'order_id'
  | 'external_id'
  | 'utm_source'
  | 'shipment_status'
  | 'handler_user_id'
  | 'advertiser_user_id'
  | 'financial_entity_id';
export type TimeColumn = 'draft_time' | 'confirmed_time' | 'shipped_time' | 'completed_time';
export type SearchField =
  | 'order_id'
  | 'shipment_receipt'
  | 'external_id'
  | 'pg_reference_id'
  | 'gross_revenue'
  | 'customer_name'
  | 'customer_email'
  | 'customer_phone';

/** Digits only, a leading 0 as 62: the key `orders_business_phone_key` indexes. */
function phoneKey(phone: unknown) {
  return sql<string>`regexp_replace(regexp_replace(${phone}, '[^0-9]', '', 'g'), '^0+', '62')`;
}

function searchCondition(eb: ExpressionBuilder<DB, 'orders'>, field: SearchField, text: string) {
  switch (field) {
    case 'customer_phone':
      return sql<boolean>`o.customer_phone is not null and ${phoneKey(sql.ref('o.customer_phone'))} = ${phoneKey(text)}`;
    case 'customer_email':
      return sql<boolean>`o.customer_email is not null and lower(o.customer_email) = ${text.toLowerCase()}`;
    case 'customer_name':
      return sql<boolean>`o.customer_name ilike ${containsPattern(text)}`;
    case 'gross_revenue':
      return /^\d{1,15}(\.\d{1,2})?$/.test(text)
        ? eb(sql.ref('o.gross_revenue'), '=', text)
        : sql<boolean>`false`;
    case 'order_id':
      return eb(sql.ref('o.order_id'), '=', text.toUpperCase());
    default:
      return eb(sql.ref(`o.${field}`), '=', text);
  }
}

/**
 * Every filter of `filters` as one condition on `orders as o` (the list's and the statistics'),
 * each within the business; `o.business_id` itself is the caller's to filter.
 */
export function orderFilterConditions(
  eb: ExpressionBuilder<DB, 'orders'>,
  businessId: number,
  filters: OrderFilters,
) {
  const conditions = [];
  for (const [column, value] of Object.entries(filters.equals)) {
    conditions.push(eb(sql.ref(`o.${column}`), '=', value));
  }
  if (filters.storeRef !== null)
    conditions.push(refMatches(eb, 'stores', 'o.store_id', businessId, filters.storeRef));
  if (filters.warehouseRef !== null) {
    conditions.push(refMatches(eb, 'warehouses', 'o.warehouse_id', businessId, filters.warehouseRef));
  }
  if (filters.pageRef !== null)
    conditions.push(refMatches(eb, 'pages', 'o.page_id', businessId, filters.pageRef));
  if (filters.productId !== null) {
    conditions.push(sql<boolean>`exists (
      select 1 from orderlines l join variants v on v.id = l.variant_id
      where l.order_id = o.id and l.business_id = ${businessId} and v.product_id = ${filters.productId})`);
  }
  if (filters.courierServiceId !== null)
    conditions.push(eb(sql.ref('o.courier_service_id'), '=', filters.courierServiceId));
  if (filters.tags.length > 0) conditions.push(sql<boolean>`o.tags && ${sql.val(filters.tags)}::text[]`);
  if (filters.transferproof !== null) {
    conditions.push(sql<boolean>`(o.transferproof_url is not null) = ${filters.transferproof}`);
  }
  for (const range of filters.ranges) {
    if (range.since) conditions.push(eb(sql.ref(`o.${range.column}`), '>=', range.since));
    if (range.until) conditions.push(eb(sql.ref(`o.${range.column}`), '<=', range.until));
  }
  if (filters.search) conditions.push(searchCondition(eb, filters.search.field, filters.search.text));
  return eb.and(conditions);
}

/**
 * The filtered list's page, newest first (`created_at desc, id desc`, fixed by the reference): ids
 * and keys from `orders` alone (its filters and keyset, cheap to plan). The views are read apart
 * (business-order.ts), by ids: as one statement PostgreSQL planned the nine-table join on every page
 * (~5 ms of its CPU on a million orders, ten times the run) and kept re-planning it when prepared,
 * as the range parameters made a generic plan look dearer.
 */
export function listBusinessOrders(db: Db, businessId: number, filters: OrderFilters, window: KeysetWindow) {
  // Microseconds since the epoch: a cursor keeps created_at exactly, which an ISO string would not.
  const values = window.values && [
    sql`timestamptz 'epoch' + ${String(window.values[0])}::bigint * interval '1 microsecond'`,
    window.values[1],
  ];
  return applyKeyset(
    db
      .selectFrom('orders as o')
      .select([
        'o.id',
        sql<string>`(extract(epoch from o.created_at) * 1000000)::bigint::text`.as('created_us'),
      ])
      .where('o.business_id', '=', businessId)
      .where((eb) =>
        orderFilterConditions(eb as unknown as ExpressionBuilder<DB, 'orders'>, businessId, filters),
      ),
    ['o.created_at', 'o.id'],
    'desc',
    { ...window, values: values as KeysetWindow['values'] },
  ).execute();
}

/** A store, warehouse or page filter given as its numeric id or its `unique_id`, within the business. */
function refMatches(
  eb: ExpressionBuilder<DB, 'orders'>,
  table: 'stores' | 'warehouses' | 'pages',
  column: string,
  businessId: number,
  ref: string,
) {
  const byId = /^\d{1,15}$/.test(ref);
  return eb(
    sql.ref(column),
    'in',
    eb
      .selectFrom(table)
      .select(`${table}.id` as 'stores.id')
      .where(`${table}.business_id` as 'stores.business_id', '=', businessId)
      .where(
        byId ? (`${table}.id` as 'stores.id') : (`${table}.unique_id` as 'stores.unique_id'),
        '=',
        byId ? Number(ref) : ref,
      ),
  );
}
