import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import type { StorageProvider } from '../../providers/storage/index.ts';
import { toDigitalProductFile } from '../product-content/digital-files.ts';
import { listFilesOfVariants } from '../product-content/queries.ts';
import { bundleDeletionBlockers } from './deletion.ts';
import {
  groupBy,
  noPages,
  toBundle,
  toBundleListItem,
  toBusiness,
  toSimplifiedBundle,
  toStoreRelation,
} from './present.ts';
import { type Caller, insertPriceOptions } from './price-options.ts';
import * as q from './queries.ts';
import type * as schemas from './schemas.ts';

type CreateInput = Static<typeof schemas.BundleCreateRequest>;
type UpdateInput = Static<typeof schemas.BundleUpdateRequest>;
type LineInput = NonNullable<CreateInput['bundlelines']>[number];

export interface BundleListQuery extends PageParams {
  search?: string;
  is_bundle_sharing?: boolean;
  store_id?: number;
  label?: string;
}

async function toFilters(db: Db, caller: Caller, query: BundleListQuery): Promise<q.BundleFilters> {
  if (query.store_id !== undefined) await requireStore(db, caller, query.store_id);
  return {
    search: query.search?.trim() || undefined,
    isBundleSharing: query.is_bundle_sharing,
    storeId: query.store_id,
    label: query.label?.trim() || undefined,
  };
}

async function requireStore(db: Db, caller: Caller, storeId: number): Promise<void> {
  if (!(await q.storeBelongsTo(db, caller.businessId, storeId))) throw errors.notFound('Store not found');
}

function filterScope(caller: Caller, filters: q.BundleFilters) {
  return {
    business: caller.businessId,
    search: filters.search,
    is_bundle_sharing: filters.isBundleSharing === undefined ? undefined : String(filters.isBundleSharing),
    store: filters.storeId,
    label: filters.label,
  };
}

export async function listBundles(db: Db, cursors: CursorCodec, caller: Caller, query: BundleListQuery) {
  const filters = await toFilters(db, caller, query);
  const business = toBusiness(await q.findBusiness(db, caller.businessId));
  return paginate({
    codec: cursors,
    scope: cursorScope('listBundles', filterScope(caller, filters)),
    page: query,
    defaultPageSize: 25,
    fetch: (window) => q.listBundles(db, caller.businessId, filters, window),
    keyOf: (row) => [row.id],
    map: (row) => toBundleListItem(row, business),
  });
}

/** Bundles with only their essentials and price options; `for_store_id` marks what that store sells. */
export async function listBundlesSimplified(
  db: Db,
  cursors: CursorCodec,
  caller: Caller,
  query: BundleListQuery & { for_store_id?: number },
) {
  const filters = await toFilters(db, caller, query);
  const forStore = query.for_store_id;
  if (forStore !== undefined) await requireStore(db, caller, forStore);
  const page = await paginate({
    codec: cursors,
    scope: cursorScope('listBundlesSimplified', { ...filterScope(caller, filters), for_store: forStore }),
    page: query,
    defaultPageSize: 25,
    fetch: (window) => q.listBundles(db, caller.businessId, filters, window),
    keyOf: (row) => [row.id],
    map: (row) => row,
  });
  const options = await q.listOptionsOfBundles(
    db,
    page.data.map((row) => row.id),
  );
  const owned =
    forStore === undefined
      ? null
      : await q.optionIdsInStore(
          db,
          forStore,
          options.map((option) => option.id),
        );
  const byBundle = groupBy(options, (option) => option.bundle_id);
  return {
    ...page,
    data: page.data.map((row) => toSimplifiedBundle(row, byBundle.get(row.id) ?? [], owned)),
  };
}

export async function countBundles(db: Db, caller: Caller, query: BundleListQuery) {
  return { count: await q.countBundles(db, caller.businessId, await toFilters(db, caller, query)) };
}

/** What a full Bundle needs: the database, and the storage that signs its variants' file URLs. */
export interface BundleDeps {
  db: Db;
  storage: StorageProvider;
}

export async function getBundle(deps: BundleDeps, caller: Caller, bundleId: number) {
  const { db } = deps;
  const row = await q.findBundle(db, caller.businessId, bundleId);
  if (!row) throw errors.notFound('Bundle not found');
  const [business, lines, options] = await Promise.all([
    q.findBusiness(db, caller.businessId),
    q.listLines(db, [row.id]),
    q.listOptionsOfBundles(db, [row.id]),
  ]);
  const [stores, files] = await Promise.all([
    q.listOptionStores(
      db,
      options.map((option) => option.id),
    ),
    listFilesOfVariants(
      db,
      caller.businessId,
      lines.map((line) => line.variant_id),
    ),
  ]);
  const filesByVariant = groupBy(
    files.map((file) => ({ variantId: file.variant_id, file: toDigitalProductFile(file, deps.storage) })),
    (entry) => entry.variantId,
  );
  return toBundle(
    row,
    toBusiness(business),
    lines,
    options,
    groupBy(stores, (store) => store.bundle_price_option_id),
    (variantId) => (filesByVariant.get(variantId) ?? []).map((entry) => entry.file),
  );
}

