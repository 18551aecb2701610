import { expect } from 'vitest';
import type { Tenant } from '../../helpers/tenants.ts';

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export const productPartnersUrl = (productId: number | string) => `/v3/products/${productId}/partners`;
export const bundlePartnersUrl = (bundleId: number | string) => `/v3/bundles/${bundleId}/partners`;
export const partnershipUrl = (productId: number | string) => `/v3/products/${productId}/partnership`;
export const checkChangesUrl = (productId: number | string) =>
  `/v3/products/${productId}/partnership/check-changes`;

interface Res {
  statusCode: number;
  body: string;
  json: () => unknown;
}

/** The contract's BusinessSimple as this server fills it for a test tenant. */
export function partnerBusiness(tenant: Tenant) {
  return {
    id: tenant.business.id,
    unique_id: tenant.business.unique_id,
    username: tenant.business.username,
    account_holder: tenant.business.account_holder,
    email: tenant.owner.email,
    phone: null,
    is_banned: false,
    logo: null,
  };
}

export function expectValidation(res: Res, field: string) {
  expect(res.statusCode, res.body).toBe(422);
  const body = res.json() as { error_code: string; errors: Record<string, string[]> };
  expect(body.error_code).toBe('validation_failed');
  expect(body.errors[field], JSON.stringify(body.errors)).toEqual(
    expect.arrayContaining([expect.any(String)]),
  );
}

export function expectStatus(res: Res, status: number, errorCode?: string) {
  expect(res.statusCode, res.body).toBe(status);
  if (errorCode) expect((res.json() as { error_code: string }).error_code).toBe(errorCode);
}

export async function addProductPartner(
  owner: Tenant,
  productId: number,
  partner: Tenant,
  partnershipType?: string,
): Promise<{ id: number }> {
  const res = await owner.request('POST', productPartnersUrl(productId), {
    body: {
      partner_unique_id: partner.business.unique_id,
      ...(partnershipType ? { partnership_type: partnershipType } : {}),
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number };
}

export async function addBundlePartner(
  owner: Tenant,
  bundleId: number,
  partner: Tenant,
): Promise<{ id: number }> {
  const res = await owner.request('POST', bundlePartnersUrl(bundleId), {
    body: { partner_unique_id: partner.business.unique_id },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number };
}

export async function patchPartnership(owner: Tenant, productId: number, body: Record<string, unknown>) {
  const res = await owner.request('PATCH', partnershipUrl(productId), { body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Record<string, unknown>;
}

/** Store ids listing the product (store_products rows), sorted. */
export async function storesListing(tenant: Tenant, productId: number): Promise<number[]> {
  const rows = await tenant.ctx.database.db
    .selectFrom('store_products')
    .select('store_id')
    .where('product_id', '=', productId)
    .orderBy('store_id')
    .execute();
  return rows.map((row) => row.store_id);
}
