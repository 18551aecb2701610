/**
 * Storefront checkout, for guests and signed-in customers alike: the order, created in one
 * transaction with its stock, its code use and its link to the business's customer record.
 */

import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { clearCart } from '../carts/service.ts';
import { consumeDiscountCode } from '../discounts/evaluate.ts';
import {
  type CreatedOrder,
  createOrder,
  type OrderDraft,
  type OrderRecord,
  OutOfStockError,
  toPublicOrder,
} from '../orders/create.ts';
import { emitOrderEvents } from '../orders/events.ts';
import type { StoreAnswer } from '../orders/idempotent-create.ts';
import type { PublicOrder } from '../orders/schemas.ts';
import { EMPTY_SOURCE, resolveItemSource, type Shopper } from './items.ts';
import {
  type CheckoutPricing,
  CheckoutStoreNotFound,
  priceCheckout,
  priceLines,
  withUniqueCode,
} from './pricing.ts';
import * as q from './queries.ts';
import {
  type CheckoutStore,
  checkPayment,
  locationIdOf,
  outOfStockError,
  postalCodeOf,
  reportMissing,
  throwIfInvalid,
  unavailableShippingError,
} from './rules.ts';
import type * as schemas from './schemas.ts';
import { checkAddressLength, checkNameLength, screenOrder } from './spam.ts';
import { assignUniqueCode } from './unique-code.ts';

export type CheckoutBody = Static<typeof schemas.CheckoutRequest>;

