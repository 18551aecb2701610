/** Storefront checkout reads: shipping options, summary and the discount check. */
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { formatCents, toCents } from '../../lib/money.ts';
import { evaluateDiscountCode } from '../discounts/evaluate.ts';
import { discountCodeObject } from '../discounts/present.ts';
import type { ShippingOption } from '../shipping/quote.ts';
import { EMPTY_SOURCE, type ItemSource, resolveItemSource, type Shopper } from './items.ts';
import {
  type CheckoutPricing,
  CheckoutStoreNotFound,
  priceCheckout,
  priceLines,
  quoteLines,
} from './pricing.ts';
import * as q from './queries.ts';
import {
  type CheckoutStore,
  checkPayment,
  locationIdOf,
  postalCodeOf,
  reportMissing,
  requireLocation,
  throwIfInvalid,
  unavailableShippingError,
} from './rules.ts';
import type * as schemas from './schemas.ts';

type Destination = Static<typeof schemas.CheckoutDestination> | undefined;

async function itemsOrCart(
  db: Db,
  store: CheckoutStore,
  shopper: Shopper,
  items: Static<typeof schemas.CheckoutItem>[] | undefined,
): Promise<ItemSource> {
  const source = await resolveItemSource(db, {
    businessId: store.businessId,
    storeId: store.storeId,
    items,
    shopper,
    precedence: 'items',
  });
  if (source.lines.length === 0) throw errors.invalidField('items', EMPTY_SOURCE);
  return source;
}

async function checkoutStore(db: Db, store: CheckoutStore) {
  const row = await q.findCheckoutStore(db, store.businessId, store.storeId);
  if (!row) throw errors.storeNotFound();
  return row;
}

/**
 * The destination object's location, checked to exist; null when none was sent. `field` names the
 * location in a 422 (the body may have sent it under checkout's name).
 */
async function destinationOf(
  db: Db,
  destination: Destination,
  fieldErrors: FieldErrors,
  field = 'destination.location_id',
) {
  const locationId = locationIdOf(destination?.location_id);
  if (destination?.location_id !== undefined && destination.location_id !== null && locationId === null)
    fieldErrors[field] = ['is not a known location'];
  if (locationId === null) return null;
  const location = await requireLocation(db, field, locationId, fieldErrors);
  return location ? { locationId, postalCode: postalCodeOf(destination?.postal_code), location } : null;
}

const SHIPS_WITHOUT_DESTINATION = "can't be blank when the items need shipping";

/**
 * Every courier service that can ship these items to the destination, cheapest first, each with
 * the warehouse it ships from. Digital-only orders need no shipping: an empty list.
 */
export async function listShippingOptions(
  db: Db,
  store: CheckoutStore,
  shopper: Shopper,
  body: Static<typeof schemas.ShippingOptionsRequest>,
): Promise<ShippingOption[]> {
  const source = await itemsOrCart(db, store, shopper, body.items);
  const storeRow = await checkoutStore(db, store);
  const fieldErrors: FieldErrors = {};
  const payment = body.payment_method
    ? checkPayment(storeRow, body.payment_method, null, fieldErrors, { requireBank: false })
    : null;
  const { lines, missing } = await priceLines(db, store.storeId, source.lines);
  reportMissing(source.lines, missing, fieldErrors);
  if (lines.length === 0 && source.from === 'cart') fieldErrors.items = [EMPTY_SOURCE];
  throwIfInvalid(fieldErrors);
  if (!lines.some((line) => line.item.requires_shipping)) return [];
  const destination = await destinationOf(db, body.destination, fieldErrors);
  if (!destination && !fieldErrors['destination.location_id'])
    fieldErrors['destination.location_id'] = [SHIPS_WITHOUT_DESTINATION];
  throwIfInvalid(fieldErrors);
  return quoteLines(
    db,
    {
      businessId: store.businessId,
      storeId: store.storeId,
      paymentMethod: payment?.method ?? null,
      destination: destination!,
      store: storeRow,
    },
    lines,
  );
}

/** A selected option may arrive as top-level ids or inside `shipping_option`/`selected_shipping_option`. */
function selection(body: Static<typeof schemas.SummaryRequest>) {
  const picked = [body.shipping_option, body.selected_shipping_option];
  return {
    courierServiceId:
      body.courier_service_id ?? picked.find((o) => o?.courier_service_id)?.courier_service_id ?? null,
    warehouseUniqueId:
      body.warehouse_unique_id ?? picked.find((o) => o?.warehouse_unique_id)?.warehouse_unique_id ?? null,
  };
}

export type CheckoutSummary = Static<typeof schemas.CheckoutSummary>;

type SummaryBody = Static<typeof schemas.SummaryRequest>;

/**
 * Where the summary ships to: `destination`, or checkout's `shipping_location_id` and
 * `shipping_postal_code`, so a client can price the very body it will check out. Both locations
 * sent must agree; `field` is the one a 422 about the location names.
 */
function summaryDestination(body: SummaryBody): { destination: Destination; field: string } {
  const own = body.destination?.location_id;
  const checkout = body.shipping_location_id;
  const sent = (value: number | string | null | undefined) => value !== undefined && value !== null;
  if (sent(own) && sent(checkout) && locationIdOf(own) !== locationIdOf(checkout))
    throw errors.invalidField(
      'shipping_location_id',
      'differs from destination.location_id; send one of them',
    );
  const field = !sent(own) && checkout !== undefined ? 'shipping_location_id' : 'destination.location_id';
  return {
    destination: {
      location_id: sent(own) ? own : checkout,
      postal_code: body.destination?.postal_code ?? body.shipping_postal_code ?? null,
    },
    field,
  };
}

