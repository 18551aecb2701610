import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { TSchema } from '@sinclair/typebox';
import { expect } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import * as schemas from '../../../src/modules/storefront/schemas.ts';
import type { TestContext } from '../../helpers/app.ts';
import { send } from '../../helpers/tenants.ts';

/**
 * Every answer of a store's storefront catalog routes, byte for byte: all pages of the items list
 * forward and one back, the kind filters, the count, and the detail page of every listed item.
 */
export async function catalogAnswers(
  ctx: TestContext,
  store: { unique_id: string; key: string },
  pageSize = 7,
): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  const get = async (path: string, query: Record<string, string> = {}) => {
    const res = await send(ctx, 'GET', `/v3/stores/${store.unique_id}/public${path}`, {
      query,
      headers: { 'x-scalev-storefront-api-key': store.key },
    });
    expect(res.statusCode, `${path} ${res.body}`).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    answers.set(`${path} ${JSON.stringify(query)}`, res.body);
    return res.json();
  };
  const items: Array<{ entity_type: string; slug: string }> = [];
  let query: Record<string, string> = { page_size: String(pageSize) };
  for (;;) {
    const page = await get('/items', query);
    items.push(...page.data);
    if (!page.next_cursor) {
      if (page.previous_cursor)
        await get('/items', { page_size: String(pageSize), previous_cursor: page.previous_cursor });
      break;
    }
    query = { page_size: String(pageSize), next_cursor: page.next_cursor };
  }
  for (const entity_type of ['product', 'bundle_price_option']) await get('/items', { entity_type });
  await get('/items/count');
  for (const item of items) {
    await get(
      item.entity_type === 'product' ? `/products/${item.slug}` : `/bundle-price-options/${item.slug}`,
    );
  }
  return answers;
}

/** Forgets every stored card and detail page of the store, so the next answers are rendered afresh. */
export async function forgetStoredTexts(db: Db, storeId: number): Promise<void> {
  const cleared = { card: null, card_snapshot: null, detail: null, detail_snapshot: null };
  await db.updateTable('store_products').set(cleared).where('store_id', '=', storeId).execute();
  await db.updateTable('store_bundle_price_options').set(cleared).where('store_id', '=', storeId).execute();
}

function serializerOf(schema: TSchema): (value: unknown) => string {
  return SerializerSelector()({}, {})({ schema, method: 'GET', url: '/', httpStatus: '200' }) as (
    value: unknown,
  ) => string;
}
const SERIALIZERS = {
  items: serializerOf(schemas.StorefrontItemPage),
  products: serializerOf(schemas.StorefrontProduct),
  'bundle-price-options': serializerOf(schemas.StorefrontBundlePriceOption),
};

/**
 * Each answer is exactly what Fastify's serializer for the route's response schema writes of its
 * content: the bytes a route returning objects sent before the read model.
 */
export function expectRouteSerialization(answers: Map<string, string>): void {
  for (const [request, body] of answers) {
    const route = request.split(' ')[0]!.split('/')[1] as keyof typeof SERIALIZERS | 'items';
    if (request.startsWith('/items/count')) continue;
    expect(SERIALIZERS[route](JSON.parse(body)), request).toBe(body);
  }
}
