import { Type } from '@sinclair/typebox';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

/**
 * The contract lists no scope for discount-code management; a code can make orders free, so
 * restricted keys and OAuth tokens need Nexus's `discount_code:*` scopes (docs/decisions.md).
 */
const business = ['apiKey', 'oauth'] as const;

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listDiscountCodes',
    method: 'GET',
    path: '/v3/discount-codes',
    auth: [...business],
    nexusScope: 'discount_code:list',
    schema: { querystring: schemas.ListDiscountCodesQuery, response: { 200: schemas.DiscountCodeList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listDiscountCodes(db, cursors, businessCaller(request), request.query);
    },
  }),
  defineRoute({
    operationId: 'createDiscountCode',
    method: 'POST',
    path: '/v3/discount-codes',
    auth: [...business],
    nexusScope: 'discount_code:create',
    schema: { body: schemas.CreateDiscountCodeRequest, response: { 200: schemas.DiscountCode } },
    handler: async (request) =>
      service.createDiscountCode(request.server.deps.db, businessCaller(request), request.body),
  }),
  defineRoute({
    operationId: 'getDiscountCode',
    method: 'GET',
    path: '/v3/discount-codes/{id}',
    auth: [...business],
    nexusScope: 'discount_code:read',
    schema: { params: schemas.DiscountCodeParams, response: { 200: schemas.DiscountCode } },
    handler: async (request) =>
      service.getDiscountCode(request.server.deps.db, businessCaller(request), request.params.id),
  }),
  defineRoute({
    operationId: 'updateDiscountCode',
    method: 'PATCH',
    path: '/v3/discount-codes/{id}',
    auth: [...business],
    nexusScope: 'discount_code:update',
    schema: {
      params: schemas.DiscountCodeParams,
      body: schemas.UpdateDiscountCodeRequest,
      response: { 200: schemas.DiscountCode },
    },
    handler: async (request) =>
      service.updateDiscountCode(
        request.server.deps.db,
        businessCaller(request),
        request.params.id,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'deleteDiscountCode',
    method: 'DELETE',
    path: '/v3/discount-codes/{id}',
    auth: [...business],
    nexusScope: 'discount_code:delete',
    schema: { params: schemas.DiscountCodeParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await service.deleteDiscountCode(request.server.deps.db, businessCaller(request), request.params.id);
      return sendNoContent(reply);
    },
  }),
];
