import { createHash } from 'node:crypto';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { TSchema } from '@sinclair/typebox';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from './database.ts';
import { isSerializationFailure } from './errors.ts';

/**
 * The catalog's read models (issue 12): answers the hot reads send are rendered once, stored as JSON
 * text with the snapshot they were rendered under, and sent as they are while current.
 *
 * Triggers on every table they read log each change in `catalog_changes` (a product or a bundle,
 * with the writing transaction's id; migrations 0021 and 0022). Writers never touch stored texts,
 * so no write waits for a reader and checkout's stock locks keep their order. A stored text is
 * current while every change to its product or bundle is visible in its snapshot: only
 * transactions at or after the snapshot's xmin can be invisible to it, a short index range.
 */

export type ChangeKey = 'product_id' | 'bundle_id';

/** Whether a change the snapshot did not see was logged for the product or bundle `ref`. */
function changedSince(key: ChangeKey, ref: string, snapshot: RawBuilder<unknown>) {
  return sql<boolean>`exists (
    select from catalog_changes logged
    where logged.${sql.raw(key)} = ${sql.ref(ref)}
      and logged.xid >= pg_snapshot_xmin(${snapshot})
      and not pg_visible_in_snapshot(logged.xid, ${snapshot})
  )`;
}

/** The stored `text` column when it is current for the product or bundle `ref`, else null. */
export function currentText(
  text: string,
  snapshot: string,
  key: ChangeKey,
  ref: string,
): RawBuilder<string | null> {
  const at = sql.ref(snapshot);
  return sql<string | null>`case when ${at} is not null and not ${changedSince(key, ref, at)}
    then ${sql.ref(text)} end`;
}

/**
 * Stored texts start with a tag, so a text rendered by another release is never sent: the hash
 * covers the schemas that serialize them, `rendering` the mappers (bump it when a mapper changes
 * what it writes).
 */
export function storedJson(rendering: number, schemas: readonly TSchema[]) {
  const tag = `${rendering}.${createHash('sha256').update(JSON.stringify(schemas)).digest('base64url').slice(0, 12)}:`;
  return {
    tag: (json: string) => tag + json,
    /** The JSON of a stored text of this release, else null. */
    usable: (stored: string | null): string | null =>
      stored?.startsWith(tag) ? stored.slice(tag.length) : null,
  };
}

/** A serializer built by Fastify's own compiler from a route's schema, so the bytes are the route's. */
export function serializerOf<T>(schema: TSchema): (value: T) => string {
  const compile = SerializerSelector()({}, {});
  return compile({ schema, method: 'GET', url: '/', httpStatus: '200' }) as (value: T) => string;
}

/**
 * A page envelope (`Paginated` in http/schemas.ts) around items already serialized: the items
 * between the envelope's fields, in the schema's order.
 */
export function pageJson<P extends { data: unknown[] }>(
  serializePage: (page: P) => string,
  page: P,
  items: readonly string[],
): string {
  const envelope = serializePage({ ...page, data: [] });
  const empty = '{"data":[]';
  if (!envelope.startsWith(empty)) throw new Error('A page schema no longer starts with data');
  return `{"data":[${items.join(',')}]${envelope.slice(empty.length)}`;
}

/**
 * Renders texts and stores them in one repeatable-read transaction, so they and the snapshot stored
 * with them agree. A write refused because a row changed since the snapshot is dropped: the
 * rendered result is still this request's answer, and the next request renders again.
 */
export async function renderAndStore<T>(
  db: Db,
  render: (trx: Db) => Promise<T>,
  store: (trx: Db, rendered: T, snapshot: string) => Promise<void>,
): Promise<T> {
  let rendered: T | undefined;
  try {
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const row = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(
          trx,
        );
        rendered = await render(trx);
        await store(trx, rendered, (row.rows[0] as { snapshot: string }).snapshot);
      });
  } catch (error) {
    if (!isSerializationFailure(error) || rendered === undefined) throw error;
  }
  return rendered as T;
}

/** Changes trimmed per transaction; a run goes on batch by batch until none is older. */
const TRIM_BATCH = 20_000;

/**
 * Deletes the changes logged before `before`, so the log stays short, and forgets every stored text
 * they touched. Every row that can hold such a text is written, even one without a text (or
 * created empty): a renderer whose snapshot predates this then fails its repeatable-read write
 * instead of storing a text that the deleted change would have shown stale.
 */
export async function trimCatalogChanges(db: Db, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const trimmed = await trimBatch(db, before);
    total += trimmed;
    if (trimmed < TRIM_BATCH) return total;
  }
}

async function trimBatch(db: Db, before: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .deleteFrom('catalog_changes')
      .where(
        'id',
        'in',
        trx
          .selectFrom('catalog_changes')
          .select('id')
          .where('created_at', '<', before)
          .orderBy('id')
          .limit(TRIM_BATCH),
      )
      .returning(['product_id', 'bundle_id'])
      .execute();
    const products = [...new Set(old.flatMap((row) => (row.product_id === null ? [] : [row.product_id])))];
    const bundles = [...new Set(old.flatMap((row) => (row.bundle_id === null ? [] : [row.bundle_id])))];
    if (products.length) {
      const cleared = { card: null, card_snapshot: null, detail: null, detail_snapshot: null };
      await trx
        .updateTable('store_products')
        .set(cleared)
        .where(sql<boolean>`product_id = any(${products}::bigint[])`)
        .execute();
      await sql`
        insert into product_list_cards (product_id, business_id)
        select id, business_id from products where id = any(${products}::bigint[])
        on conflict (product_id) do update set card = null, variant_ids = null, file_slots = null, snapshot = null`.execute(
        trx,
      );
    }
    if (bundles.length) {
      await trx
        .updateTable('store_bundle_price_options')
        .set({ card: null, card_snapshot: null, detail: null, detail_snapshot: null })
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
