import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { createCode } from './fixtures.ts';

let tenant: Tenant;
const ids: Record<string, number> = {};

beforeAll(async () => {
  tenant = await createTenant('Daftar');
  const specs = [
    ['AAA-PROD', 'product_price', true],
    ['BBB_SHIP', 'shipping_cost', true],
    ['CCC%PROD', 'product_price', false],
    ['DDD-SHIP', 'shipping_cost', false],
    ['EEE-PROD', 'product_price', true],
  ] as const;
  for (const [code, appliedTo, enabled] of specs) {
    const created = await createCode(tenant, {
      code,
      applied_to: appliedTo,
      amount_type: 'fixed',
      amount: 1000,
      is_enabled: enabled,
    });
    ids[code] = created.id;
  }
});

async function list(query: Record<string, string | number> = {}) {
  const response = await tenant.request('GET', '/v3/discount-codes', { query });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const codesOf = (body: { data: Array<{ code: string }> }) => body.data.map((item) => item.code);

describe('listDiscountCodes', () => {
  it('lists the business codes newest first with the paginated envelope', async () => {
    const body = await list();
    expect(codesOf(body)).toEqual(['EEE-PROD', 'DDD-SHIP', 'CCC%PROD', 'BBB_SHIP', 'AAA-PROD']);
    expect(body).toMatchObject({
      is_paginated: true,
      has_next: false,
      has_previous: false,
      next_cursor: null,
      previous_cursor: null,
      page_size: 25,
    });
    expect(body.data[0]).toMatchObject({ id: ids['EEE-PROD'], business_id: tenant.business.id, pages: [] });

    const other = await createTenant('Kosong');
    const theirs = await other.request('GET', '/v3/discount-codes');
    expect(theirs.json().data).toEqual([]);
  });

  it('filters by applied_to, status and a case-insensitive literal search', async () => {
    expect(codesOf(await list({ applied_to: 'shipping_cost' }))).toEqual(['DDD-SHIP', 'BBB_SHIP']);
    expect(codesOf(await list({ status: 'disabled' }))).toEqual(['DDD-SHIP', 'CCC%PROD']);
    expect(codesOf(await list({ status: 'enabled', applied_to: 'product_price' }))).toEqual([
      'EEE-PROD',
      'AAA-PROD',
    ]);
    expect(codesOf(await list({ search: 'prod' }))).toEqual(['EEE-PROD', 'CCC%PROD', 'AAA-PROD']);
    expect(codesOf(await list({ search: '%' }))).toEqual(['CCC%PROD']);
    expect(codesOf(await list({ search: ' eee prod ' }))).toEqual([]);
    expect(codesOf(await list({ search: 'e e e-p' }))).toEqual(['EEE-PROD']);
    expect(codesOf(await list({ search: '_' }))).toEqual(['BBB_SHIP']);
  });

  it('pages forwards and backwards with cursors bound to the filters', async () => {
    const first = await list({ page_size: 2 });
    expect(codesOf(first)).toEqual(['EEE-PROD', 'DDD-SHIP']);
    expect(first.has_next).toBe(true);
    const second = await list({ page_size: 2, next_cursor: first.next_cursor });
    expect(codesOf(second)).toEqual(['CCC%PROD', 'BBB_SHIP']);
    expect(second).toMatchObject({ has_next: true, has_previous: true });
    const back = await list({ page_size: 2, previous_cursor: second.previous_cursor });
    expect(codesOf(back)).toEqual(['EEE-PROD', 'DDD-SHIP']);

    const replayed = await tenant.request('GET', '/v3/discount-codes', {
      query: { page_size: 2, next_cursor: first.next_cursor, status: 'enabled' },
    });
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json().error_code).toBe('invalid_cursor');
  });

  it.each([
    [{ page_size: 0 }, 'page_size'],
    [{ page_size: 26 }, 'page_size'],
    [{ applied_to: 'total' }, 'applied_to'],
    [{ status: 'on' }, 'status'],
    [{ search: 'x'.repeat(101) }, 'search'],
  ])('422 on bad query %#', async (query, field) => {
    const response = await tenant.request('GET', '/v3/discount-codes', { query });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[field]).toBeDefined();
  });
});
