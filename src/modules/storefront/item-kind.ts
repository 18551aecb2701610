import type { StoreItemRef } from './pricing.ts';

export type ItemKind = StoreItemRef['type'];

/** The kind an item names, or the field a 422 names and why. */
export type ItemKindResult = { type: ItemKind } | { field: 'type' | 'variant_id'; message: string };

/**
 * Which kind of item a cart or checkout item names: `type` says it; without `type` (older
 * storefronts send `{variant_id, quantity}` or `{bundle_price_option_id, quantity}`) the one id
 * that was sent says it. Both ids without `type` could mean either, and neither names nothing: the
 * caller answers 422 on the field returned rather than guess.
 */
export function itemKindOf(item: {
  type?: ItemKind | undefined;
  variant_id?: unknown;
  bundle_price_option_id?: unknown;
}): ItemKindResult {
  if (item.type) return { type: item.type };
  const variant = item.variant_id !== undefined;
  const priceOption = item.bundle_price_option_id !== undefined;
  if (variant && priceOption)
    return {
      field: 'type',
      message: "can't be blank when both variant_id and bundle_price_option_id are sent",
    };
  if (variant) return { type: 'variant' };
  if (priceOption) return { type: 'bundle_price_option' };
  return { field: 'variant_id', message: "can't be blank: send variant_id or bundle_price_option_id" };
}
