import { Type } from '@sinclair/typebox';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import * as partnership from './partnership.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

// The contract lists bearerAuth and apiKeyAuth only: no OAuth on the partner routes.
const business = ['apiKey'] as const;

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'updateProductPartnership',
    method: 'PATCH',
    path: '/v3/products/{product_id}/partnership',
    auth: [...business],
    scope: 'product:update',
    description:
      'Switching a program off takes the product off the stores of that program’s partners; ' +
      'check-changes reports that impact first.',
    schema: {
      params: schemas.ProductParams,
      body: Type.Optional(schemas.UpdatePartnershipRequest),
      response: { 200: schemas.ProductPartnership },
    },
    handler: async (request) =>
      partnership.updatePartnership(
        request.server.deps.db,
        businessCaller(request),
        request.params.product_id,
        request.body ?? {},
      ),
  }),
  defineRoute({
    operationId: 'checkProductPartnershipChanges',
    method: 'POST',
    path: '/v3/products/{product_id}/partnership/check-changes',
    auth: [...business],
    scope: 'product:update',
    description: 'Takes the same body as the partnership update and changes nothing.',
    schema: {
      params: schemas.ProductParams,
      body: Type.Optional(schemas.UpdatePartnershipRequest),
      response: { 200: schemas.PartnershipImpact },
    },
    handler: async (request) =>
      partnership.checkPartnershipChanges(
        request.server.deps.db,
        businessCaller(request),
        request.params.product_id,
        request.body ?? {},
      ),
  }),
  defineRoute({
    operationId: 'listProductPartners',
    method: 'GET',
    path: '/v3/products/{product_id}/partners',
    auth: [...business],
    scope: 'product:list',
    description: 'Sorted by id, newest first.',
    schema: {
      params: schemas.ProductParams,
      querystring: schemas.PartnerListQuery,
      response: { 200: schemas.ProductPartnerList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listProductPartners(
        db,
        cursors,
        businessCaller(request),
        request.params.product_id,
        request.query,
      );
    },
  }),
  defineRoute({
    operationId: 'createProductPartner',
    method: 'POST',
    path: '/v3/products/{product_id}/partners',
    auth: [...business],
    scope: 'product:update',
    schema: {
      params: schemas.ProductParams,
      body: Type.Optional(schemas.CreatePartnerRequest),
      response: { 200: schemas.ProductPartner },
    },
    handler: async (request) =>
      service.createProductPartner(
        request.server.deps.db,
        businessCaller(request),
        request.params.product_id,
        request.body!,
      ),
  }),
  defineRoute({
    operationId: 'deleteProductPartner',
    method: 'DELETE',
    path: '/v3/products/{product_id}/partners/{id}',
    auth: [...business],
    scope: 'product:update',
    schema: { params: schemas.ProductPartnerParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await service.deleteProductPartner(
        request.server.deps.db,
        businessCaller(request),
        request.params.product_id,
        request.params.id,
      );
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'listBundlePartners',
    method: 'GET',
    path: '/v3/bundles/{bundle_id}/partners',
    auth: [...business],
    scope: 'bundle:list',
    description: 'Sorted by id, newest first.',
    schema: {
      params: schemas.BundleParams,
      querystring: schemas.PartnerListQuery,
      response: { 200: schemas.BundlePartnerList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listBundlePartners(
        db,
        cursors,
        businessCaller(request),
        request.params.bundle_id,
        request.query,
      );
    },
  }),
  defineRoute({
    operationId: 'createBundlePartner',
    method: 'POST',
    path: '/v3/bundles/{bundle_id}/partners',
    auth: [...business],
    scope: 'bundle:update',
    schema: {
      params: schemas.BundleParams,
      body: Type.Optional(schemas.CreateBundlePartnerRequest),
      response: { 200: schemas.BundlePartner },
    },
    handler: async (request) =>
      service.createBundlePartner(
        request.server.deps.db,
        businessCaller(request),
        request.params.bundle_id,
        request.body!,
      ),
  }),
  defineRoute({
    operationId: 'deleteBundlePartner',
    method: 'DELETE',
    path: '/v3/bundles/{bundle_id}/partners/{id}',
    auth: [...business],
    scope: 'bundle:update',
    schema: { params: schemas.BundlePartnerParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await service.deleteBundlePartner(
        request.server.deps.db,
        businessCaller(request),
        request.params.bundle_id,
        request.params.id,
      );
      return sendNoContent(reply);
    },
  }),
];
