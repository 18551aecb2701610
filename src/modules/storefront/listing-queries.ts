import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { PREPARED } from '../../db/prepared.ts';
import { errors } from '../../http/errors.ts';
import type { KeysetWindow } from '../../http/pagination.ts';
import { currentText } from './card-queries.ts';
import { bundleInStock, bundleItemType, epochMicros, productInStock } from './queries.ts';

/**
 * The storefront items list merges two listings, products and bundle price options, into one
 * order: newest listed first, then products before price options listed in the same microsecond,
 * then id. Each kind is read through its own partial index with the same keyset and limit, and the
 * two short runs are merged in code, so a page costs the same in a store of ten items or ten thousand.
 * A listing row brings its stored card (`card-queries.ts`); only cards that are missing or stale
 * are rendered, from `productItemsByIds` and `priceOptionItemsByIds`.
 */
export const ENTITY_RANK = { product: 1, bundle_price_option: 0 } as const;

export interface ItemFilters {
  /** LIKE patterns on lower-cased names, already escaped; every one must match some name. */
  namePatterns: string[];
  label: string | null;
  taxonomyId: number | null;
}

/** `(listed, rank, id)` after (or, paging back, before) the cursor, for one kind whose rank is fixed. */
function keysetCondition(
  listed: string,
  id: string,
  rank: number,
  window: KeysetWindow,
): RawBuilder<boolean> | null {
  if (!window.values) return null;
  const [micros, cursorRank, cursorId] = window.values;
  if (typeof micros !== 'number' || typeof cursorRank !== 'number' || typeof cursorId !== 'number') {
    throw errors.invalidCursor();
  }
  const at = sql`(timestamptz 'epoch' + ${micros}::float8 * interval '1 microsecond')`;
  const listedRef = sql.ref(listed);
  const idRef = sql.ref(id);
  const [before, beforeOrAt] = window.backward
    ? [sql.raw('>'), sql.raw('>=')]
    : [sql.raw('<'), sql.raw('<=')];
  if (rank === cursorRank) return sql<boolean>`(${listedRef}, ${idRef}) ${before} (${at}, ${cursorId})`;
  // Listed at the cursor's very time, this kind still lies ahead when its rank sorts after the cursor's.
  const tiesAhead = window.backward ? rank > cursorRank : rank < cursorRank;
  return sql<boolean>`${listedRef} ${tiesAhead ? beforeOrAt : before} ${at}`;
}

const direction = (window: KeysetWindow) => (window.backward ? 'asc' : 'desc');

/** Whether any filter reads the listed item's own columns (else the listing index alone answers). */
export const filtersItems = (filters: ItemFilters) =>
  filters.namePatterns.length > 0 || filters.label !== null || filters.taxonomyId !== null;

/** The store's visible product listings (`sp`) that pass the filters, checked on the product in one probe. */
function productListing(db: Db, storeId: number, filters: ItemFilters) {
  const query = db
    .selectFrom('store_products as sp')
    .where('sp.store_id', '=', storeId)
    // Written out, not a parameter, so a plan for any parameters still matches the partial index.
    .where(sql<boolean>`not sp.is_hidden_from_listing`);
  if (!filtersItems(filters)) return query;
  return query.where((eb) => {
    let product = eb
      .selectFrom('products as p')
      .select(sql`1`.as('one'))
      .whereRef('p.id', '=', 'sp.product_id');
    for (const pattern of filters.namePatterns) {
      product = product.where((pb) =>
        pb.or([
          pb(pb.fn('lower', ['p.name']), 'like', pattern),
          pb(pb.fn('lower', ['p.public_name']), 'like', pattern),
        ]),
      );
    }
    if (filters.label !== null)
      product = product.where(sql<boolean>`p.labels @> array[${filters.label}]::text[]`);
    if (filters.taxonomyId !== null) product = product.where('p.taxonomy_id', '=', filters.taxonomyId);
    return eb.exists(product);
  });
}

/** The store's visible price option listings (`sb`, with `bpo`) that pass the filters. */
function priceOptionListing(db: Db, storeId: number, filters: ItemFilters) {
  const query = db
    .selectFrom('store_bundle_price_options as sb')
    .innerJoin('bundle_price_options as bpo', 'bpo.id', 'sb.bundle_price_option_id')
    .where('sb.store_id', '=', storeId)
    .where(sql<boolean>`not sb.is_hidden_from_listing`);
  if (!filtersItems(filters)) return query;
  return query.where((eb) => {
    let bundle = eb
      .selectFrom('bundles as b')
      .select(sql`1`.as('one'))
      .whereRef('b.id', '=', 'bpo.bundle_id');
    for (const pattern of filters.namePatterns) {
      bundle = bundle.where((bb) =>
        bb.or([
          bb(bb.fn('lower', ['b.name']), 'like', pattern),
          bb(bb.fn('lower', ['b.public_name']), 'like', pattern),
          bb(bb.fn('lower', ['bpo.name']), 'like', pattern),
        ]),
      );
    }
    if (filters.label !== null)
      bundle = bundle.where(sql<boolean>`b.labels @> array[${filters.label}]::text[]`);
    return eb.exists(bundle);
  });
}

export type ItemKind = keyof typeof ENTITY_RANK;

/**
 * One window of the items list in one statement: each kind's next `window.limit` listings through
 * its own index, with their keyset values and their stored cards when still current. The caller
 * merges the two runs. A prepared statement (db/prepared.ts) with the limit written out (a
 * validated page size): with the limit as a parameter PostgreSQL never settles on a generic plan
 * and plans every execution again.
 */
