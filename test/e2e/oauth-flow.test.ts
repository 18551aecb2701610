import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BannerDemo, REQUEST_TIMEOUT_MS, type StartedServer, startServer } from '../helpers/server.ts';
import { businessCheckboxes, hiddenInputs } from '../modules/oauth/flow.ts';

/**
 * Issue 14 acceptance: a real OAuth client library (oauth4webapi) runs the whole dance against a
 * server started like `npm start`, over a real socket: RFC 8414 discovery, dynamic registration, the
 * hosted authorize page driven like a browser (cookie, CSRF token, sign-in, approve), the code
 * exchange with PKCE, business calls with the token (and a scope-narrowed 403), refresh with rotation
 * and reuse detection, revocation and introspection. The merchant's password is set with
 * `nexus user set-password` beside the running server; its logs must hold none of the secrets.
 */

const TIMEOUT_MS = REQUEST_TIMEOUT_MS;
const PASSWORD = 'journey-password-2026';
let server: StartedServer;
let base: string;
let demo: BannerDemo;
const secrets: string[] = [PASSWORD];
const insecure = { [oauth.allowInsecureRequests]: true, signal: () => AbortSignal.timeout(TIMEOUT_MS) };

beforeAll(async () => {
  server = await startServer({ seedDemo: true });
  base = server.url;
  demo = server.demo as BannerDemo;
  const set = await server.command([
    'user',
    'set-password',
    '--email',
    demo.owner_email,
    '--password',
    PASSWORD,
  ]);
  expect(set.code, set.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  if (!server) return;
  expect(await server.stop()).toBe(0);
  const logs = server
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'));
  expect(logs.length).toBeGreaterThan(0);
  expect(secrets.filter((secret) => logs.some((line) => line.includes(secret)))).toEqual([]);
}, 60_000);

/** A browser: follows nothing by itself, keeps the page's cookie. */
class Browser {
  private cookie = '';
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        ...(init.headers as Record<string, string>),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
    });
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return response;
  }
  submit(action: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

describe('OAuth journey with oauth4webapi over a real socket', () => {
  it('discovers, registers, authorizes, calls, refreshes, detects reuse, revokes and introspects', async () => {
    const issuer = new URL(`${base}/v3/oauth`);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
    expect(as.authorization_endpoint).toBe(`${base}/oauth/authorize`);

    const redirectUri = `http://127.0.0.1:${new URL(base).port}/callback`;
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        {
          client_name: 'Journey client',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
        insecure,
      ),
    );
    const client: oauth.Client = { client_id: registered.client_id };
    const clientAuth = oauth.ClientSecretBasic(registered.client_secret as string);
    secrets.push(registered.client_secret as string);

    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizeUrl = new URL(as.authorization_endpoint!);
    for (const [name, value] of Object.entries({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'store:read',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }))
      authorizeUrl.searchParams.set(name, value);

    const browser = new Browser();
    const page = await browser.fetch(authorizeUrl.href);
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain('Journey client');
    const consent = await browser.submit(as.authorization_endpoint!, {
      ...hiddenInputs(pageHtml),
      action: 'sign_in',
      email: demo.owner_email,
      password: PASSWORD,
    });
    expect(consent.status).toBe(200);
    const consentHtml = await consent.text();
    expect(consentHtml).toContain('store:read');
    const offered = businessCheckboxes(consentHtml);
    expect(offered).toHaveLength(1);
    const approved = await browser.submit(as.authorization_endpoint!, {
      ...hiddenInputs(consentHtml),
      action: 'approve',
      business_id: offered[0]!,
    });
    expect(approved.status).toBe(303);
    const callback = new URL(approved.headers.get('location')!);
    expect(callback.href.startsWith(redirectUri)).toBe(true);

    const params = oauth.validateAuthResponse(as, client, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        params,
        redirectUri,
        verifier,
        insecure,
      ),
    );
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    secrets.push(tokens.access_token, tokens.refresh_token!, callback.searchParams.get('code')!);

    const call = (token: string, path: string) =>
      oauth.protectedResourceRequest(token, 'GET', new URL(`${base}${path}`), new Headers(), null, insecure);
    const me = await call(tokens.access_token, '/v3/me');
    expect(me.status).toBe(200);
    const identity = await me.json();
    expect(identity.auth_method).toBe('oauth');
    expect(identity.connected_businesses.map((b: { unique_id: string }) => b.unique_id)).toEqual([
      demo.business_unique_id,
    ]);
    expect((await call(tokens.access_token, `/v3/stores/${demo.store_id}/public-api-keys`)).status).toBe(200);
    const narrowed = await call(tokens.access_token, '/v3/discount-codes');
    expect(narrowed.status).toBe(403);
    expect((await narrowed.json()).error_code).toBe('insufficient_scope');

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await call(refreshed.access_token, '/v3/me')).status).toBe(200);

    const replay = oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure),
    );
    await expect(replay).rejects.toMatchObject({ error: 'invalid_grant' });
    // Reuse revoked the whole family: the newest pair is dead too.
    expect((await call(refreshed.access_token, '/v3/me')).status).toBe(401);

    // A fresh authorization to revoke and introspect.
    const second = await authorizeAgain(as, client, clientAuth, redirectUri);
    secrets.push(second.access_token, second.refresh_token!);
    const introspect = async (token: string) =>
      oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, clientAuth, token, insecure),
      );
    expect((await introspect(second.access_token)).active).toBe(true);
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, second.refresh_token!, insecure),
    );
    expect((await introspect(second.refresh_token!)).active).toBe(false);
    expect((await introspect(second.access_token)).active).toBe(false);
    expect((await call(second.access_token, '/v3/me')).status).toBe(401);
  });
});

async function authorizeAgain(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  clientAuth: oauth.ClientAuth,
  redirectUri: string,
) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'store:read',
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const browser = new Browser();
  const page = await (await browser.fetch(url.href)).text();
  const consent = await (
    await browser.submit(as.authorization_endpoint!, {
      ...hiddenInputs(page),
      action: 'sign_in',
      email: demo.owner_email,
      password: PASSWORD,
    })
  ).text();
  const approved = await browser.submit(as.authorization_endpoint!, {
    ...hiddenInputs(consent),
    action: 'approve',
    business_id: businessCheckboxes(consent)[0]!,
  });
  const params = oauth.validateAuthResponse(as, client, new URL(approved.headers.get('location')!), state);
  return oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, verifier, {
      [oauth.allowInsecureRequests]: true,
    }),
  );
}
