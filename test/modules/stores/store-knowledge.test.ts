import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachProductToStore, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { expectInsufficientScope, ISO, warmUp } from './paging.ts';

beforeAll(warmUp);

async function knowledge(
  tenant: Tenant,
  productId: number,
  q: string,
  a: string,
  variantId: number | null = null,
) {
  const id = randomUUID();
  await tenant.ctx.database.db
    .insertInto('product_knowledge_items')
    .values({ id, business_id: tenant.business.id, product_id: productId, variant_id: variantId, q, a })
    .execute();
  return id;
}

const url = (tenant: Tenant) => `/v3/stores/${tenant.store.id}/product-knowledge`;

describe('searchBusinessStoreProductKnowledge', () => {
  it("searches questions and answers of the store's products, question matches first", async () => {
    const tenant = await createTenant('Knowledge');
    const listed = await insertProduct(tenant, { name: 'Kopi Arabika' });
    const unlisted = await insertProduct(tenant, { name: 'Teh' });
    await attachProductToStore(tenant, listed.id);
    const inAnswer = await knowledge(tenant, listed.id, 'Berapa lama pengiriman?', 'Kopi dikirim 2 hari.');
    const inQuestion = await knowledge(
      tenant,
      listed.id,
      'Apakah kopi ini halal?',
      'Ya.',
      listed.variants[0]!.id,
    );
    await knowledge(tenant, listed.id, 'Garansi?', 'Tidak ada.');
    await knowledge(tenant, unlisted.id, 'Kopi juga?', 'Bukan, ini teh.');

    const res = await tenant.request('GET', url(tenant), { query: { search: 'KOPI' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      data: [
        {
          id: inQuestion,
          product_id: listed.id,
          product_name: 'Kopi Arabika',
          variant_id: listed.variants[0]!.id,
          variant_unique_id: listed.variants[0]!.unique_id,
          q: 'Apakah kopi ini halal?',
          a: 'Ya.',
          position: 0,
          inserted_at: expect.stringMatching(ISO),
          updated_at: expect.stringMatching(ISO),
        },
        expect.objectContaining({ id: inAnswer, variant_id: null, variant_unique_id: null }),
      ],
      is_paginated: false,
    });
    const limited = await tenant.request('GET', url(tenant), { query: { search: 'kopi', limit: 1 } });
    expect(limited.json().data.map((item: { id: string }) => item.id)).toEqual([inQuestion]);
    const byVariant = await tenant.request('GET', url(tenant), {
      query: { search: 'kopi', variant_id: listed.variants[0]!.id },
    });
    expect(byVariant.json().data).toHaveLength(1);
    const byProduct = await tenant.request('GET', url(tenant), {
      query: { search: 'kopi', product_id: unlisted.id },
    });
    expect(byProduct.json().data).toEqual([]);
    // LIKE metacharacters are literal.
    expect((await tenant.request('GET', url(tenant), { query: { search: '%' } })).json().data).toEqual([]);
  });

  it('validates the query, scope and tenant', async () => {
    const tenant = await createTenant('Knowledge');
    for (const [query, field] of [
      [{}, 'search'],
      [{ search: '' }, 'search'],
      [{ search: 'x'.repeat(201) }, 'search'],
      [{ search: 'a', limit: 0 }, 'limit'],
      [{ search: 'a', limit: 51 }, 'limit'],
      [{ search: 'a', product_id: 'x' }, 'product_id'],
    ] as const) {
      const res = await tenant.request('GET', url(tenant), { query });
      expect(res.statusCode, JSON.stringify(query)).toBe(422);
      expect(res.json().errors[field], res.body).toBeDefined();
    }
    await expectInsufficientScope(tenant, 'GET', `${url(tenant)}?search=a`);
    const other = await createTenant('Other');
    expect((await other.request('GET', url(tenant), { query: { search: 'a' } })).statusCode).toBe(404);
  });
});
