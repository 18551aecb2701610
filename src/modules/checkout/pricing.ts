/**
 * THE pricing engine: one function prices an order for every path that shows or creates one
 * (storefront shipping options, summary, discount check and checkout; later customer checkout,
 * HTML Mode and business orders), so the same input gives the same totals everywhere.
 *
 * Totals, all exact decimals computed on integer cents:
 *
 *   product_price          Σ unit price × quantity (variants, bundle price options)
 *   product_discount       discounts on products NOT from a code (business orders may set one; 0 here)
 *   shipping_cost          the selected courier service recomputed server-side (client cost ignored);
 *                          0 when nothing needs shipping or no service is selected yet
 *   shipping_discount      discounts on shipping NOT from a code (0 here)
 *   discount_code_discount everything the discount code takes off, whether it applies to the
 *                          product price or to the shipping cost (`applied_to` says which)
 *   unique_code_discount   bank-transfer unique code; 0 here, assigned by checkout (unique-code.ts)
 *   other_income           the store's other charge (charges.ts) on the amount after discounts
 *   service_fee            the e-payment fee (charges.ts) on that amount plus other_income
 *   gross_revenue          product_price − product_discount + shipping_cost − shipping_discount
 *                          − discount_code_discount − unique_code_discount + other_income
 *                          + service_fee: what the buyer pays (service_fee is 0 unless e-payment)
 *   net_revenue            product_price − product_discount − shipping_discount
 *                          − discount_code_discount − unique_code_discount: the merchant's
 *                          revenue from the goods, without shipping, charges or fees
 */
import type { Db } from '../../db/database.ts';
import { type Cents, formatCents, toCents } from '../../lib/money.ts';
import { type DiscountEvaluation, evaluateDiscountCode } from '../discounts/evaluate.ts';
import type { LocationRow, ShippingWarehouse, ShippingWarehouseRow } from '../shipping/queries.ts';
import { quoteShippingDetailed, type ShippingOption, type ShippingQuote } from '../shipping/quote.ts';
import {
  type PricedItem,
  priceStoreItemsWithSnapshots,
  type StoreItemRef,
  storeItemKey,
  type VariantSnapshotFields,
} from '../storefront/pricing.ts';
import { otherIncome, serviceFee } from './charges.ts';
import * as q from './queries.ts';

export interface CheckoutPricingInput {
  businessId: number;
  storeId: number;
  items: Array<{ ref: StoreItemRef; quantity: number }>;
  /**
   * Where the parcel goes; without it nothing is quoted (shipping_cost 0). `location`: its row,
   * when the caller already read it.
   */
  destination?:
    | { locationId: number; postalCode?: string | null | undefined; location?: LocationRow | undefined }
    | null
    | undefined;
  /** The store's row (`findCheckoutStore`) when the caller already read it. */
  store?: q.CheckoutStoreRow | undefined;
  /** `priceLines` of `items` when the caller already ran it (e.g. alongside the store read). */
  priced?: PricedLines | undefined;
  paymentMethod?: string | null | undefined;
  subPaymentMethod?: string | null | undefined;
  /** The buyer's courier service; without it shipping_cost is 0 (not chosen yet). */
  courierServiceId?: number | null | undefined;
  warehouseUniqueId?: string | null | undefined;
  discountCode?: string | null | undefined;
  /** HTML Mode orders: the page, for page-limited discount codes. */
  pageId?: number | null | undefined;
  /** Business orders: discounts a merchant grants by hand (decimal strings), capped at their base. */
  manualDiscounts?: { product?: string | undefined; shipping?: string | undefined } | undefined;
  /**
   * Business orders: the shipping cost the merchant agreed with the buyer (decimal string), in
   * place of the quoted one; the courier service, warehouse and stock checks still come from the
   * quote when a service is chosen.
   */
  manualShippingCost?: string | undefined;
  /** Business orders: the merchant's own other charge, in place of the store's. */
  manualOtherIncome?: { amount: string; name: string | null } | undefined;
  now?: Date | undefined;
}

