import type { FastifyRequest } from 'fastify';
import { storefrontStoreId } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { storageFor } from '../../providers/storage/index.ts';
import { PublicOrderSchema } from '../orders/schemas.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

export function publicOrderContext(request: FastifyRequest): service.PublicOrderContext {
  const { deps } = request.server;
  return {
    db: deps.db,
    storage: storageFor(deps),
    publicUrl: deps.config.publicUrl,
    signingKey: deps.keys.storage,
    maxUploadBytes: deps.config.storage.maxUploadBytes,
  };
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getStorefrontPublicOrder',
    method: 'GET',
    path: '/v3/stores/{store_id}/public/orders/{secret_slug}',
    auth: ['storefrontKey'],
    schema: { params: schemas.PublicOrderParams, response: { 200: PublicOrderSchema } },
    handler: async (request) =>
      service.getPublicOrder(
        publicOrderContext(request),
        storefrontStoreId(request),
        request.params.secret_slug,
      ),
  }),
  defineRoute({
    operationId: 'updateStorefrontPublicOrder',
    method: 'PATCH',
    path: '/v3/stores/{store_id}/public/orders/{secret_slug}',
    auth: ['storefrontKey'],
    description:
      'Buyer-safe fields only; other properties are ignored. `transferproof_url` must be a `file_url` from ' +
      'transfer-proof-upload for this order. A paid, canceled or closed order answers 409.',
    schema: {
      params: schemas.PublicOrderParams,
      body: schemas.UpdatePublicOrderRequest,
      response: { 200: PublicOrderSchema },
    },
    handler: async (request) =>
      service.updatePublicOrder(
        publicOrderContext(request),
        storefrontStoreId(request),
        request.params.secret_slug,
        request.body ?? {},
      ),
  }),
  defineRoute({
    operationId: 'createStorefrontPublicOrderTransferProofUpload',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/orders/{secret_slug}/transfer-proof-upload',
    auth: ['storefrontKey'],
    description:
      'Bank-transfer orders only (409 otherwise, and once paid, canceled or closed). The upload URL is signed ' +
      'for the declared Content-Type and size: a different type is 415, more bytes 413.',
    schema: {
      params: schemas.PublicOrderParams,
      body: schemas.TransferProofUploadRequest,
      response: { 200: schemas.TransferProofUpload },
    },
    handler: async (request) =>
      service.createTransferProofUpload(
        publicOrderContext(request),
        storefrontStoreId(request),
        request.params.secret_slug,
        request.body,
      ),
  }),
];
