/**
 * A customer's saved addresses, the one service behind the business routes
 * (`/v3/customers/{customer_id}/addresses`) and the customer's own (`/customers/me/addresses`).
 *
 * One default per customer: the first address becomes it, `is_default: true` moves it, and deleting
 * it promotes the newest remaining address. Every change locks the customer row first, so concurrent
 * changes of one customer's addresses run one after another and the single default always holds.
 */
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { parseNumericId, type RecordRef } from '../../lib/refs.ts';
import * as aq from './address-queries.ts';
import * as q from './queries.ts';
import { cleanEmail, cleanPhone, cleanText } from './rules.ts';
import type * as schemas from './schemas.ts';
import { customerNotFound, throwIfInvalid } from './service.ts';

export type CustomerAddressObject = Static<typeof schemas.CustomerAddress>;
type AddressInput = Static<typeof schemas.CustomerAddressRequest>;

/** Whose addresses: a customer of a business, named by numeric id or uuid. */
export interface AddressScope {
  businessId: number;
  customer: RecordRef;
}

const PAGE_SIZE = 25;
/** Plenty for real buyers; keeps one account from filling the table. */
export const MAX_ADDRESSES = 50;

const MAX_INT4 = 2_147_483_647;

const addressNotFound = () => errors.notFound('Address not found');

export function presentAddress(row: aq.AddressRow): CustomerAddressObject {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    location:
      row.location_id === null || row.subdistrict_name === null
        ? null
        : {
            id: row.location_id,
            subdistrict_name: row.subdistrict_name,
            city_name: row.city_name ?? '',
            province_name: row.province_name ?? '',
          },
    address: row.address,
    postal_code: row.postal_code,
    notes: row.notes,
    is_default: row.is_default,
  };
}

function parseAddressId(text: string): number {
  const id = parseNumericId(text);
  if (id === null) throw addressNotFound();
  return id;
}

async function ownerOf(db: Db, scope: AddressScope): Promise<aq.AddressOwner> {
  const customer = await q.findCustomer(db, scope.businessId, scope.customer);
  if (!customer) throw customerNotFound();
  return { businessId: scope.businessId, customerId: customer.id };
}

/** The customer row locked for the rest of the transaction. */
async function lockOwner(trx: Db, scope: AddressScope): Promise<aq.AddressOwner> {
  const customerId = await q.lockCustomer(trx, scope.businessId, scope.customer);
  if (customerId === null) throw customerNotFound();
  return { businessId: scope.businessId, customerId };
}

export async function listAddresses(
  db: Db,
  cursors: CursorCodec,
  scope: AddressScope,
  page: PageParams,
  list: string,
) {
  const owner = await ownerOf(db, scope);
  return paginate({
    codec: cursors,
    scope: cursorScope(list, { business: owner.businessId, customer: owner.customerId }),
    page,
    defaultPageSize: PAGE_SIZE,
    fetch: (window) => aq.listAddresses(db, owner, window),
    keyOf: (row) => [row.default_rank, row.id],
    map: presentAddress,
  });
}

/** Every saved address, default first (checkout offers them all; at most MAX_ADDRESSES). */
export async function allAddresses(db: Db, scope: AddressScope): Promise<CustomerAddressObject[]> {
  const owner = await ownerOf(db, scope);
  return (await aq.allAddresses(db, owner)).map(presentAddress);
}

export async function getAddress(db: Db, scope: AddressScope, idText: string) {
  const id = parseAddressId(idText);
  const row = await aq.findAddress(db, await ownerOf(db, scope), id);
  if (!row) throw addressNotFound();
  return presentAddress(row);
}

type AddressValues = {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  location_id?: number;
  address?: string;
  postal_code?: string | null;
  notes?: string | null;
};

