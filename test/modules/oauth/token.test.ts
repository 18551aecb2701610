import { describe, expect, it } from 'vitest';
import { inviteMember } from '../../../src/modules/businesses/service.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { authorize, developerApp, REDIRECT_URI, tokenRequest, tokens } from './flow.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (tenant: Tenant, token: string, query?: Record<string, string>) =>
  send(tenant.ctx, 'GET', '/v3/me', { headers: bearer(token), ...(query ? { query } : {}) });
/** A business route that takes OAuth tokens and needs `store:read`. */
const storeKeys = (tenant: Tenant, token: string, query?: Record<string, string>) =>
  send(tenant.ctx, 'GET', `/v3/stores/${tenant.store.id}/public-api-keys`, {
    headers: bearer(token),
    ...(query ? { query } : {}),
  });

function expectOAuthError(response: { statusCode: number; json(): unknown }, status: number, error: string) {
  expect(response.statusCode, JSON.stringify(response.json())).toBe(status);
  expect(response.json()).toMatchObject({ error, error_code: error });
}

describe('POST /v3/oauth/token: authorization code with PKCE', () => {
  it('exchanges a code (JSON, client_secret_post) for a 1 h access token and a refresh token', async () => {
    const tenant = await createTenant('Token');
    const app = await developerApp(tenant, ['store:read']);
    const { code, verifier } = await authorize(tenant, app.client_id);
    const response = await tokenRequest(tenant, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^oat_/),
      refresh_token: expect.stringMatching(/^ort_/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'store:read',
    });
    const stored = await tenant.ctx.database.db
      .selectFrom('oauth_access_tokens')
      .select(['token_hash', 'expires_at'])
      .where(
        'application_id',
        '=',
        (
          await tenant.ctx.database.db
            .selectFrom('oauth_applications')
            .select('id')
            .where('client_id', '=', app.client_id)
            .executeTakeFirstOrThrow()
        ).id,
      )
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(body.access_token);
    expect(stored.expires_at.getTime() - Date.now()).toBeGreaterThan(3590_000);
    expect((await storeKeys(tenant, body.access_token)).statusCode).toBe(200);
  });

  it('takes form encoding with HTTP Basic client authentication (RFC 6749)', async () => {
    const tenant = await createTenant('Token form');
    const app = await developerApp(tenant, ['store:read']);
    const { code, verifier } = await authorize(tenant, app.client_id);
    const basic = Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64');
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    const response = await tokenRequest(tenant, form.toString() as never, {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${basic}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().token_type).toBe('Bearer');
  });

  it('lets a public client in with PKCE alone, and refuses it a secret', async () => {
    const tenant = await createTenant('Token public');
    const app = await developerApp(tenant, ['store:read'], { isPublic: true });
    expect(app.client_secret).toBeNull();
    const pair = await tokens(tenant, app);
    expect(pair.access_token).toMatch(/^oat_/);
    const { code, verifier } = await authorize(tenant, app.client_id);
    const withSecret = await tokenRequest(tenant, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: app.client_id,
      client_secret: 'anything',
    });
    expectOAuthError(withSecret, 401, 'invalid_client');
  });

  it('refuses a wrong secret, another client, a wrong verifier or redirect URI, and a missing verifier', async () => {
    const tenant = await createTenant('Token refusals');
    const app = await developerApp(tenant, ['store:read']);
    const other = await developerApp(tenant, ['store:read']);
    const { code, verifier } = await authorize(tenant, app.client_id);
    const base = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    };

    expectOAuthError(
      await tokenRequest(tenant, { ...base, client_secret: 'nxs_wrong' }),
      401,
      'invalid_client',
    );
    const basicWrong = await tokenRequest(
      tenant,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
      { authorization: `Basic ${Buffer.from(`${app.client_id}:wrong`).toString('base64')}` },
    );
    expectOAuthError(basicWrong, 401, 'invalid_client');
    expect(basicWrong.headers['www-authenticate']).toMatch(/^Basic/);
    expectOAuthError(
      await tokenRequest(tenant, {
        ...base,
        client_id: other.client_id,
        client_secret: other.client_secret!,
      }),
      400,
      'invalid_grant',
    );
    expectOAuthError(
      await tokenRequest(tenant, { ...base, code_verifier: 'x'.repeat(43) }),
      400,
      'invalid_grant',
    );
    expectOAuthError(
      await tokenRequest(tenant, { ...base, redirect_uri: `${REDIRECT_URI}?x=1` }),
      400,
      'invalid_grant',
    );
    const { code_verifier: _omitted, ...noVerifier } = base;
    expectOAuthError(await tokenRequest(tenant, noVerifier), 400, 'invalid_request');
    expectOAuthError(
      await tokenRequest(tenant, { ...base, grant_type: 'password' }),
      400,
      'unsupported_grant_type',
    );
    const { grant_type: _none, ...noGrant } = base;
    expectOAuthError(await tokenRequest(tenant, noGrant), 400, 'invalid_request');
    // None of these spent the code.
    expect((await tokenRequest(tenant, base)).statusCode).toBe(200);
  });

  it('works once: a second exchange fails and revokes what the first one issued', async () => {
    const tenant = await createTenant('Token reuse');
    const app = await developerApp(tenant, ['store:read']);
    const { code, verifier } = await authorize(tenant, app.client_id);
    const body = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    };
    const first = (await tokenRequest(tenant, body)).json();
    expect((await me(tenant, first.access_token)).statusCode).toBe(200);
    expectOAuthError(await tokenRequest(tenant, body), 400, 'invalid_grant');
    expect((await me(tenant, first.access_token)).statusCode).toBe(401);
    const refreshed = await tokenRequest(tenant, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    });
    expectOAuthError(refreshed, 400, 'invalid_grant');
  });

  it('expires codes after 10 minutes', async () => {
    const tenant = await createTenant('Token expiry');
    const app = await developerApp(tenant, ['store:read']);
    const { code, verifier } = await authorize(tenant, app.client_id);
    const db = tenant.ctx.database.db;
    const row = await db
      .selectFrom('oauth_authorization_codes')
      .select(['created_at', 'expires_at'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBeCloseTo(600_000, -3);
    await db
      .updateTable('oauth_authorization_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('expires_at', '=', row.expires_at)
      .execute();
    const body = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    };
    expectOAuthError(await tokenRequest(tenant, body), 400, 'invalid_grant');
  });
});

