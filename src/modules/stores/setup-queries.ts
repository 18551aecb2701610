import type { Db } from '../../db/database.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';

export function storePaymentSettings(db: Db, storeId: number) {
  return db
    .selectFrom('stores')
    .select(['payment_methods', 'va_bank_codes'])
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
}

export function methodOtherIncomes(db: Db, storeId: number) {
  return db
    .selectFrom('store_method_other_incomes')
    .select(['id', 'payment_method', 'sub_payment_method', 'type', 'amount', 'percentage'])
    .where('store_id', '=', storeId)
    .orderBy('id')
    .execute();
}

export async function setPaymentMethods(
  db: Db,
  storeId: number,
  values: { payment_methods: string[]; va_bank_codes?: string[] },
): Promise<void> {
  await db
    .updateTable('stores')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', storeId)
    .execute();
}

/** Sets the charge of one payment method (and VA bank), replacing the previous one. */
export async function upsertMethodOtherIncome(
  db: Db,
  values: {
    business_id: number;
    store_id: number;
    payment_method: string;
    sub_payment_method: string | null;
    type: 'fixed' | 'percentage';
    amount: string;
    percentage: string;
  },
): Promise<void> {
  await db
    .deleteFrom('store_method_other_incomes')
    .where('store_id', '=', values.store_id)
    .where('payment_method', '=', values.payment_method)
    .where((eb) =>
      values.sub_payment_method === null
        ? eb('sub_payment_method', 'is', null)
        : eb('sub_payment_method', '=', values.sub_payment_method),
    )
    .execute();
  await db.insertInto('store_method_other_incomes').values(values).execute();
}

export async function setOtherIncomeName(db: Db, storeId: number, name: string): Promise<void> {
  await db
    .updateTable('stores')
    .set({ other_income_name: name, updated_at: new Date() })
    .where('id', '=', storeId)
    .execute();
}

const PAYMENT_ACCOUNT_COLUMNS = [
  'pa.id',
  'pa.unique_id',
  'pa.account_number',
  'pa.account_holder',
  'pa.is_active',
  'pa.created_at',
  'pa.updated_at',
  'fe.id as financial_entity_id',
  'fe.code as financial_entity_code',
  'fe.name as financial_entity_name',
  'fe.entity_type as financial_entity_type',
] as const;

function paymentAccountQuery(db: Db, businessId: number) {
  return db
    .selectFrom('payment_accounts as pa')
    .innerJoin('financial_entities as fe', 'fe.id', 'pa.financial_entity_id')
    .select(PAYMENT_ACCOUNT_COLUMNS)
    .where('pa.business_id', '=', businessId);
}

/** Active accounts: every store of the business offers all of them. */
export function listActivePaymentAccounts(db: Db, businessId: number, window: KeysetWindow) {
  return applyKeyset(
    paymentAccountQuery(db, businessId).where('pa.is_active', '=', true),
    ['pa.id'],
    'desc',
    window,
  ).execute();
}
export type PaymentAccountRow = Awaited<ReturnType<typeof listActivePaymentAccounts>>[number];

export function listAllPaymentAccounts(db: Db, businessId: number) {
  return paymentAccountQuery(db, businessId).orderBy('pa.id', 'desc').execute();
}

export function findPaymentAccount(db: Db, businessId: number, id: number) {
  return paymentAccountQuery(db, businessId).where('pa.id', '=', id).executeTakeFirst();
}

export function findFinancialEntity(db: Db, code: string) {
  return db
    .selectFrom('financial_entities')
    .select(['id', 'code'])
    .where('code', '=', code.toUpperCase())
    .executeTakeFirst();
}

export function listFinancialEntityCodes(db: Db) {
  return db.selectFrom('financial_entities').select('code').orderBy('id').execute();
}

