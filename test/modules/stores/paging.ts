import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { getTestContext } from '../../helpers/app.ts';
import type { Tenant } from '../../helpers/tenants.ts';

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function idsOf(res: LightMyRequestResponse): unknown[] {
  return res.json().data.map((item: { id: unknown }) => item.id);
}

/**
 * Pages a list of exactly five items two at a time forwards and back again, checking the envelope at
 * every step, and returns the ids in list order.
 */
export async function walkFiveItems(
  tenant: Tenant,
  url: string,
  query: Record<string, string | number> = {},
): Promise<unknown[]> {
  const get = (extra: Record<string, string | number>) =>
    tenant.request('GET', url, { query: { ...query, ...extra } });
  const all = await get({});
  expect(all.statusCode, all.body).toBe(200);
  expect(all.json()).toMatchObject({
    is_paginated: true,
    has_next: false,
    has_previous: false,
    page_size: 25,
  });
  const ids = idsOf(all);
  expect(ids).toHaveLength(5);

  const first = await get({ page_size: 2 });
  expect(first.json()).toMatchObject({
    has_next: true,
    has_previous: false,
    previous_cursor: null,
    page_size: 2,
  });
  const second = await get({ page_size: 2, next_cursor: first.json().next_cursor });
  expect(second.json()).toMatchObject({ has_next: true, has_previous: true });
  const third = await get({ page_size: 2, next_cursor: second.json().next_cursor });
  expect(third.json()).toMatchObject({ has_next: false, has_previous: true, next_cursor: null });
  expect([...idsOf(first), ...idsOf(second), ...idsOf(third)]).toEqual(ids);

  const back = await get({ page_size: 2, previous_cursor: third.json().previous_cursor });
  expect(idsOf(back)).toEqual(idsOf(second));
  const backToFirst = await get({ page_size: 2, previous_cursor: back.json().previous_cursor });
  expect(idsOf(backToFirst)).toEqual(idsOf(first));
  expect(backToFirst.json()).toMatchObject({ has_previous: false, previous_cursor: null });
  return ids;
}

/** page_size 0 and 26 are refused with a field error. */
export async function expectPageSizeBounds(tenant: Tenant, url: string): Promise<void> {
  for (const page_size of [0, 26]) {
    const res = await tenant.request('GET', url, { query: { page_size } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors.page_size).toBeDefined();
  }
}

export async function expectInsufficientScope(
  tenant: Tenant,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<void> {
  const key = await tenant.restrictedKey(['order:read']);
  const res = await tenant.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(403);
  expect(res.json().error_code).toBe('insufficient_scope');
}

/** Opens the worker's shared app in a hook (hooks may take longer than a test on a busy machine). */
export async function warmUp(): Promise<void> {
  await getTestContext();
}
