import type { Db } from '../../db/database.ts';
import {
  type CursorCodec,
  cursorScope,
  type KeysetWindow,
  type PageParams,
  paginate,
} from '../../http/pagination.ts';
import { isStorePaymentMethod, STORE_PAYMENT_METHODS } from './payment-methods.ts';
import { requireStore, type StoreCaller } from './service.ts';
import * as q from './setup-queries.ts';

const PAGE_SIZE = 25;

export function toPaymentAccount(row: q.PaymentAccountRow) {
  return {
    id: row.id,
    unique_id: row.unique_id,
    account_number: row.account_number,
    account_holder: row.account_holder,
    financial_entity: {
      id: row.financial_entity_id,
      code: row.financial_entity_code,
      name: row.financial_entity_name,
      entity_type: row.financial_entity_type,
    },
    is_active: row.is_active,
    created_at: row.created_at.toISOString(),
    last_updated_at: row.updated_at.toISOString(),
  };
}

export function toSalesPerson(row: q.SalesPersonRow) {
  return {
    id: row.id,
    user_id: row.user_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    weight: row.weight,
    is_active: row.is_active,
    created_at: row.created_at.toISOString(),
  };
}

export function toChannel(row: q.ChannelRow) {
  return {
    id: row.id,
    unique_id: row.unique_id,
    name: row.name,
    store_id: row.store_id,
    is_active: row.is_active,
    created_at: row.created_at.toISOString(),
    last_updated_at: row.updated_at.toISOString(),
  };
}

/** Enabled methods in the canonical order, each with its VA banks and its other charges. */
export async function listPaymentMethods(db: Db, caller: StoreCaller, storeId: number) {
  await requireStore(db, caller.businessId, storeId);
  const [settings, incomes] = await Promise.all([
    q.storePaymentSettings(db, storeId),
    q.methodOtherIncomes(db, storeId),
  ]);
  const enabled = new Set(settings.payment_methods);
  return Object.entries(STORE_PAYMENT_METHODS)
    .filter(([code]) => enabled.has(code) && isStorePaymentMethod(code))
    .map(([code, method]) => ({
      payment_method: code,
      name: method.name,
      is_epayment: method.is_epayment,
      sub_payment_methods: code === 'va' ? settings.va_bank_codes : [],
      other_incomes: incomes
        .filter((income) => income.payment_method === code)
        .map((income) => ({
          sub_payment_method: income.sub_payment_method,
          type: income.type,
          amount: income.amount,
          percentage: Number(income.percentage),
        })),
    }));
}

function pageOf<Row, Out>(
  list: string,
  cursors: CursorCodec,
  caller: StoreCaller,
  storeId: number,
  page: PageParams,
  fetch: (window: KeysetWindow) => Promise<Row[]>,
  keyOf: (row: Row) => number,
  map: (row: Row) => Out,
) {
  return paginate({
    codec: cursors,
    scope: cursorScope(list, { business: caller.businessId, store: storeId }),
    page,
    defaultPageSize: PAGE_SIZE,
    fetch,
    keyOf: (row) => [keyOf(row)],
    map,
  });
}

export async function listPaymentAccounts(
  db: Db,
  cursors: CursorCodec,
  caller: StoreCaller,
  storeId: number,
  page: PageParams,
) {
  await requireStore(db, caller.businessId, storeId);
  return pageOf(
    'listBusinessStorePaymentAccounts',
    cursors,
    caller,
    storeId,
    page,
    (window) => q.listActivePaymentAccounts(db, caller.businessId, window),
    (row) => row.id,
    toPaymentAccount,
  );
}

export async function listSalesPeople(
  db: Db,
  cursors: CursorCodec,
  caller: StoreCaller,
  storeId: number,
  page: PageParams,
) {
  await requireStore(db, caller.businessId, storeId);
  return pageOf(
    'listBusinessStoreSalesPeople',
    cursors,
    caller,
    storeId,
    page,
    (window) => q.listSalesPeople(db, caller.businessId, storeId, window),
    (row) => row.id,
    toSalesPerson,
  );
}

export async function listPages(
  db: Db,
  cursors: CursorCodec,
  caller: StoreCaller,
  storeId: number,
  page: PageParams,
) {
  await requireStore(db, caller.businessId, storeId);
  return pageOf(
    'listBusinessStorePages',
    cursors,
    caller,
    storeId,
    page,
    (window) => q.listPages(db, caller.businessId, storeId, window),
    (row) => row.id,
    (row: q.PageRow) => ({
      id: row.id,
      unique_id: row.unique_id,
      name: row.name,
      store_id: storeId,
      created_at: row.created_at.toISOString(),
      last_updated_at: row.updated_at.toISOString(),
    }),
  );
}

export async function listChannels(
  db: Db,
  cursors: CursorCodec,
  caller: StoreCaller,
  storeId: number,
  page: PageParams,
) {
  await requireStore(db, caller.businessId, storeId);
  return pageOf(
    'listBusinessStoreChannels',
    cursors,
    caller,
    storeId,
    page,
    (window) => q.listChannels(db, caller.businessId, storeId, window),
    (row) => row.id,
    toChannel,
  );
}
