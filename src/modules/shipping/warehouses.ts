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

/** Adds up the lines per variant and keeps the ones stock must cover. */
export async function stockRequirement(
  db: Db,
  businessId: number,
  lines: readonly ShippableLine[],
): Promise<StockRequirement> {
  const totals = new Map<number, number>();
  for (const line of lines) totals.set(line.variant_id, (totals.get(line.variant_id) ?? 0) + line.quantity);
  const variants = await q.findVariantsForShipping(db, businessId, [...totals.keys()]);
  const tracked = new Map(variants.map((variant) => [variant.id, variant.is_inventory]));
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
  row: q.WarehouseRow;
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
  },
): Promise<FulfillingWarehouse[]> {
  let candidates = await q.listShippingWarehouses(db, input.businessId);
  const own = candidates.filter((row) => row.id === input.storeWarehouseId);
  if (own.length) candidates = own;
  const stock = new Map<string, number>();
  for (const row of await q.listStock(db, input.businessId, [...input.required.keys()]))
    stock.set(`${row.warehouse_id}:${row.variant_id}`, row.qty);
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
