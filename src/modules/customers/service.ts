/** The business's customers: the same rows checkout and the CSV import land on (one per e-mail per business). */
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { parseRecordRef, type RecordRef } from '../../lib/refs.ts';
import { type BusinessCustomerObject, presentCustomer } from './present.ts';
import * as q from './queries.ts';
import {
  cleanDateOfBirth,
  cleanEmail,
  cleanPhone,
  cleanSex,
  cleanTags,
  cleanText,
  requiredName,
  tagsFilter,
} from './rules.ts';
import type * as schemas from './schemas.ts';

export interface CustomerCaller {
  businessId: number;
}

type CreateInput = Static<typeof schemas.CreateBusinessCustomerRequest>;
type UpdateInput = Static<typeof schemas.UpdateBusinessCustomerRequest>;
type FilterInput = Static<typeof schemas.CountBusinessCustomersQuery>;

const PAGE_SIZE = 25;
/** The tag list is not paginated; a business with more distinct tags narrows it with `search`. */
const TAG_LIST_LIMIT = 1000;
const EMAIL_TAKEN = 'has already been taken';

export const customerNotFound = () => errors.notFound('Customer not found');

/** The path id names a customer by numeric id or uuid; anything else names none (404). */
export function parseCustomerRef(text: string): RecordRef {
  const ref = parseRecordRef(text);
  if (!ref) throw customerNotFound();
  return ref;
}

export function throwIfInvalid(fieldErrors: FieldErrors): void {
  if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);
}

function filtersOf(query: FilterInput): q.CustomerFilters {
  return { search: cleanText(query.search), tags: tagsFilter(query.tags) };
}

export async function listCustomers(
  db: Db,
  cursors: CursorCodec,
  caller: CustomerCaller,
  query: Static<typeof schemas.ListBusinessCustomersQuery>,
) {
  const filters = filtersOf(query);
  return paginate({
    codec: cursors,
    scope: cursorScope('listBusinessCustomers', {
      business: caller.businessId,
      search: filters.search,
      tags: filters.tags.join(','),
    }),
    page: query as PageParams,
    defaultPageSize: PAGE_SIZE,
    fetch: (window) => q.listCustomers(db, caller.businessId, filters, window),
    keyOf: (row) => [row.id],
    map: (row) => presentCustomer(row, 'business'),
  });
}

export async function countCustomers(db: Db, caller: CustomerCaller, query: FilterInput) {
  return { total: await q.countCustomers(db, caller.businessId, filtersOf(query)) };
}

export async function listCustomerTags(
  db: Db,
  caller: CustomerCaller,
  query: Static<typeof schemas.ListBusinessCustomerTagsQuery>,
) {
  const data = await q.listCustomerTags(db, caller.businessId, cleanText(query.search), TAG_LIST_LIMIT);
  return { data, is_paginated: false as const };
}

async function reload(db: Db, businessId: number, ref: RecordRef): Promise<BusinessCustomerObject> {
  const row = await q.findCustomer(db, businessId, ref);
  if (!row) throw customerNotFound();
  return presentCustomer(row, 'business');
}

export function getCustomer(db: Db, caller: CustomerCaller, idText: string) {
  return reload(db, caller.businessId, parseCustomerRef(idText));
}

async function checkEmailFree(db: Db, businessId: number, email: string | null, fieldErrors: FieldErrors) {
  if (!email || fieldErrors.email) return;
  if (await q.findCustomerIdByEmail(db, businessId, email)) fieldErrors.email = [EMAIL_TAKEN];
}

/**
 * A new customer record. The e-mail (optional: some customers are known by phone only) is unique in
 * the business, so an e-mail checkout or the import already created is a 422, never a second row.
 */
export async function createCustomer(db: Db, caller: CustomerCaller, input: CreateInput) {
  const fieldErrors: FieldErrors = {};
  const name = requiredName(input.name, 'name', fieldErrors);
  const email = cleanEmail(input.email, 'email', fieldErrors);
  const phone = cleanPhone(input.phone, 'phone', fieldErrors);
  const dateOfBirth = cleanDateOfBirth(input.date_of_birth, fieldErrors);
  const tags = cleanTags(input.tags ?? [], fieldErrors);
  await checkEmailFree(db, caller.businessId, email, fieldErrors);
  throwIfInvalid(fieldErrors);
  let id: number;
  try {
    id = await q.insertCustomer(db, {
      business_id: caller.businessId,
      store_id: null,
      name,
      email,
      phone,
      date_of_birth: dateOfBirth,
      sex: cleanSex(input.sex),
      is_unsubscribe: input.is_unsubscribe ?? false,
      notes: cleanText(input.notes),
      tags,
    });
  } catch (error) {
    // A checkout of the same e-mail at the same moment: the unique index decides, this create loses.
    if (isUniqueViolation(error)) throw errors.invalidField('email', EMAIL_TAKEN);
    throw error;
  }
  return reload(db, caller.businessId, { id });
}

/** Only the fields sent change; `null` clears an optional field, the name can never be blank. */
export async function updateCustomer(db: Db, caller: CustomerCaller, idText: string, input: UpdateInput) {
  const ref = parseCustomerRef(idText);
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await q.lockCustomer(trx, caller.businessId, ref);
      if (id === null) throw customerNotFound();
      const current = await q.findCustomer(trx, caller.businessId, { id });
      if (!current) throw customerNotFound();
      const fieldErrors: FieldErrors = {};
      const values: Parameters<typeof q.updateCustomer>[3] = {};
      if (input.name !== undefined) values.name = requiredName(input.name, 'name', fieldErrors);
      if (input.email !== undefined) {
        const email = cleanEmail(input.email, 'email', fieldErrors);
        if (email !== current.email) await checkEmailFree(trx, caller.businessId, email, fieldErrors);
        values.email = email;
      }
      if (input.phone !== undefined) values.phone = cleanPhone(input.phone, 'phone', fieldErrors);
      if (input.date_of_birth !== undefined)
        values.date_of_birth = cleanDateOfBirth(input.date_of_birth, fieldErrors);
      if (input.sex !== undefined) values.sex = cleanSex(input.sex);
      if (input.is_unsubscribe !== undefined) values.is_unsubscribe = input.is_unsubscribe;
      if (input.notes !== undefined) values.notes = cleanText(input.notes);
      if (input.tags !== undefined) values.tags = cleanTags(input.tags, fieldErrors);
      throwIfInvalid(fieldErrors);
      await q.updateCustomer(trx, caller.businessId, id, values);
      return reload(trx, caller.businessId, { id });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.invalidField('email', EMAIL_TAKEN);
    throw error;
  }
}

/** `{tags}` replaces the customer's whole tag list, as the other `update-tags` routes do. */
export async function updateCustomerTags(
  db: Db,
  caller: CustomerCaller,
  idText: string,
  input: Static<typeof schemas.UpdateBusinessCustomerTagsRequest>,
) {
  const ref = parseCustomerRef(idText);
  const fieldErrors: FieldErrors = {};
  const tags = cleanTags(input.tags, fieldErrors);
  throwIfInvalid(fieldErrors);
  return db.transaction().execute(async (trx) => {
    const id = await q.lockCustomer(trx, caller.businessId, ref);
    if (id === null) throw customerNotFound();
    await q.updateCustomer(trx, caller.businessId, id, { tags });
    return reload(trx, caller.businessId, { id });
  });
}