export interface PricedLine {
  ref: StoreItemRef;
  quantity: number;
  item: PricedItem;
  /** unit price × quantity, decimal string. */
  subtotal: string;
}

export interface CheckoutTotals {
  product_price: string;
  product_discount: string;
  shipping_cost: string;
  shipping_discount: string;
  discount_code_discount: string;
  unique_code_discount: string;
  other_income: string;
  other_income_name: string | null;
  service_fee: string;
  gross_revenue: string;
  net_revenue: string;
}

/**
 * `not_required`: nothing ships. `not_selected`: something ships but no destination or courier
 * service was given. `selected`: `shipping` is the recomputed option. `unavailable`: the selected
 * service cannot ship this order (no warehouse holds the stock, or the route is not served).
 */
export type ShippingState = 'not_required' | 'not_selected' | 'selected' | 'unavailable';

export interface CheckoutPricing {
  store: q.CheckoutStoreRow;
  lines: PricedLine[];
  /** Refs the store does not sell (left out of the totals); callers decide whether that is an error. */
  missing: StoreItemRef[];
  requiresShipping: boolean;
  /** Parcel weight in grams: Σ weight × quantity of the lines that ship. */
  weightGrams: number;
  shippingState: ShippingState;
  shipping: ShippingOption | null;
  /** Courier of `shipping` (id and name), for the order's courier snapshot and courier charges. */
  courier: { id: number; code: string; name: string } | null;
  /** The id of the warehouse `shipping` ships from. */
  warehouseId: number | null;
  /** What order lines snapshot of the priced variant items, by variant id. */
  snapshots: Map<number, VariantSnapshotFields>;
  /** Null when no code was given. */
  discount: DiscountEvaluation | null;
  totals: CheckoutTotals;
}

/** The store is not this business's: callers answer their uniform 404. */
export class CheckoutStoreNotFound extends Error {}

/**
 * Lines for the shipping quote: every stock component of every item (so the chosen warehouse
 * covers everything checkout reserves from it), with the parcel weight carried exactly. Bundle
 * weight is not the sum of its parts (weight bumps), so the whole weight goes on one unit of the
 * first line and the others weigh 0: the quote adds quantity × weight, and integers stay exact.
 */
export function shippingLines(
  lines: PricedLine[],
): Array<{ variant_id: number; quantity: number; weight_grams: number }> {
  const out: Array<{ variant_id: number; quantity: number; weight_grams: number }> = [];
  for (const line of lines) {
    for (const part of line.item.lines)
      out.push({ variant_id: part.variant_id, quantity: part.quantity * line.quantity, weight_grams: 0 });
  }
  const weight = parcelWeight(lines);
  const first = out[0];
  if (first && weight > 0) {
    if (first.quantity > 1)
      out.push({ variant_id: first.variant_id, quantity: first.quantity - 1, weight_grams: 0 });
    first.quantity = 1;
    first.weight_grams = weight;
  }
  return out;
}

function parcelWeight(lines: PricedLine[]): number {
  return lines
    .filter((line) => line.item.requires_shipping)
    .reduce((sum, line) => sum + Math.max(0, line.item.weight_grams) * line.quantity, 0);
}

function capped(value: string | undefined, max: Cents): Cents {
  if (value === undefined) return 0n;
  const cents = toCents(value);
  if (cents <= 0n) return 0n;
  return cents < max ? cents : max;
}

function nonNegative(cents: Cents): Cents {
  return cents < 0n ? 0n : cents;
}

export interface PricedLines {
  lines: PricedLine[];
  missing: StoreItemRef[];
  /** What order lines snapshot of the priced variant items, by variant id. */
  snapshots: Map<number, VariantSnapshotFields>;
}

