/**
 * Where a checkout's items come from (the request's `items`, or the shopper's cart: the guest cart
 * behind the token, or the signed-in customer's cart) and how the typed items the contract accepts
 * become the numeric refs the pricing engine reads.
 */
import type { Db } from '../../db/database.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { parseNumericId, parseRecordRef } from '../../lib/refs.ts';
import { findCustomerCheckoutCart } from '../carts/customer-cart.ts';
import { findActiveCart } from '../carts/service.ts';
import { itemKindOf } from '../storefront/item-kind.ts';
import type { StoreItemRef } from '../storefront/pricing.ts';
import * as q from './queries.ts';
import { type CheckoutItemInput, MAX_ITEM_QUANTITY } from './schemas.ts';

export interface CheckoutLineInput {
  ref: StoreItemRef;
  quantity: number;
  /** Position in the request's `items` (errors name it), or null for a cart line. */
  index: number | null;
}

export interface ItemSource {
  lines: CheckoutLineInput[];
  from: 'items' | 'cart' | 'none';
  /** The cart to empty once the order exists (text id, as `clearCart` takes it). */
  cartId: string | null;
}

/**
 * Who is checking out. A guest's cart is the one behind their token (if any). A signed-in
 * customer's cart is theirs in the store: the one `cart_id` names (it must be theirs), or, when
 * neither `items` nor `cart_id` is sent, their cart as it is; direct `items` without `cart_id`
 * leave their cart alone.
 */
export type Shopper = { guestToken: string | undefined } | { customerId: number; cartId: number | null };

export interface ItemSourceRequest {
  businessId: number;
  storeId: number;
  items: CheckoutItemInput[] | undefined;
  shopper: Shopper;
  /**
   * `items`: the request's items win and the token's cart is only cleared after checkout (checkout,
   * shipping options, summary). `cart`: a non-empty cart wins over the items (the discount check).
   */
  precedence: 'items' | 'cart';
}

/** The items a checkout call prices, chosen as the reference describes for each route. */
export async function resolveItemSource(db: Db, request: ItemSourceRequest): Promise<ItemSource> {
  const hasItems = request.items !== undefined && request.items.length > 0;
  const cart = await shopperCart(db, request.storeId, request.shopper, hasItems);
  const cartLines = (cart?.lines ?? []).map((line) => ({ ...line, index: null }));
  if (request.precedence === 'cart' && cartLines.length > 0)
    return { lines: cartLines, from: 'cart', cartId: cart!.id };
  if (hasItems)
    return {
      lines: await resolveItems(db, request.businessId, request.items!),
      from: 'items',
      cartId: cart?.id ?? null,
    };
  if (cartLines.length > 0) return { lines: cartLines, from: 'cart', cartId: cart!.id };
  return { lines: [], from: 'none', cartId: cart?.id ?? null };
}

async function shopperCart(db: Db, storeId: number, shopper: Shopper, hasItems: boolean) {
  if ('guestToken' in shopper)
    return shopper.guestToken ? findActiveCart(db, storeId, shopper.guestToken) : null;
  if (shopper.cartId === null && hasItems) return null;
  const cart = await findCustomerCheckoutCart(db, storeId, shopper.customerId);
  if (shopper.cartId !== null && cart?.id !== String(shopper.cartId))
    throw errors.invalidField('cart_id', 'is not your cart in this store');
  return cart;
}

type Pending =
  | { kind: 'ref'; ref: StoreItemRef }
  | { kind: 'variant_uuid'; uuid: string }
  | { kind: 'variant_unique_id'; uniqueId: string }
  | { kind: 'bpo_unique_id'; uniqueId: string }
  | { kind: 'invalid'; field: 'variant_id' | 'bundle_price_option_id' };

