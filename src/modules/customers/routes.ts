import { businessCaller } from '../../http/auth/caller.ts';
import type { PageParams } from '../../http/pagination.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import { NoContent } from '../../http/schemas.ts';
import * as addresses from './addresses.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

/** The contract lists API keys (bearerAuth, apiKeyAuth) for business customers, not OAuth. */
const business = ['apiKey'] as const;

/** The address scope of `/v3/customers/{customer_id}/addresses…`: the caller's business, the named customer. */
function addressScope(businessId: number, customerId: string): addresses.AddressScope {
  return { businessId, customer: service.parseCustomerRef(customerId) };
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listBusinessCustomers',
    method: 'GET',
    path: '/v3/customers',
    auth: [...business],
    scope: 'customer:list',
    description:
      'Newest first. `search` matches name, e-mail or phone; `tags` (comma-separated) matches any.',
    schema: {
      querystring: schemas.ListBusinessCustomersQuery,
      response: { 200: schemas.BusinessCustomerList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listCustomers(db, cursors, businessCaller(request), request.query);
    },
  }),
  defineRoute({
    operationId: 'createBusinessCustomer',
    method: 'POST',
    path: '/v3/customers',
    auth: [...business],
    scope: 'customer:create',
    description: 'The e-mail is unique within the business: one already used (by checkout too) is a 422.',
    schema: { body: schemas.CreateBusinessCustomerRequest, response: { 200: schemas.BusinessCustomer } },
    handler: async (request) =>
      service.createCustomer(request.server.deps.db, businessCaller(request), request.body),
  }),
  defineRoute({
    operationId: 'countBusinessCustomers',
    method: 'GET',
    path: '/v3/customers/count',
    auth: [...business],
    scope: 'customer:list',
    schema: {
      querystring: schemas.CountBusinessCustomersQuery,
      response: { 200: schemas.BusinessCustomerCount },
    },
    handler: async (request) =>
      service.countCustomers(request.server.deps.db, businessCaller(request), request.query),
  }),
  defineRoute({
    operationId: 'listBusinessCustomerTags',
    method: 'GET',
    path: '/v3/customers/tags',
    auth: [...business],
    scope: 'customer:list',
    schema: {
      querystring: schemas.ListBusinessCustomerTagsQuery,
      response: { 200: schemas.BusinessCustomerTagList },
    },
    handler: async (request) =>
      service.listCustomerTags(request.server.deps.db, businessCaller(request), request.query),
  }),
  defineRoute({
    operationId: 'getBusinessCustomer',
    method: 'GET',
    path: '/v3/customers/{id}',
    auth: [...business],
    scope: 'customer:read',
    schema: { params: schemas.BusinessCustomerParams, response: { 200: schemas.BusinessCustomer } },
    handler: async (request) =>
      service.getCustomer(request.server.deps.db, businessCaller(request), request.params.id),
  }),
  defineRoute({
    operationId: 'updateBusinessCustomer',
    method: 'PATCH',
    path: '/v3/customers/{id}',
    auth: [...business],
    scope: 'customer:update',
    schema: {
      params: schemas.BusinessCustomerParams,
      body: schemas.UpdateBusinessCustomerRequest,
      response: { 200: schemas.BusinessCustomer },
    },
    handler: async (request) =>
      service.updateCustomer(
        request.server.deps.db,
        businessCaller(request),
        request.params.id,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'updateBusinessCustomerTags',
    method: 'POST',
    path: '/v3/customers/{id}/update-tags',
    auth: [...business],
    scope: 'customer:update',
    description: "Replaces the customer's tags with the list sent.",
    schema: {
      params: schemas.BusinessCustomerParams,
      body: schemas.UpdateBusinessCustomerTagsRequest,
      response: { 200: schemas.BusinessCustomer },
    },
    handler: async (request) =>
      service.updateCustomerTags(
        request.server.deps.db,
        businessCaller(request),
        request.params.id,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'listBusinessCustomerAddresses',
    method: 'GET',
    path: '/v3/customers/{customer_id}/addresses',
    auth: [...business],
    scope: 'customer:list',
    description: 'The default address first, then the newest.',
    schema: {
      params: schemas.BusinessCustomerAddressListParams,
      querystring: schemas.AddressListQuery,
      response: { 200: schemas.CustomerAddressList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      const scope = addressScope(businessCaller(request).businessId, request.params.customer_id);
      return addresses.listAddresses(
        db,
        cursors,
        scope,
        request.query as PageParams,
        'listBusinessCustomerAddresses',
      );
    },
  }),
  defineRoute({
    operationId: 'createBusinessCustomerAddress',
    method: 'POST',
    path: '/v3/customers/{customer_id}/addresses',
    auth: [...business],
    scope: 'customer:update',
    description: 'The first address becomes the default; `is_default: true` moves the default here.',
    schema: {
      params: schemas.BusinessCustomerAddressListParams,
      body: schemas.CustomerAddressRequest,
      response: { 200: schemas.CustomerAddress },
    },
    handler: async (request) =>
      addresses.createAddress(
        request.server.deps.db,
        addressScope(businessCaller(request).businessId, request.params.customer_id),
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'getBusinessCustomerAddress',
    method: 'GET',
    path: '/v3/customers/{customer_id}/addresses/{id}',
    auth: [...business],
    scope: 'customer:read',
    schema: { params: schemas.BusinessCustomerAddressParams, response: { 200: schemas.CustomerAddress } },
    handler: async (request) =>
      addresses.getAddress(
        request.server.deps.db,
        addressScope(businessCaller(request).businessId, request.params.customer_id),
        request.params.id,
      ),
  }),
  defineRoute({
    operationId: 'updateBusinessCustomerAddress',
    method: 'PATCH',
    path: '/v3/customers/{customer_id}/addresses/{id}',
    auth: [...business],
    scope: 'customer:update',
    schema: {
      params: schemas.BusinessCustomerAddressParams,
      body: schemas.CustomerAddressRequest,
      response: { 200: schemas.CustomerAddress },
    },
    handler: async (request) =>
      addresses.updateAddress(
        request.server.deps.db,
        addressScope(businessCaller(request).businessId, request.params.customer_id),
        request.params.id,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'deleteBusinessCustomerAddress',
    method: 'DELETE',
    path: '/v3/customers/{customer_id}/addresses/{id}',
    auth: [...business],
    scope: 'customer:update',
    description: 'Deleting the default address makes the newest remaining one the default.',
    schema: { params: schemas.BusinessCustomerAddressParams, response: { 204: NoContent } },
    handler: async (request, reply) => {
      await addresses.deleteAddress(
        request.server.deps.db,
        addressScope(businessCaller(request).businessId, request.params.customer_id),
        request.params.id,
      );
      return sendNoContent(reply);
    },
  }),
];
