import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { business } from './route-parts.ts';
import { OrderStatistics, OrderStatisticsQuery } from './statistics-schemas.ts';
import { getOrderStatistics } from './statistics-service.ts';

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getOrderStatistics',
    method: 'GET',
    path: '/v3/orders/statistics',
    auth: [...business],
    scope: 'order:statistics:list',
    description:
      'Order count and gross revenue (a number) per group: by status (`is_breakdown_status`), by day, ISO week (from Monday) or month in `tz`, and by a custom key, counted at `datetime_type`. Takes the order list’s filters. Without any breakdown the answer is one total.',
    schema: { querystring: OrderStatisticsQuery, response: { 200: OrderStatistics } },
    handler: async (request) =>
      getOrderStatistics(request.server.deps.db, businessCaller(request), request.query),
  }),
];