function classify(item: CheckoutItemInput): Pending | { kind: 'missing'; field: string; message: string } {
  const kind = itemKindOf(item);
  if ('field' in kind) return { kind: 'missing', ...kind };
  if (kind.type === 'variant') {
    const raw = item.variant_id;
    if (raw === undefined) return { kind: 'missing', field: 'variant_id', message: "can't be blank" };
    if (typeof raw === 'number') return { kind: 'ref', ref: { type: 'variant', variant_id: raw } };
    const ref = parseRecordRef(raw.trim(), 'variant_');
    if (!ref) return { kind: 'invalid', field: 'variant_id' };
    if ('id' in ref) return { kind: 'ref', ref: { type: 'variant', variant_id: ref.id } };
    if ('uuid' in ref) return { kind: 'variant_uuid', uuid: ref.uuid };
    return { kind: 'variant_unique_id', uniqueId: ref.unique_id };
  }
  const raw = item.bundle_price_option_id;
  if (raw === undefined)
    return { kind: 'missing', field: 'bundle_price_option_id', message: "can't be blank" };
  if (typeof raw === 'number')
    return { kind: 'ref', ref: { type: 'bundle_price_option', bundle_price_option_id: raw } };
  const text = raw.trim();
  const id = parseNumericId(text);
  if (id !== null) return { kind: 'ref', ref: { type: 'bundle_price_option', bundle_price_option_id: id } };
  if (text.startsWith('bpo_') && text.length <= 64) return { kind: 'bpo_unique_id', uniqueId: text };
  return { kind: 'invalid', field: 'bundle_price_option_id' };
}

export const NOT_IN_STORE = 'is not available in this store';
export const EMPTY_SOURCE =
  "can't be blank: send items, or use a cart that has items (guest token or cart_id)";

/**
 * The request's items as refs, public ids looked up in two queries whatever their number. The
 * same item sent twice becomes one line with the quantities added (an order has one line per item).
 */
export async function resolveItems(
  db: Db,
  businessId: number,
  items: CheckoutItemInput[],
): Promise<CheckoutLineInput[]> {
  const fieldErrors: FieldErrors = {};
  const pending = items.map((item, index) => {
    const result = classify(item);
    if (result.kind === 'missing') fieldErrors[`items.${index}.${result.field}`] = [result.message];
    if (result.kind === 'invalid') fieldErrors[`items.${index}.${result.field}`] = [NOT_IN_STORE];
    return result;
  });
  const uuids = pending.flatMap((p) => (p.kind === 'variant_uuid' ? [p.uuid] : []));
  const variantUniqueIds = pending.flatMap((p) => (p.kind === 'variant_unique_id' ? [p.uniqueId] : []));
  const bpoUniqueIds = pending.flatMap((p) => (p.kind === 'bpo_unique_id' ? [p.uniqueId] : []));
  const [variants, priceOptions] = await Promise.all([
    q.variantIdsByRefs(db, businessId, uuids, variantUniqueIds),
    q.priceOptionIdsByUniqueIds(db, businessId, bpoUniqueIds),
  ]);
  const byUuid = new Map(variants.map((v) => [v.uuid, v.id]));
  const byUniqueId = new Map(variants.map((v) => [v.unique_id, v.id]));
  const bpoByUniqueId = new Map(priceOptions.map((o) => [o.unique_id, o.id]));

  const lines = new Map<string, CheckoutLineInput>();
  pending.forEach((p, index) => {
    let ref: StoreItemRef | undefined;
    if (p.kind === 'ref') ref = p.ref;
    else if (p.kind === 'variant_uuid' || p.kind === 'variant_unique_id') {
      const id = p.kind === 'variant_uuid' ? byUuid.get(p.uuid) : byUniqueId.get(p.uniqueId);
      if (id === undefined) fieldErrors[`items.${index}.variant_id`] = [NOT_IN_STORE];
      else ref = { type: 'variant', variant_id: id };
    } else if (p.kind === 'bpo_unique_id') {
      const id = bpoByUniqueId.get(p.uniqueId);
      if (id === undefined) fieldErrors[`items.${index}.bundle_price_option_id`] = [NOT_IN_STORE];
      else ref = { type: 'bundle_price_option', bundle_price_option_id: id };
    }
    if (!ref) return;
    const key = ref.type === 'variant' ? `v:${ref.variant_id}` : `b:${ref.bundle_price_option_id}`;
    const quantity = items[index]!.quantity ?? 1;
    const existing = lines.get(key);
    if (!existing) lines.set(key, { ref, quantity, index });
    else {
      existing.quantity += quantity;
      if (existing.quantity > MAX_ITEM_QUANTITY)
        fieldErrors[`items.${index}.quantity`] = [
          `adds up to ${existing.quantity} of this item; the most is ${MAX_ITEM_QUANTITY}`,
        ];
    }
  });
  if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);
  return [...lines.values()];
}
