import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { storefrontPrincipal } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import {
  prepareMetaEvents,
  prepareSnackVideoEvents,
  prepareTiktokEvents,
  type RequestOrigin,
} from './events.ts';
import * as schemas from './schemas.ts';
import { queueConversionEvents } from './service.ts';

const storefrontKey = ['storefrontKey'] as const;
const ACCEPTED =
  'Accepted for asynchronous delivery: 204 once queued (or dropped when the store has no pixel of this platform).';

/** The buyer's address and browser, as the platforms use them to match events to ad clicks. */
function requestOrigin(request: FastifyRequest): RequestOrigin {
  const agent = request.headers['user-agent'];
  return {
    clientIp: request.ip || null,
    userAgent: typeof agent === 'string' && agent ? agent.slice(0, 1000) : null,
  };
}

function target(request: FastifyRequest) {
  const storefront = storefrontPrincipal(request);
  return { businessId: storefront.businessId, storeId: storefront.storeId };
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'sendStorefrontMetaConversionEvent',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/analytics/meta/events',
    auth: [...storefrontKey],
    description: ACCEPTED,
    schema: {
      params: schemas.ConversionParams,
      body: schemas.MetaConversionBody,
      response: { 204: Type.Null() },
    },
    handler: async (request, reply) => {
      const prepared = prepareMetaEvents(request.body, requestOrigin(request));
      await queueConversionEvents(request.server.deps.db, target(request), prepared);
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'sendStorefrontTiktokConversionEvent',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/analytics/tiktok/events',
    auth: [...storefrontKey],
    description: ACCEPTED,
    schema: {
      params: schemas.ConversionParams,
      body: schemas.TiktokConversionBody,
      response: { 204: Type.Null() },
    },
    handler: async (request, reply) => {
      const prepared = prepareTiktokEvents(request.body, requestOrigin(request));
      await queueConversionEvents(request.server.deps.db, target(request), prepared);
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'sendStorefrontSnackVideoConversionEvent',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/analytics/snackvideo/events',
    auth: [...storefrontKey],
    description: ACCEPTED,
    schema: {
      params: schemas.ConversionParams,
      body: schemas.SnackVideoConversionBody,
      response: { 204: Type.Null() },
    },
    handler: async (request, reply) => {
      const prepared = prepareSnackVideoEvents(request.body, requestOrigin(request));
      await queueConversionEvents(request.server.deps.db, target(request), prepared);
      return sendNoContent(reply);
    },
  }),
];
