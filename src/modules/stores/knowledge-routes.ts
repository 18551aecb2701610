import { Type } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { Collection, Nullable, Timestamp } from '../../http/schemas.ts';
import * as q from './knowledge-queries.ts';
import { StoreParams } from './schemas.ts';
import { requireStore, type StoreCaller } from './service.ts';

const DEFAULT_LIMIT = 10;

const KnowledgeQuery = Type.Object({
  search: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Search query.' }),
  product_id: Type.Optional(
    Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Optional product filter.' }),
  ),
  variant_id: Type.Optional(
    Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Optional variant filter.' }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 50, default: DEFAULT_LIMIT, description: 'Optional result limit.' }),
  ),
});

const StoreKnowledgeItem = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    product_id: Type.Integer(),
    product_name: Type.String(),
    variant_id: Nullable(Type.Integer({ description: 'Null for product-level items.' })),
    variant_unique_id: Nullable(Type.String()),
    q: Type.String(),
    a: Type.String(),
    position: Type.Integer(),
    inserted_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'StoreProductKnowledgeItem' },
);

async function searchKnowledge(
  db: Db,
  caller: StoreCaller,
  storeId: number,
  query: { search: string; product_id?: number; variant_id?: number; limit?: number },
) {
  await requireStore(db, caller.businessId, storeId);
  const rows = await q.searchStoreKnowledge(db, {
    businessId: caller.businessId,
    storeId,
    search: query.search.trim(),
    productId: query.product_id,
    variantId: query.variant_id,
    limit: query.limit ?? DEFAULT_LIMIT,
  });
  return rows.map((row) => ({
    ...row,
    inserted_at: row.inserted_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  }));
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'searchBusinessStoreProductKnowledge',
    method: 'GET',
    path: '/v3/stores/{store_id}/product-knowledge',
    auth: ['apiKey', 'oauth'],
    scope: 'store:read',
    schema: {
      params: StoreParams,
      querystring: KnowledgeQuery,
      response: { 200: Collection(StoreKnowledgeItem, 'StoreProductKnowledgeListResponse') },
    },
    handler: async (request) => ({
      data: await searchKnowledge(
        request.server.deps.db,
        businessCaller(request),
        request.params.store_id,
        request.query,
      ),
      is_paginated: false as const,
    }),
  }),
];
