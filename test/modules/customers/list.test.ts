import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';

let tenant: Tenant;
let other: Tenant;

beforeAll(async () => {
  tenant = await createTenant('Daftar');
  other = await createTenant('Tetangga');
  const people = [
    { name: 'Budi Santoso', email: 'budi@example.test', phone: '081234500001', tags: ['vip', 'Jakarta'] },
    { name: 'Citra Lestari', email: 'citra@shop.test', phone: '081234500002', tags: ['reseller'] },
    { name: 'Dewi 100%', email: 'dewi@example.test', phone: '+62 899 0000', tags: ['vip'] },
    { name: 'Eko', email: null, phone: null, tags: [] },
  ];
  for (const person of people) {
    const response = await tenant.request('POST', '/v3/customers', { body: person });
    expect(response.statusCode, response.body).toBe(200);
  }
  await other.request('POST', '/v3/customers', {
    body: { name: 'Budi Other', email: 'budi@example.test', tags: ['vip', 'zzz-other'] },
  });
});

const names = (body: { data: Array<{ name: string }> }) => body.data.map((customer) => customer.name);

describe('listBusinessCustomers', () => {
  it('lists only the business customers, newest first, paged by cursor both ways', async () => {
    const first = await tenant.request('GET', '/v3/customers', { query: { page_size: 3 } });
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1).toMatchObject({ is_paginated: true, has_next: true, has_previous: false, page_size: 3 });
    expect(names(page1)).toEqual(['Eko', 'Dewi 100%', 'Citra Lestari']);
    expect(page1.data[0]).toHaveProperty('tags');

    const second = await tenant.request('GET', '/v3/customers', {
      query: { page_size: 3, next_cursor: page1.next_cursor },
    });
    const page2 = second.json();
    expect(names(page2)).toEqual(['Budi Santoso']);
    expect(page2).toMatchObject({ has_next: false, has_previous: true, next_cursor: null });

    const back = await tenant.request('GET', '/v3/customers', {
      query: { page_size: 3, previous_cursor: page2.previous_cursor },
    });
    expect(names(back.json())).toEqual(['Eko', 'Dewi 100%', 'Citra Lestari']);
  });

  it('searches name, e-mail and phone literally and case-insensitively', async () => {
    const search = async (term: string) =>
      names((await tenant.request('GET', '/v3/customers', { query: { search: term } })).json());
    expect(await search('BUDI')).toEqual(['Budi Santoso']);
    expect(await search('shop.test')).toEqual(['Citra Lestari']);
    expect(await search('500002')).toEqual(['Citra Lestari']);
    expect(await search('100%')).toEqual(['Dewi 100%']);
    expect(await search('%')).toEqual(['Dewi 100%']);
    expect(await search('nobody')).toEqual([]);
  });

  it('filters by any of the comma-separated tags', async () => {
    const byTags = async (tags: string) =>
      names((await tenant.request('GET', '/v3/customers', { query: { tags } })).json());
    expect(await byTags('vip')).toEqual(['Dewi 100%', 'Budi Santoso']);
    expect(await byTags('reseller, Jakarta')).toEqual(['Citra Lestari', 'Budi Santoso']);
    expect(await byTags('zzz-other')).toEqual([]);
    const combined = await tenant.request('GET', '/v3/customers', { query: { tags: 'vip', search: 'dewi' } });
    expect(names(combined.json())).toEqual(['Dewi 100%']);
  });

  it('refuses a cursor made for other filters, page sizes over 25 and a key without customer:list', async () => {
    const page = (await tenant.request('GET', '/v3/customers', { query: { page_size: 1 } })).json();
    const replay = await tenant.request('GET', '/v3/customers', {
      query: { page_size: 1, tags: 'vip', next_cursor: page.next_cursor },
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error_code).toBe('invalid_cursor');
    const foreign = await other.request('GET', '/v3/customers', { query: { next_cursor: page.next_cursor } });
    expect(foreign.statusCode).toBe(400);
    expect((await tenant.request('GET', '/v3/customers', { query: { page_size: 26 } })).statusCode).toBe(422);
    const key = await tenant.restrictedKey(['customer:read', 'customer:create']);
    expect((await tenant.request('GET', '/v3/customers', { key })).statusCode).toBe(403);
  });
});

describe('countBusinessCustomers', () => {
  it('counts with the same filters as the list', async () => {
    const count = async (query: Record<string, string> = {}) => {
      const response = await tenant.request('GET', '/v3/customers/count', { query });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    expect(await count()).toEqual({ total: 4 });
    expect(await count({ tags: 'vip' })).toEqual({ total: 2 });
    expect(await count({ search: 'example.test' })).toEqual({ total: 2 });
    expect(await count({ search: 'budi', tags: 'reseller' })).toEqual({ total: 0 });
    const key = await tenant.restrictedKey(['customer:read']);
    expect((await tenant.request('GET', '/v3/customers/count', { key })).statusCode).toBe(403);
  });
});

describe('listBusinessCustomerTags', () => {
  it("lists the business's distinct tags alphabetically, optionally searched", async () => {
    const response = await tenant.request('GET', '/v3/customers/tags');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ data: ['Jakarta', 'reseller', 'vip'], is_paginated: false });
    const searched = await tenant.request('GET', '/v3/customers/tags', { query: { search: 'SELL' } });
    expect(searched.json().data).toEqual(['reseller']);
    const key = await tenant.restrictedKey(['customer:read']);
    expect((await tenant.request('GET', '/v3/customers/tags', { key })).statusCode).toBe(403);
  });
});
