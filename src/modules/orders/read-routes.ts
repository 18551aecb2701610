import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendSerialized } from '../../http/route.ts';
import * as schemas from './business-schemas.ts';
import * as service from './business-service.ts';
import { business, OrderIdParams } from './route-parts.ts';

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listOrders',
    method: 'GET',
    path: '/v3/orders',
    auth: [...business],
    scope: 'order:list',
    description:
      'Newest first (fixed). Every filter combines with the others. `columns` returns `id` and the named fields only.',
    schema: { querystring: schemas.ListOrdersQuery, response: { 200: schemas.BusinessOrderList } },
    handler: async (request, reply) => {
      const { db, orderViews, cursors, config } = request.server.deps;
      const page = await service.listOrders(
        db,
        orderViews,
        cursors,
        businessCaller(request),
        request.query,
        config.publicUrl,
      );
      return typeof page === 'string' ? sendSerialized(reply, page) : page;
    },
  }),
  defineRoute({
    operationId: 'getOrder',
    method: 'GET',
    path: '/v3/orders/{id}',
    auth: [...business],
    scope: 'order:read',
    schema: { params: OrderIdParams, response: { 200: schemas.BusinessOrder } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.getOrder(db, businessCaller(request), request.params.id, config.publicUrl);
    },
  }),
];
