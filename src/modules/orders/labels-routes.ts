import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { BusinessOrder } from './business-schemas.ts';
import * as edit from './edit-service.ts';
import { UTM_COLUMNS, type UtmColumn } from './labels-queries.ts';
import * as schemas from './labels-schemas.ts';
import * as labels from './labels-service.ts';
import { business, OrderIdParams } from './route-parts.ts';

const { LABEL_LIMIT } = labels;

const UTM_OPERATIONS: Record<UtmColumn, { operationId: string; path: string }> = {
  utm_source: { operationId: 'listOrderUtmSources', path: '/v3/orders/utm-sources' },
  utm_medium: { operationId: 'listOrderUtmMediums', path: '/v3/orders/utm-mediums' },
  utm_campaign: { operationId: 'listOrderUtmCampaigns', path: '/v3/orders/utm-campaigns' },
  utm_content: { operationId: 'listOrderUtmContents', path: '/v3/orders/utm-contents' },
  utm_term: { operationId: 'listOrderUtmTerms', path: '/v3/orders/utm-terms' },
};

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'listOrderTags',
    method: 'GET',
    path: '/v3/orders/tags',
    auth: [...business],
    scope: 'order:list',
    description: `The tags on the business's orders, alphabetically, at most ${LABEL_LIMIT}.`,
    schema: { querystring: schemas.LabelSearchQuery, response: { 200: schemas.OrderTagList } },
    handler: async (request) =>
      labels.listOrderTags(request.server.deps.db, businessCaller(request), request.query.search),
  }),
  ...UTM_COLUMNS.map((column) =>
    defineRoute({
      ...UTM_OPERATIONS[column],
      method: 'GET',
      auth: [...business],
      scope: 'order:list',
      description: `The distinct \`${column}\` values of the business's orders, alphabetically, at most ${LABEL_LIMIT}.`,
      schema: { querystring: schemas.LabelSearchQuery, response: { 200: schemas.UtmValueList } },
      handler: async (request) =>
        labels.listUtmValues(request.server.deps.db, businessCaller(request), column, request.query.search),
    }),
  ),
  defineRoute({
    operationId: 'updateOrderTags',
    method: 'POST',
    path: '/v3/orders/{id}/update-tags',
    auth: [...business],
    scope: 'order:update',
    schema: { params: OrderIdParams, body: schemas.UpdateOrderTagsBody, response: { 200: BusinessOrder } },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return edit.updateOrderTags(
        db,
        businessCaller(request),
        request.params.id,
        request.body.tags,
        config.publicUrl,
      );
    },
  }),
  defineRoute({
    operationId: 'updateOrderCustomer',
    method: 'PATCH',
    path: '/v3/orders/{id}/customer',
    auth: [...business],
    scope: 'order:update',
    description: 'Links the order to the customer and takes their name, e-mail and phone as its contact.',
    schema: {
      params: OrderIdParams,
      body: schemas.UpdateOrderCustomerBody,
      response: { 200: BusinessOrder },
    },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return edit.updateOrderCustomer(
        db,
        businessCaller(request),
        request.params.id,
        request.body.customer_id,
        config.publicUrl,
      );
    },
  }),
];
