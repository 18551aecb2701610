import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * The storefront read model's SQL (migration 0021): listing rows keep their item card and detail
 * page as JSON text with the snapshot it was rendered under, and triggers log every catalog change
 * in `storefront_card_changes` with its transaction id.
 */

export type StoredText = 'card' | 'detail';

/** `sp` (store_products) or `sb` (store_bundle_price_options), with what their texts depend on. */
type Listing = 'sp' | 'sb';

/**
 * Whether a change the snapshot did not see was logged for the product or bundle: only
 * transactions at or after the snapshot's xmin can be invisible to it, a short range of the index.
 */
function changedSince(
  column: 'product_id' | 'bundle_id' | 'store_id',
  ref: string,
  snapshot: RawBuilder<unknown>,
) {
  return sql<boolean>`exists (
    select from storefront_card_changes c
    where c.${sql.raw(column)} = ${sql.ref(ref)}
      and c.xid >= pg_snapshot_xmin(${snapshot})
      and not pg_visible_in_snapshot(c.xid, ${snapshot})
  )`;
}

/**
 * The listing row's stored `text` when no change since its snapshot could alter it, else null. A
 * product listing depends on its product (`product`), a price option's on its bundle (`bundle`);
 * a change of the store's warehouse clears the store's texts (migration 0021).
 */
export function currentText(
  listing: Listing,
  text: StoredText,
  depends: { product: string } | { bundle: string },
): RawBuilder<string | null> {
  const snapshot = sql.ref(`${listing}.${text}_snapshot`);
  const entity =
    'product' in depends
      ? changedSince('product_id', depends.product, snapshot)
      : changedSince('bundle_id', depends.bundle, snapshot);
  return sql<string | null>`case when ${snapshot} is not null and not ${entity}
    then ${sql.ref(`${listing}.${text}`)} end`;
}

/** The snapshot of the (repeatable read) transaction that renders texts, stored beside them. */
export async function renderSnapshot(trx: Db): Promise<string> {
  const row = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(trx);
  return (row.rows[0] as { snapshot: string }).snapshot;
}

const TABLES = {
  product: { table: 'store_products', id: 'product_id' },
  bundle_price_option: { table: 'store_bundle_price_options', id: 'bundle_price_option_id' },
} as const;

/**
 * Stores rendered texts of one store's listings, in the transaction that rendered them. Rows another
 * renderer is writing are skipped rather than waited for (it writes the same thing), in id order.
 */
export async function storeTexts(
  trx: Db,
  storeId: number,
  kind: keyof typeof TABLES,
  text: StoredText,
  snapshot: string,
  texts: ReadonlyMap<number, string>,
): Promise<void> {
  if (texts.size === 0) return;
  const { table, id } = TABLES[kind];
  const ids = [...texts.keys()].sort((a, b) => a - b);
  await sql`
    with locked as (
      select ${sql.ref(id)} as id from ${sql.table(table)}
      where store_id = ${storeId} and ${sql.ref(id)} = any(${ids}::bigint[])
      order by ${sql.ref(id)}
      for update skip locked
    )
    update ${sql.table(table)} l
    set ${sql.ref(text)} = u.text, ${sql.ref(`${text}_snapshot`)} = ${snapshot}::pg_snapshot
    from unnest(${ids}::bigint[], ${ids.map((key) => texts.get(key))}::text[]) as u(id, text)
    join locked on locked.id = u.id
    where l.store_id = ${storeId} and l.${sql.raw(id)} = u.id`.execute(trx);
}

/**
 * Forgets stored texts whose changes are older than `before` and deletes those changes, so the log
 * stays short. Every listing row of a changed product or bundle is written (even one without
 * texts): a renderer whose snapshot predates this still holds, in repeatable read, an update of such
 * a row, and fails instead of storing a text the deleted change would have shown stale.
 */
/** Changes trimmed per run at most; the next run (hourly) goes on. */
const TRIM_BATCH = 50_000;

export async function trimCardChanges(db: Db, before: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .deleteFrom('storefront_card_changes')
      .where(
        'id',
        'in',
        trx
          .selectFrom('storefront_card_changes')
          .select('id')
          .where('created_at', '<', before)
          .orderBy('id')
          .limit(TRIM_BATCH),
      )
      .returning(['product_id', 'bundle_id'])
      .execute();
    const products = [...new Set(old.flatMap((row) => (row.product_id === null ? [] : [row.product_id])))];
    const bundles = [...new Set(old.flatMap((row) => (row.bundle_id === null ? [] : [row.bundle_id])))];
    const cleared = { card: null, card_snapshot: null, detail: null, detail_snapshot: null };
    if (products.length) {
      await trx
        .updateTable('store_products')
        .set(cleared)
        .where(sql<boolean>`product_id = any(${products}::bigint[])`)
        .execute();
    }
    if (bundles.length) {
      await trx
        .updateTable('store_bundle_price_options')
        .set(cleared)
        .where(
          'bundle_price_option_id',
          'in',
          trx
            .selectFrom('bundle_price_options')
            .select('id')
            .where(sql<boolean>`bundle_id = any(${bundles}::bigint[])`),
        )
        .execute();
    }
    return old.length;
  });
}
