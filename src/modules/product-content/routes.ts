import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { businessCaller } from '../../http/auth/caller.ts';
import { ApiError } from '../../http/errors.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import { storageFor } from '../../providers/storage/index.ts';
import { MULTIPART } from '../../providers/storage/multipart.ts';
import * as bundleSchemas from '../bundles/schemas.ts';
import * as productSchemas from '../products/schemas.ts';
import { uploadDigitalProductFile } from './digital-file-upload.ts';
import * as files from './digital-files.ts';
import { duplicateBundle, duplicateProduct } from './duplicate.ts';
import * as chats from './follow-up-chats.ts';
import * as knowledge from './knowledge-items.ts';
import * as schemas from './schemas.ts';

const auth: RouteSpec['auth'] = ['apiKey'];
const NoContent = { 204: Type.Null() };

function fileContext(request: FastifyRequest): files.FileContext {
  const { deps } = request.server;
  return { db: deps.db, storage: storageFor(deps), maxUploadBytes: deps.config.storage.maxUploadBytes };
}

type UploadRequestBody = Static<typeof schemas.CreateDigitalProductFileRequest>;

/**
 * One route, two bodies, chosen by Content-Type: the contract's multipart/form-data upload, and
 * the JSON upload request (an extension) answered with a signed URL. Fastify validates the body
 * against the entry of the request's media type; the multipart form is read by the handler.
 */
const CreateDigitalProductFileBody = Type.Unsafe<UploadRequestBody | Record<string, never>>({
  content: {
    [MULTIPART]: { schema: schemas.DigitalProductFileForm },
    'application/json': { schema: schemas.CreateDigitalProductFileRequest },
  },
});

const isJson = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

const unsupportedUpload = () =>
  new ApiError(
    415,
    'unsupported_media_type',
    'Send the file as multipart/form-data (field `file`), or a JSON upload request',
  );

/** The five knowledge item operations of one owner kind (product-level or variant-level). */
function knowledgeRoutes(kind: 'product' | 'variant'): RouteSpec[] {
  const Kind = kind === 'product' ? 'Product' : 'Variant';
  const base = kind === 'product' ? '/v3/products/{product_id}' : '/v3/variants/{variant_id}';
  const Params = kind === 'product' ? schemas.ProductParams : schemas.VariantParams;
  const ItemParams =
    kind === 'product' ? schemas.ProductKnowledgeItemParams : schemas.VariantKnowledgeItemParams;
  const ownerOf = (params: { product_id?: number; variant_id?: number }): knowledge.KnowledgeOwnerRef => ({
    kind,
    id: (kind === 'product' ? params.product_id : params.variant_id)!,
  });
  return [
    defineRoute({
      operationId: `list${Kind}KnowledgeItems`,
      method: 'GET',
      path: `${base}/knowledge-items`,
      auth,
      scope: 'product:list',
      description: 'Sorted by id (UUIDv7, so creation order) ascending.',
      schema: {
        params: Params,
        querystring: schemas.ListQuery,
        response: { 200: schemas.ProductKnowledgeItemPage },
      },
      handler: async (request) => {
        const { db, cursors } = request.server.deps;
        return knowledge.listKnowledgeItems(
          db,
          cursors,
          businessCaller(request),
          ownerOf(request.params),
          request.query,
        );
      },
    }),
    defineRoute({
      operationId: `create${Kind}KnowledgeItem`,
      method: 'POST',
      path: `${base}/knowledge-items`,
      auth,
      scope: 'product:update',
      schema: {
        params: Params,
        body: schemas.KnowledgeItemRequest,
        response: { 200: schemas.ProductKnowledgeItem },
      },
      handler: async (request) =>
        knowledge.createKnowledgeItem(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
          request.body,
        ),
    }),
    defineRoute({
      operationId: `get${Kind}KnowledgeItem`,
      method: 'GET',
      path: `${base}/knowledge-items/{id}`,
      auth,
      scope: 'product:read',
      schema: { params: ItemParams, response: { 200: schemas.ProductKnowledgeItem } },
      handler: async (request) =>
        knowledge.getKnowledgeItem(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
          request.params.id,
        ),
    }),
    defineRoute({
      operationId: `update${Kind}KnowledgeItem`,
      method: 'PATCH',
      path: `${base}/knowledge-items/{id}`,
      auth,
      scope: 'product:update',
      schema: {
        params: ItemParams,
        body: schemas.KnowledgeItemRequest,
        response: { 200: schemas.ProductKnowledgeItem },
      },
      handler: async (request) =>
        knowledge.updateKnowledgeItem(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
          request.params.id,
          request.body,
        ),
    }),
    defineRoute({
      operationId: `delete${Kind}KnowledgeItem`,
      method: 'DELETE',
      path: `${base}/knowledge-items/{id}`,
      auth,
      scope: 'product:update',
      schema: { params: ItemParams, response: NoContent },
      handler: async (request, reply) => {
        await knowledge.deleteKnowledgeItem(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
          request.params.id,
        );
        return sendNoContent(reply);
      },
    }),
  ];
}

