import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { type ApiError, errors, type FieldErrors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { parseNumericId } from '../../lib/refs.ts';
import { type DiscountCodeObject, discountCodeObject, presentDiscountCodes } from './present.ts';
import * as q from './queries.ts';
import {
  CODE_PROBLEM,
  DEFAULT_SETTINGS,
  type DiscountSettings,
  isValidCode,
  mergeSettings,
  normalizeCode,
  parseDiscountValue,
  parseMoney,
} from './rules.ts';
import type * as schemas from './schemas.ts';

export interface DiscountCaller {
  businessId: number;
  userId: number | null;
}

type CreateInput = Static<typeof schemas.CreateDiscountCodeRequest>;
type UpdateInput = Static<typeof schemas.UpdateDiscountCodeRequest>;

const PAGE_SIZE = 25;
const CODE_TAKEN = 'has already been taken';
const IMMUTABLE = 'cannot be changed after creation';

const notFound = () => errors.notFound('Discount code not found');

/** The contract types the path id as a string; anything but a record id names no code (404). */
function parseId(text: string): number {
  const id = parseNumericId(text);
  if (id === null) throw notFound();
  return id;
}

function throwIfInvalid(fieldErrors: FieldErrors): void {
  if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);
}

/** Page ids must be this business's pages; reported together so the merchant fixes them at once. */
async function checkPages(db: Db, businessId: number, pageIds: number[], fieldErrors: FieldErrors) {
  const existing = await q.existingPageIds(db, businessId, pageIds);
  const unknown = pageIds.filter((id) => !existing.has(id));
  if (unknown.length > 0) fieldErrors.page_ids = [`contains unknown pages: ${unknown.join(', ')}`];
}

function settingsColumns(settings: DiscountSettings) {
  const { page_ids: _pageIds, ...columns } = settings;
  return columns;
}

export async function listDiscountCodes(
  db: Db,
  cursors: CursorCodec,
  caller: DiscountCaller,
  query: Static<typeof schemas.ListDiscountCodesQuery>,
) {
  const filters: q.DiscountCodeFilters = {
    // Codes hold no whitespace, so a search typed as `hemat 10` should still find `HEMAT10`.
    search: query.search === undefined ? undefined : normalizeCode(query.search) || undefined,
    appliedTo: query.applied_to,
    isEnabled: query.status === undefined ? undefined : query.status === 'enabled',
  };
  const page = await paginate({
    codec: cursors,
    scope: cursorScope('listDiscountCodes', {
      business: caller.businessId,
      search: filters.search,
      applied_to: filters.appliedTo,
      status: query.status,
    }),
    page: query as PageParams,
    defaultPageSize: PAGE_SIZE,
    fetch: (window) => q.listDiscountCodes(db, caller.businessId, filters, window),
    keyOf: (row) => [row.id],
    map: (row) => row,
  });
  return { ...page, data: await presentDiscountCodes(db, caller.businessId, page.data) };
}

export async function getDiscountCode(db: Db, caller: DiscountCaller, idText: string) {
  const object = await discountCodeObject(db, caller.businessId, parseId(idText));
  if (!object) throw notFound();
  return object;
}

async function reload(db: Db, businessId: number, id: number): Promise<DiscountCodeObject> {
  const object = await discountCodeObject(db, businessId, id);
  if (!object) throw notFound();
  return object;
}

function duplicateCode(): ApiError {
  return errors.invalidField('code', CODE_TAKEN);
}

