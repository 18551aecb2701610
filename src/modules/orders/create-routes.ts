import { Type } from '@sinclair/typebox';
import { businessCaller, businessPrincipal } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { createBusinessOrder } from './business-create.ts';
import { BusinessOrder } from './business-schemas.ts';
import * as schemas from './create-schemas.ts';
import { duplicateOrder } from './duplicate.ts';
import { createIdempotently } from './idempotent-create.ts';
import { business, OrderIdParams } from './route-parts.ts';

/** Orders a business creates: createOrder (uploadOrders and duplicateOrder beside it). */
export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'createOrder',
    method: 'POST',
    path: '/v3/orders',
    auth: [...business],
    scope: 'order:create',
    description:
      "Priced by checkout's engine (shipping quoted from `courier_service_id` unless `shipping_cost` is sent; " +
      "the store's other charge unless `other_income` is sent) and reserving stock like checkout: a sold-out " +
      'line is a 409 naming it. Starts `pending`, or `draft` when an order that ships lacks its address, ' +
      '`location_id` or (when the store requires one) its courier service. Answers 200 with the business ' +
      'view. `Idempotency-Key` (beyond the reference) replays the first answer.',
    schema: { body: schemas.CreateOrderBody, response: { 200: BusinessOrder } },
    handler: async (request, reply) => {
      const { db, config } = request.server.deps;
      const caller = businessCaller(request);
      return createIdempotently(
        request,
        reply,
        db,
        {
          // Per credential (the rate-limit bucket names it: one per key or OAuth installation).
          scope: `business:${businessPrincipal(request).rateKey}`,
          businessId: caller.businessId,
          status: 200,
        },
        (storeAnswer) => createBusinessOrder(db, caller, request.body, config.publicUrl, storeAnswer),
      );
    },
  }),
  defineRoute({
    operationId: 'duplicateOrder',
    method: 'POST',
    path: '/v3/orders/{id}/duplicate',
    auth: [...business],
    scope: 'order:create',
    description:
      'In one transaction: cancels the original through the order lifecycle (its stock and discount use come ' +
      'back; a status that cannot be cancelled, e.g. shipped, is a 409 and nothing is created), then creates ' +
      'a copy with the same lines, prices, buyer and shipping, reserving its stock anew. The copy is a draft ' +
      'when the original was, else `pending`, and unpaid; the body may change its payment method and ' +
      'metadata. Answers the copy. An already cancelled order is copied as it is.',
    schema: {
      params: OrderIdParams,
      body: Type.Optional(schemas.DuplicateOrderBody),
      response: { 200: BusinessOrder },
    },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return duplicateOrder(
        db,
        businessCaller(request),
        request.params.id,
        request.body ?? {},
        config.publicUrl,
      );
    },
  }),
];
