import { describe, expect, it } from 'vitest';
import { getTestContext } from '../helpers/app.ts';
import { createTenant, send } from '../helpers/tenants.ts';

describe('smoke', () => {
  it('answers health probes', async () => {
    const ctx = await getTestContext();
    const res = await send(ctx, 'GET', '/healthz');
    expect(res.statusCode).toBe(200);
  });

  it('lists storefront keys', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('GET', `/v3/stores/${tenant.store.id}/public-api-keys`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ data: [], is_paginated: false });
  });
});
