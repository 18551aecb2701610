import type { Db } from '../../db/database.ts';
import { serializerOf } from '../../db/read-model.ts';
import type { ItemType, PricingType } from '../../db/schema.ts';
import { errors } from '../../http/errors.ts';
import {
  type CursorCodec,
  cursorScope,
  type PageParams,
  type PaginatedList,
  paginate,
} from '../../http/pagination.ts';
import { parseNumericId, parseRecordRef } from '../../lib/refs.ts';
import type { StorageProvider } from '../../providers/storage/index.ts';
import { partnershipsOfPartner } from '../partners/queries.ts';
import { toProductPartner } from '../partners/service.ts';
import { toDigitalProductFile } from '../product-content/digital-files.ts';
import { listFilesOfVariants } from '../product-content/queries.ts';
import { ownProductsPageJson } from './list-cards.ts';
import * as m from './mappers.ts';
import * as q from './queries.ts';
import * as schemas from './schemas.ts';

export interface Caller {
  businessId: number;
  userId: number | null;
}

/** What product reads need: the database, and the storage that signs digital file URLs. */
export interface ProductDeps {
  db: Db;
  storage: StorageProvider;
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

/**
 * The digital product files of these variants, mapped, in one query. Files are read within the
 * caller's business only: a partner sees a shared product's variants but never its deliverables.
 */
export async function filesOf(
  deps: ProductDeps,
  businessId: number,
  variantIds: number[],
): Promise<m.FilesByVariant> {
  const files = new Map<number, m.DigitalProductFile[]>();
  for (const row of await listFilesOfVariants(deps.db, businessId, variantIds)) {
    const list = files.get(row.variant_id) ?? [];
    list.push(toDigitalProductFile(row, deps.storage));
    files.set(row.variant_id, list);
  }
  return files;
}

/** The caller's partnerships on the shared products among `products`, by product id. */
async function partnersOf(db: Db, businessId: number, products: q.ProductRow[]) {
  const shared = products.filter((p) => p.business_id !== businessId).map((p) => p.id);
  const partners = new Map<number, m.ProductPartner[]>();
  for (const row of await partnershipsOfPartner(db, businessId, shared)) {
    const list = partners.get(row.product_id) ?? [];
    list.push(toProductPartner(row));
    partners.set(row.product_id, list);
  }
  return partners;
}

/** Owner businesses of a page of products, mapped, in one query. */
async function ownersOf(db: Db, products: q.ProductRow[]) {
  const rows = await q.findBusinesses(db, [...new Set(products.map((p) => p.business_id))]);
  return new Map(rows.map((row) => [row.id, m.toBusiness(row)]));
}

/**
 * The full Product object in a fixed number of indexed queries whatever the number of variants.
 * `ownership` 'all' also finds a product another business shares with the caller (getProduct's
 * read-only view); every write path loads only the caller's own products.
 */
export async function loadProduct(
  deps: ProductDeps,
  businessId: number,
  key: q.ProductKey,
  ownership: 'owned' | 'all' = 'owned',
) {
  const { db } = deps;
  const product = await q.findProduct(db, businessId, key, ownership);
  if (!product) throw productNotFound();
  const [business, variants, taxonomy, stores, warehouses, partners] = await Promise.all([
    q.findBusiness(db, product.business_id),
    q.listVariantsOf(db, [product.id]),
    product.taxonomy_id === null ? undefined : q.findTaxonomy(db, product.taxonomy_id),
    q.listProductStores(db, businessId, product.id),
    q.listProductWarehouses(db, businessId, product.id),
    partnersOf(db, businessId, [product]),
  ]);
  const files = await filesOf(
    deps,
    businessId,
    variants.map((v) => v.id),
  );
  const context: m.ListContext = {
    business: m.toBusiness(business),
    files,
    partners: product.business_id === businessId ? null : (partners.get(product.id) ?? []),
  };
  return m.toProduct(product, context, { variants, taxonomy, stores, warehouses });
}

/** The caller's product, or a product shared with it (read-only: stores and warehouses are the caller's). */
export async function getProduct(deps: ProductDeps, caller: Caller, idText: string) {
  const key = parseProductKey(idText);
  if (!key) throw productNotFound();
  return loadProduct(deps, caller.businessId, key, 'all');
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

/** is_owned=true: the business's own products; false: those shared with it; absent: both. */
function ownershipOf(query: ProductListQuery): q.Ownership {
  if (query.is_owned === undefined) return 'all';
  return query.is_owned ? 'owned' : 'shared';
}

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
    is_owned: ownershipOf(query),
    item_type: f.itemType,
    pricing_type: f.pricingType,
    label: f.label,
    search: f.search,
  });
}

interface PageContext {
  variants: Map<number, q.VariantRow[]>;
  contextOf: (row: q.ProductRow) => m.ListContext;
}

/**
 * One page of product rows with what the items show, each loaded for the whole page in one query:
 * variants, their digital files, the owner businesses and the caller's partnerships.
 */
