import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'searchShippingCosts',
    method: 'POST',
    path: '/v3/shipping-costs',
    auth: ['apiKey'],
    scope: 'order:create',
    description: 'Costs are decimal strings of whole Rupiah, cheapest first.',
    schema: { body: schemas.ShippingCostRequest, response: { 200: schemas.ShippingCostList } },
    handler: async (request) => ({
      data: await service.searchShippingCosts(
        request.server.deps.db,
        businessCaller(request).businessId,
        request.body,
      ),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'searchCourierServices',
    method: 'POST',
    path: '/v3/shipping-costs/search-courier-service',
    auth: ['apiKey'],
    scope: 'order:create',
    description:
      "Services of the store's couriers (all couriers when none are configured); for cod only those that can collect cash, unless is_show_all.",
    schema: { body: schemas.GetCourierServiceRequest, response: { 200: schemas.CourierServiceList } },
    handler: async (request) => ({
      data: await service.searchCourierServices(
        request.server.deps.db,
        businessCaller(request).businessId,
        request.body,
      ),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'searchWarehouses',
    method: 'POST',
    path: '/v3/shipping-costs/search-warehouse',
    auth: ['apiKey'],
    scope: 'order:create',
    description:
      'Warehouses whose stock covers every variant, nearest to the destination first (same city, province, island group), then by id.',
    schema: { body: schemas.SearchWarehouseRequest, response: { 200: schemas.SearchWarehouseList } },
    handler: async (request) => ({
      data: await service.searchWarehouses(
        request.server.deps.db,
        businessCaller(request).businessId,
        request.body,
      ),
      is_paginated: false as const,
    }),
  }),
];
