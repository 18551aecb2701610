import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { newId } from '../../lib/ids.ts';
import { normalizeMoney } from '../../lib/money.ts';
import * as q from './queries.ts';
import type * as schemas from './schemas.ts';
import { SETTING_KEYS } from './schemas.ts';

export interface StoreCaller {
  businessId: number;
  userId: number | null;
}

type UpdateStoreInput = Static<typeof schemas.UpdateStoreRequest>;
type MethodOtherIncomeInput = Static<typeof schemas.StoreMethodOtherIncomeInput>;

const PAGE_SIZE = 25;

/** Settings columns shown on the Store object exactly as stored. */
const PLAIN_SETTINGS = [
  'is_public',
  'warehouse_id',
  'is_auto_expire',
  'auto_expire_days',
  'is_discount_editable',
  'is_unique_code',
  'max_unique_code_amount',
  'is_postal_code',
  'postal_code_requirement',
  'is_customer_otp_required',
  'is_manual_shipping_cost',
  'is_courier_required',
  'is_transferproof_required',
  'is_dropshipping_allowed',
  'is_moota_enabled',
  'email_notification_statuses',
  'email_reply_to_id',
  'email_reply_to_assignment',
  'is_email_new_order',
  'is_email_notifications',
  'whatsapp_notification_statuses',
  'is_whatsapp_new_order',
  'is_whatsapp_payment_d1_fu',
  'is_whatsapp_payment_d2_fu',
  'is_whatsapp_payment_last_fu',
  'is_whatsapp_link_download',
  'non_cod_purchase_triggers',
  'cod_purchase_triggers',
  'capi_purchase_value_type',
  'days_of_payment_processing',
  'is_show_download_invoice',
  'is_show_whatsapp',
  'is_fuc_product_enabled',
  'is_fuc_bundle_enabled',
  'is_advanced_validation',
  'min_name_length',
  'min_address_length',
  'max_per_phone',
  'max_per_ip',
  'blocked_message',
  'is_order_hard_filter',
  'is_customer_spam_filter',
  'is_ip_spam_filter',
  'is_spam_filter',
  'is_use_waba',
  'waba_account_id',
  'greeting_message',
  'inactivity_period',
  'is_greeting_message_enabled',
  'digital_only_complete_type',
  'auto_other_income',
  'fixed_auto_other_income',
  'other_income_name',
  'dynamic_other_income_cod_type',
  'dynamic_other_income_cod_default_amount',
  'dynamic_other_income_epayment_type',
  'dynamic_other_income_epayment_default_amount',
] as const;
const PERCENT_SETTINGS = [
  'dynamic_other_income_cod_default_percentage',
  'dynamic_other_income_epayment_default_percentage',
] as const;
const MONEY_SETTINGS = new Set<string>([
  'fixed_auto_other_income',
  'dynamic_other_income_cod_default_amount',
  'dynamic_other_income_epayment_default_amount',
]);

/** The children a page of stores shows, loaded with one query per kind for the whole page. */
async function loadStoreChildren(db: Db, rows: q.StoreRow[]) {
  const ids = rows.map((row) => row.id);
  const warehouseIds = [
    ...new Set(rows.flatMap((row) => (row.warehouse_id === null ? [] : [row.warehouse_id]))),
  ];
  const [products, priceOptions, incomes, salesPeople, warehouses] = await Promise.all([
    q.productsOfStores(db, ids),
    q.priceOptionsOfStores(db, ids),
    q.methodOtherIncomesOfStores(db, ids),
    q.salesPeopleOfStores(db, ids),
    q.warehousesByIds(db, warehouseIds),
  ]);
  const byStore = <T extends { store_id: number }>(list: T[], storeId: number) =>
    list.filter((item) => item.store_id === storeId);
  return (row: q.StoreRow) => {
    const options = byStore(priceOptions, row.id);
    const bundles = new Map<number, { id: number; name: string; display: string }>();
    for (const option of options) {
      bundles.set(option.bundle_id, {
        id: option.bundle_id,
        name: option.bundle_name,
        display: option.bundle_public_name || option.bundle_name,
      });
    }
    return {
      products: byStore(products, row.id).map((p) => ({
        id: p.id,
        uuid: p.uuid,
        name: p.name,
        slug: p.slug,
        item_type: p.item_type,
        is_hidden_from_listing: p.is_hidden_from_listing,
      })),
      bundle_price_options: options.map((o) => ({
        id: o.id,
        unique_id: o.unique_id,
        bundle_id: o.bundle_id,
        name: o.name,
        price: o.price,
        is_visible: !o.is_hidden_from_listing,
      })),
      bundles: [...bundles.values()],
      store_method_other_incomes: byStore(incomes, row.id).map((i) => ({
        payment_method: i.payment_method,
        sub_payment_method: i.sub_payment_method,
        type: i.type,
        amount: i.amount,
        percentage: Number(i.percentage),
      })),
      store_sales_people: byStore(salesPeople, row.id).map((s) => ({
        id: s.id,
        user_id: s.user_id,
        name: s.name,
        email: s.email,
        weight: s.weight,
        is_active: s.is_active,
      })),
      warehouse: warehouses.find((w) => w.id === row.warehouse_id) ?? null,
    };
  };
}

