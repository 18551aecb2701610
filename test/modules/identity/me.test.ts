import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/lib/crypto.ts';
import { randomString } from '../../../src/lib/ids.ts';
import { createApiKey, inviteMember, revokeApiKey } from '../../../src/modules/businesses/service.ts';
import { getTestContext, type TestContext } from '../../helpers/app.ts';
import { errorEnvelope } from '../../helpers/errors.ts';
import { issueOAuthToken } from '../../helpers/oauth.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function businessJson(tenant: Tenant) {
  return {
    id: tenant.business.id,
    unique_id: tenant.business.unique_id,
    username: tenant.business.username,
    account_holder: tenant.business.account_holder,
    email: tenant.owner.email,
    phone: null,
  };
}

function bearer(
  ctx: TestContext,
  method: 'GET' | 'POST',
  url: string,
  token: string,
  query?: Record<string, string>,
) {
  return send(ctx, method, url, {
    headers: { authorization: `Bearer ${token}` },
    ...(query ? { query } : {}),
  });
}

/** Makes `tenant`'s owner a verified Staff member of `other` (so one user belongs to both businesses). */
async function joinAsVerifiedMember(tenant: Tenant, other: Tenant) {
  const db = tenant.ctx.database.db;
  const invited = await inviteMember(db, other.business.id, {
    email: tenant.owner.email,
    name: tenant.owner.name,
  });
  await db
    .updateTable('business_users')
    .set({ is_verified: true })
    .where('id', '=', invited.membershipId)
    .execute();
  return invited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /v3/me with business API keys', () => {
  it('describes a secret key: business, acting user and key', async () => {
    const tenant = await createTenant('Identity');
    const db = tenant.ctx.database.db;
    const key = await createApiKey(db, {
      businessId: tenant.business.id,
      name: 'Integration',
      kind: 'secret',
    });
    const res = await tenant.request('GET', '/v3/me', { key: key.token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.headers['x-ratelimit-limit']).toBeDefined();
    expect(res.headers['x-ratelimit-remaining']).toBeDefined();
    const business = businessJson(tenant);
    expect(res.json()).toEqual({
      auth_method: 'api_key',
      user: { id: tenant.owner.id, email: tenant.owner.email, name: tenant.owner.name, phone: null },
      oauth_application: null,
      business,
      connected_businesses: [{ ...business, scopes: ['*'] }],
      api_key: { id: key.id, name: 'Integration', type: 'secret', scopes: ['*'], expires_at: null },
    });
  });

  it('describes a restricted key with its sorted scopes (no scope is needed for /v3/me)', async () => {
    const tenant = await createTenant('Identity');
    const key = await createApiKey(tenant.ctx.database.db, {
      businessId: tenant.business.id,
      name: 'Orders only',
      kind: 'restricted',
      scopes: ['order:read', 'customer:list'],
    });
    const res = await tenant.request('GET', '/v3/me', { key: key.token });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.auth_method).toBe('api_key');
    expect(body.api_key).toEqual({
      id: key.id,
      name: 'Orders only',
      type: 'restricted',
      scopes: ['customer:list', 'order:read'],
      expires_at: null,
    });
    expect(body.connected_businesses).toEqual([
      { ...businessJson(tenant), scopes: ['customer:list', 'order:read'] },
    ]);
  });

  it('reports the acting user of a key created for a member other than the owner', async () => {
    const tenant = await createTenant('Identity');
    const db = tenant.ctx.database.db;
    const email = `member-${randomString(8).toLowerCase()}@example.test`;
    const invited = await inviteMember(db, tenant.business.id, { email, name: 'Member Name' });
    const key = await createApiKey(db, {
      businessId: tenant.business.id,
      userId: invited.userId,
      name: 'm',
      kind: 'secret',
    });
    const res = await tenant.request('GET', '/v3/me', { key: key.token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user).toEqual({ id: invited.userId, email, name: 'Member Name', phone: null });
  });

  it('returns the expiry of a key that expires', async () => {
    const tenant = await createTenant('Identity');
    const expiresAt = new Date(Date.now() + 3_600_000);
    const key = await createApiKey(tenant.ctx.database.db, {
      businessId: tenant.business.id,
      name: 'short lived',
      kind: 'secret',
      expiresAt,
    });
    const res = await tenant.request('GET', '/v3/me', { key: key.token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().api_key.expires_at).toBe(expiresAt.toISOString());
    expect(res.json().api_key.expires_at).toMatch(ISO);
  });

  it('answers 401 invalid_token without an Authorization header', async () => {
    const ctx = await getTestContext();
    const res = await send(ctx, 'GET', '/v3/me');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(
      errorEnvelope(res, {
        error: expect.any(String),
        error_code: 'invalid_token',
        message: expect.any(String),
        errors: {},
      }),
    );
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('answers 401 for a non-bearer Authorization header', async () => {
    const tenant = await createTenant('Identity');
    const res = await send(tenant.ctx, 'GET', '/v3/me', {
      headers: { authorization: `Basic ${tenant.apiKey}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('invalid_token');
  });

  it('answers 401 "Invalid API key" for keys that do not exist or are malformed', async () => {
    const ctx = await getTestContext();
    for (const token of [`sk_${randomString(64)}`, `rk_${randomString(64)}`, 'sk_garbage', 'rk_']) {
      const res = await bearer(ctx, 'GET', '/v3/me', token);
      expect(res.statusCode, token).toBe(401);
      expect(res.json(), token).toEqual(
        errorEnvelope(res, {
          error: 'Invalid API key',
          error_code: 'invalid_token',
          message: 'Invalid API key',
          errors: {},
        }),
      );
    }
  });

  it('answers 401 for a revoked key once the credential cache is dropped', async () => {
    const tenant = await createTenant('Identity');
    const db = tenant.ctx.database.db;
    const key = await createApiKey(db, { businessId: tenant.business.id, name: 'to revoke', kind: 'secret' });
    expect((await tenant.request('GET', '/v3/me', { key: key.token })).statusCode).toBe(200);
    await revokeApiKey(db, tenant.business.id, key.id);
    tenant.ctx.app.deps.credentials.forgetAllApiKeys();
    const res = await tenant.request('GET', '/v3/me', { key: key.token });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('invalid_token');
    // The tenant's other key is unaffected.
    expect((await tenant.request('GET', '/v3/me')).statusCode).toBe(200);
  });

  it('answers 401 for a key revoked before it was ever used', async () => {
    const tenant = await createTenant('Identity');
    const db = tenant.ctx.database.db;
    const key = await createApiKey(db, {
      businessId: tenant.business.id,
      name: 'never used',
      kind: 'restricted',
      scopes: ['store:read'],
    });
    await revokeApiKey(db, tenant.business.id, key.id);
    const res = await tenant.request('GET', '/v3/me', { key: key.token });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('invalid_token');
  });

  it('answers 401 "API key has expired" once the expiry passes', async () => {
    const tenant = await createTenant('Identity');
    const expiresAt = new Date(Date.now() + 1_500);
    const key = await createApiKey(tenant.ctx.database.db, {
      businessId: tenant.business.id,
      name: 'expiring',
      kind: 'secret',
      expiresAt,
    });
    const before = await tenant.request('GET', '/v3/me', { key: key.token });
    expect(before.statusCode, before.body).toBe(200);
    await sleep(expiresAt.getTime() - Date.now() + 250);
    const after = await tenant.request('GET', '/v3/me', { key: key.token });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual(
      errorEnvelope(after, {
        error: 'API key has expired',
        error_code: 'invalid_token',
        message: 'API key has expired',
        errors: {},
      }),
    );
  });
});

describe('OAuth tokens on identity routes', () => {
  async function twoBusinessToken() {
    const a = await createTenant('Oauth Alpha');
    const b = await createTenant('Oauth Beta');
    await joinAsVerifiedMember(a, b);
    const { application, token } = await issueOAuthToken(a.ctx, {
      userId: a.owner.id,
      scopes: ['order:read', 'store:read', 'product:read'],
      installations: [
        { businessId: a.business.id, scopes: ['store:read', 'store:update'] },
        { businessId: b.business.id, scopes: ['store:read', 'order:read', 'customer:list'] },
      ],
    });
    return { a, b, application, token };
  }

  it('GET /v3/me lists the application, the user and every connected business with intersected scopes', async () => {
    const { a, b, application, token } = await twoBusinessToken();
    const res = await bearer(a.ctx, 'GET', '/v3/me', token);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      auth_method: 'oauth',
      user: { id: a.owner.id, email: a.owner.email, name: a.owner.name, phone: null },
      oauth_application: { id: application.id, name: application.name, client_id: application.client_id },
      business: null,
      connected_businesses: expect.any(Array),
      api_key: null,
    });
    const connected = [...body.connected_businesses].sort(
      (x: { id: number }, y: { id: number }) => x.id - y.id,
    );
    expect(connected).toEqual([
      { ...businessJson(a), scopes: ['store:read'] },
      { ...businessJson(b), scopes: ['order:read', 'store:read'] },
    ]);
  });

  it('needs b_uid on getCurrentBusinessUser when connected to several businesses', async () => {
    const { a, token } = await twoBusinessToken();
    const res = await bearer(a.ctx, 'GET', '/v3/business-users/me', token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error_code: 'business_selection_required',
      errors: { b_uid: expect.any(Array) },
    });
  });

  it('selects the business named by b_uid', async () => {
    const { a, b, token } = await twoBusinessToken();
    const asA = await bearer(a.ctx, 'GET', '/v3/business-users/me', token, { b_uid: a.business.unique_id });
    expect(asA.statusCode, asA.body).toBe(200);
    expect(asA.json()).toMatchObject({
      business: businessJson(a),
      user_id: a.owner.id,
      is_verified: true,
      role: { name: 'Owner', is_owner: true },
    });
    const asB = await bearer(a.ctx, 'GET', '/v3/business-users/me', token, { b_uid: b.business.unique_id });
    expect(asB.statusCode, asB.body).toBe(200);
    expect(asB.json()).toMatchObject({
      business: businessJson(b),
      user_id: a.owner.id,
      is_verified: true,
      role: { name: 'Staff', is_owner: false },
    });
  });

  it('answers 403 business_access_denied for an existing business the token is not connected to', async () => {
    const { a, token } = await twoBusinessToken();
    const stranger = await createTenant('Oauth Stranger');
    const res = await bearer(a.ctx, 'GET', '/v3/business-users/me', token, {
      b_uid: stranger.business.unique_id,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('business_access_denied');
  });

  it('refuses b_uid repeated with different businesses instead of ignoring it', async () => {
    const { a, b, token } = await twoBusinessToken();
    const url = `/v3/business-users/me?b_uid=${a.business.unique_id}&b_uid=${b.business.unique_id}`;
    const res = await bearer(a.ctx, 'GET', url, token);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual({ b_uid: ['must be given once'] });
  });

  it('answers 404 business_not_found for an unknown b_uid', async () => {
    const { a, token } = await twoBusinessToken();
    const res = await bearer(a.ctx, 'GET', '/v3/business-users/me', token, { b_uid: 'ZZZZZZZZZZZZZZZZ' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error_code).toBe('business_not_found');
  });

  it('does not need b_uid when the token reaches a single business', async () => {
    const tenant = await createTenant('Oauth Single');
    const { token } = await issueOAuthToken(tenant.ctx, {
      userId: tenant.owner.id,
      scopes: ['store:read'],
      installations: [{ businessId: tenant.business.id, scopes: ['store:read'] }],
    });
    const res = await bearer(tenant.ctx, 'GET', '/v3/business-users/me', token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().business.unique_id).toBe(tenant.business.unique_id);
  });

  it('lists memberships of the token user without b_uid (user-level route)', async () => {
    const { a, b, token } = await twoBusinessToken();
    const res = await bearer(a.ctx, 'GET', '/v3/me/business-users', token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.map((m: { business: { id: number } }) => m.business.id)).toEqual([
      b.business.id,
      a.business.id,
    ]);
  });

  it('answers 403 on /v3/me when the token has no active installation left', async () => {
    const tenant = await createTenant('Oauth Revoked');
    const { token } = await issueOAuthToken(tenant.ctx, {
      userId: tenant.owner.id,
      scopes: ['store:read'],
      installations: [{ businessId: tenant.business.id, scopes: ['store:read'], status: 'revoked' }],
    });
    const res = await bearer(tenant.ctx, 'GET', '/v3/me', token);
    expect(res.statusCode).toBe(403);
    const body = res.json();
    expect(body.error_code).toBe('business_access_denied');
    expect(body).not.toHaveProperty('user');
    expect(body).not.toHaveProperty('connected_businesses');
  });

  it('answers 403 on /v3/me for a token that never had an installation', async () => {
    const tenant = await createTenant('Oauth None');
    const { token } = await issueOAuthToken(tenant.ctx, {
      userId: tenant.owner.id,
      scopes: ['store:read'],
      installations: [],
    });
    const res = await bearer(tenant.ctx, 'GET', '/v3/me', token);
    expect(res.statusCode).toBe(403);
  });

  it('answers 401 for an expired token', async () => {
    const tenant = await createTenant('Oauth Expired');
    const { token } = await issueOAuthToken(tenant.ctx, {
      userId: tenant.owner.id,
      scopes: ['store:read'],
      installations: [{ businessId: tenant.business.id, scopes: ['store:read'] }],
      expiresAt: new Date(Date.now() - 1_000),
    });
    for (const url of ['/v3/me', '/v3/business-users/me', '/v3/me/business-users']) {
      const res = await bearer(tenant.ctx, 'GET', url, token);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error_code, url).toBe('invalid_token');
    }
  });

  it('answers 401 for an unknown or malformed token', async () => {
    const ctx = await getTestContext();
    for (const token of [`oat.${randomString(48)}`, 'short', `${'x'.repeat(513)}`]) {
      const res = await bearer(ctx, 'GET', '/v3/me', token);
      expect(res.statusCode, token).toBe(401);
      expect(res.json().error_code).toBe('invalid_token');
    }
  });

  it('answers 401 for a revoked token', async () => {
    const tenant = await createTenant('Oauth Token Revoked');
    const { token } = await issueOAuthToken(tenant.ctx, {
      userId: tenant.owner.id,
      scopes: ['store:read'],
      installations: [{ businessId: tenant.business.id, scopes: ['store:read'] }],
    });
    expect((await bearer(tenant.ctx, 'GET', '/v3/me', token)).statusCode).toBe(200);
    await tenant.ctx.database.db
      .updateTable('oauth_access_tokens')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', sha256Hex(token))
      .execute();
    expect((await bearer(tenant.ctx, 'GET', '/v3/me', token)).statusCode).toBe(401);
  });
});
