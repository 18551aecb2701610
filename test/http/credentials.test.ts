import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { afterAll, describe, expect, it } from 'vitest';
import { type RouteSpec, registerRoutes } from '../../src/http/route.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import { newId } from '../../src/lib/ids.ts';
import { signJwt } from '../../src/lib/jwt.ts';
import { upsertCustomerByEmail } from '../../src/modules/customers/records.ts';
import { buildTestApp, getTestContext, type TestContext, testConfig } from '../helpers/app.ts';
import { errorEnvelope } from '../helpers/errors.ts';
import { createTenant, send } from '../helpers/tenants.ts';

/**
 * Page keys, guest tokens and OAuth application tokens have no routes yet; these tests register real
 * contract operations with a handler that echoes what the auth hook resolved. Customer JWTs are
 * checked on the real getCustomerMe route.
 */
const echo = (request: { auth: unknown }) => Promise.resolve(request.auth as never);
const probeRoutes: RouteSpec[] = [
  {
    operationId: 'listPagePublicLocationProvinces',
    method: 'GET',
    path: '/v3/pages/{page_unique_id}/locations/provinces',
    auth: ['pageKey'],
    schema: { response: { 200: Type.Any() } },
    handler: echo,
  },
];

let probe: Promise<TestContext> | undefined;
function probeApp(): Promise<TestContext> {
  probe ??= getTestContext().then((base) =>
    buildTestApp(base.database, testConfig(), (app) => registerRoutes(app, probeRoutes)),
  );
  return probe;
}

afterAll(async () => {
  if (probe) await (await probe).app.close();
});

async function storefrontKey(tenant: Awaited<ReturnType<typeof createTenant>>): Promise<string> {
  const res = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  return res.json().token;
}

