import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { randomString } from '../../lib/ids.ts';
import { beforeTax, normalizeMoney } from '../../lib/money.ts';
import { priceOptionDeletionBlockers } from './deletion.ts';
import { groupBy, noPages, toBusiness, toOptionFields, toPriceOption, toStoreRelation } from './present.ts';
import * as q from './queries.ts';
import { firstFreeSlug, randomSlug, slugify } from './slug.ts';

export interface Caller {
  businessId: number;
  userId: number | null;
}

export interface PriceOptionInput {
  name: string;
  price: string | number;
  slug?: string | undefined;
  weight_bump?: number | undefined;
}

const newUniqueId = () => `bpo_${randomString(24)}`;
const PRICE = /^\d{1,15}(\.\d{1,2})?$/;
const SLUG_TAKEN = 'has already been taken by another bundle price option';
const PRICE_PROBLEM = 'must be an amount of at least 0 with at most two decimals';

/** The price as a canonical decimal string, or the problem with it. */
function parsePrice(value: string | number): string | null {
  const text = String(value).trim();
  return PRICE.test(text) ? normalizeMoney(text) : null;
}

/**
 * Validates and inserts price options for a bundle (inside the caller's transaction). `field`
 * names each input in error messages (`bundle_price_options.0.slug`, or `slug` for a single option).
 */
export async function insertPriceOptions(
  trx: Db,
  business: q.BusinessRow,
  bundleId: number,
  inputs: readonly PriceOptionInput[],
  field: (index: number, name: string) => string,
): Promise<number[]> {
  if (inputs.length === 0) return [];
  const fieldErrors: FieldErrors = {};
  const prices = inputs.map((input, index) => {
    const price = parsePrice(input.price);
    if (price === null) fieldErrors[field(index, 'price')] = [PRICE_PROBLEM];
    return price ?? '0.00';
  });
  const bases = inputs.map((input) => slugify(input.name));
  const taken = await q.takenSlugs(
    trx,
    business.id,
    inputs.flatMap((input) => (input.slug === undefined ? [] : [input.slug])),
    inputs.flatMap((input, index) => (input.slug === undefined ? [bases[index]!] : [])),
  );
  const named = new Set<string>();
  for (const [index, input] of inputs.entries()) {
    if (input.slug === undefined) continue;
    if (named.has(input.slug)) fieldErrors[field(index, 'slug')] = ['is used twice in this request'];
    else if (taken.has(input.slug)) fieldErrors[field(index, 'slug')] = [SLUG_TAKEN];
    named.add(input.slug);
  }
  if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);

  const reserved = new Set([...taken, ...named]);
  const first = await q.nextOptionPosition(trx, bundleId);
  const rows = inputs.map((input, index) => {
    const slug = input.slug ?? firstFreeSlug(bases[index]!, reserved);
    reserved.add(slug);
    return {
      unique_id: newUniqueId(),
      name: input.name.trim(),
      slug,
      price: prices[index]!,
      price_bt: beforeTax(prices[index]!, business.tax_rate),
      weight_bump: input.weight_bump ?? 0,
      position: first + index,
    };
  });
  const inserted = new Map(
    (await q.insertOptions(trx, business.id, bundleId, rows)).map((row) => [row.slug, row.id]),
  );
  const ids: number[] = [];
  for (const [index, row] of rows.entries()) {
    let id = inserted.get(row.slug);
    // A concurrent request took the slug between the check and the insert: the request lost a race,
    // not a validation (a retry gets the 422 of a taken slug).
    if (id === undefined && inputs[index]!.slug !== undefined) throw slugRaceLost();
    if (id === undefined) {
      const [retried] = await q.insertOptions(trx, business.id, bundleId, [
        { ...row, slug: randomSlug(row.slug) },
      ]);
      id = retried?.id;
    }
    if (id === undefined) throw errors.conflict('Could not pick a free slug; retry the request');
    ids.push(id);
  }
  return ids;
}

/** 409: a concurrent request took the slug after this one checked it was free. */
function slugRaceLost() {
  return errors.conflict('Another request took this slug at the same moment; retry the request');
}

async function requireBundle(db: Db, caller: Caller, bundleId: number) {
  const bundle = await q.lockBundle(db, caller.businessId, bundleId);
  if (!bundle) throw errors.notFound('Bundle not found');
  return bundle;
}

