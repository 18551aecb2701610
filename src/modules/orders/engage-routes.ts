import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import { NoContent } from '../../http/schemas.ts';
import { storageFor } from '../../providers/storage/index.ts';
import * as schemas from './engage-schemas.ts';
import * as service from './engage-service.ts';
import { business, OrderIdParams } from './route-parts.ts';

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getOrderActions',
    method: 'GET',
    path: '/v3/orders/{id}/actions',
    auth: [...business],
    scope: 'order:read',
    schema: { params: OrderIdParams, response: { 200: schemas.OrderActions } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.getOrderActions(db, businessCaller(request), request.params.id, config.publicUrl);
    },
  }),
  defineRoute({
    operationId: 'listOrderChats',
    method: 'GET',
    path: '/v3/orders/{id}/chats',
    auth: [...business],
    scope: 'order:read',
    description:
      'The follow-up chats of the order’s products and bundles, for its payment method, the buyer’s details filled in.',
    schema: { params: OrderIdParams, response: { 200: schemas.OrderChats } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.listOrderChats(db, businessCaller(request), request.params.id, config.publicUrl);
    },
  }),
  defineRoute({
    operationId: 'getOrderChat',
    method: 'GET',
    path: '/v3/orders/{id}/chats/{chat_id}',
    auth: [...business],
    scope: 'order:read',
    schema: { params: schemas.OrderChatParams, response: { 200: schemas.OrderChat } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      const { id, chat_id } = request.params;
      return service.getOrderChat(db, businessCaller(request), id, chat_id, config.publicUrl);
    },
  }),
  defineRoute({
    operationId: 'listOrderEmails',
    method: 'GET',
    path: '/v3/orders/{id}/emails',
    auth: [...business],
    scope: 'order:list',
    schema: { params: OrderIdParams, response: { 200: schemas.OrderEmails } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.listOrderEmails(db, businessCaller(request), request.params.id, config.publicUrl);
    },
  }),
  defineRoute({
    operationId: 'getOrderMessageHistory',
    method: 'GET',
    path: '/v3/orders/{id}/message-history',
    auth: [...business],
    scope: 'order:read',
    schema: { params: OrderIdParams, response: { 200: schemas.OrderMessageHistory } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.getOrderMessageHistory(db, businessCaller(request), request.params.id, config.publicUrl);
    },
  }),
  defineRoute({
    operationId: 'addOrderMessageHistory',
    method: 'POST',
    path: '/v3/orders/{id}/message-history',
    auth: [...business],
    scope: 'order:update',
    description:
      'Records that one of the order’s follow-up chats was sent to the buyer; this server sends nothing itself.',
    schema: {
      params: OrderIdParams,
      body: schemas.AddOrderMessageBody,
      response: { 200: schemas.OrderMessageHistory },
    },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.addOrderMessageHistory(
        db,
        businessCaller(request),
        request.params.id,
        request.body.follow_up_chat_id,
        config.publicUrl,
      );
    },
  }),
  defineRoute({
    operationId: 'sendDigitalProduct',
    method: 'POST',
    path: '/v3/orders/{id}/send-product-digital',
    auth: [...business],
    scope: 'order:read',
    description:
      'E-mails the buyer download links for the order’s digital products (409 when it has none, or no e-mail).',
    schema: { params: OrderIdParams, response: { 204: NoContent } },
    handler: async (request, reply) => {
      const { deps } = request.server;
      await service.sendDigitalProduct(
        deps.db,
        storageFor(deps),
        businessCaller(request),
        request.params.id,
        deps.config.publicUrl,
      );
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'sendLmsAccess',
    method: 'POST',
    path: '/v3/orders/{id}/send-lms-access',
    auth: [...business],
    scope: 'order:read',
    description: 'E-mails the buyer the courses the order gives them (409 when it has none, or no e-mail).',
    schema: { params: OrderIdParams, response: { 204: NoContent } },
    handler: async (request, reply) => {
      const { db, config } = request.server.deps;
      await service.sendLmsAccess(db, businessCaller(request), request.params.id, config.publicUrl);
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'triggerOrderPurchase',
    method: 'POST',
    path: '/v3/orders/{id}/trigger-purchase',
    auth: [...business],
    scope: 'order:update',
    description:
      'Queues the order’s Purchase event to the store’s Meta, TikTok and SnackVideo pixels (SnackVideo needs `metadata.kwai_click_id`); the worker delivers them.',
    schema: { params: OrderIdParams, response: { 200: schemas.OrderPurchase } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.triggerOrderPurchase(db, businessCaller(request), request.params.id, config.publicUrl);
    },
  }),
];
