/**
 * The signed-in customer's shopping: their cart, what checkout offers them (saved addresses, payment
 * methods) and their orders in the store. Carts, pricing and orders are the storefront's own.
 */
import type { Db } from '../../db/database.ts';
import type { CustomerPrincipal } from '../../http/auth/principal.ts';
import { errors } from '../../http/errors.ts';
import {
  type CursorCodec,
  cursorScope,
  type PageParams,
  type PaginatedList,
  paginate,
} from '../../http/pagination.ts';
import * as carts from '../carts/customer-cart.ts';
import type { AddCartItemInput, CartView } from '../carts/service.ts';
import { allAddresses, type CustomerAddressObject } from '../customers/addresses.ts';
import { findStoreCustomer } from '../customers/queries.ts';
import { findOrderById, findOrdersByIds, type OrderRecord, toPublicOrder } from '../orders/create.ts';
import { listActivePaymentAccounts } from '../orders/queries.ts';
import { listPaymentMethods } from '../storefront/service.ts';
import * as q from './queries.ts';
import type { CheckoutPaymentMethodsObject, CustomerOrderObject } from './schemas.ts';

/** The customer behind the token, with the store the token was issued for. */
export interface ShoppingCustomer {
  customerId: number;
  businessId: number;
  storeId: number;
  storeUniqueId: string;
  name: string;
  email: string | null;
  phone: string | null;
}

/**
 * A token whose customer is gone, no longer active, or not a customer of the store's business is as
 * good as an invalid one (401), like every other customer credential failure.
 */
export async function signedInCustomer(db: Db, principal: CustomerPrincipal): Promise<ShoppingCustomer> {
  const row = await findStoreCustomer(db, principal.storeId, principal.customerId);
  if (row?.status !== 'active') throw errors.unauthorized('Invalid or expired customer token');
  return {
    customerId: row.id,
    businessId: row.business_id,
    storeId: principal.storeId,
    storeUniqueId: row.store_unique_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
  };
}

export const getCart = (db: Db, customer: ShoppingCustomer): Promise<CartView> =>
  carts.getCustomerCart(db, customer);

export const addCartItem = (db: Db, customer: ShoppingCustomer, input: AddCartItemInput): Promise<CartView> =>
  carts.addCustomerCartItem(db, customer, input);

export const updateCartItem = (
  db: Db,
  customer: ShoppingCustomer,
  itemId: number,
  quantity: number,
): Promise<CartView> => carts.updateCustomerCartItem(db, customer, itemId, quantity);

export const removeCartItem = (db: Db, customer: ShoppingCustomer, itemId: number): Promise<CartView> =>
  carts.removeCustomerCartItem(db, customer, itemId);

export const mergeGuestCart = (
  db: Db,
  customer: ShoppingCustomer,
  guestToken: string | undefined,
): Promise<CartView> => carts.mergeGuestCart(db, customer, guestToken);

/** Every saved address, default first, for the checkout's address picker. */
export function checkoutAddresses(db: Db, customer: ShoppingCustomer): Promise<CustomerAddressObject[]> {
  return allAddresses(db, { businessId: customer.businessId, customer: { id: customer.customerId } });
}

/**
 * The store's enabled buyer payment methods (as the storefront lists them), the virtual-account
 * banks it offers, and the accounts bank-transfer buyers pay into.
 */
export async function checkoutPaymentMethods(
  db: Db,
  customer: ShoppingCustomer,
): Promise<CheckoutPaymentMethodsObject> {
  const methods = await listPaymentMethods(db, customer);
  const va = methods.find((method) => method.payment_method === 'va');
  const accounts = methods.some((method) => method.payment_method === 'bank_transfer')
    ? await listActivePaymentAccounts(db, customer.businessId)
    : [];
  return {
    payment_methods: methods,
    xendit_va_bank_codes: Object.fromEntries(
      (va?.sub_payment_methods ?? []).map((bank) => [bank.code, bank.name]),
    ),
    payment_accounts: accounts.map((account) => ({
      unique_id: account.unique_id,
      account_number: account.account_number,
      account_holder: account.account_holder,
      financial_entity: {
        id: account.financial_entity_id,
        code: account.financial_entity_code,
        name: account.financial_entity_name,
        entity_type: account.financial_entity_type,
      },
    })),
  };
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The buyer-safe order, with the dates and quantities the contract's customer order adds. */
export function toCustomerOrder(
  record: OrderRecord,
  context: { publicUrl: string; storeUniqueId: string },
): CustomerOrderObject {
  const { order } = record;
  return {
    ...toPublicOrder(record, context),
    pending_time: iso(order.pending_time),
    confirmed_time: iso(order.confirmed_time),
    in_process_time: iso(order.in_process_time),
    ready_time: iso(order.ready_time),
    shipped_time: iso(order.shipped_time),
    completed_time: iso(order.completed_time),
    rts_time: iso(order.rts_time),
    canceled_time: iso(order.canceled_time),
    closed_time: iso(order.closed_time),
    unpaid_time: iso(order.unpaid_time),
    created_at: order.created_at.toISOString(),
    last_updated_at: order.last_updated_at.toISOString(),
    total_quantity: order.total_quantity,
    product_weight: order.product_weight,
    shipment_status: order.shipment_status,
    notes: order.notes,
  };
}

const orderNotFound = () => errors.notFound('Order not found');

async function loadOrder(db: Db, customer: ShoppingCustomer, id: string): Promise<OrderRecord> {
  const record = await findOrderById(db, customer.businessId, id);
  if (
    !record ||
    record.order.store_id !== customer.storeId ||
    record.order.customer_id !== customer.customerId
  )
    throw orderNotFound();
  return record;
}

/** Only the customer's own orders in this store, newest first. */
export async function listOrders(
  db: Db,
  cursors: CursorCodec,
  customer: ShoppingCustomer,
  page: PageParams,
  publicUrl: string,
): Promise<PaginatedList<CustomerOrderObject>> {
  const ids = await paginate({
    codec: cursors,
    scope: cursorScope('customer-orders', { store: customer.storeId, customer: customer.customerId }),
    page,
    defaultPageSize: 25,
    fetch: (window) => q.customerOrderIds(db, customer, window),
    keyOf: (row) => [row.id],
    map: (row) => row.id,
  });
  // Orders are loaded once the page is cut (three queries for the whole page), so the extra row that
  // only tells `has_next` costs nothing. An order deleted between the reads is left out of the page.
  const records = await findOrdersByIds(db, customer.businessId, ids.data);
  const context = { publicUrl, storeUniqueId: customer.storeUniqueId };
  return { ...ids, data: records.map((record) => toCustomerOrder(record, context)) };
}

/** One of the customer's orders in this store by its UUID; anyone else's order is not found. */
export async function getOrder(
  db: Db,
  customer: ShoppingCustomer,
  id: string,
  publicUrl: string,
): Promise<CustomerOrderObject> {
  const record = await loadOrder(db, customer, id);
  return toCustomerOrder(record, { publicUrl, storeUniqueId: customer.storeUniqueId });
}
