import type { FastifyRequest } from 'fastify';
import { storefrontPrincipal } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendSerialized } from '../../http/route.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const storefrontKey = ['storefrontKey'] as const;

/** The store behind the publishable key (the auth hook has already matched it to the path). */
function storeOf(request: FastifyRequest): service.StorefrontStore {
  const principal = storefrontPrincipal(request);
  return { storeId: principal.storeId, businessId: principal.businessId };
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listStorefrontItems',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/items',
    aliases: ['/v3/stores/{store_id}/public/products'],
    auth: [...storefrontKey],
    description:
      'Newest listed first. Filters: `search` (every word in a name), `entity_type`, `label`, `taxonomy_id` (products only).',
    schema: {
      params: schemas.StorefrontParams,
      querystring: schemas.ItemListQuery,
      response: { 200: schemas.StorefrontItemPage },
    },
    handler: async (request, reply) => {
      const { db, cursors } = request.server.deps;
      const { page_size, next_cursor, previous_cursor, ...filters } = request.query;
      const json = await service.listItems(db, cursors, storeOf(request), filters, {
        page_size,
        next_cursor,
        previous_cursor,
      });
      return sendSerialized(reply, json);
    },
  }),
  defineRoute({
    operationId: 'countStorefrontItems',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/items/count',
    aliases: ['/v3/stores/{store_id}/public/products/count'],
    auth: [...storefrontKey],
    description: 'Takes the filters of the items list.',
    schema: {
      params: schemas.StorefrontParams,
      querystring: schemas.ItemCountQuery,
      response: { 200: schemas.ItemCount },
    },
    handler: async (request) => service.countItems(request.server.deps.db, storeOf(request), request.query),
  }),
  defineRoute({
    operationId: 'getStorefrontProduct',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/products/{slug}',
    auth: [...storefrontKey],
    schema: { params: schemas.SlugParams, response: { 200: schemas.StorefrontProduct } },
    handler: async (request, reply) =>
      sendSerialized(
        reply,
        await service.getProduct(request.server.deps.db, storeOf(request), request.params.slug),
      ),
  }),
  defineRoute({
    operationId: 'getStorefrontBundlePriceOption',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/bundle-price-options/{slug}',
    auth: [...storefrontKey],
    schema: { params: schemas.SlugParams, response: { 200: schemas.StorefrontBundlePriceOption } },
    handler: async (request, reply) =>
      sendSerialized(
        reply,
        await service.getPriceOption(request.server.deps.db, storeOf(request), request.params.slug),
      ),
  }),
  defineRoute({
    operationId: 'listStorefrontCategories',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/categories',
    auth: [...storefrontKey],
    description: 'Product taxonomy categories of the visible products, by full path.',
    schema: { params: schemas.StorefrontParams, response: { 200: schemas.StorefrontCategoryList } },
    handler: async (request) => ({
      data: await service.listCategories(request.server.deps.db, storeOf(request)),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'listStorefrontPaymentMethods',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/payment-methods',
    auth: [...storefrontKey],
    schema: { params: schemas.StorefrontParams, response: { 200: schemas.StorefrontPaymentMethodList } },
    handler: async (request) => ({
      data: await service.listPaymentMethods(request.server.deps.db, storeOf(request)),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'getStorefrontVariantPricing',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/variants/pricing',
    auth: [...storefrontKey],
    description: 'Variants the store does not sell are left out; the rest come in request order.',
    schema: {
      params: schemas.StorefrontParams,
      querystring: schemas.VariantPricingQuery,
      response: { 200: schemas.StorefrontVariantPriceList },
    },
    handler: async (request) => ({
      data: await service.variantPricing(request.server.deps.db, storeOf(request), request.query.ids),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'getStorefrontVariantAvailability',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/variants/{variant_id}/availability',
    auth: [...storefrontKey],
    schema: { params: schemas.VariantParams, response: { 200: schemas.VariantAvailability } },
    handler: async (request) =>
      service.variantAvailability(request.server.deps.db, storeOf(request), request.params.variant_id),
  }),
];