describe('storefront keys and guest tokens', () => {
  it('resolves the store and an optional guest token (on the real guest cart route)', async () => {
    const tenant = await createTenant();
    const key = await storefrontKey(tenant);
    const url = `/v3/stores/${tenant.store.unique_id}/public/cart`;
    const first = await send(tenant.ctx, 'GET', url, { headers: { 'x-scalev-storefront-api-key': key } });
    expect(first.statusCode).toBe(200);
    const guest = first.headers['x-scalev-guest-token'] as string;
    expect(guest).toMatch(/^[0-9a-f-]{36}$/);
    const again = await send(tenant.ctx, 'GET', url, {
      headers: { 'x-scalev-storefront-api-key': key, 'x-scalev-guest-token': guest.toUpperCase() },
    });
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-scalev-guest-token']).toBe(guest);
    const bad = await send(tenant.ctx, 'GET', url, {
      headers: { 'x-scalev-storefront-api-key': key, 'x-scalev-guest-token': 'nope' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("answers the same 404 for an unknown store, an unknown key and another store's key", async () => {
    const ctx = await getTestContext();
    const a = await createTenant();
    const b = await createTenant();
    const keyB = await storefrontKey(b);
    const keyA = await storefrontKey(a);
    const cases = [
      { url: `/v3/stores/store_${'x'.repeat(24)}/public/cart`, key: keyA },
      { url: `/v3/stores/${a.store.unique_id}/public/cart`, key: `sfpk_${'y'.repeat(64)}` },
      { url: `/v3/stores/${a.store.unique_id}/public/cart`, key: keyB },
      { url: `/v3/stores/${a.store.unique_id}/public/cart`, key: a.apiKey },
    ];
    for (const { url, key } of cases) {
      const res = await send(ctx, 'GET', url, { headers: { 'x-scalev-storefront-api-key': key } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(
        errorEnvelope(res, {
          error: 'Store not found',
          error_code: 'not_found',
          message: 'Store not found',
          errors: {},
        }),
      );
    }
  });
});

describe('customer JWT plumbing', () => {
  it('accepts an access token for this store only', async () => {
    const tenant = await createTenant();
    const ctx = tenant.ctx;
    const other = await createTenant();
    const customerId = await upsertCustomerByEmail(ctx.database.db, {
      businessId: tenant.business.id,
      storeId: tenant.store.id,
      name: 'Jwt Buyer',
      email: `jwt-${randomUUID()}@example.test`,
      phone: null,
    });
    const sub = String(customerId);
    const token = signJwt(
      ctx.keys.customerJwt,
      { typ: 'access', sub, sid: tenant.store.id, jti: randomUUID() },
      900,
    );
    const url = `/v3/stores/${tenant.store.unique_id}/customers/me`;
    const ok = await send(ctx, 'GET', url, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().customer).toMatchObject({ id: customerId, name: 'Jwt Buyer' });
    expect(ok.json().store).toMatchObject({ id: tenant.store.id, unique_id: tenant.store.unique_id });

    const otherStore = await send(ctx, 'GET', `/v3/stores/${other.store.unique_id}/customers/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(otherStore.statusCode).toBe(401);
    const expired = signJwt(
      ctx.keys.customerJwt,
      { typ: 'access', sub, sid: tenant.store.id, jti: randomUUID() },
      60,
      Date.now() - 120_000,
    );
    const refresh = signJwt(
      ctx.keys.customerJwt,
      { typ: 'refresh', sub, sid: tenant.store.id, jti: randomUUID() },
      900,
    );
    const forged = `${token.slice(0, -2)}xx`;
    for (const bad of [expired, refresh, forged, tenant.apiKey]) {
      const res = await send(ctx, 'GET', url, { headers: { authorization: `Bearer ${bad}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toBe('invalid_token');
    }
  });
});

describe('page key plumbing', () => {
  it('resolves a page key for its own page and rejects storefront keys', async () => {
    const ctx = await probeApp();
    const tenant = await createTenant();
    const db = ctx.database.db;
    const page = await db
      .insertInto('pages')
      .values({
        business_id: tenant.business.id,
        store_id: tenant.store.id,
        unique_id: newId.pageUniqueId(),
        name: 'Landing',
      })
      .returning(['id', 'unique_id'])
      .executeTakeFirstOrThrow();
    const token = newId.pageKey();
    await db
      .insertInto('page_public_api_keys')
      .values({ business_id: tenant.business.id, page_id: page.id, token, status: 'active' })
      .execute();
    const url = `/v3/pages/${page.unique_id}/locations/provinces`;
    const ok = await send(ctx, 'GET', url, { headers: { 'x-scalev-page-api-key': token } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().page).toMatchObject({ pageId: page.id, storeId: tenant.store.id });
    const withStorefrontKey = await send(ctx, 'GET', url, {
      headers: { 'x-scalev-page-api-key': await storefrontKey(tenant) },
    });
    expect(withStorefrontKey.statusCode).toBe(404);
    const elsewhere = await send(ctx, 'GET', `/v3/pages/page_0000000000000000/locations/provinces`, {
      headers: { 'x-scalev-page-api-key': token },
    });
    expect(elsewhere.statusCode).toBe(404);
  });
});

describe('business API keys', () => {
  it('stores only a hash of the key and records when it was used', async () => {
    const ctx = await getTestContext();
    const tenant = await createTenant();
    const row = await ctx.database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('token_hash', '=', sha256Hex(tenant.apiKey))
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(tenant.apiKey);
    await tenant.request('GET', '/v3/me');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const used = await ctx.database.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).toBeInstanceOf(Date);
  });

  it('rejects API keys on browser routes and storefront keys on business routes', async () => {
    const tenant = await createTenant();
    const key = await storefrontKey(tenant);
    const business = await send(tenant.ctx, 'GET', '/v3/me', { headers: { authorization: `Bearer ${key}` } });
    expect(business.statusCode).toBe(401);
  });
});

describe('b_uid with business API keys', () => {
  it("is refused with 403 when it names a business that is not the key's, and fine when it is", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const restricted = await tenant.restrictedKey(['store:list']);
    for (const key of [tenant.apiKey, restricted]) {
      for (const bUid of [other.business.unique_id, 'ZZZZZZZZZZZZZZZZ']) {
        const res = await tenant.request('GET', '/v3/stores', { key, query: { b_uid: bUid } });
        expect(res.statusCode, bUid).toBe(403);
        expect(res.json()).toEqual(
          errorEnvelope(res, {
            error: 'Business access denied',
            error_code: 'business_access_denied',
            message: 'This API key does not belong to the business named by b_uid',
            errors: { b_uid: ['is not the business of this API key'] },
          }),
        );
      }
      const own = await tenant.request('GET', '/v3/stores', {
        key,
        query: { b_uid: tenant.business.unique_id },
      });
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json().data.map((store: { id: number }) => store.id)).toContain(tenant.store.id);
    }
    // User-level routes too: the key still acts for its own business only.
    const me = await tenant.request('GET', '/v3/me', { query: { b_uid: other.business.unique_id } });
    expect(me.statusCode).toBe(403);
  });

  it('must be given once', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const res = await send(
      tenant.ctx,
      'GET',
      `/v3/stores?b_uid=${tenant.business.unique_id}&b_uid=${other.business.unique_id}`,
      { headers: { authorization: `Bearer ${tenant.apiKey}` } },
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual({ b_uid: ['must be given once'] });
  });
});
