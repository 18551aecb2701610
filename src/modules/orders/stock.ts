import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface StockAllocation {
  variantId: number;
  warehouseId: number;
  quantity: number;
}

export type ReservationResult = { ok: true; allocations: StockAllocation[] } | { ok: false; short: number[] };

/**
 * Takes `needs` (variant id -> units) out of `warehouse_stocks` inside the caller's transaction, and
 * records each take as an allocation of order `orderId` in the same statement.
 *
 * Rows are locked one variant at a time in ascending (variant id, warehouse id) order, the same order
 * in every transaction, so concurrent checkouts wait for each other instead of deadlocking. With a
 * warehouse the decrement is one conditional UPDATE (`qty >= need`), which PostgreSQL re-checks
 * against the committed row after waiting for a competing transaction: stock can never go negative
 * and no unit is sold twice. Without one, the business's active warehouses holding the variant are
 * locked (`FOR UPDATE`) and the need is taken from the first that covers it alone, else split across
 * them in id order.
 */
export async function reserveStock(
  trx: Db,
  order: { id: string; businessId: number },
  warehouseId: number | null,
  needs: Map<number, number>,
  first?: { take: FirstTake; taken: boolean },
): Promise<ReservationResult> {
  const variantIds = [...needs.keys()].sort((a, b) => a - b);
  const allocations: StockAllocation[] = [];
  for (const [index, variantId] of variantIds.entries()) {
    const need = needs.get(variantId)!;
    const taken =
      first && index === 0 && first.take.variantId === variantId
        ? first.taken
          ? [first.take]
          : null
        : warehouseId === null
          ? await takeFromAnyWarehouse(trx, order, variantId, need)
          : await takeFromWarehouse(trx, order, warehouseId, variantId, need);
    if (!taken) {
      const rest = variantIds.slice(index + 1);
      const alsoShort = await shortVariants(trx, order.businessId, warehouseId, rest, needs);
      return { ok: false, short: [variantId, ...alsoShort] };
    }
    allocations.push(...taken);
  }
  return { ok: true, allocations };
}

/** The first take of `reserveStock` from a chosen warehouse: its lowest variant id, all units at once. */
export type FirstTake = StockAllocation;

/**
 * The take `reserveStock` starts with when the order names its warehouse, so the order's insert
 * statement can run it (conditionally, as `takeFromWarehouse` does; `insertOrderUnlessTaken`) and
 * `reserveStock` goes on from the next variant, locking in the same ascending order as ever.
 */
export function firstTake(warehouseId: number | null, needs: Map<number, number>): FirstTake | null {
  if (warehouseId === null || needs.size === 0) return null;
  const variantId = Math.min(...needs.keys());
  return { variantId, warehouseId, quantity: needs.get(variantId)! };
}

/**
 * One statement: takes `quantity` units of the variant from the warehouse (only if it holds them
 * all, when `conditional`) and inserts the order's allocation for them. False when nothing was taken.
 */
async function takeAndAllocate(
  trx: Db,
  order: { id: string; businessId: number },
  take: { warehouseId: number; variantId: number; quantity: number; conditional: boolean },
): Promise<boolean> {
  const row = await trx
    .with('taken', (db) => {
      let update = db
        .updateTable('warehouse_stocks')
        .set({ qty: sql`qty - ${take.quantity}`, updated_at: new Date() })
        .where('warehouse_id', '=', take.warehouseId)
        .where('variant_id', '=', take.variantId)
        .where('business_id', '=', order.businessId);
      if (take.conditional) update = update.where('qty', '>=', take.quantity);
      return update.returning(['warehouse_id', 'variant_id']);
    })
    .insertInto('order_stock_allocations')
    .columns(['order_id', 'business_id', 'variant_id', 'warehouse_id', 'quantity'])
    .expression((eb) =>
      eb
        .selectFrom('taken')
        .select([
          sql<string>`${order.id}::uuid`.as('order_id'),
          sql<number>`${order.businessId}::bigint`.as('business_id'),
          'taken.variant_id',
          'taken.warehouse_id',
          sql<number>`${take.quantity}::integer`.as('quantity'),
        ]),
    )
    .returning('warehouse_id')
    .executeTakeFirst();
  return row !== undefined;
}

async function takeFromWarehouse(
  trx: Db,
  order: { id: string; businessId: number },
  warehouseId: number,
  variantId: number,
  need: number,
): Promise<StockAllocation[] | null> {
  const taken = await takeAndAllocate(trx, order, {
    warehouseId,
    variantId,
    quantity: need,
    conditional: true,
  });
  return taken ? [{ variantId, warehouseId, quantity: need }] : null;
}

async function takeFromAnyWarehouse(
  trx: Db,
  order: { id: string; businessId: number },
  variantId: number,
  need: number,
): Promise<StockAllocation[] | null> {
  const rows = await trx
    .selectFrom('warehouse_stocks as ws')
    .innerJoin('warehouses as w', 'w.id', 'ws.warehouse_id')
    .select(['ws.warehouse_id', 'ws.qty'])
    .where('ws.variant_id', '=', variantId)
    .where('ws.business_id', '=', order.businessId)
    .where('ws.qty', '>', 0)
    .where('w.is_active', '=', true)
    .orderBy('ws.warehouse_id')
    .forUpdate('ws')
    .execute();
  const plan = planAllocation(rows, need);
  if (!plan) return null;
  // The rows are locked and hold enough: every take succeeds.
  for (const part of plan) await takeAndAllocate(trx, order, { ...part, variantId, conditional: false });
  return plan.map((part) => ({ variantId, ...part }));
}

/** One warehouse when any can ship everything (one parcel), else the fewest in id order. */
export function planAllocation(
  rows: Array<{ warehouse_id: number; qty: number }>,
  need: number,
): Array<{ warehouseId: number; quantity: number }> | null {
  const whole = rows.find((row) => row.qty >= need);
  if (whole) return [{ warehouseId: whole.warehouse_id, quantity: need }];
  const plan: Array<{ warehouseId: number; quantity: number }> = [];
  let remaining = need;
  for (const row of rows) {
    if (remaining === 0) break;
    const quantity = Math.min(row.qty, remaining);
    plan.push({ warehouseId: row.warehouse_id, quantity });
    remaining -= quantity;
  }
  return remaining === 0 ? plan : null;
}

/** After one variant fell short: which of the others would too (read only, to name them all). */
async function shortVariants(
  trx: Db,
  businessId: number,
  warehouseId: number | null,
  variantIds: number[],
  needs: Map<number, number>,
): Promise<number[]> {
  if (variantIds.length === 0) return [];
  let query = trx
    .selectFrom('warehouse_stocks as ws')
    .innerJoin('warehouses as w', 'w.id', 'ws.warehouse_id')
    .select(['ws.variant_id', sql<string>`sum(ws.qty)`.as('available')])
    .where('ws.variant_id', 'in', variantIds)
    .where('ws.business_id', '=', businessId)
    .groupBy('ws.variant_id');
  query =
    warehouseId === null
      ? query.where('w.is_active', '=', true)
      : query.where('ws.warehouse_id', '=', warehouseId);
  const available = new Map((await query.execute()).map((row) => [row.variant_id, Number(row.available)]));
  return variantIds.filter((id) => (available.get(id) ?? 0) < needs.get(id)!);
}
