import type { FastifyRequest } from 'fastify';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { Cart, CartItemParams, CartItemRequest, CartItemUpdateRequest } from '../carts/schemas.ts';
import { CheckoutSummary, ShippingOptionList } from '../checkout/schemas.ts';
import { createIdempotently } from '../orders/idempotent-create.ts';
import { PublicOrderSchema } from '../orders/schemas.ts';
import { checkoutSummary, createCustomerCheckout, shippingOptions } from './checkout.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const customerAuth = ['customer'] as const;

/** The signed-in customer behind the token (the auth hook has bound it to the path's store). */
function signedIn(request: FastifyRequest): Promise<service.ShoppingCustomer> {
  const principal = request.auth.customer;
  if (!principal) throw new Error(`Route ${request.routeOptions.url} read a customer it does not declare`);
  return service.signedInCustomer(request.server.deps.db, principal);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getCustomerCart',
    method: 'GET',
    path: '/v3/stores/{store_id}/customers/me/cart',
    auth: [...customerAuth],
    description:
      'The customer’s one cart in this store (created empty on first use; it does not expire). Its `id` is the `cart_id` checkout takes.',
    schema: { params: schemas.StoreParams, response: { 200: Cart } },
    handler: async (request) => service.getCart(request.server.deps.db, await signedIn(request)),
  }),
  defineRoute({
    operationId: 'addCustomerCartItem',
    method: 'POST',
    path: '/v3/stores/{store_id}/customers/me/cart/items',
    auth: [...customerAuth],
    description:
      'Answers 201 with the cart. Adding an item already in the cart raises the quantity of its line.',
    schema: { params: schemas.StoreParams, body: CartItemRequest, response: { 201: Cart } },
    handler: async (request, reply) => {
      const cart = await service.addCartItem(request.server.deps.db, await signedIn(request), request.body);
      reply.code(201);
      return cart;
    },
  }),
  defineRoute({
    operationId: 'updateCustomerCartItem',
    method: 'PATCH',
    path: '/v3/stores/{store_id}/customers/me/cart/items/{item_id}',
    auth: [...customerAuth],
    schema: { params: CartItemParams, body: CartItemUpdateRequest, response: { 200: Cart } },
    handler: async (request) =>
      service.updateCartItem(
        request.server.deps.db,
        await signedIn(request),
        request.params.item_id,
        request.body.quantity,
      ),
  }),
  defineRoute({
    operationId: 'removeCustomerCartItem',
    method: 'DELETE',
    path: '/v3/stores/{store_id}/customers/me/cart/items/{item_id}',
    auth: [...customerAuth],
    schema: { params: CartItemParams, response: { 200: Cart } },
    handler: async (request) =>
      service.removeCartItem(request.server.deps.db, await signedIn(request), request.params.item_id),
  }),
  defineRoute({
    operationId: 'mergeGuestCart',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/cart/merge',
    auth: ['customer', 'storefrontKey', 'guestToken'],
    description:
      'Adds the guest cart’s lines to the customer’s cart (quantities of an item in both add up, capped at a line’s maximum; new items while the cart has room for them) and deletes the guest cart. Without a guest token, or with one whose cart is gone, the customer’s cart is answered unchanged.',
    schema: { params: schemas.StoreParams, response: { 200: Cart } },
    handler: async (request) =>
      service.mergeGuestCart(request.server.deps.db, await signedIn(request), request.auth.guestToken),
  }),
  defineRoute({
    operationId: 'listCheckoutAddresses',
    method: 'GET',
    path: '/v3/stores/{store_id}/customers/me/checkout/addresses',
    auth: [...customerAuth],
    description: 'Every saved address, the default first; send one’s `id` as `address_id` at checkout.',
    schema: { params: schemas.StoreParams, response: { 200: schemas.CheckoutAddressList } },
    handler: async (request) => ({
      data: await service.checkoutAddresses(request.server.deps.db, await signedIn(request)),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'listCheckoutPaymentMethods',
    method: 'GET',
    path: '/v3/stores/{store_id}/customers/me/checkout/payment-methods',
    auth: [...customerAuth],
    schema: { params: schemas.StoreParams, response: { 200: schemas.CheckoutPaymentMethods } },
    handler: async (request) =>
      service.checkoutPaymentMethods(request.server.deps.db, await signedIn(request)),
  }),
  defineRoute({
    operationId: 'listCheckoutShippingOptions',
    method: 'POST',
    path: '/v3/stores/{store_id}/customers/me/checkout/shipping-options',
    auth: [...customerAuth],
    description:
      'Cheapest first. `items` win over the cart; digital-only orders get an empty list. `address_id` (extension) takes the destination from a saved address.',
    schema: {
      params: schemas.StoreParams,
      body: schemas.CustomerShippingOptionsRequest,
      response: { 200: ShippingOptionList },
    },
    handler: async (request) => ({
      data: await shippingOptions(request.server.deps.db, await signedIn(request), request.body),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'getCheckoutSummary',
    method: 'POST',
    path: '/v3/stores/{store_id}/customers/me/checkout/summary',
    auth: [...customerAuth],
    description:
      'The totals checkout would charge: shipping recomputed (client `shipping_cost` ignored), other charge and e-payment `service_fee` included in `gross_revenue`. Accepts `discount_code_code` and `address_id` as checkout does.',
    schema: {
      params: schemas.StoreParams,
      body: schemas.CustomerSummaryRequest,
      response: { 200: CheckoutSummary },
    },
    handler: async (request) =>
      checkoutSummary(request.server.deps.db, await signedIn(request), request.body),
  }),
  defineRoute({
    operationId: 'createCustomerCheckout',
    method: 'POST',
    path: '/v3/stores/{store_id}/customers/me/checkout',
    auth: [...customerAuth],
    description:
      'Answers 201 with the public order, which belongs to the customer. Items: `items` when sent (the cart `cart_id` names, if sent, is emptied once the order exists), else the cart `cart_id` names, else the customer’s cart (emptied too). Name and e-mail default to the customer’s; `address_id` fills the destination from a saved address. An `Idempotency-Key` header makes a retry return the first answer (with `Idempotent-Replayed: true`). The store’s anti-spam settings apply as on the storefront checkout (403 `order_blocked`, or `is_probably_spam: true`).',
    schema: {
      params: schemas.StoreParams,
      body: schemas.CustomerCheckoutRequest,
      response: { 201: PublicOrderSchema },
    },
    handler: async (request, reply) => {
      const { db, config } = request.server.deps;
      const customer = await signedIn(request);
      const context = {
        publicUrl: config.publicUrl,
        clientIp: request.ip ?? null,
        userAgent: header(request, 'user-agent')?.slice(0, 512) ?? null,
      };
      return createIdempotently(
        request,
        reply,
        db,
        { scope: `customer:${customer.customerId}:${customer.storeId}`, businessId: customer.businessId },
        (storeAnswer) => createCustomerCheckout(db, customer, request.body, context, storeAnswer),
      );
    },
  }),
  defineRoute({
    operationId: 'listCustomerOrders',
    method: 'GET',
    path: '/v3/stores/{store_id}/customers/me/orders',
    auth: [...customerAuth],
    description: 'Only the customer’s own orders in this store, newest first.',
    schema: {
      params: schemas.StoreParams,
      querystring: schemas.CustomerOrderListQuery,
      response: { 200: schemas.CustomerOrderList },
    },
    handler: async (request) => {
      const { db, cursors, config } = request.server.deps;
      return service.listOrders(db, cursors, await signedIn(request), request.query, config.publicUrl);
    },
  }),
  defineRoute({
    operationId: 'getCustomerOrder',
    method: 'GET',
    path: '/v3/stores/{store_id}/customers/me/orders/{id}',
    auth: [...customerAuth],
    description: 'By the order’s UUID. Another customer’s order, or one of another store, is not found.',
    schema: { params: schemas.CustomerOrderParams, response: { 200: schemas.CustomerOrder } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.getOrder(db, await signedIn(request), request.params.id, config.publicUrl);
    },
  }),
];
