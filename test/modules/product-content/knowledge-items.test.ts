import { describe, expect, it } from 'vitest';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { expectCursorPaging, expectError, expectPageSizeBounds, ISO, ok, UUID } from './helpers.ts';

interface KnowledgeItem {
  id: string;
  product_id: number;
  variant_id: number | null;
  q: string;
  a: string;
  position: number;
  inserted_at: string;
  updated_at: string;
}

const productItems = (productId: number | string) => `/v3/products/${productId}/knowledge-items`;
const variantItems = (variantId: number | string) => `/v3/variants/${variantId}/knowledge-items`;

describe('product knowledge items', () => {
  it('creates, reads, updates and deletes an item with the exact shape', async () => {
    const tenant = await createTenant('KI');
    const product = await insertProduct(tenant);
    const created = await ok<KnowledgeItem>(tenant, 'POST', productItems(product.id), {
      body: { q: 'Apakah bisa COD?', a: 'Bisa, ke seluruh Indonesia.' },
    });
    expect(Object.keys(created).sort()).toEqual(
      ['a', 'id', 'inserted_at', 'position', 'product_id', 'q', 'updated_at', 'variant_id'].sort(),
    );
    expect(created).toMatchObject({
      product_id: product.id,
      variant_id: null,
      q: 'Apakah bisa COD?',
      a: 'Bisa, ke seluruh Indonesia.',
      position: 0,
    });
    expect(created.id).toMatch(UUID);
    expect(created.inserted_at).toMatch(ISO);
    expect(created.updated_at).toMatch(ISO);

    // Without a position the next item goes last.
    const second = await ok<KnowledgeItem>(tenant, 'POST', productItems(product.id), {
      body: { q: 'Berapa lama pengiriman?', a: '2-3 hari kerja.' },
    });
    expect(second.position).toBe(1);

    expect(await ok(tenant, 'GET', `${productItems(product.id)}/${created.id}`)).toEqual(created);

    const updated = await ok<KnowledgeItem>(tenant, 'PATCH', `${productItems(product.id)}/${created.id}`, {
      body: { q: 'Bisa bayar di tempat?', a: 'Bisa.', position: 5 },
    });
    expect(updated).toMatchObject({ id: created.id, q: 'Bisa bayar di tempat?', a: 'Bisa.', position: 5 });
    const kept = await ok<KnowledgeItem>(tenant, 'PATCH', `${productItems(product.id)}/${created.id}`, {
      body: { q: 'Bisa COD?', a: 'Ya.' },
    });
    expect(kept.position).toBe(5);

    const res = await tenant.request('DELETE', `${productItems(product.id)}/${created.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    await expectError(tenant, 'GET', `${productItems(product.id)}/${created.id}`, 404);
  });

  it('keeps variant-level items out of the product list', async () => {
    const tenant = await createTenant('KI');
    const product = await insertProduct(tenant);
    await ok(tenant, 'POST', variantItems(product.variants[0]!.id), { body: { q: 'Ukuran?', a: 'XL' } });
    const page = await ok<{ data: unknown[] }>(tenant, 'GET', productItems(product.id));
    expect(page.data).toEqual([]);
  });

  it('pages by id ascending in both directions and bounds page_size', async () => {
    const tenant = await createTenant('KI');
    const product = await insertProduct(tenant);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const item = await ok<KnowledgeItem>(tenant, 'POST', productItems(product.id), {
        body: { q: `Pertanyaan ${i}`, a: `Jawaban ${i}` },
      });
      ids.push(item.id);
    }
    const page = await ok<{ data: KnowledgeItem[]; page_size: number; is_paginated: boolean }>(
      tenant,
      'GET',
      productItems(product.id),
    );
    expect(page.page_size).toBe(25);
    expect(page.is_paginated).toBe(true);
    expect(page.data.map((item) => item.id)).toEqual([...ids].sort());
    await expectCursorPaging(tenant, productItems(product.id), [...ids].sort());
    await expectPageSizeBounds(tenant, productItems(product.id));
  });

  it('validates the body', async () => {
    const tenant = await createTenant('KI');
    const product = await insertProduct(tenant);
    const missing = await expectError(tenant, 'POST', productItems(product.id), 422, { body: {} });
    expect(Object.keys(missing.errors).sort()).toEqual(['a', 'q']);
    const long = await expectError(tenant, 'POST', productItems(product.id), 422, {
      body: { q: 'x'.repeat(256), a: 'y'.repeat(3001), position: -1 },
    });
    expect(Object.keys(long.errors).sort()).toEqual(['a', 'position', 'q']);
    const blank = await expectError(tenant, 'POST', productItems(product.id), 422, {
      body: { q: '   ', a: 'ok' },
    });
    expect(blank.errors.q).toBeDefined();
    const badId = await expectError(tenant, 'GET', productItems('abc'), 422);
    expect(badId.errors.product_id).toBeDefined();
  });

  it('answers 404 for another business, unknown ids and non-UUID item ids', async () => {
    const tenant = await createTenant('KI');
    const other = await createTenant('KI other');
    const product = await insertProduct(tenant);
    const item = await ok<KnowledgeItem>(tenant, 'POST', productItems(product.id), {
      body: { q: 'Q', a: 'A' },
    });
    await expectError(other, 'GET', productItems(product.id), 404);
    await expectError(other, 'POST', productItems(product.id), 404, { body: { q: 'Q', a: 'A' } });
    await expectError(other, 'GET', `${productItems(product.id)}/${item.id}`, 404);
    await expectError(other, 'PATCH', `${productItems(product.id)}/${item.id}`, 404, {
      body: { q: 'Q', a: 'A' },
    });
    await expectError(other, 'DELETE', `${productItems(product.id)}/${item.id}`, 404);
    await expectError(tenant, 'GET', `${productItems(product.id)}/not-a-uuid`, 404);
    await expectError(tenant, 'GET', productItems(999_999_999), 404);
    // An item of another product of the same business is not found under this one.
    const sibling = await insertProduct(tenant);
    await expectError(tenant, 'GET', `${productItems(sibling.id)}/${item.id}`, 404);
  });

  it('requires the documented scopes', async () => {
    const tenant = await createTenant('KI');
    const product = await insertProduct(tenant);
    const item = await ok<KnowledgeItem>(tenant, 'POST', productItems(product.id), {
      body: { q: 'Q', a: 'A' },
    });
    const key = await tenant.restrictedKey(['order:list']);
    const calls: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown]> = [
      ['GET', productItems(product.id), undefined],
      ['POST', productItems(product.id), { q: 'Q', a: 'A' }],
      ['GET', `${productItems(product.id)}/${item.id}`, undefined],
      ['PATCH', `${productItems(product.id)}/${item.id}`, { q: 'Q', a: 'A' }],
      ['DELETE', `${productItems(product.id)}/${item.id}`, undefined],
    ];
    for (const [method, url, body] of calls) {
      const res = await expectError(tenant, method, url, 403, { key, ...(body ? { body } : {}) });
      expect(res.error_code).toBe('insufficient_scope');
    }
    const reader = await tenant.restrictedKey(['product:read']);
    await ok(tenant, 'GET', `${productItems(product.id)}/${item.id}`, { key: reader });
    await expectError(tenant, 'GET', productItems(product.id), 403, { key: reader });
  });
});

describe('variant knowledge items', () => {
  it('creates, lists, reads, updates and deletes variant-level items', async () => {
    const tenant = await createTenant('KI variant');
    const product = await insertProduct(tenant, {
      variants: [{ option1_value: 'S' }, { option1_value: 'M' }],
    });
    const [small, medium] = product.variants;
    const created = await ok<KnowledgeItem>(tenant, 'POST', variantItems(small!.id), {
      body: { q: 'Lingkar dada?', a: '96 cm', position: 2 },
    });
    expect(created).toMatchObject({ product_id: product.id, variant_id: small!.id, position: 2 });
    expect(created.id).toMatch(UUID);
    expect(await ok(tenant, 'GET', `${variantItems(small!.id)}/${created.id}`)).toEqual(created);
    // Another variant of the same product does not see it.
    await expectError(tenant, 'GET', `${variantItems(medium!.id)}/${created.id}`, 404);
    const other = await ok<KnowledgeItem>(tenant, 'POST', variantItems(small!.id), {
      body: { q: 'Bahan?', a: 'Katun' },
    });
    expect(other.position).toBe(3);
    await expectCursorPaging(tenant, variantItems(small!.id), [created.id, other.id].sort());
    await expectPageSizeBounds(tenant, variantItems(small!.id));

    const updated = await ok<KnowledgeItem>(tenant, 'PATCH', `${variantItems(small!.id)}/${created.id}`, {
      body: { q: 'Lingkar dada (cm)?', a: '96' },
    });
    expect(updated).toMatchObject({ q: 'Lingkar dada (cm)?', a: '96', position: 2, variant_id: small!.id });
    const res = await tenant.request('DELETE', `${variantItems(small!.id)}/${created.id}`);
    expect(res.statusCode).toBe(204);
  });

  it('validates input, hides other businesses and checks scopes', async () => {
    const tenant = await createTenant('KI variant');
    const other = await createTenant('KI variant other');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;
    const bad = await expectError(tenant, 'POST', variantItems(variantId), 422, { body: { q: 'Q' } });
    expect(bad.errors.a).toEqual(['is required']);
    await expectError(tenant, 'GET', variantItems('x1'), 422);
    const item = await ok<KnowledgeItem>(tenant, 'POST', variantItems(variantId), {
      body: { q: 'Q', a: 'A' },
    });
    await expectError(other, 'GET', variantItems(variantId), 404);
    await expectError(other, 'GET', `${variantItems(variantId)}/${item.id}`, 404);
    await expectError(other, 'PATCH', `${variantItems(variantId)}/${item.id}`, 404, {
      body: { q: 'Q', a: 'A' },
    });
    await expectError(other, 'DELETE', `${variantItems(variantId)}/${item.id}`, 404);
    const key = await tenant.restrictedKey(['order:list']);
    for (const [method, url] of [
      ['GET', variantItems(variantId)],
      ['GET', `${variantItems(variantId)}/${item.id}`],
      ['DELETE', `${variantItems(variantId)}/${item.id}`],
    ] as const) {
      expect((await expectError(tenant, method, url, 403, { key })).error_code).toBe('insufficient_scope');
    }
    for (const method of ['POST', 'PATCH'] as const) {
      const url = method === 'POST' ? variantItems(variantId) : `${variantItems(variantId)}/${item.id}`;
      const res = await expectError(tenant, method, url, 403, { key, body: { q: 'Q', a: 'A' } });
      expect(res.error_code).toBe('insufficient_scope');
    }
  });
});