/** Every problem with the requested lines at once: unknown (or another business's) variants, repeats. */
async function checkLines(db: Db, caller: Caller, lines: readonly LineInput[]): Promise<void> {
  const known = await q.businessVariantIds(
    db,
    caller.businessId,
    lines.map((line) => line.variant_id),
  );
  const seen = new Set<number>();
  const fieldErrors: FieldErrors = {};
  for (const [index, line] of lines.entries()) {
    const field = `bundlelines.${index}.variant_id`;
    if (!known.has(line.variant_id)) fieldErrors[field] = ['does not exist'];
    else if (seen.has(line.variant_id)) fieldErrors[field] = ['is already in another line of this bundle'];
    seen.add(line.variant_id);
  }
  if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);
}

/** Columns a create or update writes; `undefined` leaves a column as it is. */
function bundleValues(input: CreateInput | UpdateInput): q.BundleValues {
  const values: q.BundleValues = {
    custom_id: input.custom_id,
    description: input.description,
    rich_description: input.rich_description,
    meta_thumbnail: input.meta_thumbnail,
    images: input.images,
    weight_bump: input.weight_bump,
    is_bundle_sharing: input.is_bundle_sharing,
    name: input.name?.trim(),
    public_name: input.public_name?.trim(),
    labels: input.labels && [...new Set(input.labels.map((label) => label.trim()))],
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export async function createBundle(deps: BundleDeps, caller: Caller, input: CreateInput) {
  const { db } = deps;
  const business = await q.findBusiness(db, caller.businessId);
  const bundleId = await db.transaction().execute(async (trx) => {
    const lines = input.bundlelines ?? [];
    await checkLines(trx, caller, lines);
    const { id } = await q.insertBundle(trx, caller.businessId, caller.userId, {
      ...bundleValues(input),
      name: input.name.trim(),
    });
    await q.replaceLines(trx, caller.businessId, id, lines);
    await insertPriceOptions(
      trx,
      business,
      id,
      input.bundle_price_options ?? [],
      (index, name) => `bundle_price_options.${index}.${name}`,
    );
    return id;
  });
  return getBundle(deps, caller, bundleId);
}

/** Changes the sent fields; `bundlelines`, when sent, becomes the complete list of lines. */
export async function updateBundle(deps: BundleDeps, caller: Caller, bundleId: number, input: UpdateInput) {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await q.lockBundle(trx, caller.businessId, bundleId))) throw errors.notFound('Bundle not found');
    if (input.bundlelines) {
      await checkLines(trx, caller, input.bundlelines);
      await q.replaceLines(trx, caller.businessId, bundleId, input.bundlelines);
    }
    await q.updateBundle(trx, caller.businessId, bundleId, caller.userId, bundleValues(input));
  });
  return getBundle(deps, caller, bundleId);
}

export async function deleteBundle(db: Db, caller: Caller, bundleId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await q.lockBundle(trx, caller.businessId, bundleId))) throw errors.notFound('Bundle not found');
    const blockers = await bundleDeletionBlockers(trx, caller.businessId, bundleId);
    if (blockers.length > 0) throw errors.blocked('The bundle cannot be deleted', blockers);
    await q.deleteBundle(trx, caller.businessId, bundleId);
  });
}

/** What a bundle is connected to: its price options and every store that sells one of them. */
export async function bundleRelations(db: Db, caller: Caller, bundleId: number) {
  const row = await q.findBundle(db, caller.businessId, bundleId);
  if (!row) throw errors.notFound('Bundle not found');
  const [business, options] = await Promise.all([
    q.findBusiness(db, caller.businessId),
    q.listOptionsOfBundles(db, [row.id]),
  ]);
  const summary = toBusiness(business);
  const placements = await q.listOptionStores(
    db,
    options.map((option) => option.id),
  );
  const stores = [...new Map(placements.map((store) => [store.id, store])).values()];
  return {
    id: row.id,
    name: row.name,
    business: summary,
    bundle_price_options: options.map((option) => ({
      id: option.id,
      name: option.name,
      unique_id: option.unique_id,
    })),
    stores: stores.map((store) => toStoreRelation(store, summary)),
    pages: noPages(),
  };
}
