import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import { errors } from '../../http/errors.ts';
import {
  type CursorCodec,
  cursorScope,
  type KeysetWindow,
  type PageParams,
  paginate,
} from '../../http/pagination.ts';
import { parseRecordRef, type RecordRef } from '../../lib/refs.ts';
import { STORE_PAYMENT_METHODS, type StorePaymentMethod } from '../stores/payment-methods.ts';
import * as cards from './cards.ts';
import * as lq from './listing-queries.ts';
import * as m from './mappers.ts';
import { productDisplayName, variantDisplayName } from './naming.ts';
import * as q from './queries.ts';
import { MAX_PRICING_IDS } from './schemas.ts';

/** The store a storefront call serves, as the auth hook resolved it from the publishable key. */
export interface StorefrontStore {
  storeId: number;
  businessId: number;
}

export interface ItemQuery {
  search?: string | undefined;
  entity_type?: 'product' | 'bundle_price_option' | undefined;
  label?: string | undefined;
  taxonomy_id?: number | undefined;
}

const MAX_SEARCH_WORDS = 8;
const DEFAULT_PAGE_SIZE = 25;

function filtersOf(query: ItemQuery): lq.ItemFilters {
  const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
  const label = query.label?.trim() ?? '';
  return {
    namePatterns: words.map(containsPattern),
    label: label === '' ? null : label,
    taxonomyId: query.taxonomy_id ?? null,
  };
}

/** Which kinds a query can return: price options have no taxonomy, so a category filter keeps products only. */
function kindsOf(query: ItemQuery) {
  return {
    products: query.entity_type !== 'bundle_price_option',
    priceOptions: query.entity_type !== 'product' && query.taxonomy_id === undefined,
  };
}

interface ListedItem {
  kind: 'product' | 'bundle_price_option';
  id: number;
  key: [number, number, number];
  /** The stored card, when current. */
  card: string | null;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}

async function fetchItems(
  db: Db,
  storeId: number,
  query: ItemQuery,
  filters: lq.ItemFilters,
  window: KeysetWindow,
): Promise<ListedItem[]> {
  const rows: ListedItem[] = (await lq.listItemCards(db, storeId, filters, kindsOf(query), window)).map(
    (row) => ({
      kind: row.kind,
      id: row.id,
      key: [Number(row.listed_us), lq.ENTITY_RANK[row.kind], row.id],
      card: cards.usable(row.card),
    }),
  );
  // Newest first going forward; paging back reads the other way and `paginate` turns the page round.
  rows.sort((a, b) => (window.backward ? compareKeys(a.key, b.key) : compareKeys(b.key, a.key)));
  return rows.slice(0, window.limit);
}

/**
 * Where answers come from: the read model (stored texts, rendering and storing what is missing), or,
 * with `rendered`, the catalog tables alone (nothing read from or written to the read model: what
 * every answer cost before it, which the benchmark measures beside it).
 */
export type AnswerSource = 'stored' | 'rendered';

/** The page's cards: stored ones as they are, the rest rendered (and stored) with one query per kind. */
async function cardsOf(
  db: Db,
  storeId: number,
  items: readonly ListedItem[],
  source: AnswerSource,
): Promise<string[]> {
  const missing = (kind: ListedItem['kind']) =>
    items.filter((item) => item.card === null && item.kind === kind).map((item) => item.id);
  const productIds = missing('product');
  const priceOptionIds = missing('bundle_price_option');
  const [renderProducts, renderPriceOptions] =
    source === 'stored'
      ? [cards.productCards, cards.priceOptionCards]
      : [cards.renderProductCards, cards.renderPriceOptionCards];
  const [products, priceOptions] = await Promise.all([
    productIds.length ? renderProducts(db, storeId, productIds) : new Map<number, string>(),
    priceOptionIds.length ? renderPriceOptions(db, storeId, priceOptionIds) : new Map<number, string>(),
  ]);
  // An item unlisted between the listing and its rendering is left out of the page.
  return items.flatMap((item) => {
    const card = item.card ?? (item.kind === 'product' ? products : priceOptions).get(item.id);
    return card === undefined ? [] : [card];
  });
}

