import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent, sendSerialized } from '../../http/route.ts';
import { storageFor } from '../../providers/storage/index.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';
import * as writes from './writes.ts';

/** The contract lists these operations for API keys only (bearerAuth, apiKeyAuth). */
const apiKey = ['apiKey'] as const;
const PRODUCT_ID = 'Numeric product id or product uuid.';

function deps(request: FastifyRequest): writes.WriteDeps {
  const { deps } = request.server;
  return {
    db: deps.db,
    storage: storageFor(deps),
    onStorageError: (err) => request.log.warn({ err }, 'stored digital product file could not be deleted'),
  };
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listProducts',
    method: 'GET',
    path: '/v3/products',
    auth: [...apiKey],
    scope: 'product:list',
    schema: { querystring: schemas.ProductListQuery, response: { 200: schemas.ProductPage } },
    handler: async (request, reply) => {
      const json = await service.listProducts(
        deps(request),
        request.server.deps.cursors,
        businessCaller(request),
        request.query,
      );
      return sendSerialized(reply, json);
    },
  }),
  defineRoute({
    operationId: 'createProduct',
    method: 'POST',
    path: '/v3/products',
    auth: [...apiKey],
    scope: 'product:create',
    schema: { body: schemas.CreateProductRequest, response: { 200: schemas.Product } },
    handler: async (request) => writes.createProduct(deps(request), businessCaller(request), request.body),
  }),
  defineRoute({
    operationId: 'listProductsSimplified',
    method: 'GET',
    path: '/v3/products/simplified',
    auth: [...apiKey],
    scope: 'product:list',
    schema: {
      querystring: schemas.SimplifiedProductListQuery,
      response: { 200: schemas.SimplifiedProductPage },
    },
    handler: async (request) => {
      return service.listProductsSimplified(
        deps(request),
        request.server.deps.cursors,
        businessCaller(request),
        request.query,
      );
    },
  }),
  defineRoute({
    operationId: 'countProducts',
    method: 'GET',
    path: '/v3/products/count',
    auth: [...apiKey],
    scope: 'product:list',
    schema: { querystring: schemas.ProductCountQuery, response: { 200: schemas.ProductCount } },
    handler: async (request) =>
      service.countProducts(request.server.deps.db, businessCaller(request), request.query),
  }),
  defineRoute({
    operationId: 'getProduct',
    method: 'GET',
    path: '/v3/products/{id}',
    auth: [...apiKey],
    scope: 'product:read',
    description: `${PRODUCT_ID} Products other businesses share with the caller (is_owned=false in the list) can be read too; their stores and warehouses are the caller's, their digital files are not shown.`,
    schema: { params: schemas.IdParams, response: { 200: schemas.Product } },
    handler: async (request) => service.getProduct(deps(request), businessCaller(request), request.params.id),
  }),
  defineRoute({
    operationId: 'updateProduct',
    method: 'PATCH',
    path: '/v3/products/{id}',
    auth: [...apiKey],
    scope: 'product:update',
    description: `${PRODUCT_ID} When variants is sent it is the complete list: variants with an id (or variant_id) are updated, variants without one are created, and stored variants left out (or sent with is_deleted: true) are removed. A variant a bundle still contains cannot be removed (409).`,
    schema: {
      params: schemas.IdParams,
      body: schemas.UpdateProductRequest,
      response: { 200: schemas.Product },
    },
    handler: async (request) =>
      writes.updateProduct(deps(request), businessCaller(request), request.params.id, request.body),
  }),
  defineRoute({
    operationId: 'deleteProduct',
    method: 'DELETE',
    path: '/v3/products/{id}',
    auth: [...apiKey],
    scope: 'product:delete',
    description: `${PRODUCT_ID} Refused with 409 while a bundle contains one of its variants.`,
    schema: { params: schemas.IdParams, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      await writes.deleteProduct(deps(request), businessCaller(request), request.params.id);
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'getProductRelations',
    method: 'GET',
    path: '/v3/products/{product_id}/relations',
    auth: [...apiKey],
    scope: 'product:read',
    description: PRODUCT_ID,
    schema: { params: schemas.ProductIdParams, response: { 200: schemas.ProductRelations } },
    handler: async (request) =>
      service.getProductRelations(request.server.deps.db, businessCaller(request), request.params.product_id),
  }),
  defineRoute({
    operationId: 'getVariant',
    method: 'GET',
    path: '/v3/variants/{id}',
    auth: [...apiKey],
    scope: 'product:read',
    description: 'Numeric variant id or the variant unique_id (`variant_…`).',
    schema: { params: schemas.IdParams, response: { 200: schemas.Variant } },
    handler: async (request) => service.getVariant(deps(request), businessCaller(request), request.params.id),
  }),
  defineRoute({
    operationId: 'listProductTaxonomies',
    method: 'GET',
    path: '/v3/product-taxonomies',
    auth: [...apiKey],
    scope: 'product:list',
    schema: { querystring: schemas.TaxonomyListQuery, response: { 200: schemas.ProductTaxonomyPage } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listTaxonomies(db, cursors, request.query);
    },
  }),
  defineRoute({
    operationId: 'getProductTaxonomy',
    method: 'GET',
    path: '/v3/product-taxonomies/{id}',
    auth: [...apiKey],
    scope: 'product:read',
    schema: { params: schemas.IdParams, response: { 200: schemas.ProductTaxonomy } },
    handler: async (request) => service.getTaxonomy(request.server.deps.db, request.params.id),
  }),
];
