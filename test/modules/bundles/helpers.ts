import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { getTestContext } from '../../helpers/app.ts';
import type { Tenant } from '../../helpers/tenants.ts';

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const MONEY = /^\d+\.\d{2}$/;
export const BPO_ID = /^bpo_[A-Za-z0-9]{24}$/;

export function businessOf(tenant: Tenant) {
  return {
    id: tenant.business.id,
    unique_id: tenant.business.unique_id,
    username: tenant.business.username,
    account_holder: tenant.business.account_holder,
    email: tenant.owner.email,
    phone: null,
  };
}

export function ownerRef(tenant: Tenant) {
  return { id: tenant.owner.id, name: tenant.owner.name, email: tenant.owner.email };
}

export async function setTaxRate(tenant: Tenant, rate: string): Promise<void> {
  await tenant.ctx.database.db
    .updateTable('businesses')
    .set({ tax_rate: rate })
    .where('id', '=', tenant.business.id)
    .execute();
}

export async function placeInStore(
  tenant: Tenant,
  optionId: number,
  storeId = tenant.store.id,
): Promise<void> {
  await tenant.ctx.database.db
    .insertInto('store_bundle_price_options')
    .values({ store_id: storeId, bundle_price_option_id: optionId, business_id: tenant.business.id })
    .execute();
}

export async function createBundle(tenant: Tenant, body: Record<string, unknown> = {}) {
  const res = await tenant.request('POST', '/v3/bundles', {
    body: { name: 'Paket Hemat', public_name: 'Paket Hemat Ramadhan', ...body },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export function expectFieldError(res: LightMyRequestResponse, field: string): void {
  expect(res.statusCode, res.body).toBe(422);
  const body = res.json();
  expect(body.error_code).toBe('validation_failed');
  expect(body.errors[field], JSON.stringify(body.errors)).toEqual([expect.any(String)]);
}

export function expectStatus(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error_code).toBe(code);
}

export const ids = (res: LightMyRequestResponse): number[] =>
  res.json().data.map((item: { id: number }) => item.id);

/** Walks every page forwards with `page_size`, then back, checking the envelope on the way. */
export async function walkPages(
  get: (query: Record<string, string | number>) => Promise<LightMyRequestResponse>,
  expected: number[],
  pageSize: number,
): Promise<void> {
  const pages: LightMyRequestResponse[] = [];
  let res = await get({ page_size: pageSize });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ is_paginated: true, has_previous: false, previous_cursor: null });
  pages.push(res);
  while (res.json().has_next) {
    res = await get({ page_size: pageSize, next_cursor: res.json().next_cursor });
    expect(res.json()).toMatchObject({ has_previous: true, page_size: pageSize });
    pages.push(res);
  }
  expect(res.json().next_cursor).toBeNull();
  expect(pages.flatMap(ids)).toEqual(expected);
  for (let i = pages.length - 2; i >= 0; i--) {
    const later = pages[i + 1]!;
    const back = await get({ page_size: pageSize, previous_cursor: later.json().previous_cursor });
    expect(ids(back)).toEqual(ids(pages[i]!));
    expect(back.json().has_next).toBe(true);
    expect(back.json().has_previous).toBe(i > 0);
  }
}

/** Builds the worker's shared app under the hook timeout, so the first test is not charged for it. */
export async function warmUp(): Promise<void> {
  await getTestContext();
}
