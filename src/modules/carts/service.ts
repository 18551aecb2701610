import { randomUUID } from 'node:crypto';
import { deleteInBatches } from '../../db/batches.ts';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { formatCents, toCents } from '../../lib/money.ts';
import { parseNumericId, parseRecordRef } from '../../lib/refs.ts';
import { itemKindOf } from '../storefront/item-kind.ts';
import { type PricedItem, priceStoreItems, type StoreItemRef, storeItemKey } from '../storefront/pricing.ts';
import * as queries from './queries.ts';
import { type CartItemType, MAX_LINE_QUANTITY } from './schemas.ts';

/** A cart lives this long after its last change; then its token opens nothing and cleanup deletes it. */
export const CART_LIFETIME_DAYS = 30;
/** A checkout takes at most 50 items, so a cart never holds more lines than it could check out. */
export const MAX_CART_LINES = 50;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CartStore {
  storeId: number;
  businessId: number;
}

export interface CartView {
  id: number;
  item_count: number;
  total: string;
  items: Array<{
    id: number;
    type: CartItemType;
    variant_id: number | null;
    bundle_price_option_id: number | null;
    name: string;
    product_name: string;
    variant_name: string | null;
    image: string | null;
    item_type: string;
    requires_shipping: boolean;
    weight: number;
    quantity: number;
    unit_price: string;
    subtotal: string;
    line_subtotal: string;
  }>;
}

/** Every answer carries the cart and the token that opens it (new when none, or no usable one, was sent). */
export interface CartAnswer {
  cart: CartView;
  guestToken: string;
}

export interface AddCartItemInput {
  /** Absent: the one id sent says what the item is (`itemKindOf`). */
  type?: CartItemType | undefined;
  variant_id?: number | string | undefined;
  bundle_price_option_id?: number | string | undefined;
  quantity?: number | undefined;
}

function expiryFrom(now: Date): Date {
  return new Date(now.getTime() + CART_LIFETIME_DAYS * DAY_MS);
}

export function lineRef(line: {
  variant_id: number | null;
  bundle_price_option_id: number | null;
}): StoreItemRef {
  return line.variant_id !== null
    ? { type: 'variant', variant_id: line.variant_id }
    : { type: 'bundle_price_option', bundle_price_option_id: line.bundle_price_option_id as number };
}

/** An unknown, expired or other store's token is treated as no token: the buyer gets a fresh cart. */
async function openCart(db: Db, store: CartStore, guestToken: string | undefined, now: Date) {
  const existing = guestToken ? await queries.findCart(db, store.storeId, guestToken, now) : undefined;
  if (existing) return existing;
  return queries.insertCart(db, {
    businessId: store.businessId,
    storeId: store.storeId,
    guestToken: randomUUID(),
    expiresAt: expiryFrom(now),
    now,
  });
}

/**
 * Prices the cart live from the catalog. Lines whose item the store no longer sells (removed from
 * the store, or gone from the catalog) are dropped from the cart here, so what the buyer sees is
 * exactly what checkout will take from it.
 */
export async function renderCart(db: Db, store: CartStore, cartId: number): Promise<CartView> {
  const lines = await queries.cartLines(db, cartId);
  const priced =
    lines.length > 0
      ? await priceStoreItems(
          db,
          store.storeId,
          lines.map((line) => lineRef(line)),
        )
      : new Map<string, PricedItem>();
  const items: CartView['items'] = [];
  const stale: number[] = [];
  let total = 0n;
  let count = 0;
  for (const line of lines) {
    const ref = lineRef(line);
    const item = priced.get(storeItemKey(ref));
    if (!item) {
      stale.push(line.id);
      continue;
    }
    const subtotal = toCents(item.unit_price) * BigInt(line.quantity);
    total += subtotal;
    count += line.quantity;
    items.push({
      id: line.id,
      type: ref.type,
      variant_id: ref.type === 'variant' ? ref.variant_id : null,
      bundle_price_option_id: ref.type === 'bundle_price_option' ? ref.bundle_price_option_id : null,
      name: item.name,
      product_name: item.product_name,
      variant_name: item.variant_name,
      image: item.image,
      item_type: item.item_type,
      requires_shipping: item.requires_shipping,
      weight: item.weight_grams,
      quantity: line.quantity,
      unit_price: formatCents(toCents(item.unit_price)),
      subtotal: formatCents(subtotal),
      line_subtotal: formatCents(subtotal),
    });
  }
  await queries.deleteLines(db, cartId, stale);
  return { id: cartId, item_count: count, total: formatCents(total), items };
}

