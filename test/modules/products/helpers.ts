import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Tenant } from '../../helpers/tenants.ts';

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const VARIANT_UNIQUE_ID = /^variant_[A-Za-z0-9]{24}$/;

/** A product body with one variant per entry of `variants` (default: one plain variant). */
export function productBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Kopi Susu Gula Aren',
    item_type: 'physical',
    variants: [{ price: '25000', weight: 250 }],
    ...overrides,
  };
}

export async function createProduct(tenant: Tenant, overrides: Record<string, unknown> = {}) {
  const res = await tenant.request('POST', '/v3/products', { body: productBody(overrides) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function setTaxRate(tenant: Tenant, rate: string) {
  await tenant.ctx.database.db
    .updateTable('businesses')
    .set({ tax_rate: rate })
    .where('id', '=', tenant.business.id)
    .execute();
}

/** Expects the contract's 422 envelope with (at least) these fields in `errors`. */
export function expectInvalid(res: LightMyRequestResponse, ...fields: string[]) {
  expect(res.statusCode, res.body).toBe(422);
  const body = res.json();
  expect(body.error_code).toBe('validation_failed');
  for (const field of fields) expect(body.errors, JSON.stringify(body.errors)).toHaveProperty([field]);
}

export function expectInsufficientScope(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(403);
  expect(res.json().error_code).toBe('insufficient_scope');
}

export function expectNotFound(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(404);
  expect(res.json().error_code).toBe('not_found');
}
