import type { Db } from '../../db/database.ts';
import { isUuid } from '../../lib/ids.ts';
import * as q from './queries.ts';

/** An order with everything its views need, loaded in three queries. */
export interface OrderRecord {
  order: q.OrderWithContextRow;
  lines: q.OrderlineRow[];
  history: q.StatusHistoryRow[];
}

/** The store's order behind a public `secret_slug`; another store's slug is simply not found. */
export async function findOrderBySecretSlug(
  db: Db,
  storeId: number,
  secretSlug: string,
): Promise<OrderRecord | undefined> {
  if (secretSlug.length === 0 || secretSlug.length > 64) return undefined;
  return complete(db, await q.selectOrderBySecretSlug(db, storeId, secretSlug));
}

/** A business's order by its UUIDv7 `id`; anything that is not a UUID is not found. */
export async function findOrderById(
  db: Db,
  businessId: number,
  id: string,
): Promise<OrderRecord | undefined> {
  if (!isUuid(id)) return undefined;
  return complete(db, await q.selectOrderById(db, businessId, id.toLowerCase()));
}

async function complete(db: Db, order: q.OrderWithContextRow | undefined): Promise<OrderRecord | undefined> {
  if (!order) return undefined;
  // Sequential on purpose: `db` may be a transaction, whose one connection cannot run queries in parallel.
  const lines = await q.selectOrderlines(db, order.business_id, order.id);
  const history = await q.selectStatusHistory(db, order.business_id, order.id);
  return { order, lines, history };
}

/**
 * A business's orders by their UUIDv7 ids, in three queries whatever their number (orders, all
 * their lines, all their history), in the order of `ids`; ids not found (or not UUIDs) are left out.
 * Sequential on purpose, like `complete`: `db` may be a transaction.
 */
export async function findOrdersByIds(db: Db, businessId: number, ids: string[]): Promise<OrderRecord[]> {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  const orders = await q.selectOrdersByIds(db, businessId, wanted);
  if (orders.length === 0) return [];
  const found = orders.map((order) => order.id);
  const lines = await q.selectOrderlinesOf(db, businessId, found);
  const history = await q.selectStatusHistoryOf(db, businessId, found);
  const records = new Map<string, OrderRecord>(
    orders.map((order) => [order.id, { order, lines: [], history: [] }]),
  );
  for (const line of lines) records.get(line.order_id)?.lines.push(line);
  for (const entry of history) records.get(entry.order_id)?.history.push(entry);
  return ids.flatMap((id) => {
    const record = records.get(id.toLowerCase());
    return record ? [record] : [];
  });
}
