import type { FastifyReply, FastifyRequest } from 'fastify';
import { storefrontPrincipal } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const auth = ['storefrontKey', 'guestToken'] as const;

/** The store the key opened and the guest token the buyer sent, if any. */
function cartCaller(request: FastifyRequest): { store: service.CartStore; guestToken: string | undefined } {
  const storefront = storefrontPrincipal(request);
  return {
    store: { storeId: storefront.storeId, businessId: storefront.businessId },
    guestToken: request.auth.guestToken,
  };
}

/** Every cart answer names the token that opens its cart, so a client can always keep what it last got. */
function answer(reply: FastifyReply, result: service.CartAnswer): service.CartView {
  reply.header('x-scalev-guest-token', result.guestToken);
  return result.cart;
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getGuestCart',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/cart',
    auth: [...auth],
    description: 'Without a usable X-Scalev-Guest-Token a new empty cart is created and its token returned.',
    schema: { params: schemas.CartParams, response: { 200: schemas.Cart } },
    handler: async (request, reply) => {
      const { store, guestToken } = cartCaller(request);
      return answer(reply, await service.getCart(request.server.deps.db, store, guestToken));
    },
  }),
  defineRoute({
    operationId: 'addGuestCartItem',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/cart/items',
    auth: [...auth],
    description: 'Adding an item already in the cart raises the quantity of its line.',
    schema: { params: schemas.CartParams, body: schemas.CartItemRequest, response: { 201: schemas.Cart } },
    handler: async (request, reply) => {
      const { store, guestToken } = cartCaller(request);
      const result = await service.addItem(request.server.deps.db, store, guestToken, request.body);
      reply.code(201);
      return answer(reply, result);
    },
  }),
  defineRoute({
    operationId: 'updateGuestCartItem',
    method: 'PATCH',
    path: '/v3/stores/{store_id}/public/cart/items/{item_id}',
    auth: [...auth],
    schema: {
      params: schemas.CartItemParams,
      body: schemas.CartItemUpdateRequest,
      response: { 200: schemas.Cart },
    },
    handler: async (request, reply) => {
      const { store, guestToken } = cartCaller(request);
      const result = await service.updateItem(
        request.server.deps.db,
        store,
        guestToken,
        request.params.item_id,
        request.body.quantity,
      );
      return answer(reply, result);
    },
  }),
  defineRoute({
    operationId: 'removeGuestCartItem',
    method: 'DELETE',
    path: '/v3/stores/{store_id}/public/cart/items/{item_id}',
    auth: [...auth],
    schema: { params: schemas.CartItemParams, response: { 200: schemas.Cart } },
    handler: async (request, reply) => {
      const { store, guestToken } = cartCaller(request);
      const result = await service.removeItem(
        request.server.deps.db,
        store,
        guestToken,
        request.params.item_id,
      );
      return answer(reply, result);
    },
  }),
];
