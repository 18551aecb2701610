/**
 * A signed-in customer's cart: the guest cart's lines and pricing, owned by the customer instead of
 * a token. One per customer per store, created on first use, never expiring.
 */
import type { Db } from '../../db/database.ts';
import { priceStoreItems, type StoreItemRef, storeItemKey } from '../storefront/pricing.ts';
import * as queries from './queries.ts';
import { MAX_LINE_QUANTITY } from './schemas.ts';
import {
  type AddCartItemInput,
  addLine,
  type CartStore,
  type CartView,
  changeLine,
  deleteLine,
  lineKeyOf,
  lineRef,
  lineToAdd,
  MAX_CART_LINES,
  type OwnedCart,
  renderCart,
  setQuantity,
} from './service.ts';

export interface CartCustomer extends CartStore {
  customerId: number;
}

function owned(cart: { id: number }): OwnedCart {
  return { id: cart.id, guest_token: null };
}

/** The customer's cart in the store, created when they have none (concurrent first calls share one). */
async function openCustomerCart(db: Db, customer: CartCustomer, now: Date): Promise<OwnedCart> {
  const existing = await queries.findCustomerCart(db, customer.storeId, customer.customerId);
  if (existing) return owned(existing);
  const created = await queries.insertCustomerCart(db, { ...customer, now });
  if (created) return owned(created);
  const winner = await queries.findCustomerCart(db, customer.storeId, customer.customerId);
  if (!winner) throw new Error(`Customer ${customer.customerId} has no cart after creating one`);
  return owned(winner);
}

export async function getCustomerCart(db: Db, customer: CartCustomer, now = new Date()): Promise<CartView> {
  const cart = await openCustomerCart(db, customer, now);
  return renderCart(db, customer, cart.id);
}

export async function addCustomerCartItem(
  db: Db,
  customer: CartCustomer,
  input: AddCartItemInput,
  now = new Date(),
): Promise<CartView> {
  const line = await lineToAdd(db, customer, input);
  const cart = await openCustomerCart(db, customer, now);
  await addLine(db, customer, cart, line, now);
  return renderCart(db, customer, cart.id);
}

async function changeCustomerLine(
  db: Db,
  customer: CartCustomer,
  now: Date,
  change: Parameters<typeof changeLine>[4],
): Promise<CartView> {
  const found = await queries.findCustomerCart(db, customer.storeId, customer.customerId);
  const cart = await changeLine(db, customer, found ? owned(found) : undefined, now, change);
  return renderCart(db, customer, cart.id);
}

export function updateCustomerCartItem(
  db: Db,
  customer: CartCustomer,
  itemId: number,
  quantity: number,
  now = new Date(),
): Promise<CartView> {
  return changeCustomerLine(db, customer, now, setQuantity(itemId, quantity));
}

export function removeCustomerCartItem(
  db: Db,
  customer: CartCustomer,
  itemId: number,
  now = new Date(),
): Promise<CartView> {
  return changeCustomerLine(db, customer, now, deleteLine(itemId));
}

/**
 * Moves the guest cart behind the token into the customer's cart, then deletes the guest cart (its
 * token opens nothing afterwards). An item already in the customer's cart gets the quantities
 * added, capped at the most a cart line holds; new items are added while the cart has room for
 * them (at most MAX_CART_LINES lines), the rest are left out. Lines the store no longer sells are
 * dropped, as reading the cart drops them. Without a token, or with one whose cart is gone
 * (expired, or already merged), there is nothing to merge and the customer's cart is returned as
 * it is, so a retried merge answers the same.
 */
export async function mergeGuestCart(
  db: Db,
  customer: CartCustomer,
  guestToken: string | undefined,
  now = new Date(),
): Promise<CartView> {
  const target = await openCustomerCart(db, customer, now);
  const guest = guestToken ? await queries.findCart(db, customer.storeId, guestToken, now) : undefined;
  if (!guest) return renderCart(db, customer, target.id);

  await db.transaction().execute(async (trx) => {
    // Both carts are held in id order, so two merges (or a merge and a change) cannot deadlock.
    const [first, second] = guest.id < target.id ? [guest.id, target.id] : [target.id, guest.id];
    const locked = [
      await queries.lockCart(trx, customer.storeId, first, now),
      await queries.lockCart(trx, customer.storeId, second, now),
    ];
    if (locked.some((row) => row === undefined)) return;
    const guestLines = await queries.cartLines(trx, guest.id);
    const sellable = await sellableLines(trx, customer.storeId, guestLines);
    const current = await queries.cartLines(trx, target.id);
    const byItem = new Map(current.map((line) => [storeItemKey(lineRef(line)), line]));
    const added: Array<{ key: queries.LineKey; quantity: number }> = [];
    let lineCount = current.length;
    for (const line of sellable) {
      const existing = byItem.get(storeItemKey(lineRef(line)));
      if (existing) {
        const quantity = Math.min(existing.quantity + line.quantity, MAX_LINE_QUANTITY);
        if (quantity !== existing.quantity)
          await queries.setLineQuantity(trx, target.id, existing.id, quantity, now);
      } else if (lineCount < MAX_CART_LINES) {
        added.push({ key: lineKeyOf(lineRef(line)), quantity: Math.min(line.quantity, MAX_LINE_QUANTITY) });
        lineCount++;
      }
    }
    await queries.insertLines(trx, {
      cartId: target.id,
      businessId: customer.businessId,
      lines: added,
      now,
    });
    await queries.deleteCart(trx, guest.id);
    await queries.touchCart(trx, target.id, now, null);
  });
  return renderCart(db, customer, target.id);
}

type CartLine = Awaited<ReturnType<typeof queries.cartLines>>[number];

async function sellableLines(db: Db, storeId: number, lines: CartLine[]): Promise<CartLine[]> {
  if (lines.length === 0) return [];
  const priced = await priceStoreItems(
    db,
    storeId,
    lines.map((line) => lineRef(line)),
  );
  return lines.filter((line) => priced.has(storeItemKey(lineRef(line))));
}

/**
 * For checkout: the customer's cart in the store and its lines as typed refs, in the order they
 * were added, or null when they have none. `id` is the cart's id as text, as `clearCart` takes it.
 */
export async function findCustomerCheckoutCart(
  db: Db,
  storeId: number,
  customerId: number,
): Promise<{ id: string; lines: Array<{ ref: StoreItemRef; quantity: number }> } | null> {
  const cart = await queries.findCustomerCart(db, storeId, customerId);
  if (!cart) return null;
  const lines = await queries.cartLines(db, cart.id);
  return {
    id: String(cart.id),
    lines: lines.map((line) => ({ ref: lineRef(line), quantity: line.quantity })),
  };
}