function toStore(row: q.StoreRow, children: Awaited<ReturnType<typeof loadStoreChildren>>) {
  const settings: Record<string, unknown> = {};
  for (const key of PLAIN_SETTINGS) settings[key] = row[key];
  for (const key of PERCENT_SETTINGS) settings[key] = Number(row[key]);
  return {
    id: row.id,
    unique_id: row.unique_id,
    uuid: row.uuid,
    name: row.name,
    business_id: row.business_id,
    is_active: row.is_active,
    logo: row.logo,
    custom_domain: null,
    payment_methods: row.payment_methods,
    sub_payment_methods: row.va_bank_codes,
    xendit_va_bank_codes: row.va_bank_codes,
    ...settings,
    store_courier_other_incomes: row.store_courier_other_incomes,
    store_custom_audiences: row.store_custom_audiences,
    ...children(row),
    created_at: row.created_at.toISOString(),
    last_updated_at: row.updated_at.toISOString(),
  } as Static<typeof schemas.Store>;
}

async function storeObject(db: Db, row: q.StoreRow) {
  return toStore(row, await loadStoreChildren(db, [row]));
}

export async function requireStore(db: Db, businessId: number, storeId: number) {
  const store = await q.findStoreRef(db, businessId, storeId);
  if (!store) throw errors.notFound('Store not found');
  return store;
}

export async function getStore(db: Db, caller: StoreCaller, storeId: number) {
  const row = await q.findStore(db, caller.businessId, storeId);
  if (!row) throw errors.notFound('Store not found');
  return storeObject(db, row);
}

export interface ListStoresQuery extends PageParams {
  search?: string | undefined;
  product_id?: number | undefined;
  domain?: string | undefined;
  has_domain?: boolean | undefined;
}

export async function listStores(db: Db, cursors: CursorCodec, caller: StoreCaller, query: ListStoresQuery) {
  const filters: q.StoreFilters = {
    search: query.search?.trim() || undefined,
    productId: query.product_id,
    matchesNothing: Boolean(query.domain?.trim()) || query.has_domain === true,
  };
  const page = await paginate({
    codec: cursors,
    scope: cursorScope('listBusinessStores', {
      business: caller.businessId,
      search: filters.search,
      product_id: filters.productId,
      domain: query.domain?.trim(),
      has_domain: query.has_domain === undefined ? undefined : String(query.has_domain),
    }),
    page: query,
    defaultPageSize: PAGE_SIZE,
    fetch: (window) => q.listStores(db, caller.businessId, filters, window),
    keyOf: (row) => [row.id],
    map: (row) => row,
  });
  const children = await loadStoreChildren(db, page.data);
  return { ...page, data: page.data.map((row) => toStore(row, children)) };
}

export function listSimplifiedStores(db: Db, cursors: CursorCodec, caller: StoreCaller, page: PageParams) {
  return paginate({
    codec: cursors,
    scope: cursorScope('listBusinessStoresSimplified', { business: caller.businessId }),
    page,
    defaultPageSize: PAGE_SIZE,
    fetch: (window) => q.listSimplifiedStores(db, caller.businessId, window),
    keyOf: (row) => [row.id],
    map: (row) => ({ ...row }),
  });
}

function rejectCustomDomain(customDomainId: number | null | undefined): void {
  // No custom domain can exist yet, so every id is unknown; null (no domain) is always fine.
  if (customDomainId !== undefined && customDomainId !== null)
    throw errors.invalidField('custom_domain_id', 'does not match a custom domain of this business');
}

export async function createStore(
  db: Db,
  caller: StoreCaller,
  input: { name: string; custom_domain_id?: number | null | undefined },
) {
  const name = input.name.trim();
  if (!name) throw errors.invalidField('name', 'must not be blank');
  rejectCustomDomain(input.custom_domain_id);
  const { id } = await q.insertStore(db, {
    businessId: caller.businessId,
    uniqueId: newId.storeUniqueId(),
    name,
  });
  return getStore(db, caller, id);
}

