import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { send, type Tenant } from '../../helpers/tenants.ts';

export interface StorefrontClient {
  /** GETs `/v3/stores/{store unique_id}/public{path}` with the store's publishable key. */
  get(path: string, query?: Record<string, string | number>): Promise<LightMyRequestResponse>;
  key: string;
}

/** Mints a storefront key for the tenant's store through the business API, as a merchant would. */
export async function storefrontClient(
  tenant: Tenant,
  storeUniqueId = tenant.store.unique_id,
): Promise<StorefrontClient> {
  const created = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  expect(created.statusCode, created.body).toBe(200);
  const key: string = created.json().token;
  return {
    key,
    get: (path, query) =>
      send(tenant.ctx, 'GET', `/v3/stores/${storeUniqueId}/public${path}`, {
        ...(query ? { query } : {}),
        headers: { 'x-scalev-storefront-api-key': key },
      }),
  };
}

export interface LocationJson {
  id: number;
  display: string;
  city_id: number;
  subdistrict_name: string;
}

export const ids = (response: LightMyRequestResponse): number[] =>
  (response.json().data as LocationJson[]).map((location) => location.id);
