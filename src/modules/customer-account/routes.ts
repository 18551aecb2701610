import type { FastifyRequest } from 'fastify';
import type { CustomerPrincipal } from '../../http/auth/principal.ts';
import type { PageParams } from '../../http/pagination.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import { NoContent, StorefrontStoreParams } from '../../http/schemas.ts';
import * as addresses from '../customers/addresses.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

/** The signed-in customer (the auth hook guarantees it on `['customer']` routes). */
function customer(request: FastifyRequest): CustomerPrincipal {
  const principal = request.auth.customer;
  if (!principal) throw new Error(`Route ${request.routeOptions.url} read a customer it does not declare`);
  return principal;
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getCustomerMe',
    method: 'GET',
    path: '/v3/stores/{store_id}/customers/me',
    auth: ['customer'],
    schema: { params: StorefrontStoreParams, response: { 200: schemas.CustomerMe } },
    handler: async (request) => service.getMe(request.server.deps.db, customer(request)),
  }),
  defineRoute({
    operationId: 'updateCustomerMe',
    method: 'PATCH',
    path: '/v3/stores/{store_id}/customers/me',
    auth: ['customer'],
    description: 'The e-mail is read-only: sending it unchanged is accepted, a different one is a 422.',
    schema: {
      params: StorefrontStoreParams,
      body: schemas.CustomerProfileUpdateRequest,
      response: { 200: schemas.CustomerMe },
    },
    handler: async (request) => service.updateMe(request.server.deps.db, customer(request), request.body),
  }),
  defineRoute({
    operationId: 'setCustomerPassword',
    method: 'POST',
    path: '/v3/stores/{store_id}/customers/me/set-new-password',
    auth: ['customer'],
    description:
      'The customer access token is enough, as the reference shows; a `current_password` that is sent must ' +
      'match. Every token issued before the change stops working (the answer carries none): the customer ' +
      'signs in again, and is told of the change by e-mail.',
    schema: {
      params: StorefrontStoreParams,
      body: schemas.CustomerPasswordRequest,
      response: { 200: schemas.CustomerMe },
    },
    handler: async (request) => service.setPassword(request.server.deps.db, customer(request), request.body),
  }),
  defineRoute({
    operationId: 'listCustomerMeAddresses',
    method: 'GET',
    path: '/v3/stores/{store_id}/customers/me/addresses',
    auth: ['customer'],
    description: 'The default address first, then the newest.',
    schema: {
      params: StorefrontStoreParams,
      querystring: schemas.AddressListQuery,
      response: { 200: schemas.CustomerAddressList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      const scope = await service.addressScope(db, customer(request));
      return addresses.listAddresses(
        db,
        cursors,
        scope,
        request.query as PageParams,
        'listCustomerMeAddresses',
      );
    },
  }),
  defineRoute({
    operationId: 'createCustomerMeAddress',
    method: 'POST',
    path: '/v3/stores/{store_id}/customers/me/addresses',
    auth: ['customer'],
    description: 'The first address becomes the default; `is_default: true` moves the default here.',
    schema: {
      params: StorefrontStoreParams,
      body: schemas.CustomerAddressRequest,
      response: { 200: schemas.CustomerAddress },
    },
    handler: async (request) => {
      const { db } = request.server.deps;
      return addresses.createAddress(db, await service.addressScope(db, customer(request)), request.body);
    },
  }),
  defineRoute({
    operationId: 'getCustomerMeAddress',
    method: 'GET',
    path: '/v3/stores/{store_id}/customers/me/addresses/{address_id}',
    auth: ['customer'],
    schema: { params: schemas.CustomerMeAddressParams, response: { 200: schemas.CustomerAddress } },
    handler: async (request) => {
      const { db } = request.server.deps;
      return addresses.getAddress(
        db,
        await service.addressScope(db, customer(request)),
        request.params.address_id,
      );
    },
  }),
  defineRoute({
    operationId: 'updateCustomerMeAddress',
    method: 'PATCH',
    path: '/v3/stores/{store_id}/customers/me/addresses/{address_id}',
    auth: ['customer'],
    schema: {
      params: schemas.CustomerMeAddressParams,
      body: schemas.CustomerAddressRequest,
      response: { 200: schemas.CustomerAddress },
    },
    handler: async (request) => {
      const { db } = request.server.deps;
      const scope = await service.addressScope(db, customer(request));
      return addresses.updateAddress(db, scope, request.params.address_id, request.body);
    },
  }),
  defineRoute({
    operationId: 'deleteCustomerMeAddress',
    method: 'DELETE',
    path: '/v3/stores/{store_id}/customers/me/addresses/{address_id}',
    auth: ['customer'],
    description: 'Deleting the default address makes the newest remaining one the default.',
    schema: { params: schemas.CustomerMeAddressParams, response: { 204: NoContent } },
    handler: async (request, reply) => {
      const { db } = request.server.deps;
      const scope = await service.addressScope(db, customer(request));
      await addresses.deleteAddress(db, scope, request.params.address_id);
      return sendNoContent(reply);
    },
  }),
];
