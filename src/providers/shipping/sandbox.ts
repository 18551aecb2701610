import { islandGroup, type Proximity, proximity } from './geography.ts';
import type { RateQuery, ServiceRef, ShippingProvider, ShippingRate } from './provider.ts';

/**
 * A deterministic rate table standing in for a courier aggregator: the same route and weight always
 * price the same, so tests and demos can assert exact amounts.
 *
 * Price per kg = zone base (by proximity and how remote the island groups are) × courier factor ×
 * service tier factor, rounded up to Rp100; cost = price per kg × charged kg. Charged kg rounds the
 * weight up to whole kilograms, except that a remainder up to the courier's tolerance is forgiven
 * (JNE charges 1.3 kg as 1 kg, 1.31 kg as 2 kg), with a minimum of 1 kg (10 kg for cargo services).
 */
type Tier = 'sameday' | 'express' | 'regular' | 'economy' | 'cargo';

interface CourierTerms {
  /** Price index in percent of the reference courier (JNE = 100). */
  factor: number;
  /** Grams above a whole kilogram that are not charged as another kilogram. */
  toleranceGrams: number;
}

export const SANDBOX_COURIERS: Record<string, CourierTerms> = {
  ninja: { factor: 92, toleranceGrams: 200 },
  ide: { factor: 90, toleranceGrams: 300 },
  sicepat: { factor: 95, toleranceGrams: 300 },
  sap: { factor: 94, toleranceGrams: 300 },
  ncs: { factor: 96, toleranceGrams: 300 },
  anteraja: { factor: 93, toleranceGrams: 300 },
  sentral: { factor: 85, toleranceGrams: 0 },
  jne: { factor: 100, toleranceGrams: 300 },
  jnt: { factor: 98, toleranceGrams: 200 },
  pos: { factor: 97, toleranceGrams: 200 },
  lion: { factor: 88, toleranceGrams: 300 },
  rex: { factor: 105, toleranceGrams: 300 },
  jtl: { factor: 80, toleranceGrams: 0 },
  tiki: { factor: 102, toleranceGrams: 300 },
  rpx: { factor: 99, toleranceGrams: 200 },
  pandu: { factor: 91, toleranceGrams: 300 },
  wahana: { factor: 87, toleranceGrams: 500 },
  pahala: { factor: 89, toleranceGrams: 300 },
  jet: { factor: 96, toleranceGrams: 300 },
  slis: { factor: 93, toleranceGrams: 300 },
  dse: { factor: 97, toleranceGrams: 300 },
  first: { factor: 95, toleranceGrams: 300 },
  star: { factor: 86, toleranceGrams: 0 },
  idl: { factor: 84, toleranceGrams: 0 },
};

/** Every service the sandbox prices, `courier:service` -> tier (migration 0012 seeds the same list). */
export const SANDBOX_SERVICES: Record<string, Tier> = {
  'ninja:STANDARD': 'regular',
  'ide:STD': 'regular',
  'sicepat:REG': 'regular',
  'sicepat:BEST': 'express',
  'sicepat:HALU': 'economy',
  'sicepat:GOKIL': 'cargo',
  'sap:REG': 'regular',
  'sap:ODS': 'express',
  'ncs:REG': 'regular',
  'ncs:ONS': 'express',
  'anteraja:REG': 'regular',
  'anteraja:ND': 'express',
  'anteraja:SD': 'sameday',
  'sentral:REG': 'cargo',
  'jne:REG': 'regular',
  'jne:YES': 'express',
  'jne:OKE': 'economy',
  'jne:JTR': 'cargo',
  'jnt:EZ': 'regular',
  'pos:REG': 'regular',
  'pos:NEXTDAY': 'express',
  'pos:KARGO': 'cargo',
  'lion:REGPACK': 'regular',
  'lion:ONEPACK': 'express',
  'lion:JAGOPACK': 'economy',
  'lion:BIGPACK': 'cargo',
  'rex:REG': 'regular',
  'jtl:REG': 'regular',
  'tiki:REG': 'regular',
  'tiki:ONS': 'express',
  'tiki:ECO': 'economy',
  'tiki:TRC': 'cargo',
  'rpx:RGP': 'regular',
  'rpx:NDP': 'express',
  'pandu:REG': 'regular',
  'wahana:NORMAL': 'regular',
  'pahala:REG': 'regular',
  'jet:REG': 'regular',
  'jet:CRG': 'cargo',
  'slis:REG': 'regular',
  'dse:REG': 'regular',
  'dse:ONS': 'express',
  'first:REG': 'regular',
  'first:ONS': 'express',
  'star:REG': 'regular',
  'idl:REG': 'regular',
  'idl:CRG': 'cargo',
};

