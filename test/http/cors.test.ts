import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { randomString } from '../../src/lib/ids.ts';
import { signJwt } from '../../src/lib/jwt.ts';
import { upsertCustomerByEmail } from '../../src/modules/customers/records.ts';
import { buildTestApp, getTestContext, type TestContext, testConfig } from '../helpers/app.ts';
import { createTenant, randomIp, send, type Tenant } from '../helpers/tenants.ts';

/**
 * A browser shows a CORS failure, not the error, when an answer lacks the grant. Every answer on a
 * browser path (storefront, signed-in customer) carries it for an origin the store allows,
 * errors and unknown routes included; an origin the store does not allow never gets it.
 */

const GRANT = 'access-control-allow-origin';

async function browserShop(): Promise<{ tenant: Tenant; key: string; origin: string }> {
  const tenant = await createTenant('Cors');
  const origin = `https://shop-${randomString(8).toLowerCase()}.example.com`;
  const added = await tenant.request('POST', `/v3/stores/${tenant.store.id}/storefront/allowed-origins`, {
    body: { origin },
  });
  expect(added.statusCode, added.body).toBe(200);
  const key = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  return { tenant, key: key.json().token, origin };
}

function expectGrant(res: { statusCode: number; headers: Record<string, unknown> }, origin: string) {
  expect(res.headers[GRANT], `status ${res.statusCode}`).toBe(origin);
  expect(String(res.headers['access-control-expose-headers'])).toContain('X-Request-Id');
  expect(String(res.headers.vary)).toContain('Origin');
}

async function customerToken(tenant: Tenant): Promise<string> {
  const customerId = await upsertCustomerByEmail(tenant.ctx.database.db, {
    businessId: tenant.business.id,
    storeId: tenant.store.id,
    name: 'Cors Buyer',
    email: `cors-${randomUUID()}@example.test`,
    phone: null,
  });
  return signJwt(
    tenant.ctx.keys.customerJwt,
    { typ: 'access', sub: String(customerId), sid: tenant.store.id, jti: randomUUID() },
    900,
  );
}

let tight: Promise<TestContext> | undefined;
/** An app whose client-IP budget is 2 requests per 10 s, with a storefront route that fails. */
function tightApp(): Promise<TestContext> {
  tight ??= getTestContext().then((base) =>
    buildTestApp(base.database, testConfig({ rateLimit: { ...base.config.rateLimit, ipPer10s: 2 } }), (app) =>
      app.get('/v3/stores/:store_id/public/boom', async () => {
        throw new Error('boom');
      }),
    ),
  );
  return tight;
}

afterAll(async () => {
  if (tight) await (await tight).app.close();
});

