import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import type { NewRow, RowUpdate } from '../../db/schema.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';
import './tables.ts';

export function findDiscountCode(db: Db, businessId: number, id: number) {
  return db
    .selectFrom('discount_codes')
    .selectAll()
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}
export type DiscountCodeRow = NonNullable<Awaited<ReturnType<typeof findDiscountCode>>>;

/** The row locked for the rest of the caller's transaction (updates merge against it). */
export function lockDiscountCode(trx: Db, businessId: number, id: number) {
  return trx
    .selectFrom('discount_codes')
    .selectAll()
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .forUpdate()
    .executeTakeFirst();
}

/** `code` must already be normalized; the unique index makes this one index probe. */
export function findDiscountCodeByCode(db: Db, businessId: number, code: string) {
  return db
    .selectFrom('discount_codes')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export interface DiscountCodeFilters {
  search?: string | undefined;
  appliedTo?: 'product_price' | 'shipping_cost' | undefined;
  isEnabled?: boolean | undefined;
}

export function listDiscountCodes(
  db: Db,
  businessId: number,
  filters: DiscountCodeFilters,
  window: KeysetWindow,
) {
  let query = db.selectFrom('discount_codes').selectAll().where('business_id', '=', businessId);
  if (filters.search) query = query.where('code', 'ilike', containsPattern(filters.search));
  if (filters.appliedTo) query = query.where('applied_to', '=', filters.appliedTo);
  if (filters.isEnabled !== undefined) query = query.where('is_enabled', '=', filters.isEnabled);
  return applyKeyset(query, ['id'], 'desc', window).execute();
}

/** The pages each of `codeIds` is limited to, for a whole page of codes at once. */
export function pagesOfDiscountCodes(db: Db, businessId: number, codeIds: readonly number[]) {
  if (codeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('discount_code_pages as dp')
    .innerJoin('pages as p', 'p.id', 'dp.page_id')
    .select(['dp.discount_code_id', 'p.id', 'p.unique_id', 'p.name'])
    .where('dp.business_id', '=', businessId)
    .where('dp.discount_code_id', 'in', codeIds)
    .orderBy('dp.discount_code_id')
    .orderBy('p.id')
    .execute();
}

/** Which of `pageIds` are this business's pages. */
export async function existingPageIds(db: Db, businessId: number, pageIds: readonly number[]) {
  if (pageIds.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom('pages')
    .select('id')
    .where('business_id', '=', businessId)
    .where('id', 'in', pageIds)
    .execute();
  return new Set(rows.map((row) => row.id));
}

export async function insertDiscountCode(trx: Db, values: NewRow<'discount_codes'>) {
  const row = await trx.insertInto('discount_codes').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDiscountCode(
  trx: Db,
  businessId: number,
  id: number,
  values: RowUpdate<'discount_codes'>,
) {
  await trx
    .updateTable('discount_codes')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .execute();
}

/** The complete page list of a code: the sent list replaces the stored one. */
export async function replaceDiscountCodePages(
  trx: Db,
  businessId: number,
  codeId: number,
  pageIds: readonly number[],
) {
  await trx
    .deleteFrom('discount_code_pages')
    .where('business_id', '=', businessId)
    .where('discount_code_id', '=', codeId)
    .execute();
  if (pageIds.length === 0) return;
  await trx
    .insertInto('discount_code_pages')
    .values(pageIds.map((pageId) => ({ discount_code_id: codeId, page_id: pageId, business_id: businessId })))
    .execute();
}

/**
 * Deletes the code only while it has no usage, in one statement: a checkout counting a use at the
 * same moment either lands first (nothing deleted) or waits for the delete and finds no row.
 */
export async function deleteUnusedDiscountCode(db: Db, businessId: number, id: number) {
  const row = await db
    .deleteFrom('discount_codes')
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .where('current_usage', '=', 0)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Counts one use if the code is still under its limit. The conditional UPDATE takes the row lock,
 * and PostgreSQL re-checks the WHERE against the latest version after waiting for it, so concurrent
 * checkouts can never push `current_usage` past `usage_limit`.
 */
/**
 * Counts one use, re-checking at commit time what may have changed since the code was evaluated:
 * still enabled, not expired, and under its limit (the row lock makes the last use go to one order).
 */
export async function incrementUsage(trx: Db, businessId: number, id: number) {
  const row = await trx
    .updateTable('discount_codes')
    .set({ current_usage: sql<number>`current_usage + 1` })
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .where('is_enabled', '=', true)
    .where((eb) => eb.or([eb('is_expiry', '=', false), eb('expiry_time', '>', sql<Date>`now()`)]))
    .where((eb) => eb.or([eb('is_usage_limit', '=', false), eb('current_usage', '<', eb.ref('usage_limit'))]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives one use back (a canceled or expired order), never below zero. */
export async function decrementUsage(trx: Db, businessId: number, id: number): Promise<void> {
  await trx
    .updateTable('discount_codes')
    .set({ current_usage: sql<number>`greatest(current_usage - 1, 0)` })
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .execute();
}

export async function isPageOfDiscountCode(db: Db, businessId: number, codeId: number, pageId: number) {
  const row = await db
    .selectFrom('discount_code_pages')
    .select('page_id')
    .where('business_id', '=', businessId)
    .where('discount_code_id', '=', codeId)
    .where('page_id', '=', pageId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function storeBelongsToBusiness(db: Db, businessId: number, storeId: number) {
  const row = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
  return row !== undefined;
}