/**
 * The totals checkout would charge for this body, shipping recomputed from the selected courier
 * service (any client `shipping_cost` is ignored). An ineligible discount code prices as none here
 * (checkout refuses it); the unique code is chosen only when the order is created. Items that ship
 * need a destination, as on shipping options and at checkout: without one the summary would show
 * no shipping and a total the order will never have.
 */
export async function summarize(
  db: Db,
  store: CheckoutStore,
  shopper: Shopper,
  body: SummaryBody,
): Promise<CheckoutSummary> {
  const source = await itemsOrCart(db, store, shopper, body.items);
  const storeRow = await checkoutStore(db, store);
  const fieldErrors: FieldErrors = {};
  const payment = body.payment_method
    ? checkPayment(storeRow, body.payment_method, body.sub_payment_method, fieldErrors, {
        requireBank: false,
      })
    : null;
  const sent = summaryDestination(body);
  const destination = await destinationOf(db, sent.destination, fieldErrors, sent.field);
  throwIfInvalid(fieldErrors);
  const { courierServiceId, warehouseUniqueId } = selection(body);
  const pricing = await price(db, {
    businessId: store.businessId,
    storeId: store.storeId,
    items: source.lines,
    destination,
    store: storeRow,
    paymentMethod: payment?.method ?? null,
    subPaymentMethod: payment?.sub ?? null,
    courierServiceId,
    warehouseUniqueId,
    discountCode: body.discount_code_code ?? null,
  });
  reportMissing(source.lines, pricing.missing, fieldErrors);
  if (pricing.lines.length === 0 && source.from === 'cart') fieldErrors.items = [EMPTY_SOURCE];
  if (pricing.requiresShipping && !destination) fieldErrors[sent.field] = [SHIPS_WITHOUT_DESTINATION];
  throwIfInvalid(fieldErrors);
  if (pricing.shippingState === 'unavailable')
    throw await unavailableShippingError(db, store.businessId, pricing.lines);
  const { net_revenue: _net, ...totals } = pricing.totals;
  return totals;
}

async function price(db: Db, input: Parameters<typeof priceCheckout>[1]): Promise<CheckoutPricing> {
  try {
    return await priceCheckout(db, input);
  } catch (error) {
    if (error instanceof CheckoutStoreNotFound) throw errors.storeNotFound();
    throw error;
  }
}

export type DiscountCheckResult = Static<typeof schemas.DiscountCheckResult>;

/** A client amount the check may fall back on; unreadable or negative counts as 0. */
function clientAmount(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '0.00';
  try {
    const cents = toCents(value);
    return formatCents(cents > 0n ? cents : 0n);
  } catch {
    return '0.00';
  }
}

/**
 * Whether a code applies to this checkout, and how much it takes off. Items come from the guest
 * cart when it has any, else the request's items, priced by the engine (shipping recomputed when
 * a courier service and destination are given). With neither, the client's `net_product_price`
 * and `shipping_cost` are what the code is measured against: a storefront may check a code before
 * it builds the basket, and checkout re-evaluates everything anyway.
 */
export async function checkDiscountCode(
  db: Db,
  store: CheckoutStore,
  guestToken: string | undefined,
  body: Static<typeof schemas.DiscountCheckRequest>,
): Promise<DiscountCheckResult> {
  const source = await resolveItemSource(db, {
    businessId: store.businessId,
    storeId: store.storeId,
    items: body.items,
    shopper: { guestToken },
    precedence: 'cart',
  });
  const paymentMethod = body.payment_method?.trim().toLowerCase() || null;
  let productPrice: string;
  let shippingCost: string;
  let evaluation: Awaited<ReturnType<typeof evaluateDiscountCode>> | null | undefined;
  if (source.lines.length > 0) {
    const fieldErrors: FieldErrors = {};
    const destination = await destinationOf(db, body.destination, fieldErrors);
    const pricing = await price(db, {
      businessId: store.businessId,
      storeId: store.storeId,
      items: source.lines,
      destination,
      paymentMethod,
      subPaymentMethod: body.sub_payment_method ?? null,
      courierServiceId: body.courier_service_id ?? null,
      warehouseUniqueId: body.warehouse_unique_id ?? null,
      discountCode: body.code,
    });
    reportMissing(source.lines, pricing.missing, fieldErrors);
    throwIfInvalid(fieldErrors);
    productPrice = pricing.totals.product_price;
    shippingCost = pricing.totals.shipping_cost;
    evaluation = pricing.discount;
  } else {
    productPrice = clientAmount(body.net_product_price);
    shippingCost = clientAmount(body.shipping_cost);
  }
  // Pricing skips a blank code (as checkout does); here it is answered like any unknown code.
  evaluation ??= await evaluateDiscountCode(db, body.code, {
    businessId: store.businessId,
    storeId: store.storeId,
    paymentMethod,
    productPrice,
    shippingCost,
  });
  const discountCode =
    evaluation.eligible && evaluation.discountCode
      ? await discountCodeObject(db, store.businessId, evaluation.discountCode.id)
      : null;
  const amount = toCents(evaluation.productDiscount) + toCents(evaluation.shippingDiscount);
  return {
    discount_code: discountCode,
    eligibility_details: {
      reason: evaluation.reason,
      message: evaluation.message,
      applied_to: evaluation.discountCode?.appliedTo ?? null,
      product_price: productPrice,
      shipping_cost: shippingCost,
    },
    is_eligible: evaluation.eligible,
    discount_code_discount: formatCents(evaluation.eligible ? amount : 0n),
  };
}
