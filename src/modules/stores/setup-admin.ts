/**
 * Writes to store setup data. The v3 API only reads this data; the operator manages it with the
 * `nexus` CLI (src/cli/commands/store-setup.ts), which calls these functions.
 */
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { randomString } from '../../lib/ids.ts';
import { normalizeMoney } from '../../lib/money.ts';
import { isStorePaymentMethod, STORE_PAYMENT_METHOD_CODES, VA_BANK_CODES } from './payment-methods.ts';
import * as storeQueries from './queries.ts';
import * as q from './setup-queries.ts';
import { toChannel, toPaymentAccount, toSalesPerson } from './setup-service.ts';

async function requireStore(db: Db, businessId: number, storeId: number) {
  const store = await storeQueries.findStoreRef(db, businessId, storeId);
  if (!store) throw errors.notFound(`No store ${storeId} in this business`);
  return store;
}

function vaBankCodes(codes: string[]): string[] {
  const unknown = codes.filter((code) => !(VA_BANK_CODES as readonly string[]).includes(code));
  if (unknown.length)
    throw errors.invalidField(
      'va_bank_codes',
      `unknown VA banks ${unknown.join(', ')}; use ${VA_BANK_CODES.join(', ')}`,
    );
  return [...new Set(codes)];
}

export async function createWarehouse(
  db: Db,
  businessId: number,
  input: {
    name: string;
    contactName?: string | undefined;
    contactPhone?: string | undefined;
    address?: string | undefined;
    locationId?: number | undefined;
    postalCode?: string | undefined;
  },
) {
  if (!input.name.trim()) throw errors.invalidField('name', 'must not be blank');
  if (input.locationId !== undefined && !(await q.locationExists(db, input.locationId)))
    throw errors.invalidField('location_id', 'is not a known location (run `nexus locations import` first?)');
  return q.insertWarehouse(db, {
    business_id: businessId,
    unique_id: `warehouse_${randomString(24)}`,
    name: input.name.trim(),
    contact_name: input.contactName ?? null,
    contact_phone: input.contactPhone ?? null,
    address: input.address ?? null,
    location_id: input.locationId ?? null,
    postal_code: input.postalCode ?? null,
  });
}

export const listWarehouses = q.listWarehouses;

export async function setStock(
  db: Db,
  businessId: number,
  input: { warehouseUniqueId: string; variantUniqueId: string; qty: number },
) {
  if (!Number.isInteger(input.qty) || input.qty < 0)
    throw errors.invalidField('qty', 'must be a whole number >= 0');
  const warehouse = await q.findWarehouseByUniqueId(db, businessId, input.warehouseUniqueId);
  if (!warehouse) throw errors.notFound(`No warehouse ${input.warehouseUniqueId} in this business`);
  const variant = await q.findVariantByUniqueId(db, businessId, input.variantUniqueId);
  if (!variant) throw errors.notFound(`No variant ${input.variantUniqueId} in this business`);
  await q.setStock(db, {
    business_id: businessId,
    warehouse_id: warehouse.id,
    variant_id: variant.id,
    qty: input.qty,
  });
  return { warehouse_unique_id: warehouse.unique_id, variant_unique_id: variant.unique_id, qty: input.qty };
}

export async function listStock(db: Db, businessId: number, warehouseUniqueId: string) {
  const warehouse = await q.findWarehouseByUniqueId(db, businessId, warehouseUniqueId);
  if (!warehouse) throw errors.notFound(`No warehouse ${warehouseUniqueId} in this business`);
  return q.listStock(db, businessId, warehouse.id);
}

export async function createPaymentAccount(
  db: Db,
  businessId: number,
  input: { bank: string; accountNumber: string; accountHolder: string },
) {
  const entity = await q.findFinancialEntity(db, input.bank.trim());
  if (!entity) {
    const codes = (await q.listFinancialEntityCodes(db)).map((row) => row.code);
    throw errors.invalidField('bank', `is unknown; use one of ${codes.join(', ')}`);
  }
  const accountNumber = input.accountNumber.replace(/[\s-]/g, '');
  if (!/^\d{4,30}$/.test(accountNumber))
    throw errors.invalidField('account_number', 'must be 4 to 30 digits');
  if (!input.accountHolder.trim()) throw errors.invalidField('account_holder', 'must not be blank');
  const inserted = await q.insertPaymentAccount(db, {
    business_id: businessId,
    unique_id: `payment_account_${randomString(24)}`,
    financial_entity_id: entity.id,
    account_number: accountNumber,
    account_holder: input.accountHolder.trim(),
  });
  if (!inserted) throw errors.conflict(`${entity.code} account ${accountNumber} already exists`);
  return toPaymentAccount((await q.findPaymentAccount(db, businessId, inserted.id))!);
}

export async function listPaymentAccounts(db: Db, businessId: number) {
  return (await q.listAllPaymentAccounts(db, businessId)).map(toPaymentAccount);
}

