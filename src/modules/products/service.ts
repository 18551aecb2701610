import type { Db } from '../../db/database.ts';
import type { ItemType, PricingType } from '../../db/schema.ts';
import { errors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { parseNumericId, parseRecordRef } from '../../lib/refs.ts';
import * as m from './mappers.ts';
import * as q from './queries.ts';

export interface Caller {
  businessId: number;
  userId: number | null;
}

/** Products are addressed by numeric id or by uuid; anything else cannot name one. */
export function parseProductKey(text: string): q.ProductKey | null {
  return parseRecordRef(text) as q.ProductKey | null;
}

export const productNotFound = () => errors.notFound('Product not found');

async function requireProduct(db: Db, businessId: number, idText: string) {
  const key = parseProductKey(idText);
  const product = key && (await q.findProduct(db, businessId, key));
  if (!product) throw productNotFound();
  return product;
}

/** The full Product object: six indexed queries whatever the number of variants, five of them at once. */
export async function loadProduct(db: Db, businessId: number, key: q.ProductKey) {
  const product = await q.findProduct(db, businessId, key);
  if (!product) throw productNotFound();
  const [business, variants, taxonomy, stores, warehouses] = await Promise.all([
    q.findBusiness(db, businessId),
    q.listVariantsOf(db, [product.id]),
    product.taxonomy_id === null ? undefined : q.findTaxonomy(db, product.taxonomy_id),
    q.listProductStores(db, businessId, product.id),
    q.listProductWarehouses(db, businessId, product.id),
  ]);
  return m.toProduct(product, m.toBusiness(business), { variants, taxonomy, stores, warehouses });
}

export async function getProduct(db: Db, caller: Caller, idText: string) {
  const key = parseProductKey(idText);
  if (!key) throw productNotFound();
  return loadProduct(db, caller.businessId, key);
}

export interface ProductListQuery extends PageParams {
  search?: string | undefined;
  is_inventory?: boolean | undefined;
  is_product_sharing?: boolean | undefined;
  warehouse_id?: number | undefined;
  qty_type?: 'available_qty' | undefined;
  store_id?: number | undefined;
  is_checked?: boolean | undefined;
  is_owned?: boolean | undefined;
  item_type?: ItemType | undefined;
  label?: string | undefined;
  pricing_type?: PricingType | undefined;
}

function toFilter(query: ProductListQuery): q.ProductFilter {
  const search = query.search?.trim();
  const label = query.label?.trim();
  return {
    search: search || undefined,
    isInventory: query.is_inventory,
    isProductSharing: query.is_product_sharing,
    warehouseId: query.warehouse_id,
    availableQty: query.qty_type === 'available_qty',
    storeId: query.store_id,
    isChecked: query.is_checked,
    itemType: query.item_type,
    label: label || undefined,
    pricingType: query.pricing_type,
  };
}

/**
 * Shared products (is_owned=false) come from partnerships, which this area does not read yet:
 * every product of the business is its own, so that filter matches nothing.
 */
const onlySharedProducts = (query: ProductListQuery) => query.is_owned === false;

function scopeOf(
  list: string,
  businessId: number,
  query: ProductListQuery,
  extra: Record<string, number | undefined> = {},
) {
  const f = toFilter(query);
  // Free-form text goes last so no search string can imitate the other parts.
  return cursorScope(list, {
    business: businessId,
    ...extra,
    is_inventory: String(f.isInventory),
    is_product_sharing: String(f.isProductSharing),
    warehouse_id: f.warehouseId,
    qty_type: String(f.availableQty),
    store_id: f.storeId,
    is_checked: String(f.isChecked),
    is_owned: String(query.is_owned),
    item_type: f.itemType,
    pricing_type: f.pricingType,
    label: f.label,
    search: f.search,
  });
}

/** One page of product rows with every variant of the page loaded in a single query. */
async function productPage<Out>(
  db: Db,
  cursors: CursorCodec,
  caller: Caller,
  query: ProductListQuery,
  scope: string,
  map: (rows: q.ProductRow[], variants: Map<number, q.VariantRow[]>, business: m.BusinessObject) => Out[],
) {
  const filter = toFilter(query);
  const page = await paginate({
    codec: cursors,
    scope,
    page: query,
    defaultPageSize: 25,
    fetch: async (window) =>
      onlySharedProducts(query) ? [] : q.listProducts(db, caller.businessId, filter, window),
    keyOf: (row) => [row.id],
    map: (row) => row,
  });
  const variants = new Map<number, q.VariantRow[]>();
  for (const v of await q.listVariantsOf(
    db,
    page.data.map((p) => p.id),
  )) {
    const list = variants.get(v.product_id) ?? [];
    list.push(v);
    variants.set(v.product_id, list);
  }
  const business = page.data.length ? m.toBusiness(await q.findBusiness(db, caller.businessId)) : null;
  return { ...page, data: business ? map(page.data, variants, business) : [] };
}

/** The is_checked filter also narrows which variants each listed product shows. */
function shown(variants: q.VariantRow[], query: ProductListQuery) {
  return query.is_checked === undefined
    ? variants
    : variants.filter((v) => v.is_checked === query.is_checked);
}

export function listProducts(db: Db, cursors: CursorCodec, caller: Caller, query: ProductListQuery) {
  return productPage(
    db,
    cursors,
    caller,
    query,
    scopeOf('products', caller.businessId, query),
    (rows, variants, business) =>
      rows.map((row) => {
        const all = variants.get(row.id) ?? [];
        return m.toProductListItem(row, business, shown(all, query), all.length);
      }),
  );
}

export async function listProductsSimplified(
  db: Db,
  cursors: CursorCodec,
  caller: Caller,
  query: ProductListQuery & { for_store_id?: number | undefined },
) {
  const storeId = query.for_store_id;
  if (storeId !== undefined && !(await q.isStoreOfBusiness(db, caller.businessId, storeId))) {
    throw errors.notFound('Store not found');
  }
  const extra = storeId === undefined ? {} : { for_store_id: storeId };
  const page = await productPage(
    db,
    cursors,
    caller,
    query,
    scopeOf('products-simplified', caller.businessId, query, extra),
    (rows, variants) =>
      rows.map((row) => m.toSimplifiedProduct(row, shown(variants.get(row.id) ?? [], query))),
  );
  if (storeId === undefined) return page;
  const inStore = await q.productIdsInStore(
    db,
    storeId,
    page.data.map((p) => p.id),
  );
  return { ...page, data: page.data.map((p) => ({ ...p, is_owned_by_store: inStore.has(p.id) })) };
}

export async function countProducts(db: Db, caller: Caller, query: ProductListQuery) {
  if (onlySharedProducts(query)) return { count: 0 };
  return { count: await q.countProducts(db, caller.businessId, toFilter(query)) };
}

/** A variant by numeric id, uuid or its `variant_…` unique id. */
export async function getVariant(db: Db, caller: Caller, idText: string) {
  const key = parseRecordRef(idText, 'variant_');
  const found = key && (await q.findVariant(db, caller.businessId, key));
  if (!found) throw errors.notFound('Variant not found');
  const product = await q.findProduct(db, caller.businessId, { id: found.product_id });
  if (!product) throw errors.notFound('Variant not found');
  const variant = (await q.listVariantsOf(db, [product.id])).find((v) => v.id === found.id);
  if (!variant) throw errors.notFound('Variant not found');
  return m.toVariant(variant, product, m.toBusiness(await q.findBusiness(db, caller.businessId)));
}

const NO_PAGES = { all: [], will_unpublish: [] };

/** Stores, bundles and pages that use the product, computed from the rows that link them. */
export async function getProductRelations(db: Db, caller: Caller, idText: string) {
  const product = await requireProduct(db, caller.businessId, idText);
  const business = m.toBusiness(await q.findBusiness(db, caller.businessId));
  const variants = await q.listVariantsOf(db, [product.id]);
  const stores = await q.listProductStores(db, caller.businessId, product.id);
  const bundles = await q.bundlesOfProduct(db, caller.businessId, product.id);
  const bundleIds = bundles.map((b) => b.id);
  const options = await q.priceOptionsOfBundles(db, bundleIds);
  const bundleStores = await q.storesOfBundles(db, bundleIds);
  const storeRelation = (s: { id: number; name: string; unique_id: string }) => ({
    id: s.id,
    name: s.name,
    unique_id: s.unique_id,
    business,
  });
  return {
    id: product.id,
    name: product.name,
    variants: variants.map((v) => ({
      id: v.id,
      name: m.variantFullName(product.name, v),
      product_name: product.name,
      item_type: product.item_type,
    })),
    stores: stores.map(storeRelation),
    bundles: bundles.map((b) => ({
      id: b.id,
      name: b.name,
      business,
      bundle_price_options: options
        .filter((o) => o.bundle_id === b.id)
        .map((o) => ({ id: o.id, unique_id: o.unique_id, name: o.name })),
      stores: bundleStores.filter((s) => s.bundle_id === b.id).map(storeRelation),
      // Pages exist but nothing links them to products or bundles yet.
      pages: NO_PAGES,
    })),
    pages: NO_PAGES,
  };
}

export function listTaxonomies(
  db: Db,
  cursors: CursorCodec,
  query: PageParams & { search?: string | undefined },
) {
  const search = query.search?.trim() || null;
  return paginate({
    codec: cursors,
    scope: cursorScope('product-taxonomies', { search }),
    page: query,
    defaultPageSize: 25,
    fetch: (window) => q.listTaxonomies(db, search, window),
    keyOf: (row) => [row.full_path, row.id],
    map: m.toTaxonomy,
  });
}

export async function getTaxonomy(db: Db, idText: string) {
  const id = parseNumericId(idText);
  const row = id !== null && id <= 2_147_483_647 ? await q.findTaxonomy(db, id) : undefined;
  if (!row) throw errors.notFound('Product taxonomy not found');
  return m.toTaxonomy(row);
}
