import type { Db } from '../../db/database.ts';
import {
  pageJson,
  renderAndStore as renderInSnapshot,
  serializerOf,
  storedJson,
} from '../../db/read-model.ts';
import type { PaginatedList } from '../../http/pagination.ts';
import * as cq from './card-queries.ts';
import * as lq from './listing-queries.ts';
import * as m from './mappers.ts';
import * as q from './queries.ts';
import * as schemas from './schemas.ts';

/**
 * The storefront read model: item cards and detail pages rendered once, by the same queries and
 * mappers as ever, serialized by the routes' own response schemas, and stored as JSON text beside
 * their listing (`card-queries.ts` says when a stored text is current). A request then sends
 * stored bytes; whatever is missing or stale is rendered, answered and stored in one go.
 */

const serializeItem = serializerOf<ProductItem | PriceOptionItem>(schemas.StorefrontItem);
const serializePage = serializerOf<PaginatedList<unknown>>(schemas.StorefrontItemPage);
const serializeProduct = serializerOf<ReturnType<typeof m.toStorefrontProduct>>(schemas.StorefrontProduct);
const serializePriceOption = serializerOf<ReturnType<typeof m.toStorefrontPriceOption>>(
  schemas.StorefrontBundlePriceOption,
);

/** Bump when a mapper changes what it writes (db/read-model.ts `storedJson`). */
const RENDERING = 1;
const stored = storedJson(RENDERING, [
  schemas.StorefrontItem,
  schemas.StorefrontProduct,
  schemas.StorefrontBundlePriceOption,
]);

/** The JSON of a stored text rendered by this release, else null. */
export const usable = stored.usable;

type ProductItem = ReturnType<typeof m.toProductItem> & { variants: ReturnType<typeof m.toItemVariant>[] };
type PriceOptionItem = ReturnType<typeof m.toPriceOptionItem> & { variants: [] };

/** Renders texts of one kind of listing of the store, answers with them and stores them. */
function renderAndStore(
  db: Db,
  storeId: number,
  kind: 'product' | 'bundle_price_option',
  text: cq.StoredText,
  render: (trx: Db) => Promise<Map<number, string>>,
): Promise<Map<number, string>> {
  return renderInSnapshot(db, render, (trx, rendered, snapshot) =>
    cq.storeTexts(
      trx,
      storeId,
      kind,
      text,
      snapshot,
      new Map([...rendered].map(([id, json]) => [id, stored.tag(json)])),
    ),
  );
}

/**
 * Renders (without storing) the item cards of the store's products `ids` (hidden or not), with
 * their variants, from the catalog tables; absent ids are left out.
 */
export async function renderProductCards(db: Db, storeId: number, ids: readonly number[]) {
  const [rows, variantRows] = await Promise.all([
    lq.productItemsByIds(db, storeId, ids),
    q.storeVariantsOfListedProducts(db, storeId, ids),
  ]);
  const variantsOf = new Map<number, q.ListedVariantRow[]>();
  for (const row of variantRows) {
    const list = variantsOf.get(row.product_id);
    if (list) list.push(row);
    else variantsOf.set(row.product_id, [row]);
  }
  return new Map(
    rows.map((row) => {
      const item = m.toProductItem(row);
      const variants = (variantsOf.get(row.id) ?? []).map((v) => m.toItemVariant(v, item.name));
      return [row.id, serializeItem({ ...item, variants })];
    }),
  );
}

/** Renders (without storing) the item cards of the store's bundle price options `ids`. */
export async function renderPriceOptionCards(db: Db, storeId: number, ids: readonly number[]) {
  const rows = await lq.priceOptionItemsByIds(db, storeId, ids);
  return new Map(rows.map((row) => [row.id, serializeItem({ ...m.toPriceOptionItem(row), variants: [] })]));
}

/** Item cards of the store's products `ids`, rendered and stored. */
export function productCards(db: Db, storeId: number, ids: readonly number[]) {
  return renderAndStore(db, storeId, 'product', 'card', (trx) => renderProductCards(trx, storeId, ids));
}

/** Item cards of the store's bundle price options `ids`, rendered and stored. */
export function priceOptionCards(db: Db, storeId: number, ids: readonly number[]) {
  return renderAndStore(db, storeId, 'bundle_price_option', 'card', (trx) =>
    renderPriceOptionCards(trx, storeId, ids),
  );
}

/** A page of the items list as JSON: the cards' texts between the envelope's fields. */
export function itemPageJson(page: PaginatedList<unknown>, cards: readonly string[]): string {
  return pageJson(serializePage, page, cards);
}

/** Renders (without storing) the detail page of the store's product with this slug, by product id. */
export async function renderProductDetail(db: Db, storeId: number, slug: string) {
  const product = await q.findStoreProductBySlug(db, storeId, slug);
  if (!product) return new Map<number, string>();
  const variants = await q.storeVariantsOfProduct(db, storeId, product.id);
  return new Map([[product.id, serializeProduct(m.toStorefrontProduct(product, variants))]]);
}

/** The detail page of the store's product with this slug, rendered and stored; null when not listed. */
export async function productDetail(db: Db, storeId: number, slug: string): Promise<string | null> {
  const texts = await renderAndStore(db, storeId, 'product', 'detail', (trx) =>
    renderProductDetail(trx, storeId, slug),
  );
  return [...texts.values()][0] ?? null;
}

/** The detail page of the store's price option with this slug, rendered and stored; null when not attached. */
export async function priceOptionDetail(db: Db, storeId: number, slug: string): Promise<string | null> {
  const texts = await renderAndStore(db, storeId, 'bundle_price_option', 'detail', async (trx) => {
    const option = await q.findStorePriceOptionBySlug(trx, storeId, slug);
    if (!option) return new Map();
    const lines = await q.storeBundleLines(trx, storeId, option.bundle_id);
    return new Map([[option.id, serializePriceOption(m.toStorefrontPriceOption(option, lines))]]);
  });
  return [...texts.values()][0] ?? null;
}
