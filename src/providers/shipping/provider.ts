import type { ShippingPlace } from './geography.ts';

/** One courier service to price, named the way every courier API names it. */
export interface ServiceRef {
  courierCode: string;
  serviceCode: string;
}

export interface RateQuery {
  origin: ShippingPlace;
  destination: ShippingPlace;
  /** Actual weight of the whole parcel; each courier applies its own rounding. */
  weightGrams: number;
  services: readonly ServiceRef[];
}

export interface ShippingRate extends ServiceRef {
  /** Whole Rupiah. */
  cost: number;
  /** Delivery estimate in days, e.g. `"2-3"`. */
  etd: string;
  /** Whether the courier collects cash on delivery on this route (the service must support COD too). */
  isCodAvailable: boolean;
  /** The weight the courier charges for after its rounding. */
  chargedWeightGrams: number;
}

/**
 * A source of courier rates (an aggregator API in production, the deterministic sandbox by
 * default). Services it cannot serve on a route are simply absent from the answer.
 */
export interface ShippingProvider {
  /** Reported as `cost_source` / `shipment_provider_code`. */
  readonly code: string;
  /** The aggregator the shipment is booked through (`courier_aggregator_code`); null when direct. */
  readonly aggregatorCode: string | null;
  rates(query: RateQuery): Promise<ShippingRate[]>;
}