describe('POST /v3/oauth/token: refresh', () => {
  it('rotates, and a reused refresh token revokes its whole family', async () => {
    const tenant = await createTenant('Refresh');
    const app = await developerApp(tenant, ['store:read']);
    const first = await tokens(tenant, app);
    const refresh = (token: string) =>
      tokenRequest(tenant, {
        grant_type: 'refresh_token',
        refresh_token: token,
        client_id: app.client_id,
        client_secret: app.client_secret!,
      });
    const second = await refresh(first.refresh_token);
    expect(second.statusCode).toBe(200);
    const pair = second.json();
    expect(pair.refresh_token).not.toBe(first.refresh_token);
    expect((await storeKeys(tenant, pair.access_token)).statusCode).toBe(200);

    expectOAuthError(await refresh(first.refresh_token), 400, 'invalid_grant');
    expect((await storeKeys(tenant, pair.access_token)).statusCode).toBe(401);
    expect((await storeKeys(tenant, first.access_token)).statusCode).toBe(401);
    expectOAuthError(await refresh(pair.refresh_token), 400, 'invalid_grant');
  });

  it('may narrow the scopes on refresh, never widen them', async () => {
    const tenant = await createTenant('Refresh scope');
    const app = await developerApp(tenant, ['store:read', 'product:list']);
    const pair = await tokens(tenant, app, { scope: 'store:read product:list' });
    const client = { client_id: app.client_id, client_secret: app.client_secret! };
    const wider = await tokenRequest(tenant, {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
      scope: 'store:read order:list',
      ...client,
    });
    expectOAuthError(wider, 400, 'invalid_scope');
    const narrower = await tokenRequest(tenant, {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
      scope: 'product:list',
      ...client,
    });
    expect(narrower.statusCode).toBe(200);
    expect(narrower.json().scope).toBe('product:list');
    expect((await storeKeys(tenant, narrower.json().access_token)).statusCode).toBe(403);
  });

  it("refuses another client's refresh token and a wrong secret", async () => {
    const tenant = await createTenant('Refresh refusals');
    const app = await developerApp(tenant, ['store:read']);
    const other = await developerApp(tenant, ['store:read']);
    const pair = await tokens(tenant, app);
    expectOAuthError(
      await tokenRequest(tenant, {
        grant_type: 'refresh_token',
        refresh_token: pair.refresh_token,
        client_id: other.client_id,
        client_secret: other.client_secret!,
      }),
      400,
      'invalid_grant',
    );
    expectOAuthError(
      await tokenRequest(tenant, {
        grant_type: 'refresh_token',
        refresh_token: pair.refresh_token,
        client_id: app.client_id,
        client_secret: 'nope',
      }),
      401,
      'invalid_client',
    );
    // Neither spent it.
    const ok = await tokenRequest(tenant, {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    });
    expect(ok.statusCode).toBe(200);
  });
});

