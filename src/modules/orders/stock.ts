import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface StockAllocation {
  variantId: number;
  warehouseId: number;
  quantity: number;
}

export type ReservationResult = { ok: true; allocations: StockAllocation[] } | { ok: false; short: number[] };

/**
 * Takes `needs` (variant id -> units) out of `warehouse_stocks` inside the caller's transaction.
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
  businessId: number,
  warehouseId: number | null,
  needs: Map<number, number>,
): Promise<ReservationResult> {
  const variantIds = [...needs.keys()].sort((a, b) => a - b);
  const allocations: StockAllocation[] = [];
  for (const [index, variantId] of variantIds.entries()) {
    const need = needs.get(variantId)!;
    const taken =
      warehouseId === null
        ? await takeFromAnyWarehouse(trx, businessId, variantId, need)
        : await takeFromWarehouse(trx, businessId, warehouseId, variantId, need);
    if (!taken) {
      const rest = variantIds.slice(index + 1);
      const alsoShort = await shortVariants(trx, businessId, warehouseId, rest, needs);
      return { ok: false, short: [variantId, ...alsoShort] };
    }
    allocations.push(...taken);
  }
  return { ok: true, allocations };
}

async function takeFromWarehouse(
  trx: Db,
  businessId: number,
  warehouseId: number,
  variantId: number,
  need: number,
): Promise<StockAllocation[] | null> {
  const row = await trx
    .updateTable('warehouse_stocks')
    .set({ qty: sql`qty - ${need}`, updated_at: new Date() })
    .where('warehouse_id', '=', warehouseId)
    .where('variant_id', '=', variantId)
    .where('business_id', '=', businessId)
    .where('qty', '>=', need)
    .returning('warehouse_id')
    .executeTakeFirst();
  return row ? [{ variantId, warehouseId, quantity: need }] : null;
}

async function takeFromAnyWarehouse(
  trx: Db,
  businessId: number,
  variantId: number,
  need: number,
): Promise<StockAllocation[] | null> {
  const rows = await trx
    .selectFrom('warehouse_stocks as ws')
    .innerJoin('warehouses as w', 'w.id', 'ws.warehouse_id')
    .select(['ws.warehouse_id', 'ws.qty'])
    .where('ws.variant_id', '=', variantId)
    .where('ws.business_id', '=', businessId)
    .where('ws.qty', '>', 0)
    .where('w.is_active', '=', true)
    .orderBy('ws.warehouse_id')
    .forUpdate('ws')
    .execute();
  const plan = planAllocation(rows, need);
  if (!plan) return null;
  for (const part of plan) {
    await trx
      .updateTable('warehouse_stocks')
      .set({ qty: sql`qty - ${part.quantity}`, updated_at: new Date() })
      .where('warehouse_id', '=', part.warehouseId)
      .where('variant_id', '=', variantId)
      .execute();
  }
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