const TIER_FACTOR: Record<Tier, number> = {
  sameday: 220,
  express: 160,
  regular: 100,
  economy: 80,
  cargo: 60,
};

const TIER_MIN_KG: Record<Tier, number> = { sameday: 1, express: 1, regular: 1, economy: 1, cargo: 10 };

/** Delivery days [min, max] per tier and proximity; same-day services only run within a city. */
const TIER_DAYS: Record<Tier, Partial<Record<Proximity, [number, number]>>> = {
  sameday: { same_city: [0, 1] },
  express: { same_city: [1, 1], same_province: [1, 1], same_island: [1, 2], other_island: [2, 3] },
  regular: { same_city: [1, 2], same_province: [2, 3], same_island: [2, 4], other_island: [3, 6] },
  economy: { same_city: [2, 3], same_province: [3, 5], same_island: [4, 6], other_island: [5, 9] },
  cargo: { same_city: [2, 4], same_province: [3, 6], same_island: [5, 8], other_island: [7, 14] },
};

/** How far an island group is from the Java hubs parcels are routed through (0 = Java). */
const REMOTENESS: Record<number, number> = { 1: 1, 3: 0, 5: 1, 6: 1, 7: 2, 8: 3, 9: 4 };

function remoteness(provinceId: number): number {
  return REMOTENESS[islandGroup(provinceId)] ?? 2;
}

/** Base price per kg for the reference courier's regular service, in Rupiah. */
function basePerKg(zone: Proximity, originProvince: number, destinationProvince: number): number {
  const destination = remoteness(destinationProvince);
  switch (zone) {
    case 'same_city':
      return 8_000 + 1_000 * destination;
    case 'same_province':
      return 11_000 + 1_000 * destination;
    case 'same_island':
      return 15_000 + 3_000 * destination;
    case 'other_island':
      return 20_000 + 8_000 * (remoteness(originProvince) + destination);
  }
}

/** Whole kilograms charged for `grams` with the courier's tolerance (integers only). */
export function chargedKilograms(grams: number, toleranceGrams: number, minimumKg = 1): number {
  const whole = Math.floor(grams / 1000);
  const kg = grams % 1000 > toleranceGrams ? whole + 1 : whole;
  return Math.max(kg, minimumKg);
}

function formatDays([min, max]: [number, number]): string {
  return min === max ? String(min) : `${min}-${max}`;
}

/** Far-east routes take longer and have no cash collection (couriers there do not run COD). */
const NO_COD_ISLAND_GROUPS = new Set([9]);
const REMOTE_EXTRA_DAYS = 2;

export function sandboxRate(query: Omit<RateQuery, 'services'>, service: ServiceRef): ShippingRate | null {
  const courier = SANDBOX_COURIERS[service.courierCode];
  const tier = SANDBOX_SERVICES[`${service.courierCode}:${service.serviceCode}`];
  if (!courier || !tier) return null;
  const zone = proximity(query.origin, query.destination);
  const days = TIER_DAYS[tier][zone];
  if (!days) return null;
  const far =
    zone !== 'same_city' && zone !== 'same_province' && remoteness(query.destination.provinceId) >= 3;
  const base = basePerKg(zone, query.origin.provinceId, query.destination.provinceId);
  const perKg = Math.ceil((base * courier.factor * TIER_FACTOR[tier]) / 1_000_000) * 100;
  const kg = chargedKilograms(query.weightGrams, courier.toleranceGrams, TIER_MIN_KG[tier]);
  return {
    courierCode: service.courierCode,
    serviceCode: service.serviceCode,
    cost: perKg * kg,
    etd: formatDays(far ? [days[0] + REMOTE_EXTRA_DAYS, days[1] + REMOTE_EXTRA_DAYS] : days),
    isCodAvailable: !NO_COD_ISLAND_GROUPS.has(islandGroup(query.destination.provinceId)),
    chargedWeightGrams: kg * 1000,
  };
}

export class SandboxShippingProvider implements ShippingProvider {
  readonly code = 'sandbox';
  readonly aggregatorCode = null;

  async rates(query: RateQuery): Promise<ShippingRate[]> {
    return query.services.flatMap((service) => sandboxRate(query, service) ?? []);
  }
}
