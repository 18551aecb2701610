import { type Expression, type RawBuilder, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../db/database.ts';
import { activePaymentAccounts } from '../orders/queries.ts';
import { type LocationRow, MAX_LOCATION_ID, type ShippingWarehouse } from '../shipping/queries.ts';

/**
 * The store settings checkout prices and validates with, in one row, with what the later steps
 * would otherwise read again: shipping's warehouse and couriers, the business's tax rate, and the
 * store, business and active payment accounts the public order shows, the store's charges by
 * payment method, its anti-spam settings, and (when `destinationId` is given) the buyer's
 * destination location.
 */
export function findCheckoutStore(
  db: Db,
  businessId: number,
  storeId: number,
  destinationId: number | null = null,
) {
  const lookUpDestination = destinationId !== null && destinationId <= MAX_LOCATION_ID;
  return db
    .selectFrom('stores as s')
    .innerJoin('businesses as b', 'b.id', 's.business_id')
    .select((eb) => [
      's.id',
      's.payment_methods',
      's.va_bank_codes',
      's.is_unique_code',
      's.max_unique_code_amount',
      's.is_auto_expire',
      's.auto_expire_days',
      's.is_courier_required',
      's.is_postal_code',
      's.auto_other_income',
      's.fixed_auto_other_income',
      's.other_income_name',
      's.dynamic_other_income_cod_type',
      's.dynamic_other_income_cod_default_amount',
      's.dynamic_other_income_cod_default_percentage',
      's.dynamic_other_income_epayment_type',
      's.dynamic_other_income_epayment_default_amount',
      's.dynamic_other_income_epayment_default_percentage',
      's.store_courier_other_incomes',
      's.warehouse_id',
      // Anti-spam settings (`spam.ts`).
      's.is_advanced_validation',
      's.min_name_length',
      's.min_address_length',
      's.max_per_phone',
      's.max_per_ip',
      's.blocked_message',
      's.is_order_hard_filter',
      's.is_customer_spam_filter',
      's.is_ip_spam_filter',
      's.is_spam_filter',
      // The business's possible shipping origins (as `listShippingWarehouses`, without stock: the
      // priced items carry their stock rows).
      sql<ShippingWarehouse[]>`coalesce((
        select json_agg(json_build_object(
          'id', w.id, 'business_id', w.business_id, 'unique_id', w.unique_id, 'name', w.name,
          'address', w.address, 'postal_code', w.postal_code, 'is_active', w.is_active,
          'location_id', w.location_id, 'province_id', l.province_id, 'city_id', l.city_id,
          'province_name', l.province_name, 'city_name', l.city_name, 'subdistrict_name', l.subdistrict_name
        ) order by w.id)
        from warehouses w left join locations l on l.id = w.location_id
        where w.business_id = s.business_id and w.is_active and w.location_id is not null
      ), '[]'::json)`.as('warehouses'),
      sql<string[]>`coalesce((
        select array_agg(sc.courier_code order by sc.courier_code)
        from store_couriers sc where sc.store_id = s.id
      ), '{}')`.as('courier_codes'),
      's.unique_id as store_unique_id',
      's.name as store_name',
      's.logo as store_logo',
      's.is_transferproof_required as store_is_transferproof_required',
      'b.tax_rate',
      'b.unique_id as business_unique_id',
      'b.username as business_username',
      'b.account_holder as business_account_holder',
      'b.email as business_email',
      activePaymentAccounts(eb, 's.business_id'),
      // Every charge by payment method (a handful per store): pricing picks the buyer's method's.
      jsonArrayFrom(
        eb
          .selectFrom('store_method_other_incomes as m')
          .select([
            'm.payment_method',
            'm.sub_payment_method',
            'm.type',
            // As text, exactly as the driver reads numeric columns (JSON numbers could lose digits).
            sql<string>`m.amount::text`.as('amount'),
            sql<string>`m.percentage::text`.as('percentage'),
          ])
          .whereRef('m.store_id', '=', 's.id')
          .orderBy('m.id'),
      ).as('method_other_incomes'),
      // The buyer's destination (null when none was asked, or it is unknown).
      lookUpDestination
        ? jsonObjectFrom(
            eb
              .selectFrom('locations as l')
              .select([
                'l.id',
                'l.province_id',
                'l.city_id',
                'l.province_name',
                'l.city_name',
                'l.subdistrict_name',
                'l.display',
              ])
              .where('l.id', '=', destinationId),
          ).as('destination')
        : sql<LocationRow | null>`null::json`.as('destination'),
    ])
    .where('s.id', '=', storeId)
    .where('s.business_id', '=', businessId)
    .executeTakeFirst();
}
export type CheckoutStoreRow = NonNullable<Awaited<ReturnType<typeof findCheckoutStore>>>;

/** One of the store's charges by payment method (the bank-specific row for VA, or the method-wide one). */
export type MethodOtherIncomeRow = CheckoutStoreRow['method_other_incomes'][number];

/** Variants of the business named by any of their three ids (checkout items may use public ids). */
export function variantIdsByRefs(db: Db, businessId: number, uuids: string[], uniqueIds: string[]) {
  if (uuids.length === 0 && uniqueIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('variants')
    .select(['id', 'uuid', 'unique_id'])
    .where('business_id', '=', businessId)
    .where((eb) =>
      eb.or([
        ...(uuids.length ? [eb('uuid', 'in', uuids)] : []),
        ...(uniqueIds.length ? [eb('unique_id', 'in', uniqueIds)] : []),
      ]),
    )
    .execute();
}

export function priceOptionIdsByUniqueIds(db: Db, businessId: number, uniqueIds: string[]) {
  if (uniqueIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bundle_price_options')
    .select(['id', 'unique_id'])
    .where('business_id', '=', businessId)
    .where('unique_id', 'in', uniqueIds)
    .execute();
}

/**
 * Transfer amounts already awaited by the store: unpaid bank-transfer orders of the last `days`
 * whose `gross_revenue` lies in [low, high]. Served by the partial index of migration 0016.
 */
export async function awaitedTransferAmounts(
  db: Db,
  storeId: number,
  range: { low: string; high: string },
  since: Date,
): Promise<string[]> {
  const rows = await db
    .selectFrom('orders')
    .select('gross_revenue')
    .where('store_id', '=', storeId)
    .where('payment_method', '=', 'bank_transfer')
    .where('payment_status', '=', 'unpaid')
    .where('gross_revenue', '>=', range.low)
    .where('gross_revenue', '<=', range.high)
    .where('created_at', '>=', since)
    .execute();
  return rows.map((row) => row.gross_revenue);
}

/**
 * Units available per variant where checkout would reserve them: one warehouse, or every active
 * warehouse of the business. Used only to tell "sold out" from "cannot ship there" after a quote failed.
 */
export async function availableUnits(
  db: Db,
  businessId: number,
  variantIds: number[],
  warehouseId: number | null,
): Promise<Map<number, number>> {
  if (variantIds.length === 0) return new Map();
  let query = db
    .selectFrom('warehouse_stocks as ws')
    .innerJoin('warehouses as w', 'w.id', 'ws.warehouse_id')
    .select(['ws.variant_id', sql<string>`sum(ws.qty)`.as('qty')])
    .where('ws.business_id', '=', businessId)
    .where('ws.variant_id', 'in', variantIds)
    .where('w.is_active', '=', true)
    .groupBy('ws.variant_id');
  if (warehouseId !== null) query = query.where('ws.warehouse_id', '=', warehouseId);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.variant_id, Number(row.qty)]));
}