export async function addSalesPerson(
  db: Db,
  businessId: number,
  input: { storeId: number; userId: number; weight?: number | undefined },
) {
  await requireStore(db, businessId, input.storeId);
  const weight = input.weight ?? 1;
  if (!Number.isInteger(weight) || weight < 1 || weight > 1000)
    throw errors.invalidField('weight', 'must be a whole number from 1 to 1000');
  const members = await storeQueries.verifiedMemberIds(db, businessId, [input.userId]);
  if (!members.has(input.userId))
    throw errors.invalidField('email', 'is not a verified member of this business');
  await q.upsertSalesPerson(db, {
    business_id: businessId,
    store_id: input.storeId,
    user_id: input.userId,
    weight,
  });
  return toSalesPerson(await q.findSalesPerson(db, input.storeId, input.userId));
}

export async function listSalesPeople(db: Db, businessId: number, storeId: number) {
  await requireStore(db, businessId, storeId);
  const rows = await q.listSalesPeople(db, businessId, storeId, {
    values: null,
    backward: false,
    limit: 1000,
  });
  return rows.map(toSalesPerson);
}

export async function createChannel(db: Db, businessId: number, input: { storeId: number; name: string }) {
  await requireStore(db, businessId, input.storeId);
  const name = input.name.trim();
  if (!name || name.length > 100) throw errors.invalidField('name', 'must be 1 to 100 characters');
  const row = await q.insertChannel(db, {
    business_id: businessId,
    store_id: input.storeId,
    unique_id: `channel_${randomString(24)}`,
    name,
  });
  if (!row) throw errors.conflict(`The store already has a channel named ${name}`);
  return toChannel(row);
}

export async function listChannels(db: Db, businessId: number, storeId: number) {
  await requireStore(db, businessId, storeId);
  return (await q.listAllChannels(db, storeId)).map(toChannel);
}

/** Replaces the store's enabled payment methods (and, when given, its VA banks). */
export async function setPaymentMethods(
  db: Db,
  businessId: number,
  input: { storeId: number; methods: string[]; vaBanks?: string[] | undefined },
) {
  await requireStore(db, businessId, input.storeId);
  const unknown = input.methods.filter((method) => !isStorePaymentMethod(method));
  if (unknown.length)
    throw errors.invalidField(
      'methods',
      `unknown payment methods ${unknown.join(', ')}; use ${STORE_PAYMENT_METHOD_CODES.join(', ')}`,
    );
  const values = {
    payment_methods: STORE_PAYMENT_METHOD_CODES.filter((code) => input.methods.includes(code)),
    ...(input.vaBanks ? { va_bank_codes: vaBankCodes(input.vaBanks) } : {}),
  };
  await q.setPaymentMethods(db, input.storeId, values);
  return q.storePaymentSettings(db, input.storeId);
}

/** Sets one charge per listed method (replacing that method's previous charge) in one transaction. */
export async function setOtherCharge(
  db: Db,
  businessId: number,
  input: {
    storeId: number;
    methods: string[];
    vaBank?: string | undefined;
    type: string;
    amount?: string | undefined;
    percentage?: string | undefined;
    name?: string | undefined;
  },
) {
  const unknown = input.methods.filter((method) => !isStorePaymentMethod(method));
  if (input.methods.length === 0 || unknown.length)
    throw errors.invalidField(
      'methods',
      `must list payment methods from ${STORE_PAYMENT_METHOD_CODES.join(', ')}`,
    );
  if (input.type !== 'fixed' && input.type !== 'percentage')
    throw errors.invalidField('type', 'must be fixed or percentage');
  if (input.vaBank !== undefined && (input.methods.length !== 1 || input.methods[0] !== 'va'))
    throw errors.invalidField('va_bank', 'is only allowed with --methods va');
  const subPaymentMethod = input.vaBank === undefined ? null : vaBankCodes([input.vaBank])[0]!;
  let amount = '0.00';
  let percentage = '0';
  if (input.type === 'fixed') {
    if (input.amount === undefined || !/^\d{1,18}(\.\d{1,2})?$/.test(input.amount))
      throw errors.invalidField('amount', 'must be a decimal amount such as 5000 for a fixed charge');
    amount = normalizeMoney(input.amount);
  } else {
    const value = Number(input.percentage);
    if (input.percentage === undefined || !Number.isFinite(value) || value < 0 || value > 100)
      throw errors.invalidField('percentage', 'must be a number from 0 to 100 for a percentage charge');
    percentage = String(value);
  }
  await db.transaction().execute(async (trx) => {
    await requireStore(trx, businessId, input.storeId);
    await storeQueries.lockStore(trx, input.storeId);
    for (const method of new Set(input.methods)) {
      await q.upsertMethodOtherIncome(trx, {
        business_id: businessId,
        store_id: input.storeId,
        payment_method: method,
        sub_payment_method: subPaymentMethod,
        type: input.type as 'fixed' | 'percentage',
        amount,
        percentage,
      });
    }
    if (input.name !== undefined) await q.setOtherIncomeName(trx, input.storeId, input.name.trim());
  });
  return listOtherCharges(db, businessId, input.storeId);
}

export async function listOtherCharges(db: Db, businessId: number, storeId: number) {
  await requireStore(db, businessId, storeId);
  const [rows, store] = await Promise.all([
    q.methodOtherIncomes(db, storeId),
    storeQueries.findStore(db, businessId, storeId),
  ]);
  return {
    other_income_name: store?.other_income_name ?? '',
    charges: rows.map((row) => ({
      payment_method: row.payment_method,
      sub_payment_method: row.sub_payment_method,
      type: row.type,
      amount: row.amount,
      percentage: Number(row.percentage),
    })),
  };
}