export function insertPaymentAccount(
  db: Db,
  values: {
    business_id: number;
    unique_id: string;
    financial_entity_id: number;
    account_number: string;
    account_holder: string;
  },
) {
  return db
    .insertInto('payment_accounts')
    .values(values)
    .onConflict((oc) => oc.columns(['business_id', 'financial_entity_id', 'account_number']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

const SALES_PERSON_COLUMNS = [
  'sp.id',
  'sp.user_id',
  'u.name',
  'u.email',
  'u.phone',
  'sp.weight',
  'sp.is_active',
  'sp.created_at',
] as const;

export function listSalesPeople(db: Db, businessId: number, storeId: number, window: KeysetWindow) {
  const query = db
    .selectFrom('store_sales_people as sp')
    .innerJoin('users as u', 'u.id', 'sp.user_id')
    .select(SALES_PERSON_COLUMNS)
    .where('sp.store_id', '=', storeId)
    .where('sp.business_id', '=', businessId);
  return applyKeyset(query, ['sp.id'], 'desc', window).execute();
}
export type SalesPersonRow = Awaited<ReturnType<typeof listSalesPeople>>[number];

export function findSalesPerson(db: Db, storeId: number, userId: number) {
  return db
    .selectFrom('store_sales_people as sp')
    .innerJoin('users as u', 'u.id', 'sp.user_id')
    .select(SALES_PERSON_COLUMNS)
    .where('sp.store_id', '=', storeId)
    .where('sp.user_id', '=', userId)
    .executeTakeFirstOrThrow();
}

export async function upsertSalesPerson(
  db: Db,
  values: { business_id: number; store_id: number; user_id: number; weight: number },
): Promise<void> {
  await db
    .insertInto('store_sales_people')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['store_id', 'user_id']).doUpdateSet({ weight: values.weight, is_active: true }),
    )
    .execute();
}

export function listPages(db: Db, businessId: number, storeId: number, window: KeysetWindow) {
  const query = db
    .selectFrom('pages')
    .select(['id', 'unique_id', 'name', 'store_id', 'created_at', 'updated_at'])
    .where('store_id', '=', storeId)
    .where('business_id', '=', businessId);
  return applyKeyset(query, ['id'], 'desc', window).execute();
}
export type PageRow = Awaited<ReturnType<typeof listPages>>[number];

const CHANNEL_COLUMNS = [
  'id',
  'unique_id',
  'name',
  'store_id',
  'is_active',
  'created_at',
  'updated_at',
] as const;

export function listChannels(db: Db, businessId: number, storeId: number, window: KeysetWindow) {
  const query = db
    .selectFrom('store_channels')
    .select(CHANNEL_COLUMNS)
    .where('store_id', '=', storeId)
    .where('business_id', '=', businessId);
  return applyKeyset(query, ['id'], 'desc', window).execute();
}
export type ChannelRow = Awaited<ReturnType<typeof listChannels>>[number];

export function listAllChannels(db: Db, storeId: number) {
  return db
    .selectFrom('store_channels')
    .select(CHANNEL_COLUMNS)
    .where('store_id', '=', storeId)
    .orderBy('id', 'desc')
    .execute();
}

/** Inserts unless the store already has a channel of that name (case-insensitive). */
export function insertChannel(
  db: Db,
  values: { business_id: number; store_id: number; unique_id: string; name: string },
) {
  return db
    .insertInto('store_channels')
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .returning(CHANNEL_COLUMNS)
    .executeTakeFirst();
}

export function listWarehouses(db: Db, businessId: number) {
  return db
    .selectFrom('warehouses')
    .select([
      'id',
      'unique_id',
      'name',
      'contact_name',
      'contact_phone',
      'address',
      'location_id',
      'postal_code',
      'is_active',
    ])
    .where('business_id', '=', businessId)
    .orderBy('id', 'desc')
    .execute();
}

export function insertWarehouse(
  db: Db,
  values: {
    business_id: number;
    unique_id: string;
    name: string;
    contact_name: string | null;
    contact_phone: string | null;
    address: string | null;
    location_id: number | null;
    postal_code: string | null;
  },
) {
  return db
    .insertInto('warehouses')
    .values(values)
    .returning([
      'id',
      'unique_id',
      'name',
      'contact_name',
      'contact_phone',
      'address',
      'location_id',
      'postal_code',
      'is_active',
    ])
    .executeTakeFirstOrThrow();
}

export function locationExists(db: Db, locationId: number) {
  return db.selectFrom('locations').select('id').where('id', '=', locationId).executeTakeFirst();
}

export function findWarehouseByUniqueId(db: Db, businessId: number, uniqueId: string) {
  return db
    .selectFrom('warehouses')
    .select(['id', 'unique_id', 'name'])
    .where('business_id', '=', businessId)
    .where('unique_id', '=', uniqueId)
    .executeTakeFirst();
}

export function findVariantByUniqueId(db: Db, businessId: number, uniqueId: string) {
  return db
    .selectFrom('variants')
    .select(['id', 'unique_id'])
    .where('business_id', '=', businessId)
    .where('unique_id', '=', uniqueId)
    .executeTakeFirst();
}

export async function setStock(
  db: Db,
  values: { business_id: number; warehouse_id: number; variant_id: number; qty: number },
): Promise<void> {
  await db
    .insertInto('warehouse_stocks')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['warehouse_id', 'variant_id']).doUpdateSet({ qty: values.qty, updated_at: new Date() }),
    )
    .execute();
}

export function listStock(db: Db, businessId: number, warehouseId: number) {
  return db
    .selectFrom('warehouse_stocks as ws')
    .innerJoin('variants as v', 'v.id', 'ws.variant_id')
    .select(['v.unique_id as variant_unique_id', 'v.sku', 'ws.qty', 'ws.updated_at'])
    .where('ws.warehouse_id', '=', warehouseId)
    .where('ws.business_id', '=', businessId)
    .orderBy('v.id')
    .execute();
}
