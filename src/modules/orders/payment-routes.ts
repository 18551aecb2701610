import { Type } from '@sinclair/typebox';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { ErrorEnvelope } from '../../http/schemas.ts';
import { BusinessOrder } from './business-schemas.ts';
import * as service from './payment-service.ts';
import { business, OrderIdParams } from './route-parts.ts';

const PgReferenceParams = Type.Object({
  pg_reference_id: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'The payment gateway’s id for the order’s payment (`pg_reference_id`).',
  }),
});

const PgReferenceOrder = Type.Object({
  id: Type.String({ description: 'The order’s UUIDv7 id.' }),
  order_id: Type.String(),
});

const PgReferenceIdsQuery = Type.Object({
  pg_reference_ids: Type.String({
    minLength: 1,
    maxLength: 100 * 256,
    description: `Comma-separated payment gateway reference IDs, at most ${service.MAX_PG_REFERENCE_IDS}.`,
  }),
});

const gatewayErrors = { 404: ErrorEnvelope, 409: ErrorEnvelope, 503: ErrorEnvelope };

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'createOrderPayment',
    method: 'POST',
    path: '/v3/orders/{id}/payment',
    auth: [...business],
    scope: 'order:update',
    description:
      'Creates the gateway payment of an e-payment order (as the buyer’s payment route does) and answers ' +
      'the order with its instructions in `pg_payment_info`. Idempotent: while a payment is waiting (or paid) ' +
      'the same instructions come back. Bank transfer and COD orders come back unchanged. 409 for a canceled ' +
      'order or a closed payment window; 503 when the payment provider cannot be reached (try again).',
    schema: { params: OrderIdParams, response: { 200: BusinessOrder, ...gatewayErrors } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.createOrderPayment({ db, config }, businessCaller(request), request.params.id);
    },
  }),
  defineRoute({
    operationId: 'checkOrderPayment',
    method: 'POST',
    path: '/v3/orders/{id}/check-payment',
    auth: [...business],
    scope: 'order:read',
    description:
      'Asks the payment gateway about the order’s payment and applies its answer (paid, settled, failed, ' +
      'expired) as its callback would, then answers the order. Orders without a gateway payment come back ' +
      'unchanged. 503 when the gateway cannot be reached.',
    schema: { params: OrderIdParams, response: { 200: BusinessOrder, ...gatewayErrors } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.checkOrderPayment({ db, config }, businessCaller(request), request.params.id, 'payment');
    },
  }),
  defineRoute({
    operationId: 'checkOrderSettlement',
    method: 'POST',
    path: '/v3/orders/{id}/check-settlement',
    auth: [...business],
    scope: 'order:read',
    description:
      'Asks the payment gateway whether the order’s payment has settled (reached the merchant’s balance); ' +
      'when it has, the payment status becomes `settled`. Answers the order. 503 when the gateway cannot be reached.',
    schema: { params: OrderIdParams, response: { 200: BusinessOrder, ...gatewayErrors } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.checkOrderPayment(
        { db, config },
        businessCaller(request),
        request.params.id,
        'settlement',
      );
    },
  }),
  defineRoute({
    operationId: 'getOrderByPgReferenceId',
    method: 'GET',
    path: '/v3/orders/pg-reference-id/{pg_reference_id}',
    auth: [...business],
    scope: 'order:read',
    description: 'The order whose payment the gateway knows by this id: `{id, order_id}`.',
    schema: { params: PgReferenceParams, response: { 200: PgReferenceOrder, 404: ErrorEnvelope } },
    handler: async (request) => {
      const { db } = request.server.deps;
      return service.getOrderByPgReferenceId(db, businessCaller(request), request.params.pg_reference_id);
    },
  }),
  defineRoute({
    operationId: 'listOrdersByPgReferenceIds',
    method: 'GET',
    path: '/v3/orders/pg-reference-ids',
    auth: [...business],
    scope: 'order:list',
    description:
      'Maps each reference that names one of the business’s orders to `{id, order_id}`; unknown ' +
      `references are left out. At most ${service.MAX_PG_REFERENCE_IDS} references.`,
    schema: {
      querystring: PgReferenceIdsQuery,
      response: { 200: Type.Record(Type.String(), PgReferenceOrder) },
    },
    handler: async (request) => {
      const { db } = request.server.deps;
      return service.listOrdersByPgReferenceIds(db, businessCaller(request), request.query.pg_reference_ids);
    },
  }),
];