/**
 * One page of the items list as JSON, each product with its variants so a card can add one to the
 * cart. The listing reads both kinds' keyset indexes and their stored cards in one statement; only
 * cards missing or stale since a catalog change are rendered.
 */
export async function listItems(
  db: Db,
  cursors: CursorCodec,
  store: StorefrontStore,
  query: ItemQuery,
  page: PageParams,
  source: AnswerSource = 'stored',
): Promise<string> {
  const filters = filtersOf(query);
  const result = await paginate({
    codec: cursors,
    scope: cursorScope('listStorefrontItems', {
      store: store.storeId,
      search: filters.namePatterns.join(' '),
      entity_type: query.entity_type,
      label: filters.label,
      taxonomy_id: filters.taxonomyId,
    }),
    page,
    defaultPageSize: DEFAULT_PAGE_SIZE,
    fetch: (window) => fetchItems(db, store.storeId, query, filters, window),
    keyOf: (item) => item.key,
    map: (item) => (source === 'stored' ? item : { ...item, card: null }),
  });
  return cards.itemPageJson(result, await cardsOf(db, store.storeId, result.data, source));
}

export async function countItems(
  db: Db,
  store: StorefrontStore,
  query: ItemQuery,
): Promise<{ total: number }> {
  const filters = filtersOf(query);
  const kinds = kindsOf(query);
  if (!lq.filtersItems(filters)) {
    // Unfiltered (or by kind alone): the counts the listings' triggers keep, one row.
    const counts = await lq.storeItemCounts(db, store.storeId);
    return {
      total: (kinds.products ? counts.products : 0) + (kinds.priceOptions ? counts.price_options : 0),
    };
  }
  const [products, priceOptions] = await Promise.all([
    kinds.products ? lq.countProductItems(db, store.storeId, filters) : 0,
    kinds.priceOptions ? lq.countPriceOptionItems(db, store.storeId, filters) : 0,
  ]);
  return { total: products + priceOptions };
}

/** 404 that tells a storefront developer whether the slug is wrong or the item is just not in this store. */
async function missing(
  db: Db,
  store: StorefrontStore,
  kind: 'product' | 'bundle_price_option',
  slug: string,
) {
  const label = kind === 'product' ? 'Product' : 'Bundle price option';
  if (await q.businessHasSlug(db, store.businessId, kind, slug)) {
    return errors.notFound(`${label} is not available in this store`);
  }
  return errors.notFound(`${label} not found`);
}

/** The product page by slug as JSON: the stored page when current, else rendered and stored. */
export async function getProduct(
  db: Db,
  store: StorefrontStore,
  slug: string,
  source: AnswerSource = 'stored',
): Promise<string> {
  let json: string | null;
  if (source === 'rendered') {
    json = [...(await cards.renderProductDetail(db, store.storeId, slug)).values()][0] ?? null;
  } else {
    const listed = await q.storeProductDetailText(db, store.storeId, slug);
    const stored = listed ? cards.usable(listed.detail) : null;
    json = stored ?? (listed ? await cards.productDetail(db, store.storeId, slug) : null);
  }
  if (json === null) throw await missing(db, store, 'product', slug);
  return json;
}

/** The bundle price option page by slug as JSON, like `getProduct`. */
export async function getPriceOption(db: Db, store: StorefrontStore, slug: string): Promise<string> {
  const listed = await q.storePriceOptionDetailText(db, store.storeId, slug);
  const stored = listed ? cards.usable(listed.detail) : null;
  const json = stored ?? (listed ? await cards.priceOptionDetail(db, store.storeId, slug) : null);
  if (json === null) throw await missing(db, store, 'bundle_price_option', slug);
  return json;
}

export async function listCategories(db: Db, store: StorefrontStore) {
  const rows = await q.storeCategories(db, store.storeId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    full_path: row.full_path,
    product_count: Number(row.product_count),
  }));
}

/** Buyer-facing names of the virtual-account banks. */
const VA_BANK_NAMES: Record<string, string> = {
  BCA: 'BCA',
  BNI: 'BNI',
  BRI: 'BRI',
  MANDIRI: 'Mandiri',
  PERMATA: 'Permata',
  BSI: 'BSI',
  BJB: 'BJB',
  CIMB: 'CIMB Niaga',
  SAHABAT_SAMPOERNA: 'Sahabat Sampoerna',
  ARTAJASA: 'Artajasa',
};

