import { describe, expect, it } from 'vitest';
import { createTenant } from '../../helpers/tenants.ts';
import { expectInsufficientScope, expectInvalid, expectNotFound } from './helpers.ts';

const SHIRTS = {
  id: 212,
  full_path: 'Apparel & Accessories > Clothing > Shirts & Tops',
  level_1: 'Apparel & Accessories',
  level_2: 'Clothing',
  level_3: 'Shirts & Tops',
  level_4: null,
  level_5: null,
  level_6: null,
  level_7: null,
};

const byteOrder = (a: string, b: string) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1);

describe('product taxonomies', () => {
  it('gets one taxonomy by id with its levels', async () => {
    const tenant = await createTenant('Taxonomy');
    const res = await tenant.request('GET', '/v3/product-taxonomies/212');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(SHIRTS);
  });

  it('ships the whole category tree: real categories down to level 7', async () => {
    const tenant = await createTenant('Taxonomy');
    const db = tenant.ctx.database.db;
    const count = await db
      .selectFrom('product_taxonomies')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5582);
    const deepest = await db
      .selectFrom('product_taxonomies')
      .selectAll()
      .where('level', '=', 7)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(deepest.level_7).toBe(deepest.name);
    expect(deepest.full_path.split(' > ')).toHaveLength(7);
    const parent = await db
      .selectFrom('product_taxonomies')
      .selectAll()
      .where('id', '=', deepest.parent_id)
      .executeTakeFirstOrThrow();
    expect(deepest.full_path.startsWith(`${parent.full_path} > `)).toBe(true);
  });

  it('answers 404 for unknown, non-numeric and out-of-range ids', async () => {
    const tenant = await createTenant('Taxonomy');
    for (const id of ['999999999', 'abc', '99999999999999999999', '-1', '0']) {
      expectNotFound(await tenant.request('GET', `/v3/product-taxonomies/${id}`));
    }
  });

  it('lists 25 by default sorted by full_path, and pages forwards and backwards', async () => {
    const tenant = await createTenant('Taxonomy');
    const first = await tenant.request('GET', '/v3/product-taxonomies');
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1).toMatchObject({ is_paginated: true, has_next: true, has_previous: false, page_size: 25 });
    expect(page1.previous_cursor).toBeNull();
    expect(page1.data).toHaveLength(25);
    expect(page1.data[0].full_path).toBe('Animals & Pet Supplies');
    const paths = page1.data.map((t: { full_path: string }) => t.full_path);
    expect([...paths].sort(byteOrder)).toEqual(paths);

    const small = (await tenant.request('GET', '/v3/product-taxonomies', { query: { page_size: 3 } })).json();
    const next = (
      await tenant.request('GET', '/v3/product-taxonomies', {
        query: { page_size: 3, next_cursor: small.next_cursor },
      })
    ).json();
    expect(next.data.map((t: { id: number }) => t.id)).toEqual(
      page1.data.slice(3, 6).map((t: { id: number }) => t.id),
    );
    expect(next.has_previous).toBe(true);
    const back = (
      await tenant.request('GET', '/v3/product-taxonomies', {
        query: { page_size: 3, previous_cursor: next.previous_cursor },
      })
    ).json();
    expect(back.data).toEqual(small.data);
    expect(back.has_previous).toBe(false);
    expect(back.has_next).toBe(true);
  });

  it('searches the full path case-insensitively, and the cursor keeps the search', async () => {
    const tenant = await createTenant('Taxonomy');
    const exact = await tenant.request('GET', '/v3/product-taxonomies', {
      query: { search: 'SHIRTS & tops' },
    });
    expect(exact.json()).toMatchObject({ data: [SHIRTS], has_next: false, next_cursor: null });

    const seen: number[] = [];
    let query: Record<string, string | number> = { search: 'CoFFee', page_size: 10 };
    for (;;) {
      const res = await tenant.request('GET', '/v3/product-taxonomies', { query });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      for (const t of body.data) {
        expect(t.full_path.toLowerCase()).toContain('coffee');
        seen.push(t.id);
      }
      if (!body.has_next) break;
      query = { search: 'CoFFee', page_size: 10, next_cursor: body.next_cursor };
    }
    expect(seen).toHaveLength(26);
    expect(new Set(seen).size).toBe(26);

    // A cursor from one search is refused under another.
    const first = (
      await tenant.request('GET', '/v3/product-taxonomies', { query: { search: 'coffee', page_size: 2 } })
    ).json();
    const other = await tenant.request('GET', '/v3/product-taxonomies', {
      query: { search: 'tea', next_cursor: first.next_cursor },
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error_code).toBe('invalid_cursor');
    // LIKE wildcards are literal.
    const literal = await tenant.request('GET', '/v3/product-taxonomies', { query: { search: '%' } });
    expect(literal.json().data).toEqual([]);
  });

  it('bounds page_size to 1..25', async () => {
    const tenant = await createTenant('Taxonomy');
    for (const size of [0, 26]) {
      expectInvalid(
        await tenant.request('GET', '/v3/product-taxonomies', { query: { page_size: size } }),
        'page_size',
      );
    }
  });

  it('requires product:list and product:read', async () => {
    const tenant = await createTenant('Taxonomy');
    const key = await tenant.restrictedKey(['order:list']);
    expectInsufficientScope(await tenant.request('GET', '/v3/product-taxonomies', { key }));
    expectInsufficientScope(await tenant.request('GET', '/v3/product-taxonomies/212', { key }));
    const reader = await tenant.restrictedKey(['product:read']);
    expect((await tenant.request('GET', '/v3/product-taxonomies/212', { key: reader })).statusCode).toBe(200);
  });
});
