import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** The store settings checkout prices and validates with, in one row. */
export function findCheckoutStore(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('stores')
    .select([
      'id',
      'payment_methods',
      'va_bank_codes',
      'is_unique_code',
      'max_unique_code_amount',
      'is_auto_expire',
      'auto_expire_days',
      'is_courier_required',
      'is_postal_code',
      'auto_other_income',
      'fixed_auto_other_income',
      'other_income_name',
      'dynamic_other_income_cod_type',
      'dynamic_other_income_cod_default_amount',
      'dynamic_other_income_cod_default_percentage',
      'dynamic_other_income_epayment_type',
      'dynamic_other_income_epayment_default_amount',
      'dynamic_other_income_epayment_default_percentage',
      'store_courier_other_incomes',
    ])
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}
export type CheckoutStoreRow = NonNullable<Awaited<ReturnType<typeof findCheckoutStore>>>;

/** The store's charges for one payment method: the bank-specific row (VA) and the method-wide one. */
export function methodOtherIncomes(db: Db, storeId: number, paymentMethod: string) {
  return db
    .selectFrom('store_method_other_incomes')
    .select(['sub_payment_method', 'type', 'amount', 'percentage'])
    .where('store_id', '=', storeId)
    .where('payment_method', '=', paymentMethod)
    .execute();
}
export type MethodOtherIncomeRow = Awaited<ReturnType<typeof methodOtherIncomes>>[number];

export function findLocation(db: Db, locationId: number) {
  return db
    .selectFrom('locations')
    .select(['id', 'province_name', 'city_name', 'subdistrict_name'])
    .where('id', '=', locationId)
    .executeTakeFirst();
}

export function findWarehouseId(db: Db, businessId: number, uniqueId: string) {
  return db
    .selectFrom('warehouses')
    .select('id')
    .where('business_id', '=', businessId)
    .where('unique_id', '=', uniqueId)
    .executeTakeFirst();
}

export function findCourier(db: Db, code: string) {
  return db.selectFrom('couriers').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst();
}

/** The account bank-transfer buyers are pointed at first: the business's oldest active one. */
export function firstActivePaymentAccount(db: Db, businessId: number) {
  return db
    .selectFrom('payment_accounts as pa')
    .innerJoin('financial_entities as fe', 'fe.id', 'pa.financial_entity_id')
    .select(['fe.code as bank', 'pa.account_number', 'pa.account_holder'])
    .where('pa.business_id', '=', businessId)
    .where('pa.is_active', '=', true)
    .orderBy('pa.id')
    .limit(1)
    .executeTakeFirst();
}

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
