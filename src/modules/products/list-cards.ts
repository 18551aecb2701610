import { Type } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { pageJson, renderAndStore, serializerOf, storedJson } from '../../db/read-model.ts';
import { type CursorCodec, type PageParams, type PaginatedList, paginate } from '../../http/pagination.ts';
import { DigitalProductFile } from '../product-content/schemas.ts';
import * as m from './mappers.ts';
import * as q from './queries.ts';
import * as schemas from './schemas.ts';
import { filesOf, type ProductDeps } from './service.ts';

/**
 * The business product list from its read model (migration 0022, db/read-model.ts): each of the
 * business's own products has its list item stored as JSON, as `toProductListItem` renders it with
 * every variant shown and no digital files; a page sends the stored items and renders only those
 * missing or stale. Files carry URLs signed per response, so they are read for the page in one
 * query and written into their variants' `digital_product_files` at offsets stored with the item.
 */

const serializeItem = serializerOf<ReturnType<typeof m.toProductListItem>>(schemas.ProductListItem);
const serializeVariant = serializerOf<ReturnType<typeof m.toVariantListItem>>(schemas.VariantListItem);
const serializeFiles = serializerOf<m.DigitalProductFile[]>(Type.Array(DigitalProductFile));
const serializePage = serializerOf<PaginatedList<unknown>>(schemas.ProductPage);

/** Bump when a mapper changes what it writes (db/read-model.ts `storedJson`). */
const RENDERING = 1;
const stored = storedJson(RENDERING, [schemas.ProductListItem]);

const NO_FILES: m.FilesByVariant = new Map();
const NO_VARIANTS = '"variants":[]';
/** Each variant's JSON ends with its files: `"digital_product_files":[]}`. */
const FILES_SUFFIX = '[]}';

/**
 * The item's JSON with each variant serialized on its own, so where each variant's files go is
 * known exactly (never searched for in text a merchant wrote): null if the item's own fields ever
 * held the variants' key.
 */
function renderCard(product: q.ProductRow, business: m.BusinessObject, variants: q.VariantRow[]) {
  const item = m.toProductListItem(
    product,
    { business, files: NO_FILES, partners: null },
    [],
    variants.length,
  );
  const shell = serializeItem(item);
  const at = shell.indexOf(NO_VARIANTS);
  if (at < 0 || shell.indexOf(NO_VARIANTS, at + 1) >= 0) return null;
  let card = `${shell.slice(0, at)}"variants":[`;
  const fileSlots: number[] = [];
  variants.forEach((variant, index) => {
    const json = serializeVariant(m.toVariantListItem(variant, product, NO_FILES));
    if (index > 0) card += ',';
    card += json;
    fileSlots.push(card.length - FILES_SUFFIX.length);
  });
  card += `]${shell.slice(at + NO_VARIANTS.length)}`;
  return { productId: product.id, card, variantIds: variants.map((v) => v.id), fileSlots };
}

/** Renders the cards of the business's own products `ids`, answers with them and stores them. */
async function renderCards(
  db: Db,
  businessId: number,
  ids: number[],
): Promise<Map<number, q.StoredProductCard>> {
  return renderAndStore(
    db,
    async (trx) => {
      const [products, variantRows, owners] = await Promise.all([
        q.findOwnProducts(trx, businessId, ids),
        q.listVariantsOf(trx, ids),
        q.findBusinesses(trx, [businessId]),
      ]);
      const business = m.toBusiness(owners[0] as q.BusinessRow);
      const variantsOf = new Map<number, q.VariantRow[]>();
      for (const v of variantRows) {
        const list = variantsOf.get(v.product_id);
        if (list) list.push(v);
        else variantsOf.set(v.product_id, [v]);
      }
      const cards = new Map<number, q.StoredProductCard>();
      for (const product of products) {
        const card = renderCard(product, business, variantsOf.get(product.id) ?? []);
        if (card) cards.set(product.id, card);
      }
      return cards;
    },
    (trx, cards, snapshot) =>
      q.storeProductCards(
        trx,
        businessId,
        snapshot,
        [...cards.values()].map((card) => ({ ...card, card: stored.tag(card.card) })),
      ),
  );
}

interface ListedCard {
  id: number;
  card: string | null;
  variantIds: number[];
  fileSlots: number[];
}

/** Writes each variant's files, signed now, into the card (from the last slot, so offsets hold). */
function withFiles(card: ListedCard, files: Map<number, string>): string {
  let json = card.card as string;
  for (let i = card.variantIds.length - 1; i >= 0; i--) {
    const list = files.get(card.variantIds[i] as number);
    const slot = card.fileSlots[i] as number;
    if (list) json = json.slice(0, slot) + list + json.slice(slot + 2);
  }
  return json;
}

/**
 * One page of the business's own products as JSON (the list without shared products and without
 * the `is_checked` filter, which shows a subset of variants: the service decides).
 */
export async function ownProductsPageJson(
  deps: ProductDeps,
  cursors: CursorCodec,
  businessId: number,
  filter: q.ProductFilter,
  scope: string,
  page: PageParams,
): Promise<string> {
  const { db } = deps;
  const result = await paginate<q.ProductCardRow, ListedCard>({
    codec: cursors,
    scope,
    page,
    defaultPageSize: 25,
    fetch: (window) => q.listOwnProductCards(db, businessId, filter, window),
    keyOf: (row) => [row.id],
    map: (row) => {
      const card = stored.usable(row.card);
      return card === null
        ? { id: row.id, card: null, variantIds: [], fileSlots: [] }
        : // pg reads a bigint[] as strings (PGlite as numbers).
          {
            id: row.id,
            card,
            variantIds: (row.variant_ids ?? []).map(Number),
            fileSlots: row.file_slots ?? [],
          };
    },
  });
  const missing = result.data.filter((item) => item.card === null).map((item) => item.id);
  const rendered = missing.length ? await renderCards(db, businessId, missing) : new Map();
  // A product deleted between the listing and its rendering is left out of the page.
  const items = result.data.flatMap((item): ListedCard[] => {
    if (item.card !== null) return [item];
    const card = rendered.get(item.id);
    return card ? [{ id: item.id, ...card }] : [];
  });
  const files = await filesOf(
    deps,
    businessId,
    items.flatMap((item) => item.variantIds),
  );
  const filesJson = new Map([...files].map(([variantId, list]) => [variantId, serializeFiles(list)]));
  return pageJson(
    serializePage,
    result,
    items.map((item) => (filesJson.size ? withFiles(item, filesJson) : (item.card as string))),
  );
}
