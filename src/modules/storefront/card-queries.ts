import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { currentText as storedText } from '../../db/read-model.ts';

/**
 * The storefront read model's SQL (migration 0021, db/read-model.ts): listing rows keep their item
 * card and detail page as JSON text with the snapshot it was rendered under.
 */

export type StoredText = 'card' | 'detail';

/** `sp` (store_products) or `sb` (store_bundle_price_options), with what their texts depend on. */
type Listing = 'sp' | 'sb';

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
  const [key, ref] =
    'product' in depends
      ? (['product_id', depends.product] as const)
      : (['bundle_id', depends.bundle] as const);
  return storedText(`${listing}.${text}`, `${listing}.${text}_snapshot`, key, ref);
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
