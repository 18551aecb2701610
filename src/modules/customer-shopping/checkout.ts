/**
 * Customer checkout: the customer's bodies mapped onto the one storefront checkout (same pricing
 * engine, same order creation, same precedence and clearing rules), with the customer's cart and
 * saved addresses in place of the guest token and typed-in buyer details.
 *
 * Field names follow the customer contract (`location_id`, `postal_code`, `address`), so errors the
 * shared checkout raises under the storefront's names are renamed on the way out.
 */
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { parseNumericId } from '../../lib/refs.ts';
import { type CheckoutBody, type CheckoutContext, createCheckout } from '../checkout/checkout.ts';
import type { Shopper } from '../checkout/items.ts';
import type { CheckoutStore } from '../checkout/rules.ts';
import { type CheckoutSummary, listShippingOptions, summarize } from '../checkout/service.ts';
import { findAddress } from '../customers/address-queries.ts';
import type { StoreAnswer } from '../orders/idempotent-create.ts';
import type { PublicOrder } from '../orders/schemas.ts';
import type { ShippingOption } from '../shipping/quote.ts';
import type { CustomerCheckoutBody, CustomerShippingOptionsBody, CustomerSummaryBody } from './schemas.ts';
import type { ShoppingCustomer } from './service.ts';

type IdInput = number | string | null | undefined;

const DESTINATION_FIELDS = {
  'destination.location_id': 'location_id',
  'destination.postal_code': 'postal_code',
};
const CHECKOUT_FIELDS = {
  shipping_location_id: 'location_id',
  shipping_postal_code: 'postal_code',
  shipping_address: 'address',
};

/** Runs a shared checkout step, naming fields in its 422 the way the customer's body does. */
async function withFieldNames<T>(names: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'validation_failed') throw error;
    const renamed = Object.fromEntries(
      Object.entries(error.fieldErrors).map(([field, messages]) => [names[field] ?? field, messages]),
    );
    throw new ApiError(error.statusCode, error.code, error.message, renamed, error.title);
  }
}

/** An "integer or string" id; text that is not a number names nothing (a 422 on the field). */
function idOf(value: IdInput, field: string): number | null {
  if (value === null || value === undefined) return null;
  const id = typeof value === 'number' ? value : parseNumericId(value);
  if (id === null) throw errors.invalidField(field, 'is not a valid id');
  return id;
}

function storeOf(customer: ShoppingCustomer): CheckoutStore {
  return {
    storeId: customer.storeId,
    businessId: customer.businessId,
    storeUniqueId: customer.storeUniqueId,
  };
}

function shopperOf(customer: ShoppingCustomer, cartId: IdInput): Shopper {
  return { customerId: customer.customerId, cartId: idOf(cartId, 'cart_id') };
}

/** One of the customer's own saved addresses; anyone else's is a 422, never a peek at it. */
async function savedAddress(db: Db, customer: ShoppingCustomer, addressId: IdInput) {
  const id = idOf(addressId, 'address_id');
  if (id === null) return null;
  const row = await findAddress(db, { businessId: customer.businessId, customerId: customer.customerId }, id);
  if (!row) throw errors.invalidField('address_id', 'is not one of your saved addresses');
  return row;
}

type SavedAddress = Awaited<ReturnType<typeof savedAddress>>;

/** The body's location wins; a saved address fills in what the body leaves out. */
function destinationOf(body: { location_id?: IdInput; postal_code?: string | null }, saved: SavedAddress) {
  const locationId = body.location_id ?? saved?.location_id ?? null;
  if (locationId === null) return undefined;
  return { location_id: locationId, postal_code: body.postal_code ?? saved?.postal_code ?? null };
}

export async function shippingOptions(
  db: Db,
  customer: ShoppingCustomer,
  body: CustomerShippingOptionsBody,
): Promise<ShippingOption[]> {
  const shopper = shopperOf(customer, body.cart_id);
  const saved = await savedAddress(db, customer, body.address_id);
  const destination = destinationOf(body, saved);
  return withFieldNames(DESTINATION_FIELDS, () =>
    listShippingOptions(db, storeOf(customer), shopper, {
      ...(body.items ? { items: body.items } : {}),
      ...(destination ? { destination } : {}),
      ...(body.payment_method ? { payment_method: body.payment_method } : {}),
    }),
  );
}

export async function checkoutSummary(
  db: Db,
  customer: ShoppingCustomer,
  body: CustomerSummaryBody,
): Promise<CheckoutSummary> {
  const shopper = shopperOf(customer, body.cart_id);
  const saved = await savedAddress(db, customer, body.address_id);
  const {
    cart_id: _cart,
    address_id: _address,
    location_id: _location,
    postal_code: _postal,
    ...rest
  } = body;
  const destination = destinationOf(body, saved);
  return withFieldNames(DESTINATION_FIELDS, () =>
    summarize(db, storeOf(customer), shopper, { ...rest, ...(destination ? { destination } : {}) }),
  );
}

export interface CustomerCheckoutRequestContext {
  publicUrl: string;
  clientIp: string | null;
  userAgent: string | null;
}

/**
 * Creates the customer's order through the storefront checkout. The buyer is the customer: name and
 * e-mail from their record (the body may override them), phone from the body, else the saved
 * address, else their record. The order is theirs (`customer_id`, source `customer`).
 */
export async function createCustomerCheckout(
  db: Db,
  customer: ShoppingCustomer,
  body: CustomerCheckoutBody,
  request: CustomerCheckoutRequestContext,
  storeAnswer?: StoreAnswer<PublicOrder>,
): Promise<PublicOrder> {
  const shopper = shopperOf(customer, body.cart_id);
  const saved = await savedAddress(db, customer, body.address_id);
  const email = body.customer_email?.trim() || customer.email;
  if (!email)
    throw errors.invalidField('customer_email', "can't be blank: the account has no e-mail, send one");
  const checkoutBody: CheckoutBody = {
    ...(body.items ? { items: body.items } : {}),
    customer_name: body.customer_name?.trim() || customer.name,
    customer_email: email,
    customer_phone: body.customer_phone?.trim() || saved?.phone || customer.phone,
    shipping_address: body.address?.trim() || saved?.address || null,
    shipping_location_id: body.location_id ?? saved?.location_id ?? null,
    shipping_postal_code: body.postal_code ?? saved?.postal_code ?? null,
    payment_method: body.payment_method,
    sub_payment_method: body.sub_payment_method ?? null,
    courier_service_id: body.courier_service_id ?? null,
    warehouse_unique_id: body.warehouse_unique_id ?? null,
    courier_aggregator_code: body.courier_aggregator_code ?? null,
    discount_code_code: body.discount_code_code ?? null,
    notes: body.notes ?? null,
  };
  const context: CheckoutContext = { store: storeOf(customer), shopper, ...request };
  return withFieldNames(CHECKOUT_FIELDS, () => createCheckout(db, context, checkoutBody, storeAnswer));
}
