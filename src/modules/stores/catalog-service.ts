import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { parseNumericId, parseRecordRef } from '../../lib/refs.ts';
import type { StorageProvider } from '../../providers/storage/index.ts';
import { toDigitalProductFile } from '../product-content/digital-files.ts';
import { listFilesOfVariants } from '../product-content/queries.ts';
import * as q from './catalog-queries.ts';
import { requireStore, type StoreCaller } from './service.ts';

const PAGE_SIZE = 25;
/** At or below this many units a tracked variant reads as `low_stock`. */
export const LOW_STOCK_THRESHOLD = 5;

function optionLabel(values: Array<string | null>): string {
  return values.filter((value): value is string => Boolean(value)).join(' / ');
}

function toPriceOption(row: q.StorePriceOptionRow) {
  return {
    id: row.id,
    unique_id: row.unique_id,
    bundle_id: row.bundle_id,
    name: row.name,
    slug: row.slug,
    price: row.price,
    price_bt: row.price_bt,
    is_visible: !row.is_hidden_from_listing,
  };
}

export async function listStoreProducts(
  db: Db,
  cursors: CursorCodec,
  caller: StoreCaller,
  storeId: number,
  page: PageParams,
) {
  await requireStore(db, caller.businessId, storeId);
  const result = await paginate({
    codec: cursors,
    scope: cursorScope('listBusinessStoreProducts', { business: caller.businessId, store: storeId }),
    page,
    defaultPageSize: PAGE_SIZE,
    fetch: (window) => q.listStoreProducts(db, caller.businessId, storeId, window),
    keyOf: (row) => [row.id],
    map: (row) => row,
  });
  const variants = await q.variantsOfProducts(
    db,
    result.data.map((row) => row.id),
  );
  return {
    ...result,
    data: result.data.map((row) => ({
      id: row.id,
      uuid: row.uuid,
      name: row.name,
      public_name: row.public_name,
      display: row.public_name || row.name,
      slug: row.slug,
      item_type: row.item_type,
      is_inventory: row.is_inventory,
      is_multiple: row.is_multiple,
      images: row.images,
      labels: row.labels,
      is_hidden_from_listing: row.is_hidden_from_listing,
      variants: variants
        .filter((variant) => variant.product_id === row.id)
        .map((variant) => ({
          id: variant.id,
          uuid: variant.uuid,
          unique_id: variant.unique_id,
          name:
            optionLabel([variant.option1_value, variant.option2_value, variant.option3_value]) || row.name,
          sku: variant.sku,
          option1_value: variant.option1_value,
          option2_value: variant.option2_value,
          option3_value: variant.option3_value,
          price: variant.price,
          price_bt: variant.price_bt,
          weight: variant.weight,
          images: variant.images,
        })),
      created_at: row.created_at.toISOString(),
      last_updated_at: row.last_updated_at.toISOString(),
    })),
  };
}

function toStoreBundle(row: q.StoreBundleRow, options: q.StorePriceOptionRow[]) {
  return {
    id: row.id,
    name: row.name,
    public_name: row.public_name,
    display: row.public_name || row.name,
    images: row.images,
    bundle_price_options: options.filter((option) => option.bundle_id === row.id).map(toPriceOption),
    created_at: row.created_at.toISOString(),
    last_updated_at: row.last_updated_at.toISOString(),
  };
}

export async function listStoreBundles(
  db: Db,
  cursors: CursorCodec,
  caller: StoreCaller,
  storeId: number,
  page: PageParams,
) {
  await requireStore(db, caller.businessId, storeId);
  const result = await paginate({
    codec: cursors,
    scope: cursorScope('listBusinessStoreBundles', { business: caller.businessId, store: storeId }),
    page,
    defaultPageSize: PAGE_SIZE,
    fetch: (window) => q.listStoreBundles(db, caller.businessId, storeId, window),
    keyOf: (row) => [row.id],
    map: (row) => row,
  });
  const options = await q.storePriceOptionsOfBundles(
    db,
    storeId,
    result.data.map((row) => row.id),
  );
  return { ...result, data: result.data.map((row) => toStoreBundle(row, options)) };
}

/** A bundle is "in" a store when at least one of its price options is attached to it. */
export async function getStoreBundle(db: Db, caller: StoreCaller, storeId: number, bundleRef: string) {
  await requireStore(db, caller.businessId, storeId);
  const notFound = () => errors.notFound('Bundle not found in this store');
  const bundleId = parseNumericId(bundleRef);
  if (bundleId === null) throw notFound();
  const bundle = await q.findBundle(db, caller.businessId, bundleId);
  if (!bundle) throw notFound();
  const options = await q.storePriceOptionsOfBundles(db, storeId, [bundle.id]);
  if (options.length === 0) throw notFound();
  return toStoreBundle(bundle, options);
}

async function requireStorePriceOption(db: Db, caller: StoreCaller, storeId: number, ref: string) {
  await requireStore(db, caller.businessId, storeId);
  const option = await q.findStorePriceOption(db, caller.businessId, storeId, parseNumericId(ref) ?? ref);
  if (!option) throw errors.notFound('Bundle price option not found in this store');
  return option;
}

export async function getStorePriceOption(db: Db, caller: StoreCaller, storeId: number, ref: string) {
  return toPriceOption(await requireStorePriceOption(db, caller, storeId, ref));
}

