import { expect } from 'vitest';
import type { Tenant } from '../../helpers/tenants.ts';

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Sends and asserts the status, answering the parsed body. */
export async function ok<T = Record<string, unknown>>(
  tenant: Tenant,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  options: { body?: unknown; query?: Record<string, string | number>; status?: number; key?: string } = {},
): Promise<T> {
  const { status = 200, ...rest } = options;
  const res = await tenant.request(method, url, rest);
  expect(res.statusCode, res.body).toBe(status);
  return (res.body ? res.json() : undefined) as T;
}

export async function expectError(
  tenant: Tenant,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  status: number,
  options: { body?: unknown; query?: Record<string, string | number>; key?: string } = {},
) {
  const res = await tenant.request(method, url, options);
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as {
    error: string;
    error_code: string;
    message: string;
    errors: Record<string, string[]>;
  };
}

export interface Page<T> {
  data: T[];
  is_paginated: true;
  has_next: boolean;
  has_previous: boolean;
  next_cursor: string | null;
  previous_cursor: string | null;
  page_size: number;
}

/**
 * Walks a list forwards with `page_size` 2, then back from the last page, checking the cursors
 * and that both directions see the same ids in the same order.
 */
export async function expectCursorPaging(tenant: Tenant, url: string, expectedIds: Array<string | number>) {
  const forward: Array<string | number> = [];
  const pages: Page<{ id: string | number }>[] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string | number> = {
      page_size: 2,
      ...(cursor ? { next_cursor: cursor } : {}),
    };
    const page: Page<{ id: string | number }> = await ok(tenant, 'GET', url, { query });
    expect(page.page_size).toBe(2);
    expect(page.has_previous).toBe(pages.length > 0);
    pages.push(page);
    forward.push(...page.data.map((row) => row.id));
    cursor = page.next_cursor;
  } while (cursor);
  expect(forward).toEqual(expectedIds);

  const backward: Array<string | number> = [];
  let previous = pages[pages.length - 1]!.previous_cursor;
  backward.unshift(...pages[pages.length - 1]!.data.map((row) => row.id));
  while (previous) {
    const page: Page<{ id: string | number }> = await ok(tenant, 'GET', url, {
      query: { page_size: 2, previous_cursor: previous },
    });
    expect(page.has_next).toBe(true);
    backward.unshift(...page.data.map((row) => row.id));
    previous = page.previous_cursor;
  }
  expect(backward).toEqual(expectedIds);
}

/** page_size 0 and 26 are refused with a field error. */
export async function expectPageSizeBounds(tenant: Tenant, url: string) {
  for (const size of [0, 26]) {
    const body = await expectError(tenant, 'GET', url, 422, { query: { page_size: size } });
    expect(body.errors.page_size).toBeDefined();
  }
}
