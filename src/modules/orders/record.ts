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
  const lines = await q.selectOrderlines(db, order.id);
  const history = await q.selectStatusHistory(db, order.id);
  return { order, lines, history };
}