/**
 * The store's enabled methods in the canonical order. `no_payment` is for orders a merchant enters
 * by hand; a buyer can never check out with it, so it is never offered.
 */
export async function listPaymentMethods(db: Db, store: StorefrontStore) {
  const settings = await q.storePaymentSettings(db, store.storeId);
  const enabled = new Set(settings.payment_methods);
  return (Object.keys(STORE_PAYMENT_METHODS) as StorePaymentMethod[])
    .filter((code) => code !== 'no_payment' && enabled.has(code))
    .map((code) => ({
      payment_method: code,
      name: STORE_PAYMENT_METHODS[code].name,
      is_epayment: STORE_PAYMENT_METHODS[code].is_epayment,
      // The names storefront clients read (docs/decisions.md, Payments): the list holds only
      // enabled methods, so `enabled` is always true.
      code,
      label: STORE_PAYMENT_METHODS[code].name,
      enabled: true as const,
      requires_redirect: STORE_PAYMENT_METHODS[code].requires_redirect,
      description: STORE_PAYMENT_METHODS[code].description,
      sub_payment_methods:
        code === 'va'
          ? settings.va_bank_codes.map((bank) => ({
              code: bank,
              name: `${VA_BANK_NAMES[bank] ?? bank} Virtual Account`,
            }))
          : [],
    }));
}

/** `"12, variant_x,12"` -> distinct refs in request order; text that cannot name a variant is a 422. */
function parseVariantIds(ids: string | undefined): RecordRef[] {
  const tokens = [...new Set((ids ?? '').split(',').map((token) => token.trim()))].filter(Boolean);
  if (tokens.length > MAX_PRICING_IDS) {
    throw errors.invalidField('ids', `must name at most ${MAX_PRICING_IDS} variants`);
  }
  const invalid = tokens.filter((token) => parseRecordRef(token, 'variant_') === null);
  if (invalid.length) {
    throw errors.invalidField(
      'ids',
      `contains values that are not variant ids: ${invalid.slice(0, 5).join(', ')}`,
    );
  }
  return tokens.map((token) => parseRecordRef(token, 'variant_') as RecordRef);
}

function refMatches(ref: RecordRef, row: q.StoreVariantRefRow): boolean {
  if ('id' in ref) return row.id === ref.id;
  if ('uuid' in ref) return row.uuid === ref.uuid;
  return row.unique_id === ref.unique_id;
}

/**
 * Prices of the named variants the store sells (hidden products included), in request order.
 * Ids the store does not sell are left out rather than failing the whole request: a storefront
 * refreshing a saved cart gets every price it still can.
 */
export async function variantPricing(db: Db, store: StorefrontStore, ids: string | undefined) {
  const refs = parseVariantIds(ids);
  if (refs.length === 0) return [];
  const rows = await q.storeVariantsByRefs(db, store.storeId, refs);
  const seen = new Set<number>();
  const ordered: q.StoreVariantRefRow[] = [];
  for (const ref of refs) {
    const row = rows.find((candidate) => refMatches(ref, candidate));
    if (row && !seen.has(row.id)) {
      seen.add(row.id);
      ordered.push(row);
    }
  }
  return ordered.map((row) => ({
    variant_id: row.id,
    unique_id: row.unique_id,
    uuid: row.uuid,
    product_id: row.product_id,
    name: variantDisplayName(productDisplayName(row.product_name, row.product_public_name), row),
    price: row.price,
    currency: 'IDR' as const,
    pricing_type: row.pricing_type,
    interval: row.interval,
    interval_count: row.interval_count,
  }));
}

export async function variantAvailability(db: Db, store: StorefrontStore, variantId: string) {
  const ref = parseRecordRef(variantId, 'variant_');
  const [row] = ref ? await q.storeVariantsByRefs(db, store.storeId, [ref]) : [];
  if (!row) throw errors.notFound('Variant is not available in this store');
  return { variant_id: row.id, ...m.availabilityOf(row.is_inventory, row.stock_qty) };
}