/** Prices the items the store sells, in request order. */
export async function priceLines(
  db: Db,
  storeId: number,
  items: CheckoutPricingInput['items'],
): Promise<PricedLines> {
  const { priced, snapshots } = await priceStoreItemsWithSnapshots(
    db,
    storeId,
    items.map((item) => item.ref),
  );
  const lines: PricedLine[] = [];
  const missing: StoreItemRef[] = [];
  for (const { ref, quantity } of items) {
    const item = priced.get(storeItemKey(ref));
    if (!item) missing.push(ref);
    else
      lines.push({ ref, quantity, item, subtotal: formatCents(toCents(item.unit_price) * BigInt(quantity)) });
  }
  return { lines, missing, snapshots };
}

type QuoteInput = Pick<
  CheckoutPricingInput,
  'businessId' | 'storeId' | 'paymentMethod' | 'courierServiceId' | 'warehouseUniqueId'
> & {
  destination: NonNullable<CheckoutPricingInput['destination']>;
  /** The store's shipping settings (and the business's warehouses) when already read. */
  store?:
    | (Pick<q.CheckoutStoreRow, 'warehouse_id' | 'courier_codes'> &
        Partial<Pick<q.CheckoutStoreRow, 'warehouses'>>)
    | undefined;
};

/**
 * The business's shipping warehouses with their stock of the lines' variants, from the store row
 * and the stock rows the lines were priced with; undefined (shipping reads them) when either is
 * missing.
 */
function warehousesWithStock(
  warehouses: readonly ShippingWarehouse[] | undefined,
  lines: PricedLine[],
): ShippingWarehouseRow[] | undefined {
  if (!warehouses) return undefined;
  const stock = new Map<number, Array<{ variant_id: number; qty: number }>>();
  for (const warehouse of warehouses) stock.set(warehouse.id, []);
  const seen = new Set<number>();
  for (const line of lines)
    for (const part of line.item.lines) {
      if (!part.stock) return undefined;
      if (seen.has(part.variant_id)) continue;
      seen.add(part.variant_id);
      for (const held of part.stock)
        stock.get(held.warehouse_id)?.push({ variant_id: part.variant_id, qty: held.qty });
    }
  return warehouses.map((warehouse) => ({ ...warehouse, stock: stock.get(warehouse.id) ?? [] }));
}

/**
 * Every shipping option for these lines and destination (cheapest first); empty when nothing
 * ships. The storefront options route and `priceCheckout` both quote through here.
 */
export async function quoteLines(db: Db, input: QuoteInput, lines: PricedLine[]): Promise<ShippingOption[]> {
  return (await quoteLinesDetailed(db, input, lines)).options;
}

/** `quoteLines` with the chosen warehouse's id and each option's courier. */
export function quoteLinesDetailed(db: Db, input: QuoteInput, lines: PricedLine[]): Promise<ShippingQuote> {
  if (!lines.some((line) => line.item.requires_shipping))
    return Promise.resolve({ options: [], warehouseId: null, couriers: new Map() });
  // The lines were priced through the store, so their variants are the business's.
  const inventory = new Map<number, boolean>();
  for (const line of lines)
    for (const part of line.item.lines) inventory.set(part.variant_id, part.is_inventory);
  return quoteShippingDetailed(db, {
    businessId: input.businessId,
    storeId: input.storeId,
    destinationLocationId: input.destination.locationId,
    destinationPostalCode: input.destination.postalCode ?? null,
    paymentMethod: input.paymentMethod ?? null,
    lines: shippingLines(lines),
    warehouseUniqueId: input.warehouseUniqueId ?? null,
    courierServiceId: input.courierServiceId ?? null,
    location: input.destination.location,
    store: input.store,
    inventory,
    warehouses: warehousesWithStock(input.store?.warehouses, lines),
  });
}