export async function createDiscountCode(db: Db, caller: DiscountCaller, input: CreateInput) {
  const fieldErrors: FieldErrors = {};
  const code = normalizeCode(input.code);
  if (!isValidCode(code)) fieldErrors.code = [CODE_PROBLEM];
  const value = parseDiscountValue(input, fieldErrors);
  const settings = mergeSettings(DEFAULT_SETTINGS, input, fieldErrors);
  await checkPages(db, caller.businessId, settings.page_ids, fieldErrors);
  if (!fieldErrors.code && (await q.findDiscountCodeByCode(db, caller.businessId, code)))
    fieldErrors.code = [CODE_TAKEN];
  throwIfInvalid(fieldErrors);

  let id: number;
  try {
    id = await db.transaction().execute(async (trx) => {
      const created = await q.insertDiscountCode(trx, {
        business_id: caller.businessId,
        code,
        ...value,
        ...settingsColumns(settings),
      });
      await q.replaceDiscountCodePages(trx, caller.businessId, created, settings.page_ids);
      return created;
    });
  } catch (error) {
    // Two creates of one code at the same moment: the unique index decides, the loser gets the 422.
    if (isUniqueViolation(error)) throw duplicateCode();
    throw error;
  }
  return reload(db, caller.businessId, id);
}

/** Immutable fields sent back unchanged pass; a real change is refused, never silently dropped. */
function immutableChanges(row: q.DiscountCodeRow, input: UpdateInput, fieldErrors: FieldErrors): void {
  const sameMoney = (sent: string | number | null, stored: string | null) =>
    sent === null ? stored === null : parseMoney(sent) === stored;
  const changed: Record<string, boolean> = {
    code: input.code !== undefined && normalizeCode(input.code) !== row.code,
    applied_to: input.applied_to !== undefined && input.applied_to !== row.applied_to,
    amount_type: input.amount_type !== undefined && input.amount_type !== row.amount_type,
    amount: input.amount !== undefined && !sameMoney(input.amount, row.amount),
    percentage: input.percentage !== undefined && !sameMoney(input.percentage, row.percentage),
    is_max_amount: input.is_max_amount !== undefined && (input.is_max_amount ?? false) !== row.is_max_amount,
    max_amount: input.max_amount !== undefined && !sameMoney(input.max_amount, row.max_amount),
  };
  for (const [field, isChanged] of Object.entries(changed)) if (isChanged) fieldErrors[field] = [IMMUTABLE];
}

export async function updateDiscountCode(db: Db, caller: DiscountCaller, idText: string, input: UpdateInput) {
  const id = parseId(idText);
  await db.transaction().execute(async (trx) => {
    const row = await q.lockDiscountCode(trx, caller.businessId, id);
    if (!row) throw notFound();
    const fieldErrors: FieldErrors = {};
    immutableChanges(row, input, fieldErrors);
    const pages = await q.pagesOfDiscountCodes(trx, caller.businessId, [id]);
    const current: DiscountSettings = {
      is_enabled: row.is_enabled,
      is_usage_limit: row.is_usage_limit,
      usage_limit: row.usage_limit,
      is_expiry: row.is_expiry,
      expiry_time: row.expiry_time,
      is_limited_to_pages: row.is_limited_to_pages,
      page_ids: pages.map((page) => page.id),
      is_limited_to_payment_methods: row.is_limited_to_payment_methods,
      payment_methods: row.payment_methods,
      is_minimum_revenue: row.is_minimum_revenue,
      minimum_revenue: row.minimum_revenue,
    };
    const settings = mergeSettings(current, input, fieldErrors);
    if (input.page_ids !== undefined)
      await checkPages(trx, caller.businessId, settings.page_ids, fieldErrors);
    throwIfInvalid(fieldErrors);
    await q.updateDiscountCode(trx, caller.businessId, id, settingsColumns(settings));
    if (input.page_ids !== undefined)
      await q.replaceDiscountCodePages(trx, caller.businessId, id, settings.page_ids);
  });
  return reload(db, caller.businessId, id);
}

export async function deleteDiscountCode(db: Db, caller: DiscountCaller, idText: string): Promise<void> {
  const id = parseId(idText);
  if (await q.deleteUnusedDiscountCode(db, caller.businessId, id)) return;
  const row = await q.findDiscountCode(db, caller.businessId, id);
  if (!row) throw notFound();
  const orders = row.current_usage === 1 ? '1 order' : `${row.current_usage} orders`;
  throw errors.blocked('Discount code cannot be deleted', [`it has been used in ${orders}`]);
}