export async function getCart(
  db: Db,
  store: CartStore,
  guestToken: string | undefined,
  now = new Date(),
): Promise<CartAnswer> {
  const cart = await openCart(db, store, guestToken, now);
  return { cart: await renderCart(db, store, cart.id), guestToken: cart.guest_token };
}

function notInStore(field: string): never {
  throw errors.invalidField(field, 'is not available in this store');
}

/** The body's typed item as a numeric ref; public ids (`variant_…`, uuid, `bpo_…`) are looked up. */
async function resolveRef(db: Db, store: CartStore, input: AddCartItemInput): Promise<StoreItemRef> {
  const kind = itemKindOf(input);
  if ('field' in kind) throw errors.invalidField(kind.field, kind.message);
  if (kind.type === 'variant') {
    const raw = input.variant_id;
    if (raw === undefined) throw errors.invalidField('variant_id', 'is required');
    if (typeof raw === 'number') return { type: 'variant', variant_id: raw };
    const ref = parseRecordRef(raw.trim(), 'variant_');
    if (!ref) return notInStore('variant_id');
    if ('id' in ref) return { type: 'variant', variant_id: ref.id };
    const row = await queries.variantIdByRef(db, store.businessId, ref);
    return row ? { type: 'variant', variant_id: row.id } : notInStore('variant_id');
  }
  const raw = input.bundle_price_option_id;
  if (raw === undefined) throw errors.invalidField('bundle_price_option_id', 'is required');
  if (typeof raw === 'number') return { type: 'bundle_price_option', bundle_price_option_id: raw };
  const text = raw.trim();
  const id = parseNumericId(text);
  if (id !== null) return { type: 'bundle_price_option', bundle_price_option_id: id };
  const row = text.startsWith('bpo_')
    ? await queries.bundlePriceOptionIdByUniqueId(db, store.businessId, text)
    : undefined;
  return row
    ? { type: 'bundle_price_option', bundle_price_option_id: row.id }
    : notInStore('bundle_price_option_id');
}

/** A cart being changed: a guest's (its token set) or a customer's (no token, never expires). */
export interface OwnedCart {
  id: number;
  guest_token: string | null;
}

/** A guest cart lives another lifetime after each change; a customer cart never expires. */
function nextExpiry(cart: OwnedCart, now: Date): Date | null {
  return cart.guest_token === null ? null : expiryFrom(now);
}

export interface LineToAdd {
  key: queries.LineKey;
  quantity: number;
}

/**
 * The body's item as a cart line: one the store sells (items hidden from the storefront listing
 * can be added; items the store does not sell cannot), with its quantity.
 */
export async function lineToAdd(db: Db, store: CartStore, input: AddCartItemInput): Promise<LineToAdd> {
  const ref = await resolveRef(db, store, input);
  const priced = await priceStoreItems(db, store.storeId, [ref]);
  if (!priced.has(storeItemKey(ref)))
    notInStore(ref.type === 'variant' ? 'variant_id' : 'bundle_price_option_id');
  return { key: lineKeyOf(ref), quantity: input.quantity ?? 1 };
}

export function lineKeyOf(ref: StoreItemRef): queries.LineKey {
  return ref.type === 'variant'
    ? { variantId: ref.variant_id }
    : { bundlePriceOptionId: ref.bundle_price_option_id };
}

/**
 * Adds the line, or raises the quantity of the item's line when it is already in the cart (one
 * line per item, as checkout and order lines expect).
 */
export async function addLine(
  db: Db,
  store: CartStore,
  cart: OwnedCart,
  { key, quantity }: LineToAdd,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await queries.lockCart(trx, store.storeId, cart.id, now)))
      throw errors.conflict('The cart expired while it was being changed; retry the request');
    const line = await queries.findLineByItem(trx, cart.id, key);
    if (line) {
      const next = line.quantity + quantity;
      if (next > MAX_LINE_QUANTITY)
        throw errors.invalidField(
          'quantity',
          `would bring this item to ${next} in the cart; the most is ${MAX_LINE_QUANTITY}`,
        );
      await queries.setLineQuantity(trx, cart.id, line.id, next, now);
    } else {
      if ((await queries.countLines(trx, cart.id)) >= MAX_CART_LINES)
        throw errors.conflict(`A cart holds at most ${MAX_CART_LINES} different items`);
      await queries.insertLines(trx, {
        cartId: cart.id,
        businessId: store.businessId,
        lines: [{ key, quantity }],
        now,
      });
    }
    await queries.touchCart(trx, cart.id, now, nextExpiry(cart, now));
  });
}