export async function attachPriceOptions(db: Db, caller: StoreCaller, storeId: number, ids: number[]) {
  const unique = [...new Set(ids)];
  await db.transaction().execute(async (trx) => {
    await requireStore(trx, caller.businessId, storeId);
    const owned = await q.businessPriceOptionIds(trx, caller.businessId, unique);
    const unknown = unique.filter((id) => !owned.has(id));
    if (unknown.length > 0)
      throw errors.invalidField('bpo_ids', `contains unknown bundle price options: ${unknown.join(', ')}`);
    await q.attachPriceOptions(trx, caller.businessId, storeId, unique);
  });
}

/**
 * Lists the business's products in a store. v3 has no route for it (stores only read their
 * products); the `nexus store products attach` command and the demo seed use it. Idempotent.
 */
export async function attachProducts(db: Db, caller: StoreCaller, storeId: number, ids: number[]) {
  const unique = [...new Set(ids)];
  await db.transaction().execute(async (trx) => {
    await requireStore(trx, caller.businessId, storeId);
    const owned = await q.businessProductIds(trx, caller.businessId, unique);
    const unknown = unique.filter((id) => !owned.has(id));
    if (unknown.length > 0)
      throw errors.invalidField('product_ids', `contains unknown products: ${unknown.join(', ')}`);
    await q.attachProducts(trx, caller.businessId, storeId, unique);
  });
}

export async function detachPriceOption(db: Db, caller: StoreCaller, storeId: number, ref: string) {
  const option = await requireStorePriceOption(db, caller, storeId, ref);
  await q.detachPriceOption(db, caller.businessId, storeId, option.id);
}

export async function getPriceOptionRelations(db: Db, caller: StoreCaller, storeId: number, ref: string) {
  const option = await requireStorePriceOption(db, caller, storeId, ref);
  const [stores, business] = await Promise.all([
    q.storesOfPriceOption(db, caller.businessId, option.id),
    q.findBusiness(db, caller.businessId),
  ]);
  return {
    id: option.id,
    unique_id: option.unique_id,
    bundle_id: option.bundle_id,
    name: option.name,
    slug: option.slug,
    price: option.price,
    price_bt: option.price_bt,
    stores: stores.map((store) => ({ ...store, business })),
    // Pages do not reference price options yet, so no page depends on this one.
    pages: { all: [], will_unpublish: [] },
  };
}

const variantRef = (text: string) => parseRecordRef(text, 'variant_');

export async function getStoreVariant(
  db: Db,
  storage: StorageProvider,
  caller: StoreCaller,
  storeId: number,
  ref: string,
) {
  await requireStore(db, caller.businessId, storeId);
  const key = variantRef(ref);
  const row = key && (await q.findStoreVariant(db, caller.businessId, storeId, key));
  if (!row) throw errors.notFound('Variant not found in this store');
  const [business, stock, files] = await Promise.all([
    q.findBusiness(db, caller.businessId),
    row.is_inventory ? q.variantStock(db, caller.businessId, storeId, row.id) : null,
    listFilesOfVariants(db, caller.businessId, [row.id]),
  ]);
  const options = optionLabel([row.option1_value, row.option2_value, row.option3_value]);
  const productDisplay = row.product_public_name || row.product_name;
  const qty = stock?.qty ?? null;
  return {
    id: row.id,
    uuid: row.uuid,
    unique_id: row.unique_id,
    name: options || row.product_name,
    fullname: options ? `${row.product_name} - ${options}` : row.product_name,
    display: options ? `${productDisplay} - ${options}` : productDisplay,
    product_name: row.product_name,
    item_type: row.item_type,
    sku: row.sku,
    option1_value: row.option1_value,
    option2_value: row.option2_value,
    option3_value: row.option3_value,
    price: row.price,
    price_bt: row.price_bt,
    cogs: row.cogs,
    cogs_bt: row.cogs_bt,
    reseller_price: row.reseller_price,
    reseller_price_bt: row.reseller_price_bt,
    currency: row.currency,
    weight: row.weight,
    pricing_type: row.pricing_type,
    interval: row.interval,
    interval_count: row.interval_count,
    validity_period: row.validity_period,
    validity_period_unit: row.validity_period_unit,
    is_checked: row.is_checked,
    is_editable: row.is_editable,
    images: row.images,
    image_configs: {},
    self_file_urls: row.self_file_urls,
    digital_product_files: files.map((file) => toDigitalProductFile(file, storage)),
    metadata: row.metadata,
    product: {
      id: row.product_id,
      uuid: row.product_uuid,
      name: row.product_name,
      display: productDisplay,
      description: row.product_description,
      item_type: row.item_type,
      is_inventory: row.is_inventory,
      is_multiple: row.is_multiple,
      is_product_sharing: row.is_product_sharing,
      option1_name: row.option1_name,
      option2_name: row.option2_name,
      option3_name: row.option3_name,
      business,
    },
    availability: {
      available: qty === null || qty > 0,
      available_qty: qty,
      stock_status:
        qty === null || qty > LOW_STOCK_THRESHOLD
          ? ('in_stock' as const)
          : qty > 0
            ? ('low_stock' as const)
            : ('out_of_stock' as const),
      warehouse_unique_id: stock?.warehouseUniqueId ?? null,
    },
    created_at: row.created_at.toISOString(),
    last_updated_at: row.last_updated_at.toISOString(),
  };
}