describe('CORS on every answer of a browser path', () => {
  it('grants an allowed origin on storefront errors: wrong key, bad input, unknown route', async () => {
    const { tenant, key, origin } = await browserShop();
    const base = `/v3/stores/${tenant.store.unique_id}/public`;
    const headers = { origin, 'x-scalev-storefront-api-key': key };

    const wrongKey = await send(tenant.ctx, 'GET', `${base}/locations/provinces`, {
      headers: { ...headers, 'x-scalev-storefront-api-key': `sfpk_${'z'.repeat(64)}` },
    });
    expect(wrongKey.statusCode).toBe(404);
    expectGrant(wrongKey, origin);

    const invalid = await send(tenant.ctx, 'GET', `${base}/locations`, { headers, query: { page_size: 0 } });
    expect(invalid.statusCode).toBe(422);
    expectGrant(invalid, origin);

    const badGuest = await send(tenant.ctx, 'GET', `${base}/cart`, {
      headers: { ...headers, 'x-scalev-guest-token': 'not-a-uuid' },
    });
    expect(badGuest.statusCode).toBe(400);
    expectGrant(badGuest, origin);

    const unknown = await send(tenant.ctx, 'GET', `${base}/no-such-thing`, { headers });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error_code).toBe('not_found');
    expectGrant(unknown, origin);

    const wrongMethod = await send(tenant.ctx, 'DELETE', `${base}/locations/provinces`, { headers });
    expect(wrongMethod.statusCode).toBe(405);
    expectGrant(wrongMethod, origin);

    const ok = await send(tenant.ctx, 'GET', `${base}/locations/provinces`, { headers });
    expect(ok.statusCode).toBe(200);
    expectGrant(ok, origin);
  });

  it('grants an allowed origin on customer routes: 401, 404, 501 and success', async () => {
    const { tenant, origin } = await browserShop();
    const me = `/v3/stores/${tenant.store.unique_id}/customers/me`;

    const anonymous = await send(tenant.ctx, 'GET', me, { headers: { origin } });
    expect(anonymous.statusCode).toBe(401);
    expectGrant(anonymous, origin);

    const token = await customerToken(tenant);
    const headers = { origin, authorization: `Bearer ${token}` };
    const signedIn = await send(tenant.ctx, 'GET', me, { headers });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expectGrant(signedIn, origin);

    const missing = await send(tenant.ctx, 'GET', `${me}/orders/${randomUUID()}`, { headers });
    expect(missing.statusCode).toBe(404);
    expectGrant(missing, origin);

    // Subscriptions are not built yet: the 501 is readable too.
    const unbuilt = await send(tenant.ctx, 'GET', `${me}/subscriptions`, { headers });
    expect(unbuilt.statusCode).toBe(501);
    expectGrant(unbuilt, origin);

    const preflight = await send(tenant.ctx, 'OPTIONS', `${me}/addresses`, {
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers[GRANT]).toBe(origin);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('Authorization');
    const strangerPreflight = await send(tenant.ctx, 'OPTIONS', `${me}/addresses`, {
      headers: { origin: 'https://stranger.example', 'access-control-request-method': 'POST' },
    });
    expect(strangerPreflight.statusCode).toBe(204);
    expect(strangerPreflight.headers[GRANT]).toBeUndefined();
  });

  it('grants an allowed origin on a 429 and a 500', async () => {
    const ctx = await tightApp();
    const { tenant, key, origin } = await browserShop();
    const headers = { origin, 'x-scalev-storefront-api-key': key };
    const ip = randomIp();
    const boom = await send(ctx, 'GET', `/v3/stores/${tenant.store.unique_id}/public/boom`, {
      headers,
      remoteAddress: ip,
    });
    expect(boom.statusCode).toBe(500);
    expectGrant(boom, origin);
    const url = `/v3/stores/${tenant.store.unique_id}/public/locations/provinces`;
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof send>> | undefined;
    for (let i = 0; i < 3; i++) {
      const res = await send(ctx, 'GET', url, { headers, remoteAddress: ip });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(statuses).toEqual([200, 429, 429]);
    expectGrant(limited!, origin);
  });

  it('never grants an origin the store does not allow, errors included', async () => {
    const { tenant, key } = await browserShop();
    const stranger = 'https://stranger.example';
    const base = `/v3/stores/${tenant.store.unique_id}/public`;
    const refused = await send(tenant.ctx, 'GET', `${base}/locations/provinces`, {
      headers: { origin: stranger, 'x-scalev-storefront-api-key': key },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error_code).toBe('origin_not_allowed');
    expect(refused.headers[GRANT]).toBeUndefined();
    for (const url of [`${base}/no-such-thing`, `/v3/stores/${tenant.store.unique_id}/customers/me`]) {
      const res = await send(tenant.ctx, 'GET', url, { headers: { origin: stranger } });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.headers[GRANT], url).toBeUndefined();
    }
    // Another store's allowed origin is a stranger here; an unknown store grants nobody.
    const other = await browserShop();
    const elsewhere = await send(tenant.ctx, 'GET', `${base}/locations/provinces`, {
      headers: { origin: other.origin, 'x-scalev-storefront-api-key': key },
    });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.headers[GRANT]).toBeUndefined();
    const unknownStore = await send(tenant.ctx, 'GET', `/v3/stores/store_${'q'.repeat(24)}/public/cart`, {
      headers: { origin: other.origin, 'x-scalev-storefront-api-key': other.key },
    });
    expect(unknownStore.statusCode).toBe(404);
    expect(unknownStore.headers[GRANT]).toBeUndefined();
  });

  it('grants nothing on business routes, whatever the origin', async () => {
    const { tenant, origin } = await browserShop();
    const res = await tenant.request('GET', `/v3/stores/${tenant.store.id}/public-api-keys`, {
      headers: { origin },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers[GRANT]).toBeUndefined();
  });
});