/** Adds an item to the guest's cart (a new cart when no usable token was sent). */
export async function addItem(
  db: Db,
  store: CartStore,
  guestToken: string | undefined,
  input: AddCartItemInput,
  now = new Date(),
): Promise<CartAnswer> {
  const line = await lineToAdd(db, store, input);
  const cart = await openCart(db, store, guestToken, now);
  await addLine(db, store, cart, line, now);
  return { cart: await renderCart(db, store, cart.id), guestToken: cart.guest_token };
}

const itemNotFound = () => errors.notFound('Cart item not found');

/** One change to an existing line; false when the line is not in the cart. */
export type LineChange = (trx: Db, cartId: number, now: Date) => Promise<boolean>;

export const setQuantity =
  (itemId: number, quantity: number): LineChange =>
  (trx, cartId, now) =>
    queries.setLineQuantity(trx, cartId, itemId, quantity, now);

export const deleteLine =
  (itemId: number): LineChange =>
  async (trx, cartId) =>
    (await queries.deleteLines(trx, cartId, [itemId])) > 0;

/** Runs one change on an existing line of the cart; no cart, or no such line in it, is a 404. */
export async function changeLine(
  db: Db,
  store: CartStore,
  cart: OwnedCart | undefined,
  now: Date,
  change: LineChange,
): Promise<OwnedCart> {
  if (!cart) throw itemNotFound();
  await db.transaction().execute(async (trx) => {
    if (!(await queries.lockCart(trx, store.storeId, cart.id, now))) throw itemNotFound();
    if (!(await change(trx, cart.id, now))) throw itemNotFound();
    await queries.touchCart(trx, cart.id, now, nextExpiry(cart, now));
  });
  return cart;
}

/** Without a usable token there is no cart and so no line: a 404, and no cart is created for it. */
async function changeGuestLine(
  db: Db,
  store: CartStore,
  guestToken: string | undefined,
  now: Date,
  change: LineChange,
): Promise<CartAnswer> {
  const cart = guestToken ? await queries.findCart(db, store.storeId, guestToken, now) : undefined;
  if (!cart) throw itemNotFound();
  await changeLine(db, store, cart, now, change);
  return { cart: await renderCart(db, store, cart.id), guestToken: cart.guest_token };
}

export function updateItem(
  db: Db,
  store: CartStore,
  guestToken: string | undefined,
  itemId: number,
  quantity: number,
  now = new Date(),
): Promise<CartAnswer> {
  return changeGuestLine(db, store, guestToken, now, setQuantity(itemId, quantity));
}

export function removeItem(
  db: Db,
  store: CartStore,
  guestToken: string | undefined,
  itemId: number,
  now = new Date(),
): Promise<CartAnswer> {
  return changeGuestLine(db, store, guestToken, now, deleteLine(itemId));
}

/**
 * For checkout: the store's unexpired cart behind a guest token and its lines as typed refs, in the
 * order they were added, or null. `id` is the cart's id as text, to hand back to `clearCart`.
 */
export async function findActiveCart(
  db: Db,
  storeId: number,
  guestToken: string,
): Promise<{ id: string; lines: Array<{ ref: StoreItemRef; quantity: number }> } | null> {
  const cart = await queries.findCart(db, storeId, guestToken.toLowerCase(), new Date());
  if (!cart) return null;
  const lines = await queries.cartLines(db, cart.id);
  return {
    id: String(cart.id),
    lines: lines.map((line) => ({ ref: lineRef(line), quantity: line.quantity })),
  };
}

/** Empties a cart after its order was created (same transaction); the token keeps opening the empty cart. */
export async function clearCart(trx: Db, storeId: number, cartId: string): Promise<void> {
  const id = parseNumericId(cartId);
  if (id === null) return;
  await queries.deleteAllLines(trx, storeId, id);
}

/** Deletes carts whose lifetime ended at or before `now` (lines cascade); returns how many. */
export function deleteExpiredCarts(db: Db, now: Date): Promise<number> {
  return deleteInBatches((limit) => queries.deleteExpiredBatch(db, now, limit));
}
