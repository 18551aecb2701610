import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import { storageFor } from '../../providers/storage/index.ts';
import * as options from './price-options.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

/** The reference lists bearer and API-key auth for bundles (no OAuth). */
const auth = ['apiKey'] as const;

const deps = (request: FastifyRequest): service.BundleDeps => ({
  db: request.server.deps.db,
  storage: storageFor(request.server.deps),
});

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listBundles',
    method: 'GET',
    path: '/v3/bundles',
    auth: [...auth],
    scope: 'bundle:list',
    schema: { querystring: schemas.ListBundlesQuery, response: { 200: schemas.BundleListResponse } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listBundles(db, cursors, businessCaller(request), request.query);
    },
  }),
  defineRoute({
    operationId: 'createBundle',
    method: 'POST',
    path: '/v3/bundles',
    auth: [...auth],
    scope: 'bundle:create',
    schema: { body: schemas.BundleCreateRequest, response: { 200: schemas.Bundle } },
    handler: async (request) => service.createBundle(deps(request), businessCaller(request), request.body),
  }),
  defineRoute({
    operationId: 'listBundlesSimplified',
    method: 'GET',
    path: '/v3/bundles/simplified',
    auth: [...auth],
    scope: 'bundle:list',
    schema: {
      querystring: schemas.ListBundlesSimplifiedQuery,
      response: { 200: schemas.BundleListSimplifiedResponse },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listBundlesSimplified(db, cursors, businessCaller(request), request.query);
    },
  }),
  defineRoute({
    operationId: 'countBundles',
    method: 'GET',
    path: '/v3/bundles/count',
    auth: [...auth],
    scope: 'bundle:list',
    schema: { querystring: schemas.CountBundlesQuery, response: { 200: schemas.BundleCount } },
    handler: async (request) =>
      service.countBundles(request.server.deps.db, businessCaller(request), request.query),
  }),
  defineRoute({
    operationId: 'getBundle',
    method: 'GET',
    path: '/v3/bundles/{id}',
    auth: [...auth],
    scope: 'bundle:read',
    schema: { params: schemas.BundleParams, response: { 200: schemas.Bundle } },
    handler: async (request) => service.getBundle(deps(request), businessCaller(request), request.params.id),
  }),
  defineRoute({
    operationId: 'updateBundle',
    method: 'PATCH',
    path: '/v3/bundles/{id}',
    auth: [...auth],
    scope: 'bundle:update',
    schema: {
      params: schemas.BundleParams,
      body: Type.Optional(schemas.BundleUpdateRequest),
      response: { 200: schemas.Bundle },
    },
    handler: async (request) =>
      service.updateBundle(deps(request), businessCaller(request), request.params.id, request.body ?? {}),
  }),
  defineRoute({
    operationId: 'deleteBundle',
    method: 'DELETE',
    path: '/v3/bundles/{id}',
    auth: [...auth],
    scope: 'bundle:delete',
    schema: { params: schemas.BundleParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await service.deleteBundle(request.server.deps.db, businessCaller(request), request.params.id);
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'getBundleRelations',
    method: 'GET',
    path: '/v3/bundles/{bundle_id}/relations',
    auth: [...auth],
    scope: 'bundle:read',
    schema: { params: schemas.BundleIdParams, response: { 200: schemas.BundleRelation } },
    handler: async (request) =>
      service.bundleRelations(request.server.deps.db, businessCaller(request), request.params.bundle_id),
  }),
  defineRoute({
    operationId: 'listBundlePriceOptions',
    method: 'GET',
    path: '/v3/bundles/{bundle_id}/bundle-price-options',
    auth: [...auth],
    scope: 'bundle:list',
    schema: {
      params: schemas.BundleIdParams,
      querystring: schemas.ListPriceOptionsQuery,
      response: { 200: schemas.BundlePriceOptionList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return options.listPriceOptions(
        db,
        cursors,
        businessCaller(request),
        request.params.bundle_id,
        request.query,
      );
    },
  }),
  defineRoute({
    operationId: 'createBundlePriceOption',
    method: 'POST',
    path: '/v3/bundles/{bundle_id}/bundle-price-options',
    auth: [...auth],
    scope: 'bundle:create',
    schema: {
      params: schemas.BundleIdParams,
      body: schemas.BundlePriceOptionRequest,
      response: { 200: schemas.BundlePriceOption },
    },
    handler: async (request) =>
      options.createPriceOption(
        request.server.deps.db,
        businessCaller(request),
        request.params.bundle_id,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'updateBundlePriceOption',
    method: 'PATCH',
    path: '/v3/bundles/{bundle_id}/bundle-price-options/{id}',
    auth: [...auth],
    scope: 'bundle:update',
    schema: {
      params: schemas.PriceOptionParams,
      body: schemas.BundlePriceOptionRequest,
      response: { 200: schemas.BundlePriceOption },
    },
    handler: async (request) =>
      options.updatePriceOption(
        request.server.deps.db,
        businessCaller(request),
        request.params.bundle_id,
        request.params.id,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'deleteBundlePriceOption',
    method: 'DELETE',
    path: '/v3/bundles/{bundle_id}/bundle-price-options/{id}',
    auth: [...auth],
    scope: 'bundle:delete',
    schema: { params: schemas.PriceOptionParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await options.deletePriceOption(
        request.server.deps.db,
        businessCaller(request),
        request.params.bundle_id,
        request.params.id,
      );
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'getBundlePriceOptionRelations',
    method: 'GET',
    path: '/v3/bundles/{bundle_id}/bundle-price-options/{id}/relations',
    auth: [...auth],
    scope: 'bundle:read',
    schema: {
      params: schemas.PriceOptionParams,
      response: { 200: schemas.BundlePriceOptionExtendedRelation },
    },
    handler: async (request) =>
      options.priceOptionRelations(
        request.server.deps.db,
        businessCaller(request),
        request.params.bundle_id,
        request.params.id,
      ),
  }),
];