/** The six follow-up chat operations of one owner kind (product or bundle). */
function followUpChatRoutes(kind: 'product' | 'bundle'): RouteSpec[] {
  const Kind = kind === 'product' ? 'Product' : 'Bundle';
  const base = kind === 'product' ? '/v3/products/{product_id}' : '/v3/bundles/{bundle_id}';
  const Params = kind === 'product' ? schemas.ProductParams : schemas.BundleParams;
  const ItemParams =
    kind === 'product' ? schemas.ProductFollowUpChatParams : schemas.BundleFollowUpChatParams;
  const scope = (action: 'list' | 'read' | 'update') => `${kind}:${action}`;
  const ownerOf = (params: { product_id?: number; bundle_id?: number }): chats.ChatOwner => ({
    kind,
    id: (kind === 'product' ? params.product_id : params.bundle_id)!,
  });
  return [
    defineRoute({
      operationId: `generate${Kind}FollowUpChats`,
      method: 'POST',
      path: `${base}/follow-up-chats/generate`,
      auth,
      scope: scope('update'),
      description:
        'Adds the standard Indonesian WhatsApp sequence (confirmation, reminders after 24 and 72 hours, shipped, thank-you) built from the current names, prices and description, with texts per payment method. Buyer details stay as {{customer_name}}, {{order_id}}, {{order_total}}, {{payment_url}} and {{bank_account}} placeholders.',
      schema: { params: Params, response: NoContent },
      handler: async (request, reply) => {
        await chats.generateFollowUpChatsFor(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
        );
        return sendNoContent(reply);
      },
    }),
    defineRoute({
      operationId: `list${Kind}FollowUpChats`,
      method: 'GET',
      path: `${base}/follow-up-chats`,
      auth,
      scope: scope('list'),
      description: 'Sorted by id ascending.',
      schema: {
        params: Params,
        querystring: schemas.ListQuery,
        response: { 200: schemas.ManagingFollowUpChatPage },
      },
      handler: async (request) => {
        const { db, cursors } = request.server.deps;
        return chats.listFollowUpChats(
          db,
          cursors,
          businessCaller(request),
          ownerOf(request.params),
          request.query,
        );
      },
    }),
    defineRoute({
      operationId: `create${Kind}FollowUpChat`,
      method: 'POST',
      path: `${base}/follow-up-chats`,
      auth,
      scope: scope('update'),
      schema: {
        params: Params,
        body: schemas.FollowUpChatRequest,
        response: { 200: schemas.ManagingFollowUpChat },
      },
      handler: async (request) =>
        chats.createFollowUpChat(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
          request.body,
        ),
    }),
    defineRoute({
      operationId: `get${Kind}FollowUpChat`,
      method: 'GET',
      path: `${base}/follow-up-chats/{id}`,
      auth,
      scope: scope('read'),
      schema: { params: ItemParams, response: { 200: schemas.ManagingFollowUpChat } },
      handler: async (request) =>
        chats.getFollowUpChat(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
          request.params.id,
        ),
    }),
    defineRoute({
      operationId: `update${Kind}FollowUpChat`,
      method: 'PATCH',
      path: `${base}/follow-up-chats/{id}`,
      auth,
      scope: scope('update'),
      description: 'name and provider are required; other fields absent from the body keep their values.',
      schema: {
        params: ItemParams,
        body: schemas.FollowUpChatRequest,
        response: { 200: schemas.ManagingFollowUpChat },
      },
      handler: async (request) =>
        chats.updateFollowUpChat(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
          request.params.id,
          request.body,
        ),
    }),
    defineRoute({
      operationId: `delete${Kind}FollowUpChat`,
      method: 'DELETE',
      path: `${base}/follow-up-chats/{id}`,
      auth,
      scope: scope('update'),
      schema: { params: ItemParams, response: NoContent },
      handler: async (request, reply) => {
        await chats.deleteFollowUpChat(
          request.server.deps.db,
          businessCaller(request),
          ownerOf(request.params),
          request.params.id,
        );
        return sendNoContent(reply);
      },
    }),
  ];
}

