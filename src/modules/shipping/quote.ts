/**
 * Shipping for the checkout paths (storefront options and summary, checkout, later customer, HTML
 * Mode and business orders): which warehouse ships an order and what each courier service costs.
 * Costs are always computed here from the server's data; a client-sent cost is never used.
 */
import type { Db } from '../../db/database.ts';
import {
  type ShippingPlace,
  type ShippingProvider,
  shippingProvider,
} from '../../providers/shipping/index.ts';
import * as q from './queries.ts';
import { rateServices } from './rates.ts';
import { fulfillingWarehouses, stockRequirement } from './warehouses.ts';

export interface ShippingQuoteRequest {
  businessId: number;
  /** The selling store: its warehouse setting and couriers apply. null: every warehouse and courier. */
  storeId: number | null;
  destinationLocationId: number;
  destinationPostalCode?: string | null;
  /** The order's payment method; `cod` keeps only services that can collect cash. */
  paymentMethod: string | null;
  /**
   * Shippable lines only (bundles expanded to their variants). `weight_grams` is the weight of ONE
   * unit; the parcel weighs the sum of quantity × weight_grams.
   */
  lines: Array<{ variant_id: number; quantity: number; weight_grams: number }>;
  warehouseUniqueId?: string | null;
  courierServiceId?: number | null;
  /** The destination's row when the caller already read it (it must be `destinationLocationId`'s). */
  location?: q.LocationRow | undefined;
  /** The store's shipping settings when the caller already read them (the store of `storeId`). */
  store?: Pick<q.StoreShippingRow, 'warehouse_id' | 'courier_codes'> | undefined;
  /**
   * Whether each variant's product tracks inventory, when the caller already knows the variants
   * are the business's (e.g. priced through its store); variants missing here are looked up.
   */
  inventory?: ReadonlyMap<number, boolean> | undefined;
  /**
   * The business's active, located warehouses, each with its stock of every line's variant, when
   * the caller already read them (`listShippingWarehouses`'s rows).
   */
  warehouses?: readonly q.ShippingWarehouseRow[] | undefined;
}

export interface ShippingOption {
  courier_service_id: number;
  courier_code: string;
  service_code: string;
  name: string;
  /** Decimal string, whole Rupiah: `"18000.00"`. */
  cost: string;
  /** Delivery estimate in days: `"2-3"`. */
  etd: string;
  /** True when the order is paid `cod` (only COD-capable services are then offered). */
  is_cod: boolean;
  warehouse_unique_id: string;
  courier_aggregator_code: string | null;
}

/** The options, with what checkout stores beside the chosen one: the warehouse id and each courier. */
export interface ShippingQuote {
  options: ShippingOption[];
  /** The warehouse the options ship from; null when there are none. */
  warehouseId: number | null;
  /** Courier of each option's service, by courier service id. */
  couriers: Map<number, { id: number; code: string; name: string }>;
}

const NO_QUOTE: ShippingQuote = { options: [], warehouseId: null, couriers: new Map() };

/**
 * The shipping options of an order, cheapest first (then by courier service id).
 *
 * - Warehouse: the store's own warehouse when it has an active one, else every active warehouse
 *   with a location; of those, the ones whose stock covers every line of a product that tracks
 *   inventory; the nearest to the destination wins (same city, same province, same island group,
 *   elsewhere; then lowest id). `warehouseUniqueId` restricts the choice to that warehouse.
 * - Couriers: the store's configured couriers (all when it has none configured); `courierServiceId`
 *   restricts to that service.
 * - Payment method: `cod` keeps only services that can collect cash on this route and marks them
 *   `is_cod: true`; any other method (or null) keeps every service with `is_cod: false`.
 *
 * Empty when there is nothing to ship, the destination or store is unknown, a variant is not the
 * business's, or no warehouse can fulfil the lines.
 */
export async function quoteShipping(
  db: Db,
  request: ShippingQuoteRequest,
  provider: ShippingProvider = shippingProvider(),
): Promise<ShippingOption[]> {
  return (await quoteShippingDetailed(db, request, provider)).options;
}

/** `quoteShipping`, with the chosen warehouse's id and the courier of every option. */
export async function quoteShippingDetailed(
  db: Db,
  request: ShippingQuoteRequest,
  provider: ShippingProvider = shippingProvider(),
): Promise<ShippingQuote> {
  const lines = request.lines.filter((line) => line.quantity > 0);
  if (lines.length === 0) return NO_QUOTE;
  const [location, store] = await Promise.all([
    request.location && request.location.id === request.destinationLocationId
      ? request.location
      : q.findLocation(db, request.destinationLocationId),
    request.storeId === null
      ? null
      : (request.store ?? q.findStoreShipping(db, request.businessId, request.storeId)),
  ]);
  if (!location) return NO_QUOTE;
  if (request.storeId !== null && !store) return NO_QUOTE;
  const storeWarehouseId = store?.warehouse_id ?? null;
  const courierCodes = store?.courier_codes.length ? store.courier_codes : null;
  const { required, unknown } = await stockRequirement(db, request.businessId, lines, request.inventory);
  if (unknown.length) return NO_QUOTE;
  const destination: ShippingPlace = {
    locationId: location.id,
    provinceId: location.province_id,
    cityId: location.city_id,
    postalCode: request.destinationPostalCode ?? null,
  };
  const [warehouses, services] = await Promise.all([
    fulfillingWarehouses(db, {
      businessId: request.businessId,
      storeWarehouseId,
      destination,
      required,
      warehouses: request.warehouses,
    }),
    q.listCourierServices(db, { courierCodes, serviceId: request.courierServiceId ?? null }),
  ]);
  const chosen = request.warehouseUniqueId
    ? warehouses.find((w) => w.row.unique_id === request.warehouseUniqueId)
    : warehouses[0];
  if (!chosen) return NO_QUOTE;
  const rated = await rateServices(db, provider, {
    origin: chosen.origin,
    destination,
    weightGrams: lines.reduce((sum, line) => sum + line.quantity * Math.max(0, line.weight_grams), 0),
    courierCodes,
    serviceId: request.courierServiceId ?? null,
    paymentMethod: request.paymentMethod,
    keepNonCod: false,
    services,
  });
  return {
    options: rated.map(({ service, cost, rate, isCod }) => ({
      courier_service_id: service.id,
      courier_code: service.courier_code,
      service_code: service.service_code,
      name: service.name,
      cost,
      etd: rate.etd,
      is_cod: isCod,
      warehouse_unique_id: chosen.row.unique_id,
      courier_aggregator_code: provider.aggregatorCode,
    })),
    warehouseId: chosen.row.id,
    couriers: new Map(
      rated.map(({ service }) => [
        service.id,
        { id: service.courier_id, code: service.courier_code, name: service.courier_name },
      ]),
    ),
  };
}

/**
 * The one option checkout recomputes server-side for the buyer's chosen courier service (the
 * client's cost is ignored); null when that service cannot ship this order under the same rules.
 */
export async function shippingCostFor(
  db: Db,
  request: ShippingQuoteRequest & { courierServiceId: number },
  provider: ShippingProvider = shippingProvider(),
): Promise<ShippingOption | null> {
  return (await quoteShipping(db, request, provider))[0] ?? null;
}