export async function listItemCards(
  db: Db,
  storeId: number,
  filters: ItemFilters,
  kinds: { products: boolean; priceOptions: boolean },
  window: KeysetWindow,
) {
  const branches = [];
  if (kinds.products) {
    let query = productListing(db, storeId, filters).select([
      sql<ItemKind>`'product'`.as('kind'),
      'sp.product_id as id',
      epochMicros('sp.created_at').as('listed_us'),
      currentText('sp', 'card', { product: 'sp.product_id' }).as('card'),
    ]);
    const condition = keysetCondition('sp.created_at', 'sp.product_id', ENTITY_RANK.product, window);
    if (condition) query = query.where(condition);
    branches.push(
      query
        .orderBy('sp.created_at', direction(window))
        .orderBy('sp.product_id', direction(window))
        .limit(sql.lit(window.limit)),
    );
  }
  if (kinds.priceOptions) {
    let query = priceOptionListing(db, storeId, filters).select([
      sql<ItemKind>`'bundle_price_option'`.as('kind'),
      'sb.bundle_price_option_id as id',
      epochMicros('sb.created_at').as('listed_us'),
      currentText('sb', 'card', { bundle: 'bpo.bundle_id' }).as('card'),
    ]);
    const condition = keysetCondition(
      'sb.created_at',
      'sb.bundle_price_option_id',
      ENTITY_RANK.bundle_price_option,
      window,
    );
    if (condition) query = query.where(condition);
    branches.push(
      query
        .orderBy('sb.created_at', direction(window))
        .orderBy('sb.bundle_price_option_id', direction(window))
        .limit(sql.lit(window.limit)),
    );
  }
  const [first, second] = branches.map((branch, index) => db.selectFrom(branch.as(`k${index}`)).selectAll());
  if (!first) return [];
  return (second ? first.unionAll(second) : first).modifyFront(PREPARED).execute();
}
export type ItemCardRow = Awaited<ReturnType<typeof listItemCards>>[number];

/** What an item card shows of the store's listed products `ids` (hidden or not), for rendering it. */
export function productItemsByIds(db: Db, storeId: number, ids: readonly number[]) {
  return db
    .selectFrom('store_products as sp')
    .innerJoin('stores as st', 'st.id', 'sp.store_id')
    .innerJoin('products as p', 'p.id', 'sp.product_id')
    .leftJoin('product_taxonomies as t', 't.id', 'p.taxonomy_id')
    .select([
      'p.id',
      'p.slug',
      'p.name',
      'p.public_name',
      'p.description',
      'p.meta_thumbnail',
      'p.item_type',
      'p.is_multiple',
      'p.option1_name',
      'p.option2_name',
      'p.option3_name',
      'p.images',
      'p.labels',
      'p.created_at',
      't.id as taxonomy_id',
      't.name as taxonomy_name',
      't.full_path as taxonomy_full_path',
      sql<string | null>`(select min(mv.price)::text from variants mv where mv.product_id = p.id)`.as(
        'min_price',
      ),
      sql<string | null>`(select max(mv.price)::text from variants mv where mv.product_id = p.id)`.as(
        'max_price',
      ),
      productInStock('p').as('in_stock'),
    ])
    .where('sp.store_id', '=', storeId)
    .where('sp.product_id', 'in', ids)
    .execute();
}
export type ProductItemRow = Awaited<ReturnType<typeof productItemsByIds>>[number];

/** What an item card shows of the store's price options `ids` (hidden or not), for rendering it. */
export function priceOptionItemsByIds(db: Db, storeId: number, ids: readonly number[]) {
  return db
    .selectFrom('store_bundle_price_options as sb')
    .innerJoin('stores as st', 'st.id', 'sb.store_id')
    .innerJoin('bundle_price_options as bpo', 'bpo.id', 'sb.bundle_price_option_id')
    .innerJoin('bundles as b', 'b.id', 'bpo.bundle_id')
    .select([
      'bpo.id',
      'bpo.bundle_id',
      'bpo.slug',
      'bpo.name',
      'bpo.price',
      'bpo.created_at',
      'b.name as bundle_name',
      'b.public_name as bundle_public_name',
      'b.description',
      'b.meta_thumbnail',
      'b.images',
      'b.labels',
      bundleItemType('b').as('item_type'),
      bundleInStock('b').as('in_stock'),
    ])
    .where('sb.store_id', '=', storeId)
    .where('sb.bundle_price_option_id', 'in', ids)
    .execute();
}
export type PriceOptionItemRow = Awaited<ReturnType<typeof priceOptionItemsByIds>>[number];

/** The store's visible listings of each kind, as its listings' triggers keep them (migration 0021). */
export async function storeItemCounts(db: Db, storeId: number) {
  const row = await db
    .selectFrom('store_item_counts')
    .select(['products', 'price_options'])
    .where('store_id', '=', storeId)
    .modifyFront(PREPARED)
    .executeTakeFirst();
  return row ?? { products: 0, price_options: 0 };
}

export async function countProductItems(db: Db, storeId: number, filters: ItemFilters): Promise<number> {
  const row = await productListing(db, storeId, filters)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function countPriceOptionItems(db: Db, storeId: number, filters: ItemFilters): Promise<number> {
  const row = await priceOptionListing(db, storeId, filters)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
