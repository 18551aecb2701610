/**
 * Where a parcel starts and ends, in the terms every courier prices by: province, city and the
 * island group. Location ids follow the official region codes (see the locations module), so a
 * province's first digit is its BPS island group: 1 Sumatra, 3 Java, 5 Bali and Nusa Tenggara,
 * 6 Kalimantan, 7 Sulawesi, 8 Maluku, 9 Papua.
 */
export interface ShippingPlace {
  locationId: number;
  provinceId: number;
  cityId: number;
  postalCode: string | null;
}

/** Nearest first; warehouse choice and the sandbox rate table both rank by it. */
export const PROXIMITIES = ['same_city', 'same_province', 'same_island', 'other_island'] as const;
export type Proximity = (typeof PROXIMITIES)[number];

export function islandGroup(provinceId: number): number {
  return Math.floor(provinceId / 10);
}

export function proximity(origin: ShippingPlace, destination: ShippingPlace): Proximity {
  if (origin.cityId === destination.cityId) return 'same_city';
  if (origin.provinceId === destination.provinceId) return 'same_province';
  if (islandGroup(origin.provinceId) === islandGroup(destination.provinceId)) return 'same_island';
  return 'other_island';
}

/** 0 nearest … 3 farthest. */
export function proximityRank(origin: ShippingPlace, destination: ShippingPlace): number {
  return PROXIMITIES.indexOf(proximity(origin, destination));
}
