import { storefrontStoreId } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const storefrontKey = ['storefrontKey'] as const;

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listLocations',
    method: 'GET',
    path: '/v3/locations',
    auth: ['apiKey'],
    scope: 'order:create',
    schema: { querystring: schemas.LocationListQuery, response: { 200: schemas.LocationPage } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      const { search, ...page } = request.query;
      return service.listLocations(db, cursors, { list: 'locations', search, page, defaultPageSize: 25 });
    },
  }),
  defineRoute({
    operationId: 'listLocationPostalCodes',
    method: 'GET',
    path: '/v3/locations/{location_id}/postal-codes',
    auth: ['apiKey'],
    scope: 'order:create',
    schema: { params: schemas.LocationParams, response: { 200: schemas.PostalCodeList } },
    handler: async (request) => ({
      data: await service.listPostalCodes(request.server.deps.db, request.params.location_id),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'searchStorefrontLocations',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/locations',
    auth: [...storefrontKey],
    schema: {
      params: schemas.StorefrontParams,
      querystring: schemas.StorefrontLocationQuery,
      response: { 200: schemas.LocationPage },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      const { search, ...page } = request.query;
      return service.listLocations(db, cursors, {
        list: 'storefront-locations',
        storeId: storefrontStoreId(request),
        search,
        page,
        defaultPageSize: 25,
      });
    },
  }),
  defineRoute({
    operationId: 'listStorefrontLocationProvinces',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/locations/provinces',
    auth: [...storefrontKey],
    schema: {
      params: schemas.StorefrontParams,
      querystring: schemas.StorefrontProvinceQuery,
      response: { 200: schemas.ProvinceList },
    },
    handler: async (request) => ({
      data: await service.listProvinces(request.server.deps.db, request.query.search),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'listStorefrontLocationCities',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/locations/cities',
    auth: [...storefrontKey],
    schema: {
      params: schemas.StorefrontParams,
      querystring: schemas.StorefrontCityQuery,
      response: { 200: schemas.CityList },
    },
    handler: async (request) => ({
      data: await service.listCities(request.server.deps.db, {
        provinceId: request.query.province_id,
        search: request.query.search,
      }),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'listStorefrontLocationSubdistricts',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/locations/subdistricts',
    auth: [...storefrontKey],
    schema: {
      params: schemas.StorefrontParams,
      querystring: schemas.StorefrontSubdistrictQuery,
      response: { 200: schemas.LocationPage },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      const { city_id: cityId, search, ...page } = request.query;
      return service.listLocations(db, cursors, {
        list: 'storefront-subdistricts',
        storeId: storefrontStoreId(request),
        cityId,
        search,
        page,
        defaultPageSize: 25,
      });
    },
  }),
  defineRoute({
    operationId: 'listStorefrontLocationPostalCodes',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/locations/{location_id}/postal-codes',
    auth: [...storefrontKey],
    schema: {
      params: schemas.StorefrontLocationParams,
      querystring: schemas.PostalCodeQuery,
      response: { 200: schemas.PostalCodeList },
    },
    handler: async (request) => ({
      data: await service.listPostalCodes(
        request.server.deps.db,
        request.params.location_id,
        request.query.search,
      ),
      is_paginated: false as const,
    }),
  }),
];
