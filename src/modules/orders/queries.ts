import { type ExpressionBuilder, type Insertable, type Selectable, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { type CustomerContact, customerUpsertQuery } from '../customers/records.ts';
import type { FirstTake } from './stock.ts';
import type {
  OrderActor,
  OrderlineComponent,
  OrderlinesTable,
  OrderStatusHistoriesTable,
  OrdersTable,
} from './tables.ts';

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

/** A line to insert: every stored column but the id (`components` is sent as JSON). */
export type OrderlineInsert = Omit<OrderlineRow, 'id'>;

export interface OrderInsert {
  order: Insertable<OrdersTable>;
  /** The business's customer to upsert by e-mail in the same statement; the order takes its id. */
  customer: CustomerContact | null;
  lines: OrderlineInsert[];
  /** Who the first history entries (the order's status, then its payment status) name. */
  actor: OrderActor;
  actorUserId: number | null;
  /**
   * Stock to take in the same statement, only if the warehouse holds all of it (as `reserveStock`'s
   * first take, which it then skips), recording the order's allocation.
   */
  stockTake: FirstTake | null;
}

/** The rows one `insertOrderUnlessTaken` stored, defaults included. */
export interface InsertedOrder {
  row: OrderRow;
  lines: OrderlineRow[];
  history: StatusHistoryRow[];
  /** Whether `stockTake` was taken (false without one). */
  stockTaken: boolean;
}

/**
 * Inserts the order, its lines and its first two history entries (and upserts its customer) in one
 * statement of data-modifying CTEs; nothing is written when the order number or slug is taken
 * (undefined: the caller retries with new ones, the customer upsert is idempotent). The stored rows
 * come back as `returning *` would answer them, so the order can be shown without reading it again:
 * the order row itself, and from the lines and history what the database assigned (ids, the stored
 * `components`), the rest being the values inserted (money already normalized to two decimals).
 */
export async function insertOrderUnlessTaken(
  trx: Db,
  input: OrderInsert,
): Promise<InsertedOrder | undefined> {
  // The parts are embedded in the one statement below, which alone goes through the plugins.
  const parts = trx.withoutPlugins();
  const customer = input.customer ? customerUpsertQuery(parts, input.customer) : null;
  const orderQuery = parts
    .insertInto('orders')
    .values(customer ? { ...input.order, customer_id: sql<number>`(select id from c)` } : input.order)
    .onConflict((oc) => oc.doNothing())
    .returningAll();
  const result = await sql<
    OrderRow & {
      inserted_lines: Array<[number, OrderlineComponent[]]>;
      inserted_history: Array<[number, string, string | null]>;
      stock_taken: boolean;
    }
  >`with ${customer ? sql`c as (${customer}), ` : sql``}o as (${orderQuery}),
l as (
  ${linesInsert(input.lines, sql`o cross join `)}
  returning id, position, components
),
h as (
  insert into order_status_histories (business_id, order_id, kind, status, changed_at, actor, actor_user_id, by_name)
  select o.business_id, o.id, k.kind, k.status, o.created_at, ${input.actor}::text, ${input.actorUserId}::bigint,
    ${memberName(input.actorUserId)}
  from o cross join lateral (values (1, 'status', o.status), (2, 'payment_status', o.payment_status))
    as k(ord, kind, status)
  order by k.ord
  returning id, kind, by_name
)${stockTakeCtes(input)}
select o.*,
  coalesce((select json_agg(json_build_array(l.id, l.components) order by l.position) from l), '[]')
    as inserted_lines,
  coalesce((select json_agg(json_build_array(h.id, h.kind, h.by_name) order by h.id) from h), '[]')
    as inserted_history,
  ${input.stockTake ? sql`exists (select from a)` : sql`false`} as stock_taken
from o`.execute(trx);
  const found = result.rows[0];
  if (!found) return undefined;
  const {
    inserted_lines: storedLines,
    inserted_history: storedHistory,
    stock_taken: stockTaken,
    ...row
  } = found;
  if (storedLines.length !== input.lines.length) throw new Error('Order lines were not all inserted');
  const lines = input.lines.map((line, index): OrderlineRow => {
    const [id, components] = storedLines[index]!;
    return { id, ...line, components };
  });
  const history = storedHistory.map(
    ([id, kind, byName]): StatusHistoryRow => ({
      id,
      business_id: row.business_id,
      order_id: row.id,
      kind: kind as StatusHistoryRow['kind'],
      status: kind === 'status' ? row.status : row.payment_status,
      changed_at: row.created_at,
      actor: input.actor,
      actor_user_id: input.actorUserId,
      by_name: byName,
    }),
  );
  return { row, lines, history, stockTaken };
}

/**
 * `takeAndAllocate` (stock.ts) of the first take, as CTEs of the order's statement: only once the
 * order row exists (nothing is taken when its number was taken), and only if the warehouse holds
 * every unit (re-checked against the committed row after waiting for a competing transaction).
 */
/**
 * The acting member's name as a history entry keeps it: who moved an order is recorded as they were
 * named then (an audit record), so the business view's history depends on the order alone.
 */
export function memberName(userId: number | null | undefined) {
  return userId
    ? sql<string | null>`(select name from users where id = ${userId}::bigint)`
    : sql<null>`null::text`;
}

function stockTakeCtes(input: OrderInsert) {
  const take = input.stockTake;
  if (!take) return sql``;
  return sql`,
s as (
  update warehouse_stocks set qty = qty - ${take.quantity}, updated_at = ${new Date()}
  where warehouse_id = ${take.warehouseId} and variant_id = ${take.variantId}
    and business_id = ${input.order.business_id} and qty >= ${take.quantity} and exists (select from o)
  returning warehouse_id, variant_id
),
a as (
  insert into order_stock_allocations (order_id, business_id, variant_id, warehouse_id, quantity)
  select ${input.order.id}::uuid, ${input.order.business_id}::bigint, s.variant_id, s.warehouse_id,
    ${take.quantity}::integer
  from s
  returning variant_id
)`;
}

/** Inserts `lines` (every column but the id) from one JSON parameter; `from` joins what they follow. */
function linesInsert(lines: OrderlineInsert[], from = sql``) {
  return sql`insert into orderlines (${sql.join(LINE_COLUMNS.map((column) => sql.ref(column)))})
  select ${sql.join(LINE_COLUMNS.map((column) => sql.ref(`r.${column}`)))}
  from ${from}jsonb_populate_recordset(null::orderlines, ${JSON.stringify(lines)}::jsonb) as r`;
}

/**
 * Replaces an order's lines (its items changed: update-items.ts). The caller
 * updates the order's row in the same transaction (the view cache's versions rely on it).
 */
export async function replaceOrderlines(
  trx: Db,
  businessId: number,
  orderId: string,
  lines: OrderlineInsert[],
): Promise<void> {
  await trx
    .deleteFrom('orderlines')
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .execute();
  await linesInsert(lines).execute(trx);
}

/** The columns an order line is inserted with (all but its id), in table order. */
const LINE_COLUMNS = [
  'business_id',
  'order_id',
  'position',
  'variant_id',
  'bundle_price_option_id',
  'item_type',
  'name',
  'product_name',
  'variant_unique_id',
  'bundle_price_option_unique_id',
  'sku',
  'variant_option1_value',
  'variant_option2_value',
  'variant_option3_value',
  'quantity',
  'unit_price',
  'unit_price_bt',
  'product_price',
  'weight',
  'is_inventory',
  'cogs',
  'cogs_bt',
  'components',
] as const satisfies ReadonlyArray<keyof OrderlineInsert>;

/** The business's active payment accounts with their bank, oldest first: where bank-transfer buyers pay. */
function activePaymentAccountsQuery(db: Pick<ExpressionBuilder<DB, never>, 'selectFrom'>) {
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
    .where('pa.is_active', '=', true)
    .orderBy('pa.id');
}

/**
 * The active payment accounts as a JSON array column, for a query whose row has the business id at
 * `businessIdColumn` (`o.business_id`, `s.business_id`): what the public order shows a bank-transfer
 * buyer, read by the order views and by checkout alike.
 */
export function activePaymentAccounts<T extends DB, TB extends keyof T>(
  eb: ExpressionBuilder<T, TB>,
  businessIdColumn: string,
) {
  return jsonArrayFrom(
    activePaymentAccountsQuery(eb as unknown as ExpressionBuilder<DB, never>).where(
      'pa.business_id',
      '=',
      sql<number>`${sql.ref(businessIdColumn)}`,
    ),
  ).as('payment_accounts');
}

/** The same accounts on their own, for a business (the customer checkout's payment methods). */
export function listActivePaymentAccounts(db: Db, businessId: number) {
  return activePaymentAccountsQuery(db).where('pa.business_id', '=', businessId).execute();
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
      activePaymentAccounts(eb, 'o.business_id'),
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
export function selectOrderlinesOf(db: Db, businessId: number, orderIds: string[]) {
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

/** The status history of several orders, by order then id. */
export function selectStatusHistoryOf(db: Db, businessId: number, orderIds: string[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_status_histories')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('id')
    .execute();
}

export function selectOrderlines(db: Db, businessId: number, orderId: string) {
  return db
    .selectFrom('orderlines')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .orderBy('position')
    .execute();
}

export function selectStatusHistory(db: Db, businessId: number, orderId: string) {
  return db
    .selectFrom('order_status_histories')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}
