import { createHash } from 'node:crypto';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { TSchema } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { isSerializationFailure } from '../../db/errors.ts';
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

/** Serializers built by Fastify's own compiler from the routes' schemas, so the bytes are the routes'. */
function serializerOf<T>(schema: TSchema): (value: T) => string {
  const compile = SerializerSelector()({}, {});
  return compile({ schema, method: 'GET', url: '/', httpStatus: '200' }) as (value: T) => string;
}
const serializeItem = serializerOf<ProductItem | PriceOptionItem>(schemas.StorefrontItem);
const serializePage = serializerOf<PaginatedList<never>>(schemas.StorefrontItemPage);
const serializeProduct = serializerOf<ReturnType<typeof m.toStorefrontProduct>>(schemas.StorefrontProduct);
const serializePriceOption = serializerOf<ReturnType<typeof m.toStorefrontPriceOption>>(
  schemas.StorefrontBundlePriceOption,
);

/**
 * Stored texts start with this tag, so a text rendered by another release is never served: the
 * schemas' hash covers their fields, `RENDERING` the mappers. Bump it when a mapper changes what it
 * writes.
 */
const RENDERING = 1;
const TAG = `${RENDERING}.${createHash('sha256')
  .update(
    JSON.stringify([schemas.StorefrontItem, schemas.StorefrontProduct, schemas.StorefrontBundlePriceOption]),
  )
  .digest('base64url')
  .slice(0, 12)}:`;

/** The JSON of a stored text rendered by this release, else null. */
export function usable(stored: string | null): string | null {
  return stored?.startsWith(TAG) ? stored.slice(TAG.length) : null;
}

type ProductItem = ReturnType<typeof m.toProductItem> & { variants: ReturnType<typeof m.toItemVariant>[] };
type PriceOptionItem = ReturnType<typeof m.toPriceOptionItem> & { variants: [] };

/**
 * Renders texts in one repeatable-read transaction, so they and the snapshot stored with them agree,
 * and stores them in it. A write refused because a row changed since the snapshot is dropped (the
 * rendered texts are still this request's answer; the next request renders again).
 */
async function renderAndStore(
  db: Db,
  storeId: number,
  kind: 'product' | 'bundle_price_option',
  text: cq.StoredText,
  render: (trx: Db) => Promise<Map<number, string>>,
): Promise<Map<number, string>> {
  let rendered = new Map<number, string>();
  try {
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const snapshot = await cq.renderSnapshot(trx);
        rendered = await render(trx);
        const tagged = new Map([...rendered].map(([id, json]) => [id, TAG + json]));
        await cq.storeTexts(trx, storeId, kind, text, snapshot, tagged);
      });
  } catch (error) {
    if (!isSerializationFailure(error)) throw error;
  }
  return rendered;
}

/** Item cards of the store's products `ids` (hidden or not), with their variants; absent ids are left out. */
export function productCards(db: Db, storeId: number, ids: readonly number[]) {
  return renderAndStore(db, storeId, 'product', 'card', async (trx) => {
    const [rows, variantRows] = await Promise.all([
      lq.productItemsByIds(trx, storeId, ids),
      q.storeVariantsOfListedProducts(trx, storeId, ids),
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
  });
}

/** Item cards of the store's bundle price options `ids` (hidden or not); absent ids are left out. */
export function priceOptionCards(db: Db, storeId: number, ids: readonly number[]) {
  return renderAndStore(db, storeId, 'bundle_price_option', 'card', async (trx) => {
    const rows = await lq.priceOptionItemsByIds(trx, storeId, ids);
    return new Map(rows.map((row) => [row.id, serializeItem({ ...m.toPriceOptionItem(row), variants: [] })]));
  });
}

/** A page of the items list as JSON: the cards' texts between the envelope's fields, in schema order. */
export function itemPageJson(page: PaginatedList<unknown>, cards: readonly string[]): string {
  const envelope = serializePage({ ...page, data: [] });
  const empty = '{"data":[]';
  if (!envelope.startsWith(empty)) throw new Error('The items page schema no longer starts with data');
  return `{"data":[${cards.join(',')}]${envelope.slice(empty.length)}`;
}

/** The detail page of the store's product with this slug, rendered and stored; null when not listed. */
export async function productDetail(db: Db, storeId: number, slug: string): Promise<string | null> {
  const texts = await renderAndStore(db, storeId, 'product', 'detail', async (trx) => {
    const product = await q.findStoreProductBySlug(trx, storeId, slug);
    if (!product) return new Map();
    const variants = await q.storeVariantsOfProduct(trx, storeId, product.id);
    return new Map([[product.id, serializeProduct(m.toStorefrontProduct(product, variants))]]);
  });
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
