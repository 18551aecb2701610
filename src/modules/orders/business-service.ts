import type { Db } from '../../db/database.ts';
import { pageJson, serializerOf } from '../../db/read-model.ts';
import { errors } from '../../http/errors.ts';
import {
  type CursorCodec,
  cursorScope,
  type PageParams,
  type PaginatedList,
  paginate,
} from '../../http/pagination.ts';
import { findBusinessOrders, serializedBusinessOrders } from './business-order.ts';
import {
  BusinessOrder,
  BusinessOrderList,
  type BusinessOrderObject,
  type ListOrdersQueryObject,
  SEARCH_FIELDS,
} from './business-schemas.ts';
import { listBusinessOrders, type OrderFilters, type SearchField } from './list-queries.ts';
import type { OrderViewCache } from './view-cache.ts';

export interface OrderCaller {
  businessId: number;
  userId: number | null;
}

const PAGE_SIZE = 25;
const ORDER_FIELDS = new Set(Object.keys(BusinessOrder.properties));

const orderNotFound = () => errors.notFound('Order not found');

/**
 * `getOrder`: by its UUIDv7 id. The reference also accepts migrated orders' legacy numeric ids;
 * this server never issued any, so a number is simply not found.
 */
export async function getOrder(
  db: Db,
  caller: OrderCaller,
  id: string,
  publicUrl: string,
): Promise<BusinessOrderObject> {
  const [order] = await findBusinessOrders(db, caller.businessId, [id], publicUrl);
  if (!order) throw orderNotFound();
  return order;
}

const flag = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');
const date = (value: string | undefined) => (value === undefined ? null : new Date(value));

const INT4_MAX = 2_147_483_647; // financial_entities.id is an integer

/**
 * A numeric member, product, bank or courier id filter; anything else, or a number beyond the
 * column's type (`integer` for banks and courier services), matches no order.
 */
function numericId(value: string | undefined, filters: OrderFilters, max = Number.MAX_SAFE_INTEGER) {
  if (value === undefined) return undefined;
  if (/^\d{1,16}$/.test(value) && Number(value) <= max) return Number(value);
  filters.none = true;
  return undefined;
}

/** The list's query parameters as filters (also the statistics', which take the same ones). */
export function filtersOf(caller: OrderCaller, query: ListOrdersQueryObject): OrderFilters {
  const filters: OrderFilters = {
    none: false,
    equals: {},
    storeRef: query.store_id ?? null,
    warehouseRef: query.warehouse_id ?? null,
    pageRef: query.page_id ?? null,
    productId: null,
    courierServiceId: null,
    tags: (query.tags ?? '')
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag.length > 0),
    transferproof: flag(query.is_transferproof_exist) ?? null,
    ranges: [],
    search: null,
  };
  const equals = filters.equals;
  for (const column of [
    'status',
    'payment_status',
    'payment_method',
    'platform',
    'awb_ca_status',
    'order_id',
    'external_id',
    'utm_source',
    'shipment_status',
  ] as const) {
    const value = query[column];
    if (value !== undefined) equals[column] = value;
  }
  for (const column of ['is_probably_spam', 'is_repeat', 'is_from_form'] as const) {
    const value = flag(query[column]);
    if (value !== undefined) equals[column] = value;
  }
  const handler = numericId(query.handler_id, filters);
  if (handler !== undefined) equals.handler_user_id = handler;
  const advertiser = numericId(query.advertiser_id, filters);
  if (advertiser !== undefined) equals.advertiser_user_id = advertiser;
  const bank = numericId(query.financial_entity_id, filters, INT4_MAX);
  if (bank !== undefined) equals.financial_entity_id = bank;
  filters.productId = numericId(query.product_id, filters) ?? null;
  filters.courierServiceId = numericId(query.courier_id, filters) ?? null;
  // This server's businesses sell their own products: no fulfilment for others, no affiliates.
  if (query.business_role === 'fulfillment_provider' || query.affiliate_business_id !== undefined)
    filters.none = true;
  if (query.business_id !== undefined && query.business_id !== String(caller.businessId)) filters.none = true;
  for (const column of ['draft_time', 'confirmed_time', 'shipped_time', 'completed_time'] as const) {
    const since = date(query[`${column}_since`]);
    const until = date(query[`${column}_until`]);
    if (since && until && since > until) {
      throw errors.invalidField(`${column}_since`, `must not be after ${column}_until`);
    }
    if (since || until) filters.ranges.push({ column, since, until });
  }
  const text = query.search?.trim();
  if (text) {
    const field = (SEARCH_FIELDS as readonly string[]).includes(query.search_field ?? '')
      ? (query.search_field as SearchField)
      : 'order_id';
    filters.search = { field, text };
  }
  return filters;
}

/** The fields `columns` names (unknown names are a 422 listing the known ones); null for all. */
function columnsOf(columns: string | undefined): Set<string> | null {
  if (columns === undefined || columns.trim() === '') return null;
  const names = columns
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !ORDER_FIELDS.has(name));
  if (unknown.length > 0) {
    throw errors.invalidField('columns', `has unknown fields: ${unknown.join(', ')}`);
  }
  return new Set(['id', ...names]);
}

function pick(
  order: BusinessOrderObject,
  columns: Set<string> | null,
): Partial<BusinessOrderObject> & { id: string } {
  if (columns === null) return order;
  return { ...Object.fromEntries(Object.entries(order).filter(([name]) => columns.has(name))), id: order.id };
}

const serializePage = serializerOf<PaginatedList<unknown>>(BusinessOrderList);

/**
 * `listOrders`: newest first, every filter of the reference, keyset pages of at most 25. Whole
 * orders come serialized (the JSON text the route sends), each as stored in `views` while current;
 * `columns` answers the objects with the fields it names.
 */
export async function listOrders(
  db: Db,
  views: OrderViewCache,
  cursors: CursorCodec,
  caller: OrderCaller,
  query: ListOrdersQueryObject,
  publicUrl: string,
): Promise<string | PaginatedList<Partial<BusinessOrderObject> & { id: string }>> {
  const filters = filtersOf(caller, query);
  const columns = columnsOf(query.columns);
  const {
    page_size: _size,
    next_cursor: _next,
    previous_cursor: _previous,
    columns: _columns,
    ...shape
  } = query;
  const page = await paginate({
    codec: cursors,
    scope: cursorScope('listOrders', { business: caller.businessId, filters: JSON.stringify(shape) }),
    page: query as PageParams,
    defaultPageSize: PAGE_SIZE,
    fetch: (window) =>
      filters.none ? Promise.resolve([]) : listBusinessOrders(db, caller.businessId, filters, window),
    keyOf: (row) => [row.created_us, row.id],
    map: (row) => row.id,
  });
  if (columns === null) {
    const orders = await serializedBusinessOrders(db, views, caller.businessId, page.data, publicUrl);
    return pageJson(serializePage, page, orders);
  }
  const orders = await findBusinessOrders(db, caller.businessId, page.data, publicUrl);
  return { ...page, data: orders.map((order) => pick(order, columns)) };
}