/**
 * A phone's key: its digits, a leading `0` written as `62`, so `+62 812-3456` and `0812 3456` are
 * one phone. Migration 0020 indexes exactly this expression over `orders.customer_phone`; change
 * both together or the counts below stop using the index.
 */
function phoneKey(phone: Expression<string | null> | string) {
  return sql<string>`regexp_replace(regexp_replace(${phone}, '[^0-9]', '', 'g'), '^0+', '62')`;
}

/** What the anti-spam rules ask about one buyer; a part is null when no setting needs it. */
export interface SpamQuestion {
  /** The store's orders that are not canceled, with this phone, since `since`; counted up to `limit`. */
  phoneOrders: { phone: string; since: Date; limit: number } | null;
  /** The same for this client IP. */
  ipOrders: { ip: string; since: Date; limit: number } | null;
  /** Whether an order of the store with this e-mail (as stored: trimmed, lower case) or phone is probable spam. */
  flaggedBuyer: { email: string; phone: string | null } | null;
  /** Whether an order of the store from this IP since `since` is probable spam. */
  flaggedIp: { ip: string; since: Date } | null;
}

export interface SpamEvidence {
  phoneOrders: number;
  ipOrders: number;
  flaggedBuyer: boolean;
  flaggedIp: boolean;
}

/**
 * Answers every part of `question` in one statement, each part a range scan of its own index
 * (migration 0020); parts not asked cost nothing. Counts stop at their limit: past it the exact
 * number does not matter, and a flood from one IP must not make each later checkout count it all.
 */
export async function spamEvidence(
  db: Db,
  store: { businessId: number; storeId: number },
  question: SpamQuestion,
): Promise<SpamEvidence> {
  const { phoneOrders, ipOrders, flaggedBuyer, flaggedIp } = question;
  const ofStore = sql`o.business_id = ${store.businessId} and o.store_id = ${store.storeId}`;
  const samePhone = (phone: string) =>
    sql`o.customer_phone is not null and ${phoneKey(sql.ref('o.customer_phone'))} = ${phoneKey(phone)}`;
  const sameIp = (ip: string) => sql`o.client_ip is not null and o.client_ip = ${ip}`;
  const recent = (match: RawBuilder<unknown>, since: Date, limit: number) => sql<number>`(
    select count(*)::int from (
      select 1 from orders o
      where ${ofStore} and ${match} and o.created_at >= ${since} and o.status <> 'canceled'
      limit ${limit}
    ) counted)`;
  const spam = (match: RawBuilder<unknown>) =>
    sql<boolean>`exists (select 1 from orders o where ${ofStore} and o.is_probably_spam and ${match})`;
  return db
    .selectNoFrom([
      (phoneOrders
        ? recent(samePhone(phoneOrders.phone), phoneOrders.since, phoneOrders.limit)
        : sql<number>`0`
      ).as('phoneOrders'),
      (ipOrders ? recent(sameIp(ipOrders.ip), ipOrders.since, ipOrders.limit) : sql<number>`0`).as(
        'ipOrders',
      ),
      (flaggedBuyer
        ? sql<boolean>`(${spam(sql`o.customer_email = ${flaggedBuyer.email}`)}${
            flaggedBuyer.phone ? sql` or ${spam(samePhone(flaggedBuyer.phone))}` : sql``
          })`
        : sql<boolean>`false`
      ).as('flaggedBuyer'),
      (flaggedIp
        ? spam(sql`${sameIp(flaggedIp.ip)} and o.created_at >= ${flaggedIp.since}`)
        : sql<boolean>`false`
      ).as('flaggedIp'),
    ])
    .executeTakeFirstOrThrow();
}
