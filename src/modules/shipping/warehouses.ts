import type { Db } from '../../db/database.ts';
import {
  type Proximity,
  proximity,
  proximityRank,
  type ShippingPlace,
} from '../../providers/shipping/index.ts';
import * as q from './queries.ts';

export interface ShippableLine {
  variant_id: number;
  quantity: number;
}

export interface StockRequirement {
  /** Units needed per variant whose product tracks inventory; other variants need no stock. */
  required: Map<number, number>;
  /** Variant ids that are not the business's. */
  unknown: number[];
}

/**
 * Adds up the lines per variant and keeps the ones stock must cover. `known` (variant id ->
 * whether its product tracks inventory) holds variants the caller already knows are the
 * business's; only the others are looked up.
 */
export async function stockRequirement(
  db: Db,
  businessId: number,
  lines: readonly ShippableLine[],
  known?: ReadonlyMap<number, boolean>,
): Promise<StockRequirement> {
  const totals = new Map<number, number>();
  for (const line of lines) totals.set(line.variant_id, (totals.get(line.variant_id) ?? 0) + line.quantity);
  const tracked = new Map<number, boolean>();
  const lookUp: number[] = [];
  for (const variantId of totals.keys()) {
    const isInventory = known?.get(variantId);
    if (isInventory === undefined) lookUp.push(variantId);
    else tracked.set(variantId, isInventory);
  }
  for (const variant of await q.findVariantsForShipping(db, businessId, lookUp))
    tracked.set(variant.id, variant.is_inventory);
  const required = new Map<number, number>();
  const unknown: number[] = [];
  for (const [variantId, quantity] of totals) {
    if (!tracked.has(variantId)) unknown.push(variantId);
    else if (tracked.get(variantId)) required.set(variantId, quantity);
  }
  return { required, unknown };
}

export function placeOf(row: {
  location_id: number | null;
  province_id: number | null;
  city_id: number | null;
  postal_code: string | null;
}): ShippingPlace | null {
  if (row.location_id === null || row.province_id === null || row.city_id === null) return null;
  return {
    locationId: row.location_id,
    provinceId: row.province_id,
    cityId: row.city_id,
    postalCode: row.postal_code,
  };
}

export interface FulfillingWarehouse {
  row: q.ShippingWarehouseRow;
  origin: ShippingPlace;
  proximity: Proximity;
}

/**
 * The warehouses that hold enough stock for every tracked variant, nearest to the destination
 * first (same city, same province, same island group, elsewhere), then by id. A store with its
 * own active, located warehouse ships only from it; otherwise every active, located warehouse of
 * the business is a candidate.
 */
export async function fulfillingWarehouses(
  db: Db,
  input: {
    businessId: number;
    storeWarehouseId: number | null;
    destination: ShippingPlace;
    required: Map<number, number>;
    /**
     * The business's active, located warehouses with their stock of (at least) the required
     * variants, when the caller already read them (as `listShippingWarehouses` does).
     */
    warehouses?: readonly q.ShippingWarehouseRow[] | undefined;
  },
): Promise<FulfillingWarehouse[]> {
  const all =
    input.warehouses ?? (await q.listShippingWarehouses(db, input.businessId, [...input.required.keys()]));
  const own = all.filter((row) => row.id === input.storeWarehouseId);
  const candidates = own.length ? own : all;
  const stock = new Map<string, number>();
  for (const row of all) for (const held of row.stock) stock.set(`${row.id}:${held.variant_id}`, held.qty);
  const covering = candidates.filter((row) =>
    [...input.required].every(([variantId, qty]) => (stock.get(`${row.id}:${variantId}`) ?? 0) >= qty),
  );
  return covering
    .flatMap((row) => {
      const origin = placeOf(row);
      return origin ? [{ row, origin, proximity: proximity(origin, input.destination) }] : [];
    })
    .sort(
      (a, b) =>
        proximityRank(a.origin, input.destination) - proximityRank(b.origin, input.destination) ||
        a.row.id - b.row.id,
    );
}
