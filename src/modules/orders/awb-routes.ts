import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { bookingProviderFor } from '../../providers/shipping/index.ts';
import { cancelOrderAwbs, generateOrderAwbs } from './awb.ts';
import { business } from './route-parts.ts';
import { AwbBody, AwbResults } from './shipment-schemas.ts';

type AwbRequest = Parameters<Parameters<typeof defineRoute>[0]['handler']>[0];

function awbDeps(request: AwbRequest) {
  const { db, config } = request.server.deps;
  return {
    db,
    booking: bookingProviderFor(request.server.deps),
    publicUrl: config.publicUrl,
    onError: (orderId: string, error: unknown) =>
      request.log.error({ err: error, order: orderId }, 'airway bill operation failed for one order'),
  };
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'generateOrderAwb',
    method: 'POST',
    path: '/v3/orders/generate-awb',
    auth: [...business],
    scope: 'order:create_awb',
    description:
      'Books a courier for each order (confirmed, in_process or ready, with a courier service and a ' +
      'warehouse) and answers per order: `successes` the airway bill number, or a message while the ' +
      'courier has not issued it; `failures` why. One order never stops the others. Safe to repeat: an ' +
      'order with an airway bill answers it and is not booked again; one whose booking may have gone ' +
      'through is held until checked. Orders not started within 20 s are reported as not attempted.',
    schema: { body: AwbBody, response: { 200: AwbResults } },
    handler: async (request) =>
      generateOrderAwbs(awbDeps(request), businessCaller(request), request.body.ids.map(String)),
  }),
  defineRoute({
    operationId: 'cancelOrderAwb',
    method: 'POST',
    path: '/v3/orders/cancel-awb',
    auth: [...business],
    scope: 'order:create_awb',
    description:
      'Cancels each order’s courier booking before pickup; its receipt is cleared and `awb_status` becomes ' +
      '`canceled`, so the order can be booked again. Answers per order; an order already canceled succeeds.',
    schema: { body: AwbBody, response: { 200: AwbResults } },
    handler: async (request) =>
      cancelOrderAwbs(awbDeps(request), businessCaller(request), request.body.ids.map(String)),
  }),
];
