/**
 * Changing an existing order's items (`updateOrder` with `ordervariants` / `orderbundles`): the new
 * items replace the old ones, priced by checkout's engine and stocked through the same path as
 * `createOrder`, inside `editOrder`'s transaction with the order locked. docs/decisions.md "Changing
 * an order's items" gives the rules and their reasons.
 */
import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { formatCents, toCents } from '../../lib/money.ts';
import { priceCheckout, withUniqueCode } from '../checkout/pricing.ts';
import { outOfStockError, reportMissing, throwIfInvalid } from '../checkout/rules.ts';
import type { LockedBusinessOrder } from './bulk-queries.ts';
import * as bulk from './bulk-queries.ts';
import { linesOf, renameItemErrors, resolveBodyItems } from './business-create.ts';
import { orderLines, outOfStock, stockNeeds } from './create.ts';
import type { CreateOrderBodyObject } from './create-schemas.ts';
import * as q from './queries.ts';
import { releaseOrderStock } from './status.ts';
import { reserveStock } from './stock.ts';
import type { OrderStatus, OrdersTable } from './tables.ts';

/**
 * Statuses in which the items may change: before the warehouse starts on the parcel. From
 * `in_process` on, someone picks and packs the old items; a merchant moves the order back to
 * `confirmed` (the lifecycle allows it) to change them, so the warehouse hears of it.
 */
export const ITEMS_CHANGE: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['draft', 'pending', 'confirmed']);

/** What the item change reads of the order beside its lock. */
export interface ItemsOrder {
  store_id: number;
  page_id: number | null;
  discount_code_code: string | null;
  product_discount: string;
  shipping_cost: string;
  shipping_discount: string;
  other_income: string;
  other_income_name: string | null;
  unique_code_discount: string;
}

type ItemsBody = Pick<
  CreateOrderBodyObject,
  | 'ordervariants'
  | 'orderbundles'
  | 'product_discount'
  | 'shipping_cost'
  | 'shipping_discount'
  | 'other_income'
  | 'other_income_name'
>;

/** Manual discounts may not exceed what they discount (`updateOrder`'s amounts and its items alike). */
export function checkDiscounts(
  amounts: { productPrice: bigint; productDiscount: bigint; shippingCost: bigint; shippingDiscount: bigint },
  fieldErrors: FieldErrors,
): void {
  if (amounts.productDiscount > amounts.productPrice)
    fieldErrors.product_discount = ['must not exceed the product price'];
  if (amounts.shippingDiscount > amounts.shippingCost)
    fieldErrors.shipping_discount = ['must not exceed the shipping cost'];
}

/**
 * Replaces the locked order's items with the body's (both arrays as sent; a missing one is empty):
 * priced as `createOrder` prices them with the order's manual amounts (the body's when sent), the
 * old lines' stock given back and the new taken from `warehouse.target` (any warehouse when null).
 * Answers the order columns to store. The same lines from the same warehouse move no stock.
 * Throws the 409 of a status past `ITEMS_CHANGE` or of a discount code, the 422s `createOrder`
 * gives for bad items, and its 409 naming sold-out items (the transaction then rolls back).
 */
export async function changeItems(
  trx: Db,
  businessId: number,
  locked: LockedBusinessOrder,
  order: ItemsOrder,
  body: ItemsBody,
  paymentMethod: string,
  warehouse: { current: number | null; target: number | null },
): Promise<Updateable<OrdersTable>> {
  if (!ITEMS_CHANGE.has(locked.status)) {
    throw errors.conflict(
      `The order is ${locked.status}: its items change only while it is draft, pending or confirmed`,
    );
  }
  if (order.discount_code_code !== null) {
    throw errors.conflict(
      `The order uses discount code ${order.discount_code_code}: its items cannot change, as the code was granted for the items it was placed with`,
    );
  }
  const items = await resolveBodyItems(trx, businessId, {
    ordervariants: body.ordervariants ?? [],
    orderbundles: body.orderbundles ?? [],
  });
  const amount = (sent: number | undefined, stored: string) =>
    sent === undefined ? stored : formatCents(toCents(sent));
  const pricing = await priceCheckout(trx, {
    businessId,
    storeId: order.store_id,
    items: items.lines,
    paymentMethod,
    pageId: order.page_id,
    manualDiscounts: {
      product: amount(body.product_discount, order.product_discount),
      shipping: amount(body.shipping_discount, order.shipping_discount),
    },
    manualShippingCost: amount(body.shipping_cost, order.shipping_cost),
    manualOtherIncome: {
      amount: amount(body.other_income, order.other_income),
      name:
        body.other_income_name === undefined
          ? order.other_income_name
          : body.other_income_name.trim() || null,
    },
  });
  const fieldErrors: FieldErrors = {};
  reportMissing(items.lines, pricing.missing, fieldErrors);
  checkDiscounts(
    {
      productPrice: toCents(pricing.totals.product_price),
      productDiscount: toCents(amount(body.product_discount, order.product_discount)),
      shippingCost: toCents(pricing.totals.shipping_cost),
      shippingDiscount: toCents(amount(body.shipping_discount, order.shipping_discount)),
    },
    fieldErrors,
  );
  throwIfInvalid(renameItemErrors(fieldErrors, items.variantCount));

  const draft = {
    businessId,
    lines: linesOf(pricing, false),
    // The bank-transfer unique code the buyer was given stays.
    totals: withUniqueCode(pricing.totals, toCents(order.unique_code_discount)),
    known: { taxRate: pricing.store.tax_rate, variants: pricing.snapshots },
  };
  const { lines, amounts } = await orderLines(trx, draft, locked.id);
  if (
    warehouse.current === warehouse.target &&
    sameLines(await q.selectOrderlines(trx, businessId, locked.id), lines)
  )
    return amounts;

  // Given back once: only allocations not yet released are, and they are forgotten right after.
  await releaseOrderStock(trx, businessId, locked.id);
  await bulk.deleteReleasedAllocations(trx, businessId, locked.id);
  await q.replaceOrderlines(trx, businessId, locked.id, lines);
  const needs = stockNeeds(draft);
  const reservation = await reserveStock(trx, { id: locked.id, businessId }, warehouse.target, needs);
  if (!reservation.ok) throw outOfStockError(outOfStock(draft, reservation.short).names);
  // New lines always come with a new row version (view-cache.ts), even when the totals are equal.
  return { ...amounts, last_updated_at: new Date() };
}

/** Whether the stored lines are these new ones, column for column (ids aside). */
function sameLines(stored: q.OrderlineRow[], lines: q.OrderlineInsert[]): boolean {
  if (stored.length !== lines.length) return false;
  return lines.every((line, index) => {
    const row = stored[index]!;
    return (Object.keys(line) as Array<keyof q.OrderlineInsert>).every((column) =>
      column === 'components'
        ? JSON.stringify(row.components.map(componentKey)) ===
          JSON.stringify(line.components.map(componentKey))
        : String(row[column]) === String(line[column]),
    );
  });
}

/** A component in a fixed shape (jsonb stores keys in its own order). */
const componentKey = (part: { variant_id: number; quantity: number; is_inventory: boolean }) => [
  part.variant_id,
  part.quantity,
  part.is_inventory,
];
