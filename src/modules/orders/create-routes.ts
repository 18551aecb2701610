import { Type } from '@sinclair/typebox';
import { businessCaller, businessPrincipal } from '../../http/auth/caller.ts';
import { ApiError } from '../../http/errors.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { MULTIPART } from '../../providers/storage/multipart.ts';
import { checkDeclaredLength, csvUploadLimit } from '../customers/import-upload.ts';
import { createBusinessOrder } from './business-create.ts';
import { BusinessOrder } from './business-schemas.ts';
import * as schemas from './create-schemas.ts';
import { duplicateOrder } from './duplicate.ts';
import { createIdempotently } from './idempotent-create.ts';
import { business, OrderIdParams } from './route-parts.ts';
import { importUploadedOrders } from './upload-file.ts';

const UploadBody = Type.Unsafe<Record<string, never>>({
  content: { [MULTIPART]: { schema: schemas.UploadOrdersForm } },
});

/** Orders a business creates: createOrder (uploadOrders and duplicateOrder beside it). */
export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'createOrder',
    method: 'POST',
    path: '/v3/orders',
    auth: [...business],
    scope: 'order:create',
    description:
      "Priced by checkout's engine (shipping quoted from `courier_service_id` unless `shipping_cost` is sent; " +
      "the store's other charge unless `other_income` is sent) and reserving stock like checkout: a sold-out " +
      'line is a 409 naming it. Starts `pending`, or `draft` when an order that ships lacks its address, ' +
      '`location_id` or (when the store requires one) its courier service. Answers 200 with the business ' +
      'view. `Idempotency-Key` (beyond the reference) replays the first answer.',
    schema: { body: schemas.CreateOrderBody, response: { 200: BusinessOrder } },
    handler: async (request, reply) => {
      const { db, config } = request.server.deps;
      const caller = businessCaller(request);
      return createIdempotently(
        request,
        reply,
        db,
        {
          // Per credential (the rate-limit bucket names it: one per key or OAuth installation).
          scope: `business:${businessPrincipal(request).rateKey}`,
          businessId: caller.businessId,
          status: 200,
        },
        (storeAnswer) => createBusinessOrder(db, caller, request.body, config.publicUrl, storeAnswer),
      );
    },
  }),
  defineRoute({
    operationId: 'duplicateOrder',
    method: 'POST',
    path: '/v3/orders/{id}/duplicate',
    auth: [...business],
    scope: 'order:create',
    description:
      'In one transaction: cancels the original through the order lifecycle (its stock and discount use come ' +
      'back; a status that cannot be cancelled, e.g. shipped, is a 409 and nothing is created), then creates ' +
      'a copy with the same lines, prices, buyer and shipping, reserving its stock anew. The copy is a draft ' +
      'when the original was, else `pending`, and unpaid; the body may change its payment method and ' +
      'metadata. Answers the copy. An already cancelled order is copied as it is.',
    schema: {
      params: OrderIdParams,
      body: Type.Optional(schemas.DuplicateOrderBody),
      response: { 200: BusinessOrder },
    },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return duplicateOrder(
        db,
        businessCaller(request),
        request.params.id,
        request.body ?? {},
        config.publicUrl,
      );
    },
  }),
  defineRoute({
    operationId: 'uploadOrders',
    method: 'POST',
    path: '/v3/orders/upload',
    auth: [...business],
    scope: 'order:create',
    description:
      'multipart/form-data: `create_type` and `tz` first, then the CSV as `file`, streamed; each row is one ' +
      'order created like createOrder in its own transaction, so a bad row is reported under `failed` and ' +
      'the others are imported. Regular: `draft` when incomplete, else `pending` (or `confirmed` when the ' +
      'row says so), taking stock. Archive: `completed` at the row’s `date`, paid unless the row says ' +
      'unpaid, taking no stock. Re-running a file creates nothing twice: a row already imported (same ' +
      '`external_id`, else the same cells) is listed under `skipped`. Larger than 50 MB is 413.',
    schema: { body: UploadBody, response: { 200: schemas.UploadOrdersReport } },
    handler: async (request, reply) => {
      if (!request.isMultipart())
        throw new ApiError(
          415,
          'unsupported_media_type',
          'Send the CSV file as multipart/form-data (fields `create_type`, `tz`, then `file`)',
        );
      const { db, config } = request.server.deps;
      const limit = csvUploadLimit(config.storage.maxUploadBytes);
      try {
        checkDeclaredLength(request.headers['content-length'], limit);
        return await importUploadedOrders(db, businessCaller(request), limit, config.publicUrl, () =>
          request.file({ limits: { fileSize: limit + 1 }, throwFileSizeLimit: false }),
        );
      } catch (error) {
        // The rest of a refused upload may still be on its way: end the connection after the answer.
        reply.header('connection', 'close');
        throw error;
      }
    },
  }),
];
