import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import * as schemas from './bulk-schemas.ts';
import * as service from './bulk-service.ts';
import { business } from './route-parts.ts';

const perId =
  'Each id is done in its own transaction and reported on its own: ids that failed are in `errors` ' +
  'with the reason, the others are done regardless. Repeating the request is safe.';

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'changeOrderStatus',
    method: 'POST',
    path: '/v3/orders/change-status',
    auth: [...business],
    scope: 'order:change_status',
    description: `Moves each order through the order lifecycle (docs: "Order lifecycle"); a move it forbids is a 409 for that id. ${perId}`,
    schema: { body: schemas.ChangeOrderStatusBody, response: { 200: schemas.BulkOrderAnswer } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.changeOrderStatus(db, businessCaller(request), request.body, config.publicUrl);
    },
  }),
  defineRoute({
    operationId: 'deleteOrders',
    method: 'POST',
    path: '/v3/orders/delete',
    auth: [...business],
    scope: 'order:delete',
    description: `An order not yet shipped, canceled or returned gives back its stock and discount use first. ${perId}`,
    schema: { body: schemas.OrderIdsBody, response: { 200: schemas.DeletedOrdersAnswer } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.deleteOrders(db, businessCaller(request), request.body.ids, config.publicUrl);
    },
  }),
  defineRoute({
    operationId: 'markOrdersNotSpam',
    method: 'POST',
    path: '/v3/orders/mark-not-spam',
    auth: [...business],
    scope: 'order:update',
    description: perId,
    schema: { body: schemas.OrderIdsBody, response: { 200: schemas.BulkOrderAnswer } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.markOrdersNotSpam(db, businessCaller(request), request.body.ids, config.publicUrl);
    },
  }),
];