function methodOtherIncomeRows(items: MethodOtherIncomeInput[]) {
  const seen = new Set<string>();
  return items.map((item, index) => {
    const field = `store_method_other_incomes.${index}`;
    const sub = item.sub_payment_method ?? null;
    if (sub !== null && item.payment_method !== 'va')
      throw errors.invalidField(`${field}.sub_payment_method`, 'is only allowed with payment_method va');
    const key = `${item.payment_method}/${sub ?? ''}`;
    if (seen.has(key)) throw errors.invalidField(field, 'repeats a payment method');
    seen.add(key);
    if (item.type === 'fixed' && item.amount === undefined)
      throw errors.invalidField(`${field}.amount`, 'is required when type is fixed');
    if (item.type === 'percentage' && item.percentage === undefined)
      throw errors.invalidField(`${field}.percentage`, 'is required when type is percentage');
    return {
      payment_method: item.payment_method,
      sub_payment_method: sub,
      type: item.type,
      amount: normalizeMoney(item.type === 'fixed' ? (item.amount ?? '0') : '0'),
      percentage: String(item.type === 'percentage' ? (item.percentage ?? 0) : 0),
    };
  });
}

/**
 * Applies a partial update: only the fields sent change. The list-valued fields
 * (`store_method_other_incomes`, `store_sales_people`, ...) replace the whole list when sent.
 */
export async function updateStore(db: Db, caller: StoreCaller, storeId: number, input: UpdateStoreInput) {
  const {
    name,
    custom_domain_id,
    logo,
    store_method_other_incomes,
    store_sales_people,
    store_courier_other_incomes,
    store_custom_audiences,
    ...settings
  } = input;
  rejectCustomDomain(custom_domain_id);
  const columns: q.StoreColumnUpdate = {};
  if (name !== undefined) {
    if (!name.trim()) throw errors.invalidField('name', 'must not be blank');
    columns.name = name.trim();
  }
  if (logo !== undefined) columns.logo = logo?.trim() ? logo.trim() : null;
  for (const key of SETTING_KEYS) {
    const value = settings[key];
    if (value === undefined) continue;
    if (MONEY_SETTINGS.has(key)) columns[key as keyof q.StoreColumnUpdate] = normalizeMoney(value as string);
    else if ((PERCENT_SETTINGS as readonly string[]).includes(key))
      columns[key as keyof q.StoreColumnUpdate] = String(value);
    else columns[key as keyof q.StoreColumnUpdate] = value;
  }
  if (store_courier_other_incomes !== undefined)
    columns.store_courier_other_incomes = JSON.stringify(store_courier_other_incomes);
  if (store_custom_audiences !== undefined)
    columns.store_custom_audiences = JSON.stringify(store_custom_audiences);
  const incomeRows =
    store_method_other_incomes === undefined ? undefined : methodOtherIncomeRows(store_method_other_incomes);

  return db.transaction().execute(async (trx) => {
    await requireStore(trx, caller.businessId, storeId);
    await q.lockStore(trx, storeId);
    if (settings.warehouse_id !== undefined && settings.warehouse_id !== null) {
      if (!(await q.findWarehouse(trx, caller.businessId, settings.warehouse_id)))
        throw errors.invalidField('warehouse_id', 'does not match a warehouse of this business');
    }
    if (store_sales_people !== undefined) {
      const userIds = store_sales_people.map((person) => person.user_id);
      if (new Set(userIds).size !== userIds.length)
        throw errors.invalidField('store_sales_people', 'lists a user more than once');
      const members = await q.verifiedMemberIds(trx, caller.businessId, userIds);
      const stranger = store_sales_people.findIndex((person) => !members.has(person.user_id));
      if (stranger >= 0)
        throw errors.invalidField(
          `store_sales_people.${stranger}.user_id`,
          'is not a verified member of this business',
        );
      await q.replaceSalesPeople(
        trx,
        caller.businessId,
        storeId,
        store_sales_people.map((person) => ({
          user_id: person.user_id,
          weight: person.weight ?? 1,
          is_active: person.is_active ?? true,
        })),
      );
    }
    if (incomeRows) await q.replaceMethodOtherIncomes(trx, caller.businessId, storeId, incomeRows);
    await q.updateStore(trx, caller.businessId, storeId, columns);
    return getStore(trx, caller, storeId);
  });
}

/**
 * Deleting removes the store with its listings and setup (cascade). It is refused while the store
 * is live somewhere else: active storefront API keys (a headless storefront calls with them) or
 * pages published on it.
 */
export async function deleteStore(db: Db, caller: StoreCaller, storeId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireStore(trx, caller.businessId, storeId);
    await q.lockStore(trx, storeId);
    const blockers = await q.storeDeleteBlockers(trx, storeId);
    if (blockers.hasKeys)
      throw errors.conflict('The store still has active storefront public API keys; revoke them first');
    if (blockers.hasPages) throw errors.conflict('The store still has pages; move or delete them first');
    // Orders are the merchant's records: a store that sold something is deactivated, never deleted.
    if (blockers.hasOrders)
      throw errors.conflict('The store has orders; deactivate it instead of deleting it');
    await q.deleteStore(trx, caller.businessId, storeId);
  });
}
