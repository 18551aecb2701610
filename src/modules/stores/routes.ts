import { Type } from '@sinclair/typebox';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import { storageFor } from '../../providers/storage/index.ts';
import * as catalogSchemas from './catalog-schemas.ts';
import * as catalog from './catalog-service.ts';
import { routes as knowledgeRoutes } from './knowledge-routes.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';
import * as setupSchemas from './setup-schemas.ts';
import * as setup from './setup-service.ts';

const business = ['apiKey', 'oauth'] as const;
/** listBusinessStoreChannels is the one store route the contract does not open to OAuth apps. */
const apiKeyOnly = ['apiKey'] as const;
const StoreParams = schemas.StoreParams;
const PageQuery = schemas.SimplePageQuery;

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listBusinessStores',
    method: 'GET',
    path: '/v3/stores',
    auth: [...business],
    scope: 'store:list',
    schema: { querystring: schemas.ListStoresQuery, response: { 200: schemas.StoreList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listStores(db, cursors, businessCaller(request), request.query);
    },
  }),
  defineRoute({
    operationId: 'createBusinessStore',
    method: 'POST',
    path: '/v3/stores',
    auth: [...business],
    scope: 'store:create',
    schema: { body: schemas.CreateStoreRequest, response: { 200: schemas.Store } },
    handler: async (request) =>
      service.createStore(request.server.deps.db, businessCaller(request), request.body),
  }),
  defineRoute({
    operationId: 'listBusinessStoresSimplified',
    method: 'GET',
    path: '/v3/stores/simplified',
    auth: [...business],
    scope: 'store:list',
    schema: { querystring: PageQuery, response: { 200: schemas.SimplifiedStoreList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listSimplifiedStores(db, cursors, businessCaller(request), request.query);
    },
  }),
  defineRoute({
    operationId: 'getBusinessStore',
    method: 'GET',
    path: '/v3/stores/{id}',
    auth: [...business],
    scope: 'store:read',
    schema: { params: schemas.StoreIdParams, response: { 200: schemas.Store } },
    handler: async (request) =>
      service.getStore(request.server.deps.db, businessCaller(request), request.params.id),
  }),
  defineRoute({
    operationId: 'updateBusinessStore',
    method: 'PATCH',
    path: '/v3/stores/{id}',
    auth: [...business],
    scope: 'store:update',
    schema: {
      params: schemas.StoreIdParams,
      body: schemas.UpdateStoreRequest,
      response: { 200: schemas.Store },
    },
    handler: async (request) =>
      service.updateStore(request.server.deps.db, businessCaller(request), request.params.id, request.body),
  }),
  defineRoute({
    operationId: 'deleteBusinessStore',
    method: 'DELETE',
    path: '/v3/stores/{id}',
    auth: [...business],
    scope: 'store:delete',
    schema: { params: schemas.StoreIdParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await service.deleteStore(request.server.deps.db, businessCaller(request), request.params.id);
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'listBusinessStoreProducts',
    method: 'GET',
    path: '/v3/stores/{store_id}/products',
    auth: [...business],
    scope: 'product:list',
    schema: {
      params: StoreParams,
      querystring: PageQuery,
      response: { 200: catalogSchemas.StoreProductList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return catalog.listStoreProducts(
        db,
        cursors,
        businessCaller(request),
        request.params.store_id,
        request.query,
      );
    },
  }),
  defineRoute({
    operationId: 'listBusinessStoreBundles',
    method: 'GET',
    path: '/v3/stores/{store_id}/bundles',
    auth: [...business],
    scope: 'bundle:list',
    schema: {
      params: StoreParams,
      querystring: PageQuery,
      response: { 200: catalogSchemas.StoreBundleList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return catalog.listStoreBundles(
        db,
        cursors,
        businessCaller(request),
        request.params.store_id,
        request.query,
      );
    },
  }),
  defineRoute({
    operationId: 'getBusinessStoreBundle',
    method: 'GET',
    path: '/v3/stores/{store_id}/bundles/{bundle_id}',
    auth: [...business],
    scope: 'bundle:read',
    schema: { params: catalogSchemas.StoreBundleParams, response: { 200: catalogSchemas.StoreBundle } },
    handler: async (request) =>
      catalog.getStoreBundle(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
        request.params.bundle_id,
      ),
  }),
  defineRoute({
    operationId: 'attachBusinessStoreBundlePriceOptions',
    method: 'POST',
    path: '/v3/stores/{store_id}/bundle-price-options',
    auth: [...business],
    scope: 'store:update',
    schema: {
      params: StoreParams,
      body: catalogSchemas.AttachPriceOptionsRequest,
      response: { 204: Type.Null() },
    },
    handler: async (request, reply) => {
      await catalog.attachPriceOptions(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
        request.body.bpo_ids,
      );
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'getBusinessStoreBundlePriceOption',
    method: 'GET',
    path: '/v3/stores/{store_id}/bundle-price-options/{id}',
    auth: [...business],
    scope: 'bundle:read',
    schema: {
      params: catalogSchemas.StorePriceOptionParams,
      response: { 200: catalogSchemas.StoreBundlePriceOption },
    },
    handler: async (request) =>
      catalog.getStorePriceOption(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
        request.params.id,
      ),
  }),
  defineRoute({
    operationId: 'detachBusinessStoreBundlePriceOption',
    method: 'DELETE',
    path: '/v3/stores/{store_id}/bundle-price-options/{id}',
    auth: [...business],
    scope: 'store:update',
    schema: { params: catalogSchemas.StorePriceOptionParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await catalog.detachPriceOption(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
        request.params.id,
      );
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'getBusinessStoreBundlePriceOptionRelations',
    method: 'GET',
    path: '/v3/stores/{store_id}/bundle-price-options/{id}/relations',
    auth: [...business],
    scope: 'bundle:read',
    schema: {
      params: catalogSchemas.StorePriceOptionParams,
      response: { 200: catalogSchemas.StoreBundlePriceOptionRelations },
    },
    handler: async (request) =>
      catalog.getPriceOptionRelations(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
        request.params.id,
      ),
  }),
  defineRoute({
    operationId: 'getBusinessStoreVariant',
    method: 'GET',
    path: '/v3/stores/{store_id}/variants/{variant_id}',
    auth: [...business],
    scope: 'product:read',
    schema: { params: catalogSchemas.StoreVariantParams, response: { 200: catalogSchemas.StoreVariant } },
    handler: async (request) =>
      catalog.getStoreVariant(
        request.server.deps.db,
        storageFor(request.server.deps),
        businessCaller(request),
        request.params.store_id,
        request.params.variant_id,
      ),
  }),
  ...knowledgeRoutes,
  defineRoute({
    operationId: 'listBusinessStorePaymentMethods',
    method: 'GET',
    path: '/v3/stores/{store_id}/payment-methods',
    auth: [...business],
    scope: 'store:read',
    schema: { params: StoreParams, response: { 200: setupSchemas.StorePaymentMethodList } },
    handler: async (request) => ({
      data: await setup.listPaymentMethods(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
      ),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'listBusinessStorePaymentAccounts',
    method: 'GET',
    path: '/v3/stores/{store_id}/payment-accounts',
    auth: [...business],
    scope: 'payment_account:list',
    schema: {
      params: StoreParams,
      querystring: PageQuery,
      response: { 200: setupSchemas.PaymentAccountList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return setup.listPaymentAccounts(
        db,
        cursors,
        businessCaller(request),
        request.params.store_id,
        request.query,
      );
    },
  }),
  defineRoute({
    operationId: 'listBusinessStoreSalesPeople',
    method: 'GET',
    path: '/v3/stores/{store_id}/sales-people',
    auth: [...business],
    scope: 'store:read',
    schema: { params: StoreParams, querystring: PageQuery, response: { 200: setupSchemas.SalesPersonList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return setup.listSalesPeople(
        db,
        cursors,
        businessCaller(request),
        request.params.store_id,
        request.query,
      );
    },
  }),
  defineRoute({
    operationId: 'listBusinessStorePages',
    method: 'GET',
    path: '/v3/stores/{store_id}/pages',
    auth: [...business],
    scope: 'page:list',
    schema: { params: StoreParams, querystring: PageQuery, response: { 200: setupSchemas.StorePageList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return setup.listPages(db, cursors, businessCaller(request), request.params.store_id, request.query);
    },
  }),
  defineRoute({
    operationId: 'listBusinessStoreChannels',
    method: 'GET',
    path: '/v3/stores/{store_id}/channels',
    auth: [...apiKeyOnly],
    scope: 'store:list',
    schema: { params: StoreParams, querystring: PageQuery, response: { 200: setupSchemas.ChannelList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return setup.listChannels(db, cursors, businessCaller(request), request.params.store_id, request.query);
    },
  }),
];
