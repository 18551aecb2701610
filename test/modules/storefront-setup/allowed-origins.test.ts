import { describe, expect, it } from 'vitest';
import { randomString } from '../../../src/lib/ids.ts';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { errorEnvelope } from '../../helpers/errors.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const originsUrl = (storeId: number | string) => `/v3/stores/${storeId}/storefront/allowed-origins`;

interface AllowedOrigin {
  id: string;
  origin: string;
  status: 'active' | 'revoked';
  store_id: number;
  created_by: { id: number; name: string | null; email: string | null } | null;
  inserted_at: string;
  updated_at: string;
}

/** A unique host per test so origins never collide across tests. */
const uniqueHost = () => `shop-${randomString(8).toLowerCase()}.example.com`;

async function addOrigin(tenant: Tenant, origin: string, key?: string): Promise<AllowedOrigin> {
  const res = await tenant.request('POST', originsUrl(tenant.store.id), {
    body: { origin },
    ...(key ? { key } : {}),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function listOrigins(tenant: Tenant): Promise<AllowedOrigin[]> {
  const res = await tenant.request('GET', originsUrl(tenant.store.id));
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().is_paginated).toBe(false);
  return res.json().data;
}

async function storefrontKey(tenant: Tenant): Promise<string> {
  const res = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token;
}

const provincesPath = (tenant: Tenant) => `/v3/stores/${tenant.store.unique_id}/public/locations/provinces`;

function preflight(tenant: Tenant, origin: string) {
  return send(tenant.ctx, 'OPTIONS', provincesPath(tenant), {
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'x-scalev-storefront-api-key, x-scalev-guest-token',
    },
  });
}

function storefrontGet(tenant: Tenant, key: string, origin?: string) {
  return send(tenant.ctx, 'GET', provincesPath(tenant), {
    headers: { 'x-scalev-storefront-api-key': key, ...(origin ? { origin } : {}) },
  });
}

const headerList = (value: unknown) =>
  String(value ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());

function expectValidationOnOrigin(res: { statusCode: number; body: string; json: () => unknown }) {
  expect(res.statusCode, res.body).toBe(422);
  const body = res.json() as {
    error: unknown;
    error_code: string;
    message: string;
    errors: Record<string, string[]>;
  };
  expect(body.error_code).toBe('validation_failed');
  expect(typeof body.message).toBe('string');
  expect(Object.keys(body.errors)).toEqual(['origin']);
  expect(body.errors.origin).toEqual([expect.any(String)]);
}

describe('storefront allowed origins', () => {
  it('normalizes the origin and returns the exact shape', async () => {
    const tenant = await createTenant('Origins');
    const host = uniqueHost();
    const mixed = host.replace('shop', 'Shop').replace('example', 'Example');
    const created = await addOrigin(tenant, `https://${mixed}:443/`);
    expect(created).toEqual({
      id: expect.stringMatching(UUID),
      origin: `https://${host}`,
      status: 'active',
      store_id: tenant.store.id,
      created_by: { id: tenant.owner.id, name: tenant.owner.name, email: tenant.owner.email },
      inserted_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    const res = await tenant.request('GET', originsUrl(tenant.store.id));
    expect(res.json()).toEqual({ data: [created], is_paginated: false });
  });

  it('keeps non-default ports and http origins, drops default ports and surrounding spaces', async () => {
    const tenant = await createTenant('Origins');
    expect((await addOrigin(tenant, 'http://localhost:3000')).origin).toBe('http://localhost:3000');
    expect((await addOrigin(tenant, 'http://LOCALHOST:80')).origin).toBe('http://localhost');
    const host = uniqueHost();
    expect((await addOrigin(tenant, `https://${host}:8443`)).origin).toBe(`https://${host}:8443`);
    expect((await addOrigin(tenant, `  https://${host}  `)).origin).toBe(`https://${host}`);
    const listed = await listOrigins(tenant);
    expect(listed.map((o) => o.origin).sort()).toEqual(
      ['http://localhost', 'http://localhost:3000', `https://${host}`, `https://${host}:8443`].sort(),
    );
  });

  it('rejects anything that is not a bare http(s) origin with 422 errors.origin', async () => {
    const tenant = await createTenant('Origins');
    const invalid = [
      'https://x.com/path',
      'https://x.com/path/',
      'https://x.com?a=1',
      'https://x.com/?a=1',
      'https://x.com#frag',
      'ftp://x.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      '*.x.com',
      'https://*.x.com',
      '*',
      'x.com',
      'not a url',
      'https://user:pw@x.com',
      'https://user@x.com',
      '',
      `https://${'a'.repeat(250)}.com`,
    ];
    for (const origin of invalid) {
      const res = await tenant.request('POST', originsUrl(tenant.store.id), { body: { origin } });
      expect(res.statusCode, `${origin} -> ${res.body}`).toBe(422);
      expectValidationOnOrigin(res);
    }
    expect(await listOrigins(tenant)).toEqual([]);
  });

  it('rejects a path written with a backslash (URL parsers read it as a slash)', async () => {
    const tenant = await createTenant('Origins');
    for (const origin of ['https://x.com\\path', 'https://x.com\\']) {
      const res = await tenant.request('POST', originsUrl(tenant.store.id), { body: { origin } });
      expect(res.statusCode, `${origin} -> ${res.body}`).toBe(422);
      expectValidationOnOrigin(res);
    }
    expect(await listOrigins(tenant)).toEqual([]);
  });

  it('answers 422 errors.origin when origin is missing or not a string', async () => {
    const tenant = await createTenant('Origins');
    const missing = await tenant.request('POST', originsUrl(tenant.store.id), { body: {} });
    expectValidationOnOrigin(missing);
    expect((missing.json() as { errors: Record<string, string[]> }).errors.origin).toEqual(['is required']);
    const wrongType = await tenant.request('POST', originsUrl(tenant.store.id), {
      body: { origin: ['https://x.com', 'y'] },
    });
    expect(wrongType.statusCode, wrongType.body).toBe(422);
    expect(wrongType.json().errors).toHaveProperty('origin');
  });

  it('answers 422 for a duplicate active origin, also after normalization', async () => {
    const tenant = await createTenant('Origins');
    const host = uniqueHost();
    await addOrigin(tenant, `https://${host}`);
    for (const duplicate of [`https://${host}`, `https://${host.toUpperCase()}/`, `https://${host}:443`]) {
      const res = await tenant.request('POST', originsUrl(tenant.store.id), { body: { origin: duplicate } });
      expectValidationOnOrigin(res);
    }
    expect(await listOrigins(tenant)).toHaveLength(1);
  });

  it('the same origin may be registered for different stores', async () => {
    const a = await createTenant('Origins A');
    const b = await createTenant('Origins B');
    const origin = `https://${uniqueHost()}`;
    await addOrigin(a, origin);
    await addOrigin(b, origin);
    const second = await createStore(a.ctx.database.db, a.business.id, { name: 'Second' });
    const res = await a.request('POST', originsUrl(second.id), { body: { origin } });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('revokes an origin: 204, listed as revoked, then the origin can be added again', async () => {
    const tenant = await createTenant('Origins');
    const origin = `https://${uniqueHost()}`;
    const created = await addOrigin(tenant, origin);
    const res = await tenant.request('DELETE', `${originsUrl(tenant.store.id)}/${created.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect(await listOrigins(tenant)).toEqual([
      { ...created, status: 'revoked', updated_at: expect.stringMatching(ISO) },
    ]);
    const again = await tenant.request('DELETE', `${originsUrl(tenant.store.id)}/${created.id}`);
    expect(again.statusCode, again.body).toBe(204);
    const readded = await addOrigin(tenant, origin);
    expect(readded.id).not.toBe(created.id);
    expect(readded.status).toBe('active');
    const listed = await listOrigins(tenant);
    expect(listed).toHaveLength(2);
    expect(listed.map((o) => [o.id, o.status])).toEqual(
      expect.arrayContaining([
        [created.id, 'revoked'],
        [readded.id, 'active'],
      ]),
    );
  });

  it('answers 404 for unknown and malformed origin ids, 422 for over-long ones', async () => {
    const tenant = await createTenant('Origins');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'abc', '1']) {
      const res = await tenant.request('DELETE', `${originsUrl(tenant.store.id)}/${id}`);
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error_code).toBe('not_found');
    }
    const long = await tenant.request('DELETE', `${originsUrl(tenant.store.id)}/${'a'.repeat(65)}`);
    expect(long.statusCode).toBe(422);
    expect(long.json().errors).toHaveProperty('id');
  });

  it('answers 422 errors.store_id for a non-integer store id', async () => {
    const tenant = await createTenant('Origins');
    const list = await tenant.request('GET', originsUrl('store_abc'));
    expect(list.statusCode).toBe(422);
    expect(list.json().errors.store_id).toEqual([expect.any(String)]);
    const create = await tenant.request('POST', originsUrl('0'), { body: { origin: 'https://x.com' } });
    expect(create.statusCode).toBe(422);
    expect(create.json().errors).toHaveProperty('store_id');
  });

  describe('scopes', () => {
    it('list needs store:read', async () => {
      const tenant = await createTenant('Origins Scope');
      const res = await tenant.request('GET', originsUrl(tenant.store.id), {
        key: await tenant.restrictedKey(['store:update']),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        error_code: 'insufficient_scope',
        message: expect.stringContaining('store:read'),
      });
      const ok = await tenant.request('GET', originsUrl(tenant.store.id), {
        key: await tenant.restrictedKey(['store:read']),
      });
      expect(ok.statusCode).toBe(200);
    });

    it('create needs store:update', async () => {
      const tenant = await createTenant('Origins Scope');
      const origin = `https://${uniqueHost()}`;
      const res = await tenant.request('POST', originsUrl(tenant.store.id), {
        key: await tenant.restrictedKey(['store:read', 'product:update']),
        body: { origin },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        error_code: 'insufficient_scope',
        message: expect.stringContaining('store:update'),
      });
      expect(await listOrigins(tenant)).toEqual([]);
      await addOrigin(tenant, origin, await tenant.restrictedKey(['store:update']));
    });

    it('revoke needs store:update', async () => {
      const tenant = await createTenant('Origins Scope');
      const created = await addOrigin(tenant, `https://${uniqueHost()}`);
      const url = `${originsUrl(tenant.store.id)}/${created.id}`;
      const res = await tenant.request('DELETE', url, { key: await tenant.restrictedKey(['store:read']) });
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('insufficient_scope');
      expect((await listOrigins(tenant))[0]!.status).toBe('active');
      expect(
        (await tenant.request('DELETE', url, { key: await tenant.restrictedKey(['store:update']) }))
          .statusCode,
      ).toBe(204);
    });
  });

  describe('tenancy', () => {
    it("business B's key gets 404 Store not found on A's store for every route", async () => {
      const a = await createTenant('Origins A');
      const b = await createTenant('Origins B');
      const created = await addOrigin(a, `https://${uniqueHost()}`);
      for (const [method, url, body] of [
        ['GET', originsUrl(a.store.id), undefined],
        ['POST', originsUrl(a.store.id), { origin: `https://${uniqueHost()}` }],
        ['DELETE', `${originsUrl(a.store.id)}/${created.id}`, undefined],
      ] as const) {
        const res = await b.request(method, url, body ? { body } : {});
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json()).toEqual(
          errorEnvelope(res, {
            error: 'Store not found',
            error_code: 'not_found',
            message: 'Store not found',
            errors: {},
          }),
        );
      }
      expect(await listOrigins(a)).toEqual([created]);
    });

    it("B cannot revoke A's origin through B's own store", async () => {
      const a = await createTenant('Origins A');
      const b = await createTenant('Origins B');
      const created = await addOrigin(a, `https://${uniqueHost()}`);
      const res = await b.request('DELETE', `${originsUrl(b.store.id)}/${created.id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error_code).toBe('not_found');
      expect((await listOrigins(a))[0]!.status).toBe('active');
    });
  });
});

describe('storefront CORS driven by allowed origins', () => {
  it('grants a preflight from a registered origin', async () => {
    const tenant = await createTenant('Cors');
    const origin = `https://${uniqueHost()}`;
    await addOrigin(tenant, origin);
    const res = await preflight(tenant, origin);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    const allowHeaders = headerList(res.headers['access-control-allow-headers']);
    expect(allowHeaders).toEqual(
      expect.arrayContaining([
        'x-scalev-storefront-api-key',
        'x-scalev-guest-token',
        'authorization',
        'content-type',
      ]),
    );
    const exposeHeaders = headerList(res.headers['access-control-expose-headers']);
    expect(exposeHeaders).toEqual(expect.arrayContaining(['x-scalev-guest-token', 'x-request-id']));
    expect(headerList(res.headers['access-control-allow-methods'])).toContain('get');
    expect(res.headers['access-control-allow-origin']).not.toBe('*');
  });

  it('grants a preflight for the normalized form of a registered origin', async () => {
    const tenant = await createTenant('Cors');
    const host = uniqueHost();
    await addOrigin(tenant, `https://${host.toUpperCase()}:443/`);
    const res = await preflight(tenant, `https://${host}`);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(`https://${host}`);
  });

  it('gives no grant to an unregistered origin, nor to an origin registered for another store', async () => {
    const tenant = await createTenant('Cors');
    const other = await createTenant('Cors Other');
    const otherOrigin = `https://${uniqueHost()}`;
    await addOrigin(other, otherOrigin);
    await addOrigin(tenant, `https://${uniqueHost()}`);
    for (const origin of [`https://${uniqueHost()}`, otherOrigin]) {
      const res = await preflight(tenant, origin);
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBeUndefined();
    }
  });

  it('stops granting once the origin is revoked, and grants again when it is re-added', async () => {
    const tenant = await createTenant('Cors');
    const origin = `https://${uniqueHost()}`;
    const created = await addOrigin(tenant, origin);
    expect((await preflight(tenant, origin)).headers['access-control-allow-origin']).toBe(origin);
    expect((await tenant.request('DELETE', `${originsUrl(tenant.store.id)}/${created.id}`)).statusCode).toBe(
      204,
    );
    expect((await preflight(tenant, origin)).headers['access-control-allow-origin']).toBeUndefined();
    const key = await storefrontKey(tenant);
    expect((await storefrontGet(tenant, key, origin)).statusCode).toBe(403);
    await addOrigin(tenant, origin);
    expect((await preflight(tenant, origin)).headers['access-control-allow-origin']).toBe(origin);
    expect((await storefrontGet(tenant, key, origin)).statusCode).toBe(200);
  });

  it('a GET from a registered origin carries the grant; from an unregistered origin it is 403', async () => {
    const tenant = await createTenant('Cors');
    const origin = `https://${uniqueHost()}`;
    await addOrigin(tenant, origin);
    const key = await storefrontKey(tenant);

    const allowed = await storefrontGet(tenant, key, origin);
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(origin);
    expect(headerList(allowed.headers['access-control-expose-headers'])).toEqual(
      expect.arrayContaining(['x-scalev-guest-token', 'x-request-id']),
    );

    const stranger = `https://${uniqueHost()}`;
    const denied = await storefrontGet(tenant, key, stranger);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error_code).toEqual(expect.any(String));
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();

    // Server-to-server calls (no Origin) are not subject to the origin check.
    const noOrigin = await storefrontGet(tenant, key);
    expect(noOrigin.statusCode).toBe(200);
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('an origin added after a denied request is honoured at once (no stale cache)', async () => {
    const tenant = await createTenant('Cors');
    const origin = `https://${uniqueHost()}`;
    const key = await storefrontKey(tenant);
    expect((await storefrontGet(tenant, key, origin)).statusCode).toBe(403);
    expect((await preflight(tenant, origin)).headers['access-control-allow-origin']).toBeUndefined();
    await addOrigin(tenant, origin);
    expect((await storefrontGet(tenant, key, origin)).statusCode).toBe(200);
    expect((await preflight(tenant, origin)).headers['access-control-allow-origin']).toBe(origin);
  });
});