async function productPage<Out>(
  deps: ProductDeps,
  cursors: CursorCodec,
  caller: Caller,
  query: ProductListQuery,
  scope: string,
  map: (rows: q.ProductRow[], page: PageContext) => Out[],
) {
  const { db } = deps;
  const filter = toFilter(query);
  const page = await paginate({
    codec: cursors,
    scope,
    page: query,
    defaultPageSize: 25,
    fetch: (window) => q.listProducts(db, caller.businessId, filter, ownershipOf(query), window),
    keyOf: (row) => [row.id],
    map: (row) => row,
  });
  if (page.data.length === 0) return { ...page, data: [] };
  const [variantRows, owners, partners] = await Promise.all([
    q.listVariantsOf(
      db,
      page.data.map((p) => p.id),
    ),
    ownersOf(db, page.data),
    partnersOf(db, caller.businessId, page.data),
  ]);
  const variants = new Map<number, q.VariantRow[]>();
  for (const v of variantRows) {
    const list = variants.get(v.product_id) ?? [];
    list.push(v);
    variants.set(v.product_id, list);
  }
  const files = await filesOf(
    deps,
    caller.businessId,
    variantRows.map((v) => v.id),
  );
  const contextOf = (row: q.ProductRow): m.ListContext => ({
    business: owners.get(row.business_id)!,
    files,
    partners: row.business_id === caller.businessId ? null : (partners.get(row.id) ?? []),
  });
  return { ...page, data: map(page.data, { variants, contextOf }) };
}

/** The is_checked filter also narrows which variants each listed product shows. */
function shown(variants: q.VariantRow[], query: ProductListQuery) {
  return query.is_checked === undefined
    ? variants
    : variants.filter((v) => v.is_checked === query.is_checked);
}

const serializeProductPage = serializerOf<PaginatedList<ReturnType<typeof m.toProductListItem>>>(
  schemas.ProductPage,
);

/**
 * The product list as JSON. A list of the business's own products showing every variant (no
 * shared products, no `is_checked` filter) comes from the stored list items (list-cards.ts); any
 * other is built from its rows.
 */
export async function listProducts(
  deps: ProductDeps,
  cursors: CursorCodec,
  caller: Caller,
  query: ProductListQuery,
): Promise<string> {
  const scope = scopeOf('products', caller.businessId, query);
  const ownership = ownershipOf(query);
  // Only a list that shows every variant can be stored; asking about shared products is for those.
  const stored =
    query.is_checked === undefined &&
    (ownership === 'owned' ||
      (ownership === 'all' && !(await q.hasSharedProducts(deps.db, caller.businessId))));
  if (stored) {
    return ownProductsPageJson(deps, cursors, caller.businessId, toFilter(query), scope, query);
  }
  const page = await productPage(deps, cursors, caller, query, scope, (rows, page) =>
    rows.map((row) => {
      const all = page.variants.get(row.id) ?? [];
      return m.toProductListItem(row, page.contextOf(row), shown(all, query), all.length);
    }),
  );
  return serializeProductPage(page);
}

export async function listProductsSimplified(
  deps: ProductDeps,
  cursors: CursorCodec,
  caller: Caller,
  query: ProductListQuery & { for_store_id?: number | undefined },
) {
  const { db } = deps;
  const storeId = query.for_store_id;
  if (storeId !== undefined && !(await q.isStoreOfBusiness(db, caller.businessId, storeId))) {
    throw errors.notFound('Store not found');
  }
  const extra = storeId === undefined ? {} : { for_store_id: storeId };
  const page = await productPage(
    deps,
    cursors,
    caller,
    query,
    scopeOf('products-simplified', caller.businessId, query, extra),
    (rows, page) =>
      rows.map((row) =>
        m.toSimplifiedProduct(row, shown(page.variants.get(row.id) ?? [], query), page.contextOf(row).files),
      ),
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
  return { count: await q.countProducts(db, caller.businessId, toFilter(query), ownershipOf(query)) };
}

/** A variant of the caller's products by numeric id, uuid or its `variant_…` unique id. */
export async function getVariant(deps: ProductDeps, caller: Caller, idText: string) {
  const { db } = deps;
  const key = parseRecordRef(idText, 'variant_');
  const found = key && (await q.findVariant(db, caller.businessId, key));
  if (!found) throw errors.notFound('Variant not found');
  const product = await q.findProduct(db, caller.businessId, { id: found.product_id });
  if (!product) throw errors.notFound('Variant not found');
  const variant = (await q.listVariantsOf(db, [product.id])).find((v) => v.id === found.id);
  if (!variant) throw errors.notFound('Variant not found');
  const [business, files] = await Promise.all([
    q.findBusiness(db, caller.businessId),
    filesOf(deps, caller.businessId, [variant.id]),
  ]);
  return m.toVariant(variant, product, m.toBusiness(business), files);
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