async function requireOption(db: Db, caller: Caller, bundleId: number, optionId: number) {
  const option = await q.findOption(db, caller.businessId, bundleId, optionId);
  if (!option) throw errors.notFound('Bundle price option not found');
  return option;
}

async function presentOption(db: Db, option: q.OptionRow) {
  return toPriceOption(option, await q.listOptionStores(db, [option.id]));
}

export async function listPriceOptions(
  db: Db,
  cursors: CursorCodec,
  caller: Caller,
  bundleId: number,
  page: PageParams,
) {
  if (!(await q.findBundle(db, caller.businessId, bundleId))) throw errors.notFound('Bundle not found');
  const result = await paginate({
    codec: cursors,
    scope: cursorScope('listBundlePriceOptions', { business: caller.businessId, bundle: bundleId }),
    page,
    defaultPageSize: 25,
    fetch: (window) => q.listOptionsPage(db, caller.businessId, bundleId, window),
    keyOf: (row) => [row.id],
    map: (row) => row,
  });
  const stores = groupBy(
    await q.listOptionStores(
      db,
      result.data.map((row) => row.id),
    ),
    (row) => row.bundle_price_option_id,
  );
  return { ...result, data: result.data.map((row) => toPriceOption(row, stores.get(row.id) ?? [])) };
}

export async function createPriceOption(db: Db, caller: Caller, bundleId: number, input: PriceOptionInput) {
  const business = await q.findBusiness(db, caller.businessId);
  const [id] = await db.transaction().execute(async (trx) => {
    await requireBundle(trx, caller, bundleId);
    return insertPriceOptions(trx, business, bundleId, [input], (_index, name) => name);
  });
  return presentOption(db, await requireOption(db, caller, bundleId, id!));
}

export async function updatePriceOption(
  db: Db,
  caller: Caller,
  bundleId: number,
  optionId: number,
  input: PriceOptionInput,
) {
  const business = await q.findBusiness(db, caller.businessId);
  const price = parsePrice(input.price);
  if (price === null)
    throw errors.invalidField('price', 'must be an amount of at least 0 with at most two decimals');
  try {
    await db.transaction().execute(async (trx) => {
      await requireBundle(trx, caller, bundleId);
      const option = await requireOption(trx, caller, bundleId, optionId);
      // The slug is the option's storefront URL: it changes only when the client sends a new one.
      const slug = input.slug ?? option.slug;
      if (slug !== option.slug && (await q.slugTaken(trx, caller.businessId, slug, option.id)))
        throw errors.invalidField('slug', SLUG_TAKEN);
      await q.updateOption(trx, caller.businessId, option.id, {
        name: input.name.trim(),
        slug,
        price,
        price_bt: beforeTax(price, business.tax_rate),
        ...(input.weight_bump !== undefined ? { weight_bump: input.weight_bump } : {}),
      });
    });
  } catch (error) {
    // Past the check above, only a concurrent request can hold the slug.
    if (isUniqueViolation(error)) throw slugRaceLost();
    throw error;
  }
  return presentOption(db, await requireOption(db, caller, bundleId, optionId));
}

export async function deletePriceOption(db: Db, caller: Caller, bundleId: number, optionId: number) {
  await db.transaction().execute(async (trx) => {
    await requireBundle(trx, caller, bundleId);
    const option = await requireOption(trx, caller, bundleId, optionId);
    const blockers = await priceOptionDeletionBlockers(trx, caller.businessId, option.id);
    if (blockers.length > 0) throw errors.blocked('The bundle price option cannot be deleted', blockers);
    await q.deleteOption(trx, caller.businessId, option.id);
  });
}

export async function priceOptionRelations(db: Db, caller: Caller, bundleId: number, optionId: number) {
  const option = await requireOption(db, caller, bundleId, optionId);
  const [business, stores] = await Promise.all([
    q.findBusiness(db, caller.businessId),
    q.listOptionStores(db, [option.id]),
  ]);
  const summary = toBusiness(business);
  return {
    ...toOptionFields(option),
    bundle_id: option.bundle_id,
    stores: stores.map((store) => toStoreRelation(store, summary)),
    pages: noPages(),
  };
}
