import { variantFullName } from '../products/mappers.ts';

/** Buyers see the public name when the merchant set one; `name` is the merchant's internal label. */
export function productDisplayName(name: string, publicName: string | null): string {
  return publicName || name;
}

/** "Kaos Polos - Merah / XL", or the product's name when it has no options. */
export function variantDisplayName(
  productDisplay: string,
  variant: { option1_value: string | null; option2_value: string | null; option3_value: string | null },
): string {
  return variantFullName(productDisplay, variant);
}

/** "Paket Hemat - Beli 2": a bundle has several price options, so the option's name goes with it. */
export function priceOptionDisplayName(
  bundleName: string,
  bundlePublicName: string | null,
  optionName: string,
): string {
  return `${productDisplayName(bundleName, bundlePublicName)} - ${optionName}`;
}

/** The first image of the most specific list that has one, else the thumbnail. */
export function firstImage(own: string[], parent: string[], thumbnail: string | null): string | null {
  return own[0] ?? parent[0] ?? thumbnail ?? null;
}
