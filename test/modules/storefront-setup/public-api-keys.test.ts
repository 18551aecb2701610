import { describe, expect, it } from 'vitest';
import { createStore, inviteMember } from '../../../src/modules/businesses/service.ts';
import type { TestContext } from '../../helpers/app.ts';
import { errorEnvelope } from '../../helpers/errors.ts';
import { issueOAuthToken } from '../../helpers/oauth.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const keysUrl = (storeId: number | string) => `/v3/stores/${storeId}/public-api-keys`;

interface StorefrontKey {
  id: string;
  token: string | null;
  status: 'active' | 'revoked';
  store_id: number;
  created_by: { id: number; name: string | null; email: string | null } | null;
  inserted_at: string;
  updated_at: string;
}

async function createKey(tenant: Tenant, key?: string): Promise<StorefrontKey> {
  const res = await tenant.request('POST', keysUrl(tenant.store.id), key ? { key } : {});
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function listKeys(tenant: Tenant): Promise<StorefrontKey[]> {
  const res = await tenant.request('GET', keysUrl(tenant.store.id));
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
}

function provinces(tenant: Tenant, storefrontKey: string, storeUniqueId = tenant.store.unique_id) {
  return send(tenant.ctx, 'GET', `/v3/stores/${storeUniqueId}/public/locations/provinces`, {
    headers: { 'x-scalev-storefront-api-key': storefrontKey },
  });
}

/** An OAuth token of the tenant's owner, connected to the tenant's business only. */
async function oauthToken(
  ctx: TestContext,
  tenant: Tenant,
  tokenScopes: string[],
  installationScopes = tokenScopes,
) {
  const { token } = await issueOAuthToken(ctx, {
    userId: tenant.owner.id,
    scopes: tokenScopes,
    installations: [{ businessId: tenant.business.id, scopes: installationScopes }],
  });
  return token;
}

describe('storefront public API keys', () => {
  it('creates a key with the exact shape', async () => {
    const tenant = await createTenant('Keys');
    const created = await createKey(tenant);
    expect(created).toEqual({
      id: expect.stringMatching(UUID),
      token: expect.stringMatching(/^sfpk_[A-Za-z0-9]{64}$/),
      status: 'active',
      store_id: tenant.store.id,
      created_by: { id: tenant.owner.id, name: tenant.owner.name, email: tenant.owner.email },
      inserted_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    // The new key opens the store's storefront routes at once.
    const storefront = await provinces(tenant, created.token!);
    expect(storefront.statusCode, storefront.body).toBe(200);
  });

  it('lists keys newest first with their tokens while active', async () => {
    const tenant = await createTenant('Keys');
    expect(await listKeys(tenant)).toEqual([]);
    const first = await createKey(tenant);
    const second = await createKey(tenant);
    expect(first.token).not.toBe(second.token);
    const res = await tenant.request('GET', keysUrl(tenant.store.id));
    expect(res.json()).toEqual({ data: [second, first], is_paginated: false });
  });

  it('revokes a key: 204, then the list shows it revoked with no token; revoking again is a no-op', async () => {
    const tenant = await createTenant('Keys');
    const created = await createKey(tenant);
    const kept = await createKey(tenant);
    const res = await tenant.request('DELETE', `${keysUrl(tenant.store.id)}/${created.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const listed = await listKeys(tenant);
    expect(listed.find((k) => k.id === created.id)).toEqual({
      ...created,
      status: 'revoked',
      token: null,
      updated_at: expect.stringMatching(ISO),
    });
    expect(listed.find((k) => k.id === kept.id)).toEqual(kept);
    const again = await tenant.request('DELETE', `${keysUrl(tenant.store.id)}/${created.id}`);
    expect(again.statusCode, again.body).toBe(204);
  });

  it('a revoked key no longer opens storefront routes', async () => {
    const tenant = await createTenant('Keys');
    const created = await createKey(tenant);
    const before = await provinces(tenant, created.token!);
    expect(before.statusCode, before.body).toBe(200);
    expect((await tenant.request('DELETE', `${keysUrl(tenant.store.id)}/${created.id}`)).statusCode).toBe(
      204,
    );
    const after = await provinces(tenant, created.token!);
    expect(after.statusCode).toBe(404);
    expect(after.json()).toMatchObject({ error_code: 'not_found', message: 'Store not found' });
  });

  it('a key only opens its own store', async () => {
    const tenant = await createTenant('Keys');
    const other = await createTenant('Keys Other');
    const created = await createKey(tenant);
    const res = await provinces(tenant, created.token!, other.store.unique_id);
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('Store not found');
  });

  it('answers 404 for unknown and malformed key ids', async () => {
    const tenant = await createTenant('Keys');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '123']) {
      const res = await tenant.request('DELETE', `${keysUrl(tenant.store.id)}/${id}`);
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error_code).toBe('not_found');
    }
  });

  it('answers 422 for an over-long key id and for a store id that is not a positive integer', async () => {
    const tenant = await createTenant('Keys');
    const longId = await tenant.request('DELETE', `${keysUrl(tenant.store.id)}/${'a'.repeat(65)}`);
    expect(longId.statusCode, longId.body).toBe(422);
    expect(longId.json().errors.id).toEqual([expect.any(String)]);
    for (const storeId of ['abc', '0', '-5']) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await tenant.request(method, keysUrl(storeId));
        expect(res.statusCode, `${method} ${storeId}`).toBe(422);
        expect(res.json().error_code).toBe('validation_failed');
        expect(res.json().errors.store_id, res.body).toEqual([expect.any(String)]);
      }
    }
  });

  it('answers 404 "Store not found" for a store id that does not exist', async () => {
    const tenant = await createTenant('Keys');
    const res = await tenant.request('GET', keysUrl(2_000_000_000));
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('Store not found');
  });

  it('allows at most 10 active keys per store; revoking one makes room', async () => {
    const tenant = await createTenant('Keys');
    const created: StorefrontKey[] = [];
    for (let i = 0; i < 10; i++) created.push(await createKey(tenant));
    const eleventh = await tenant.request('POST', keysUrl(tenant.store.id));
    expect(eleventh.statusCode, eleventh.body).toBe(409);
    expect(eleventh.json().error_code).toBe('state_conflict');
    expect(await listKeys(tenant)).toHaveLength(10);
    expect((await tenant.request('DELETE', `${keysUrl(tenant.store.id)}/${created[0]!.id}`)).statusCode).toBe(
      204,
    );
    await createKey(tenant);
    const listed = await listKeys(tenant);
    expect(listed).toHaveLength(11);
    expect(listed.filter((k) => k.status === 'active')).toHaveLength(10);
  });

  it('never exceeds 10 active keys under concurrent creation', async () => {
    const tenant = await createTenant('Keys');
    const results = await Promise.all(
      Array.from({ length: 13 }, () => tenant.request('POST', keysUrl(tenant.store.id))),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    expect((await listKeys(tenant)).filter((k) => k.status === 'active')).toHaveLength(10);
  });

  it('counts the limit per store, not per business', async () => {
    const tenant = await createTenant('Keys');
    for (let i = 0; i < 10; i++) await createKey(tenant);
    const second = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Second store' });
    const res = await tenant.request('POST', keysUrl(second.id));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().store_id).toBe(second.id);
    // Each store lists only its own keys.
    const secondList = await tenant.request('GET', keysUrl(second.id));
    expect(secondList.json().data).toHaveLength(1);
  });

  describe('scopes', () => {
    it('list needs store:read', async () => {
      const tenant = await createTenant('Keys Scope');
      const without = await tenant.restrictedKey(['store:update', 'order:read']);
      const res = await tenant.request('GET', keysUrl(tenant.store.id), { key: without });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        error_code: 'insufficient_scope',
        message: expect.stringContaining('store:read'),
      });
      const withScope = await tenant.restrictedKey(['store:read']);
      expect((await tenant.request('GET', keysUrl(tenant.store.id), { key: withScope })).statusCode).toBe(
        200,
      );
    });

    it('create needs store:update', async () => {
      const tenant = await createTenant('Keys Scope');
      const readOnly = await tenant.restrictedKey(['store:read']);
      const res = await tenant.request('POST', keysUrl(tenant.store.id), { key: readOnly });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        error_code: 'insufficient_scope',
        message: expect.stringContaining('store:update'),
      });
      expect(await listKeys(tenant)).toEqual([]);
      const writer = await tenant.restrictedKey(['store:update']);
      await createKey(tenant, writer);
    });

    it('revoke needs store:update', async () => {
      const tenant = await createTenant('Keys Scope');
      const created = await createKey(tenant);
      const readOnly = await tenant.restrictedKey(['store:read']);
      const url = `${keysUrl(tenant.store.id)}/${created.id}`;
      const res = await tenant.request('DELETE', url, { key: readOnly });
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('insufficient_scope');
      expect((await listKeys(tenant))[0]!.status).toBe('active');
      const writer = await tenant.restrictedKey(['store:update']);
      expect((await tenant.request('DELETE', url, { key: writer })).statusCode).toBe(204);
    });

    it('an OAuth token whose scopes lack store:read cannot list; one with it can', async () => {
      const tenant = await createTenant('Keys OAuth');
      const lacking = await oauthToken(tenant.ctx, tenant, ['order:read'], ['order:read', 'store:read']);
      const res = await send(tenant.ctx, 'GET', keysUrl(tenant.store.id), {
        headers: { authorization: `Bearer ${lacking}` },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('insufficient_scope');
      // A scope on the token that the installation did not grant does not count either.
      const notGranted = await oauthToken(tenant.ctx, tenant, ['store:read'], ['order:read']);
      const denied = await send(tenant.ctx, 'GET', keysUrl(tenant.store.id), {
        headers: { authorization: `Bearer ${notGranted}` },
      });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error_code).toBe('insufficient_scope');
      const granted = await oauthToken(tenant.ctx, tenant, ['store:read', 'store:update']);
      const auth = { authorization: `Bearer ${granted}` };
      const created = await send(tenant.ctx, 'POST', keysUrl(tenant.store.id), { headers: auth });
      expect(created.statusCode, created.body).toBe(200);
      expect(created.json().created_by).toEqual({
        id: tenant.owner.id,
        name: tenant.owner.name,
        email: tenant.owner.email,
      });
      const listed = await send(tenant.ctx, 'GET', keysUrl(tenant.store.id), { headers: auth });
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json().data).toHaveLength(1);
    });

    it('answers 401 without credentials', async () => {
      const tenant = await createTenant('Keys Scope');
      const res = await send(tenant.ctx, 'GET', keysUrl(tenant.store.id));
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toBe('invalid_token');
    });
  });

  describe('tenancy', () => {
    it("business B's key gets 404 Store not found on A's store for every route", async () => {
      const a = await createTenant('Keys A');
      const b = await createTenant('Keys B');
      const aKey = await createKey(a);
      for (const [method, url] of [
        ['GET', keysUrl(a.store.id)],
        ['POST', keysUrl(a.store.id)],
        ['DELETE', `${keysUrl(a.store.id)}/${aKey.id}`],
      ] as const) {
        const res = await b.request(method, url);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json(), `${method} ${url}`).toEqual(
          errorEnvelope(res, {
            error: 'Store not found',
            error_code: 'not_found',
            message: 'Store not found',
            errors: {},
          }),
        );
      }
      // A's key is untouched and A has still exactly one key.
      expect(await listKeys(a)).toEqual([aKey]);
      expect((await provinces(a, aKey.token!)).statusCode).toBe(200);
    });

    it("B cannot revoke A's key through B's own store", async () => {
      const a = await createTenant('Keys A');
      const b = await createTenant('Keys B');
      const aKey = await createKey(a);
      const res = await b.request('DELETE', `${keysUrl(b.store.id)}/${aKey.id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error_code).toBe('not_found');
      expect((await listKeys(a))[0]!.status).toBe('active');
      expect(await listKeys(b)).toEqual([]);
    });

    it("an OAuth token selecting business B (b_uid) gets 404 on A's store even though it is connected to A", async () => {
      const a = await createTenant('Keys A');
      const b = await createTenant('Keys B');
      const db = a.ctx.database.db;
      // A's owner is a member of both businesses, and connects both.
      const invited = await inviteMember(db, b.business.id, { email: a.owner.email, name: a.owner.name });
      await db
        .updateTable('business_users')
        .set({ is_verified: true })
        .where('id', '=', invited.membershipId)
        .execute();
      const { token } = await issueOAuthToken(a.ctx, {
        userId: a.owner.id,
        scopes: ['store:read'],
        installations: [a, b].map((tenant) => ({ businessId: tenant.business.id, scopes: ['store:read'] })),
      });
      const headers = { authorization: `Bearer ${token}` };
      const noSelection = await send(a.ctx, 'GET', keysUrl(a.store.id), { headers });
      expect(noSelection.statusCode).toBe(400);
      expect(noSelection.json().error_code).toBe('business_selection_required');
      const asB = await send(a.ctx, 'GET', keysUrl(a.store.id), {
        headers,
        query: { b_uid: b.business.unique_id },
      });
      expect(asB.statusCode).toBe(404);
      expect(asB.json().message).toBe('Store not found');
      const asA = await send(a.ctx, 'GET', keysUrl(a.store.id), {
        headers,
        query: { b_uid: a.business.unique_id },
      });
      expect(asA.statusCode, asA.body).toBe(200);
    });

    it('a key cannot be revoked through another store of the same business', async () => {
      const tenant = await createTenant('Keys');
      const second = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Second' });
      const created = await createKey(tenant);
      const res = await tenant.request('DELETE', `${keysUrl(second.id)}/${created.id}`);
      expect(res.statusCode).toBe(404);
      expect((await listKeys(tenant))[0]!.status).toBe('active');
    });
  });
});
