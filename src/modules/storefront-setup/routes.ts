import { Type } from '@sinclair/typebox';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const business = ['apiKey', 'oauth'] as const;

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listStorefrontPublicApiKeys',
    method: 'GET',
    path: '/v3/stores/{store_id}/public-api-keys',
    auth: [...business],
    scope: 'store:read',
    schema: { params: schemas.StoreParams, response: { 200: schemas.StorefrontPublicApiKeyList } },
    handler: async (request) => ({
      data: await service.listStorefrontKeys(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
      ),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'createStorefrontPublicApiKey',
    method: 'POST',
    path: '/v3/stores/{store_id}/public-api-keys',
    auth: [...business],
    scope: 'store:update',
    schema: { params: schemas.StoreParams, response: { 200: schemas.StorefrontPublicApiKey } },
    handler: async (request) =>
      service.createStorefrontKey(request.server.deps.db, businessCaller(request), request.params.store_id),
  }),
  defineRoute({
    operationId: 'revokeStorefrontPublicApiKey',
    method: 'DELETE',
    path: '/v3/stores/{store_id}/public-api-keys/{id}',
    auth: [...business],
    scope: 'store:update',
    schema: { params: schemas.StoreItemParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      const { db, credentials } = request.server.deps;
      await service.revokeStorefrontKey(
        db,
        credentials,
        businessCaller(request),
        request.params.store_id,
        request.params.id,
      );
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'listStorefrontAllowedOrigins',
    method: 'GET',
    path: '/v3/stores/{store_id}/storefront/allowed-origins',
    auth: [...business],
    scope: 'store:read',
    schema: { params: schemas.StoreParams, response: { 200: schemas.StorefrontAllowedOriginList } },
    handler: async (request) => ({
      data: await service.listAllowedOrigins(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
      ),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'createStorefrontAllowedOrigin',
    method: 'POST',
    path: '/v3/stores/{store_id}/storefront/allowed-origins',
    auth: [...business],
    scope: 'store:update',
    schema: {
      params: schemas.StoreParams,
      body: schemas.StorefrontAllowedOriginRequest,
      response: { 200: schemas.StorefrontAllowedOrigin },
    },
    handler: async (request) => {
      const { db, credentials } = request.server.deps;
      return service.createAllowedOrigin(
        db,
        credentials,
        businessCaller(request),
        request.params.store_id,
        request.body.origin,
      );
    },
  }),
  defineRoute({
    operationId: 'revokeStorefrontAllowedOrigin',
    method: 'DELETE',
    path: '/v3/stores/{store_id}/storefront/allowed-origins/{id}',
    auth: [...business],
    scope: 'store:update',
    schema: { params: schemas.StoreItemParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      const { db, credentials } = request.server.deps;
      await service.revokeAllowedOrigin(
        db,
        credentials,
        businessCaller(request),
        request.params.store_id,
        request.params.id,
      );
      return sendNoContent(reply);
    },
  }),
];