/** The contract takes the location id as a number or a numeric string; it must name a delivery location. */
async function knownLocation(db: Db, raw: number | string | null, fieldErrors: FieldErrors) {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  if (text === null || text === '') {
    fieldErrors.location_id = ["can't be blank"];
    return null;
  }
  const id = typeof text === 'number' ? text : parseNumericId(text);
  if (
    id === null ||
    !Number.isSafeInteger(id) ||
    id < 1 ||
    id > MAX_INT4 ||
    !(await aq.findLocation(db, id))
  ) {
    fieldErrors.location_id = ['is not a known location'];
    return null;
  }
  return id;
}

/** Cleans the fields sent; `required` (create) also insists on what shipping needs: location and address. */
async function addressValues(db: Db, input: AddressInput, required: boolean): Promise<AddressValues> {
  const fieldErrors: FieldErrors = {};
  const values: AddressValues = {};
  if (input.name !== undefined) values.name = cleanText(input.name);
  if (input.phone !== undefined) values.phone = cleanPhone(input.phone, 'phone', fieldErrors);
  if (input.email !== undefined) values.email = cleanEmail(input.email, 'email', fieldErrors);
  if (input.postal_code !== undefined) values.postal_code = cleanText(input.postal_code);
  if (input.notes !== undefined) values.notes = cleanText(input.notes);
  if (input.address !== undefined || required) {
    const address = cleanText(input.address);
    if (address) values.address = address;
    else fieldErrors.address = ["can't be blank"];
  }
  if (input.location_id !== undefined || required) {
    const locationId = await knownLocation(db, input.location_id ?? null, fieldErrors);
    if (locationId !== null) values.location_id = locationId;
  }
  throwIfInvalid(fieldErrors);
  return values;
}

export async function createAddress(db: Db, scope: AddressScope, input: AddressInput) {
  const id = await db.transaction().execute(async (trx) => {
    const owner = await lockOwner(trx, scope);
    const values = await addressValues(trx, input, true);
    const count = await aq.countAddresses(trx, owner);
    if (count >= MAX_ADDRESSES)
      throw errors.invalidField(
        'address',
        `cannot be added: a customer keeps at most ${MAX_ADDRESSES} addresses`,
      );
    const isDefault = count === 0 || input.is_default === true;
    if (isDefault) await aq.clearDefault(trx, owner);
    return aq.insertAddress(trx, {
      business_id: owner.businessId,
      customer_id: owner.customerId,
      name: values.name ?? null,
      phone: values.phone ?? null,
      email: values.email ?? null,
      location_id: values.location_id ?? null,
      address: values.address ?? null,
      postal_code: values.postal_code ?? null,
      notes: values.notes ?? null,
      is_default: isDefault,
    });
  });
  return getAddress(db, scope, String(id));
}

export async function updateAddress(db: Db, scope: AddressScope, idText: string, input: AddressInput) {
  const id = parseAddressId(idText);
  return db.transaction().execute(async (trx) => {
    const owner = await lockOwner(trx, scope);
    const current = await aq.findAddress(trx, owner, id);
    if (!current) throw addressNotFound();
    const values = await addressValues(trx, input, false);
    if (input.is_default === false && current.is_default)
      throw errors.invalidField('is_default', 'cannot be unset: make another address the default instead');
    if (input.is_default === true && !current.is_default) await aq.clearDefault(trx, owner);
    await aq.updateAddress(trx, owner, id, {
      ...values,
      ...(input.is_default === true ? { is_default: true } : {}),
    });
    const row = await aq.findAddress(trx, owner, id);
    if (!row) throw addressNotFound();
    return presentAddress(row);
  });
}

export async function deleteAddress(db: Db, scope: AddressScope, idText: string): Promise<void> {
  const id = parseAddressId(idText);
  await db.transaction().execute(async (trx) => {
    const owner = await lockOwner(trx, scope);
    const deleted = await aq.deleteAddress(trx, owner, id);
    if (!deleted) throw addressNotFound();
    if (deleted.is_default) await aq.promoteNewestAddress(trx, owner);
  });
}