describe('OAuth access tokens on business routes', () => {
  it('narrows to the granted scopes', async () => {
    const tenant = await createTenant('Scopes');
    const app = await developerApp(tenant, ['store:read', 'product:list']);
    const pair = await tokens(tenant, app, { scope: 'product:list' });
    expect((await me(tenant, pair.access_token)).json().connected_businesses[0].scopes).toEqual([
      'product:list',
    ]);
    const denied = await storeKeys(tenant, pair.access_token);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error_code).toBe('insufficient_scope');
  });

  it('ends at once when the installation is disabled or uninstalled, whatever the token age', async () => {
    const tenant = await createTenant('Uninstall');
    const app = await developerApp(tenant, ['store:read']);
    const pair = await tokens(tenant, app);
    const db = tenant.ctx.database.db;
    const installation = db.updateTable('oauth_installations').where('business_id', '=', tenant.business.id);
    await installation.set({ is_enabled: false }).execute();
    expect((await storeKeys(tenant, pair.access_token)).json().error_code).toBe('business_access_denied');
    await installation.set({ is_enabled: true }).execute();
    expect((await storeKeys(tenant, pair.access_token)).statusCode).toBe(200);
    await installation.set({ status: 'revoked' }).execute();
    expect((await storeKeys(tenant, pair.access_token)).statusCode).toBe(403);
    expect((await me(tenant, pair.access_token)).statusCode).toBe(403);
    const refreshed = await tokenRequest(tenant, {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    });
    expectOAuthError(refreshed, 400, 'invalid_grant');
  });

  it('picks among connected businesses with b_uid', async () => {
    const tenant = await createTenant('Two A');
    const second = await createTenant('Two B');
    const db = tenant.ctx.database.db;
    const invited = await inviteMember(db, second.business.id, {
      email: tenant.owner.email,
      name: tenant.owner.name,
    });
    await db
      .updateTable('business_users')
      .set({ is_verified: true })
      .where('id', '=', invited.membershipId)
      .execute();
    const outsider = await createTenant('Two C');
    const app = await developerApp(tenant, ['store:read']);
    const pair = await tokens(tenant, app, {
      businessIds: [String(tenant.business.id), String(second.business.id)],
    });
    expect((await storeKeys(tenant, pair.access_token)).json().error_code).toBe(
      'business_selection_required',
    );
    expect(
      (await storeKeys(second, pair.access_token, { b_uid: second.business.unique_id })).statusCode,
    ).toBe(200);
    expect(
      (await storeKeys(tenant, pair.access_token, { b_uid: outsider.business.unique_id })).json().error_code,
    ).toBe('business_access_denied');
    expect((await me(tenant, pair.access_token)).json().connected_businesses).toHaveLength(2);
  });
});