export async function priceCheckout(db: Db, input: CheckoutPricingInput): Promise<CheckoutPricing> {
  const paymentMethod = input.paymentMethod ?? null;
  // Independent reads at once: the store (unless given, with its charges) and the items.
  const [store, { lines, missing, snapshots }] = await Promise.all([
    input.store ?? q.findCheckoutStore(db, input.businessId, input.storeId),
    input.priced ?? priceLines(db, input.storeId, input.items),
  ]);
  if (!store)
    throw new CheckoutStoreNotFound(`Store ${input.storeId} is not in business ${input.businessId}`);
  const methodCharges = paymentMethod
    ? store.method_other_incomes.filter((row) => row.payment_method === paymentMethod)
    : [];
  const requiresShipping = lines.some((line) => line.item.requires_shipping);

  let shippingState: ShippingState = requiresShipping ? 'not_selected' : 'not_required';
  let shipping: ShippingOption | null = null;
  let courier: CheckoutPricing['courier'] = null;
  let warehouseId: number | null = null;
  if (requiresShipping && input.destination && input.courierServiceId) {
    const quote = await quoteLinesDetailed(db, { ...input, destination: input.destination, store }, lines);
    shipping = quote.options.find((option) => option.courier_service_id === input.courierServiceId) ?? null;
    shippingState = shipping ? 'selected' : 'unavailable';
    if (shipping) {
      courier = quote.couriers.get(shipping.courier_service_id) ?? null;
      warehouseId = quote.warehouseId;
    }
  }

  const productPrice = lines.reduce((sum, line) => sum + toCents(line.subtotal), 0n);
  const manualShipping =
    input.manualShippingCost === undefined ? undefined : nonNegative(toCents(input.manualShippingCost));
  const shippingCost = manualShipping ?? (shipping ? toCents(shipping.cost) : 0n);
  const productDiscount = capped(input.manualDiscounts?.product, productPrice);
  const shippingDiscount = capped(input.manualDiscounts?.shipping, shippingCost);

  let discount: DiscountEvaluation | null = null;
  let codeDiscount = 0n;
  if (input.discountCode) {
    discount = await evaluateDiscountCode(db, input.discountCode, {
      businessId: input.businessId,
      storeId: input.storeId,
      pageId: input.pageId ?? null,
      paymentMethod,
      productPrice: formatCents(productPrice - productDiscount),
      shippingCost: formatCents(shippingCost - shippingDiscount),
      ...(input.now ? { now: input.now } : {}),
    });
    if (discount.eligible)
      codeDiscount = toCents(discount.productDiscount) + toCents(discount.shippingDiscount);
  }

  const base = productPrice - productDiscount + shippingCost - shippingDiscount - codeDiscount;
  const manualOther = input.manualOtherIncome;
  const other = manualOther
    ? nonNegative(toCents(manualOther.amount))
    : otherIncome({
        store,
        methodCharges,
        paymentMethod,
        subPaymentMethod: input.subPaymentMethod ?? null,
        courierId: courier?.id ?? null,
        base,
      });
  const otherName = manualOther ? manualOther.name : store.other_income_name.trim() || null;
  const fee = serviceFee(paymentMethod, base + other);
  const totals: CheckoutTotals = {
    product_price: formatCents(productPrice),
    product_discount: formatCents(productDiscount),
    shipping_cost: formatCents(shippingCost),
    shipping_discount: formatCents(shippingDiscount),
    discount_code_discount: formatCents(codeDiscount),
    unique_code_discount: formatCents(0n),
    other_income: formatCents(other),
    other_income_name: other > 0n ? otherName : null,
    service_fee: formatCents(fee),
    gross_revenue: formatCents(base + other + fee),
    net_revenue: formatCents(productPrice - productDiscount - shippingDiscount - codeDiscount),
  };
  return {
    store,
    lines,
    missing,
    requiresShipping,
    weightGrams: parcelWeight(lines),
    shippingState,
    shipping,
    courier,
    warehouseId,
    snapshots,
    discount,
    totals,
  };
}

/** The totals once a unique code of `amount` is deducted (gross and net both drop by it). */
export function withUniqueCode(totals: CheckoutTotals, amount: Cents): CheckoutTotals {
  return {
    ...totals,
    unique_code_discount: formatCents(amount),
    gross_revenue: formatCents(toCents(totals.gross_revenue) - amount),
    net_revenue: formatCents(toCents(totals.net_revenue) - amount),
  };
}