const digitalProductFileRoutes: RouteSpec[] = [
  defineRoute({
    operationId: 'listVariantDigitalProductFiles',
    method: 'GET',
    path: '/v3/variants/{variant_id}/digital-product-files',
    auth,
    scope: 'product:list',
    description: 'Sorted by id ascending. Each `url` is a signed download URL minted for this response.',
    schema: {
      params: schemas.VariantParams,
      querystring: schemas.ListQuery,
      response: { 200: schemas.DigitalProductFilePage },
    },
    handler: async (request) =>
      files.listDigitalProductFiles(
        fileContext(request),
        request.server.deps.cursors,
        businessCaller(request),
        request.params.variant_id,
        request.query,
      ),
  }),
  defineRoute({
    operationId: 'createVariantDigitalProductFile',
    method: 'POST',
    path: '/v3/variants/{variant_id}/digital-product-files',
    auth,
    scope: 'product:update',
    description:
      'multipart/form-data (the contract): the `file` part is streamed to storage and the record keeps its file name, Content-Type and received size; larger than the configured upload limit is 413. application/json (extension): `{name, content_type, size_in_bytes}` creates the record and answers a signed `upload_url`; PUT the bytes there with the same Content-Type before `upload_expires_at`.',
    schema: {
      params: schemas.VariantParams,
      body: CreateDigitalProductFileBody,
      response: { 200: schemas.DigitalProductFileUpload },
    },
    handler: async (request, reply) => {
      const ctx = fileContext(request);
      const caller = businessCaller(request);
      const { variant_id: variantId } = request.params;
      if (request.isMultipart()) {
        // One byte over the limit is enough for storage to tell a too-large file (413).
        const limits = { fileSize: ctx.maxUploadBytes + 1 };
        return uploadDigitalProductFile(ctx, caller, variantId, () =>
          request.file({ limits, throwFileSizeLimit: false }),
        ).catch((error: unknown) => {
          // The rest of a refused upload may still be on its way: end the connection after the
          // answer instead of reading it all.
          reply.header('connection', 'close');
          throw error;
        });
      }
      if (!isJson(request)) throw unsupportedUpload();
      return files.createDigitalProductFile(ctx, caller, variantId, request.body as UploadRequestBody);
    },
  }),
  defineRoute({
    operationId: 'getVariantDigitalProductFile',
    method: 'GET',
    path: '/v3/variants/{variant_id}/digital-product-files/{id}',
    auth,
    scope: 'product:read',
    schema: { params: schemas.DigitalProductFileParams, response: { 200: schemas.DigitalProductFile } },
    handler: async (request) =>
      files.getDigitalProductFile(
        fileContext(request),
        businessCaller(request),
        request.params.variant_id,
        request.params.id,
      ),
  }),
  defineRoute({
    operationId: 'deleteVariantDigitalProductFile',
    method: 'DELETE',
    path: '/v3/variants/{variant_id}/digital-product-files/{id}',
    auth,
    scope: 'product:update',
    description: 'Answers the deleted record.',
    schema: { params: schemas.DigitalProductFileParams, response: { 200: schemas.DigitalProductFile } },
    handler: async (request) =>
      files.deleteDigitalProductFile(
        fileContext(request),
        businessCaller(request),
        request.params.variant_id,
        request.params.id,
        (err) => request.log.warn({ err }, 'stored digital product file could not be deleted'),
      ),
  }),
];

const duplicateRoutes: RouteSpec[] = [
  defineRoute({
    operationId: 'duplicateProduct',
    method: 'POST',
    path: '/v3/products/{id}/duplicate',
    auth,
    scope: 'product:create',
    description:
      'Copies variants, digital file records, the course structure of course variants, knowledge items and follow-up chats; the name gets " (Copy)" and the slug "-copy". Not copied: partnership settings, store associations, stock. Answers the copy as getProduct does.',
    schema: { params: schemas.DuplicateParams, response: { 200: productSchemas.Product } },
    handler: async (request) =>
      duplicateProduct(
        { db: request.server.deps.db, storage: storageFor(request.server.deps) },
        businessCaller(request),
        request.params.id,
      ),
  }),
  defineRoute({
    operationId: 'duplicateBundle',
    method: 'POST',
    path: '/v3/bundles/{id}/duplicate',
    auth,
    scope: 'bundle:create',
    description:
      'Copies bundle lines, price options (new unique_ids, "-copy" slugs) and follow-up chats; the name gets " (Copy)". Not copied: partnership settings, store placements, custom_id. Answers the copy as getBundle does.',
    schema: { params: schemas.DuplicateParams, response: { 200: bundleSchemas.Bundle } },
    handler: async (request) =>
      duplicateBundle(
        { db: request.server.deps.db, storage: storageFor(request.server.deps) },
        businessCaller(request),
        request.params.id,
      ),
  }),
];

export const routes: RouteSpec[] = [
  ...knowledgeRoutes('product'),
  ...knowledgeRoutes('variant'),
  ...followUpChatRoutes('product'),
  ...followUpChatRoutes('bundle'),
  ...digitalProductFileRoutes,
  ...duplicateRoutes,
];
