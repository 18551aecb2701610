import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { OrderlinesTable, OrderStatusHistoriesTable, OrdersTable } from './tables.ts';

export type OrderRow = Selectable<OrdersTable>;
export type OrderlineRow = Selectable<OrderlinesTable>;
export type StatusHistoryRow = Selectable<OrderStatusHistoriesTable>;

/** What an order line snapshots from the catalog: product name, SKU, options and cost. */
export function findVariantSnapshots(trx: Db, businessId: number, variantIds: number[]) {
  if (variantIds.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'v.id',
      'v.unique_id',
      'v.sku',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'v.cogs',
      'v.cogs_bt',
      'p.name as product_name',
    ])
    .where('v.business_id', '=', businessId)
    .where('v.id', 'in', variantIds)
    .execute();
}
export type VariantSnapshot = Awaited<ReturnType<typeof findVariantSnapshots>>[number];

export function findPriceOptionSnapshots(trx: Db, businessId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return trx
    .selectFrom('bundle_price_options')
    .select(['id', 'unique_id'])
    .where('business_id', '=', businessId)
    .where('id', 'in', ids)
    .execute();
}

export async function findTaxRate(trx: Db, businessId: number): Promise<string> {
  const row = await trx
    .selectFrom('businesses')
    .select('tax_rate')
    .where('id', '=', businessId)
    .executeTakeFirstOrThrow();
  return row.tax_rate;
}

/**
 * Inserts unless the order number or slug is taken (undefined: the caller retries with new ones).
 * The stored row comes back, defaults included, so the order can be shown without reading it again.
 */
export function insertOrderUnlessTaken(
  trx: Db,
  values: Insertable<OrdersTable>,
): Promise<OrderRow | undefined> {
  return trx
    .insertInto('orders')
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Inserts the lines and answers them as stored, in position order. */
export async function insertOrderlines(
  trx: Db,
  lines: Insertable<OrderlinesTable>[],
): Promise<OrderlineRow[]> {
  const rows = await trx.insertInto('orderlines').values(lines).returningAll().execute();
  return rows.sort((a, b) => a.position - b.position);
}

/** Inserts the entries and answers them as stored, in id order. */
export async function insertStatusHistory(
  trx: Db,
  entries: Insertable<OrderStatusHistoriesTable>[],
): Promise<StatusHistoryRow[]> {
  const rows = await trx.insertInto('order_status_histories').values(entries).returningAll().execute();
  return rows.sort((a, b) => a.id - b.id);
}

function paymentAccounts(eb: ExpressionBuilder<DB & { o: OrdersTable }, 'o'>) {
  return jsonArrayFrom(
    eb
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
      .whereRef('pa.business_id', '=', 'o.business_id')
      .where('pa.is_active', '=', true)
      .orderBy('pa.id'),
  ).as('payment_accounts');
}

/** The order with what its views show beside it: store, business, page, handler, payment accounts. */
function orderWithContext(db: Db) {
  return db
    .selectFrom('orders as o')
    .innerJoin('stores as s', 's.id', 'o.store_id')
    .innerJoin('businesses as b', 'b.id', 'o.business_id')
    .leftJoin('pages as pg', 'pg.id', 'o.page_id')
    .leftJoin('users as h', 'h.id', 'o.handler_user_id')
    .selectAll('o')
    .select((eb) => [
      's.unique_id as store_unique_id',
      's.name as store_name',
      's.logo as store_logo',
      's.is_transferproof_required as store_is_transferproof_required',
      'b.unique_id as business_unique_id',
      'b.username as business_username',
      'b.account_holder as business_account_holder',
      'b.email as business_email',
      'pg.unique_id as page_unique_id',
      'pg.name as page_name',
      'h.phone as handler_phone',
      paymentAccounts(eb),
    ]);
}

export function selectOrderBySecretSlug(db: Db, storeId: number, secretSlug: string) {
  return orderWithContext(db)
    .where('o.store_id', '=', storeId)
    .where('o.secret_slug', '=', secretSlug)
    .executeTakeFirst();
}

export function selectOrderById(db: Db, businessId: number, id: string) {
  return orderWithContext(db)
    .where('o.business_id', '=', businessId)
    .where('o.id', '=', id)
    .executeTakeFirst();
}
export type OrderWithContextRow = NonNullable<Awaited<ReturnType<typeof selectOrderById>>>;

export function selectOrdersByIds(db: Db, businessId: number, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return orderWithContext(db).where('o.business_id', '=', businessId).where('o.id', 'in', ids).execute();
}

/** The lines of several orders, by order then position. */
export function selectOrderlinesOf(db: Db, orderIds: string[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('orderlines')
    .selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('position')
    .execute();
}

/** The status history of several orders, by order then id. */
export function selectStatusHistoryOf(db: Db, orderIds: string[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_status_histories')
    .selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('id')
    .execute();
}

export function selectOrderlines(db: Db, orderId: string) {
  return db
    .selectFrom('orderlines')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('position')
    .execute();
}

export function selectStatusHistory(db: Db, orderId: string) {
  return db
    .selectFrom('order_status_histories')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}