export interface CheckoutContext {
  store: CheckoutStore;
  /** A guest (their token's cart) or a signed-in customer (their cart; the order is theirs). */
  shopper: Shopper;
  /** The server's public base URL, for the order's hosted page links. */
  publicUrl: string;
  clientIp: string | null;
  userAgent: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Phone numbers as buyers type them: digits with an optional +, spaces, dashes, dots or brackets. */
const PHONE = /^\+?[\d\s().-]{6,20}$/;

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/**
 * Creates the order a storefront buyer checks out:
 *
 * - Items: the request's `items` when sent (the guest cart behind the token, or the customer cart
 *   `cart_id` names, is emptied once the order exists), else that cart; neither is a 422 on `items`.
 * - Customer: a signed-in customer's order is theirs (`source` `customer`); a guest's order is
 *   linked to the business's customer with the buyer's e-mail, created on first sight, in the
 *   order's transaction (one customer per e-mail per business, whoever created it).
 * - Validated: customer name and email, the store's payment method (never `no_payment`; `va` needs
 *   one of the store's banks), and when something ships: a known destination location, an
 *   address, the postal code when the store asks for it, and a courier service when the store
 *   requires one. Client shipping costs are ignored: shipping is recomputed by the pricing engine.
 * - The store's anti-spam settings (`spam.ts`): minimum name and address lengths are 422s; a
 *   suspected order is refused (403 `order_blocked`) or kept marked `is_probably_spam`.
 * - A discount code that does not apply is a 422 on `discount_code_code`; its use is counted in the
 *   order's transaction, so the last use of a limited code goes to exactly one order.
 * - Stock is reserved in the same transaction; a sold-out item is a 409 naming it.
 * - The order starts `pending` / `unpaid`; payment expires after the store's auto-expire days
 *   when it has them on. Payments are created later (`POST …/orders/{secret_slug}/payment`).
 */
export async function createCheckout(
  db: Db,
  context: CheckoutContext,
  body: CheckoutBody,
  storeAnswer?: StoreAnswer<PublicOrder>,
): Promise<PublicOrder> {
  const { store } = context;
  const fieldErrors: FieldErrors = {};
  const locationId = locationIdOf(body.shipping_location_id ?? body.location_id);
  // Independent reads at once: the items (then their prices), and the store with everything later
  // steps need (the destination too).
  const sourcing = resolveItemSource(db, {
    businessId: store.businessId,
    storeId: store.storeId,
    items: body.items,
    shopper: context.shopper,
    precedence: 'items',
  });
  const [source, priced, storeRow] = await Promise.all([
    sourcing,
    sourcing.then((found) => priceLines(db, store.storeId, found.lines)),
    q.findCheckoutStore(db, store.businessId, store.storeId, locationId),
  ]);
  if (source.lines.length === 0) fieldErrors.items = [EMPTY_SOURCE];
  const customerName = text(body.customer_name);
  if (!customerName) fieldErrors.customer_name = ["can't be blank"];
  const customerPhone = text(body.customer_phone);
  if (customerPhone && !PHONE.test(customerPhone)) fieldErrors.customer_phone = ['is not a phone number'];

  if (!storeRow) throw errors.storeNotFound();
  checkNameLength(storeRow, customerName, fieldErrors);
  const location = storeRow.destination;
  const payment = checkPayment(storeRow, body.payment_method, body.sub_payment_method, fieldErrors, {
    requireBank: true,
  });
  if (locationId !== null && !location) fieldErrors.shipping_location_id = ['is not a known location'];
  throwIfInvalid(fieldErrors);

  const postalCode = postalCodeOf(body.shipping_postal_code ?? body.postal_code);
  const pricing = await priceOrFail(db, {
    businessId: store.businessId,
    storeId: store.storeId,
    items: source.lines,
    priced,
    destination: location ? { locationId: location.id, postalCode, location } : null,
    store: storeRow,
    paymentMethod: payment!.method,
    subPaymentMethod: payment!.sub,
    courierServiceId: body.courier_service_id ?? null,
    warehouseUniqueId: body.warehouse_unique_id ?? null,
    discountCode: text(body.discount_code_code),
  });
  reportMissing(source.lines, pricing.missing, fieldErrors);
  // A cart whose every line the store stopped selling is as empty as no cart.
  if (pricing.lines.length === 0 && source.from === 'cart') fieldErrors.items = [EMPTY_SOURCE];
  const address = text(body.shipping_address ?? body.address);
  if (pricing.requiresShipping) {
    if (!location && !fieldErrors.shipping_location_id)
      fieldErrors.shipping_location_id = ["can't be blank when the order ships"];
    if (!address) fieldErrors.shipping_address = ["can't be blank when the order ships"];
    checkAddressLength(storeRow, address, fieldErrors);
    if (storeRow.is_postal_code && !postalCode) fieldErrors.shipping_postal_code = ["can't be blank"];
    if (storeRow.is_courier_required && !body.courier_service_id)
      fieldErrors.courier_service_id = ["can't be blank when the order ships"];
  }
  if (pricing.discount && !pricing.discount.eligible)
    fieldErrors.discount_code_code = [pricing.discount.message ?? 'cannot be used'];
  throwIfInvalid(fieldErrors);
  if (pricing.shippingState === 'unavailable')
    throw await unavailableShippingError(db, store.businessId, pricing.lines);

  const draft = draftOf(context, body, pricing, {
    customerName: customerName!,
    customerPhone,
    address,
    location: pricing.requiresShipping ? (location ?? null) : null,
    postalCode,
  });
  const discountId = pricing.discount?.eligible ? pricing.discount.discountCode!.id : null;
  try {
    return await db.transaction().execute(async (trx) => {
      // First in the transaction, so a refused order does no other work. Nothing is locked: two
      // orders from one buyer racing each other may both pass a limit (docs/decisions.md).
      const isProbablySpam = await screenOrder(trx, store, storeRow, {
        email: draft.customer.email,
        phone: draft.customer.phone,
        ip: context.clientIp,
      });
      const unique = await assignUniqueCode(trx, {
        storeId: store.storeId,
        paymentMethod: draft.paymentMethod,
        store: storeRow,
        grossRevenue: draft.totals.gross_revenue,
      });
      // A guest's order is linked to the business's customer with their e-mail, upserted by the
      // order's insert statement.
      const created = await createOrder(trx, {
        ...draft,
        isProbablySpam,
        customerId: 'customerId' in context.shopper ? context.shopper.customerId : null,
        linkCustomerByEmail: !('customerId' in context.shopper),
        totals: withUniqueCode(draft.totals, unique),
      });
      if (discountId !== null && !(await consumeDiscountCode(trx, store.businessId, discountId)))
        throw errors.invalidField('discount_code_code', 'is no longer valid or has reached its usage limit');
      if (source.cartId !== null) await clearCart(trx, store.storeId, source.cartId);
      await emitOrderEvents(
        trx,
        store.businessId,
        created.id,
        isProbablySpam ? ['order.created', 'order.spam_created'] : ['order.created'],
        context.publicUrl,
      );
      const answer = toPublicOrder(createdRecord(created, storeRow), {
        publicUrl: context.publicUrl,
        storeUniqueId: store.storeUniqueId,
      });
      // Last: an Idempotency-Key's stored answer commits with the order or not at all.
      await storeAnswer?.(trx, answer);
      return answer;
    });
  } catch (error) {
    if (error instanceof OutOfStockError) throw outOfStockError(error.names);
    throw error;
  }
}

/**
 * The new order as `findOrderById` would read it back, from the rows the transaction inserted (as
 * stored, defaults included) and the store, business and payment accounts read with the store: a
 * checkout order has no page and no handler yet, and nothing else in the transaction changes it.
 */
function createdRecord(created: CreatedOrder, storeRow: q.CheckoutStoreRow): OrderRecord {
  return {
    order: {
      ...created.row,
      store_unique_id: storeRow.store_unique_id,
      store_name: storeRow.store_name,
      store_logo: storeRow.store_logo,
      store_is_transferproof_required: storeRow.store_is_transferproof_required,
      business_unique_id: storeRow.business_unique_id,
      business_username: storeRow.business_username,
      business_account_holder: storeRow.business_account_holder,
      business_email: storeRow.business_email,
      page_unique_id: null,
      page_name: null,
      handler_phone: null,
      payment_accounts: storeRow.payment_accounts,
    },
    lines: created.lines,
    history: created.history,
  };
}

async function priceOrFail(db: Db, input: Parameters<typeof priceCheckout>[1]): Promise<CheckoutPricing> {
  try {
    return await priceCheckout(db, input);
  } catch (error) {
    if (error instanceof CheckoutStoreNotFound) throw errors.storeNotFound();
    throw error;
  }
}

function draftOf(
  context: CheckoutContext,
  body: CheckoutBody,
  pricing: CheckoutPricing,
  buyer: {
    customerName: string;
    customerPhone: string | null;
    address: string | null;
    location: { id: number; province_name: string; city_name: string; subdistrict_name: string } | null;
    postalCode: string | null;
  },
): OrderDraft {
  const { store } = context;
  const { shipping, courier } = pricing;
  const paymentMethod = body.payment_method.trim().toLowerCase();
  // Bank-transfer buyers are pointed at the business's oldest active account.
  const first = paymentMethod === 'bank_transfer' ? pricing.store.payment_accounts[0] : undefined;
  const account = first
    ? {
        bank: first.financial_entity_code,
        account_number: first.account_number,
        account_holder: first.account_holder,
      }
    : undefined;
  const settings = pricing.store;
  return {
    businessId: store.businessId,
    storeId: store.storeId,
    source: 'customerId' in context.shopper ? 'customer' : 'storefront',
    customer: { name: buyer.customerName, email: body.customer_email.trim(), phone: buyer.customerPhone },
    destination: buyer.location
      ? {
          address: buyer.address,
          location_id: buyer.location.id,
          postal_code: buyer.postalCode,
          province: buyer.location.province_name,
          city: buyer.location.city_name,
          subdistrict: buyer.location.subdistrict_name,
        }
      : null,
    paymentMethod,
    subPaymentMethod: paymentMethod === 'va' ? (body.sub_payment_method?.trim().toUpperCase() ?? null) : null,
    courierServiceId: shipping?.courier_service_id ?? null,
    warehouseId: shipping ? pricing.warehouseId : null,
    discountCodeId: pricing.discount?.eligible ? pricing.discount.discountCode!.id : null,
    discountCode: pricing.discount?.eligible ? pricing.discount.discountCode!.code : null,
    notes: text(body.notes),
    lines: pricing.lines.map((line) => ({
      variant_id: line.item.variant_id,
      bundle_price_option_id: line.item.bundle_price_option_id,
      name: line.item.name,
      unit_price: line.item.unit_price,
      quantity: line.quantity,
      weight_grams: line.item.weight_grams,
      item_type: line.item.item_type,
      // What the order line stores as its components (not the stock rows read while pricing).
      stock: line.item.lines.map(({ variant_id, quantity, is_inventory }) => ({
        variant_id,
        quantity,
        is_inventory,
      })),
    })),
    totals: pricing.totals,
    paymentExpiresAt: settings.is_auto_expire
      ? new Date(Date.now() + settings.auto_expire_days * DAY_MS)
      : null,
    paymentAccount: account
      ? { bank: account.bank, account_number: account.account_number, account_holder: account.account_holder }
      : null,
    initialStatus: 'pending',
    courierService:
      shipping && courier
        ? {
            id: shipping.courier_service_id,
            code: shipping.service_code,
            name: shipping.name,
            courier: { code: courier.code, name: courier.name },
          }
        : null,
    courierAggregatorCode: shipping?.courier_aggregator_code ?? null,
    clientIp: context.clientIp,
    userAgent: context.userAgent,
    known: { taxRate: pricing.store.tax_rate, variants: pricing.snapshots },
  };
}
