import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { BusinessOrder } from './business-schemas.ts';
import { business, OrderIdParams } from './route-parts.ts';
import { UpdateOrderBody, updateOrder } from './update-order.ts';

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'updateOrder',
    method: 'PATCH',
    path: '/v3/orders/{id}',
    auth: [...business],
    scope: 'order:update',
    description:
      'Changes the fields sent. Amounts, items and the payment method change only while the order is unpaid and not invoiced by the gateway (409 otherwise), and the totals follow. `ordervariants` and `orderbundles` replace all the order’s items (a missing array counts as empty), priced and stocked as createOrder does, while the order is draft, pending or confirmed and has no discount code (409 otherwise). A new warehouse takes the order’s stock, before shipment only.',
    schema: { params: OrderIdParams, body: UpdateOrderBody, response: { 200: BusinessOrder } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return updateOrder(db, businessCaller(request), request.params.id, request.body, config.publicUrl);
    },
  }),
];
