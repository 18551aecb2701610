import { describe, expect, it } from 'vitest';
import { createTenant } from '../../helpers/tenants.ts';
import {
  authorize,
  authorizeQuery,
  Browser,
  businessCheckboxes,
  developerApp,
  hiddenInputs,
  pkce,
  REDIRECT_URI,
} from './flow.ts';

describe('hosted authorize page', () => {
  it('shows the app, its scopes and the businesses, and answers a code at the redirect URI', async () => {
    const tenant = await createTenant('Authorize');
    const app = await developerApp(tenant, ['order:list', 'product:list']);
    const { challenge } = pkce();
    const browser = new Browser(tenant);
    const page = await browser.open(authorizeQuery(app.client_id, challenge, { scope: 'order:list' }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Stock Sync');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("form-action 'self' https://app.example.test");
    expect(browser.cookie).toMatch(/^nexus_oauth_csrf=/);

    const wrong = await browser.submit({
      ...hiddenInputs(page.body),
      action: 'sign_in',
      email: tenant.owner.email,
      password: 'not-the-password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Wrong e-mail or password');

    const consent = await browser.submit({
      ...hiddenInputs(page.body),
      action: 'sign_in',
      email: tenant.owner.email,
      password: tenant.ownerPassword,
    });
    expect(consent.statusCode).toBe(200);
    expect(consent.body).toContain('order:list');
    expect(consent.body).not.toContain('product:list');
    expect(consent.body).toContain(tenant.business.unique_id);
    expect(businessCheckboxes(consent.body)).toEqual([String(tenant.business.id)]);

    const approved = await browser.submit({
      ...hiddenInputs(consent.body),
      action: 'approve',
      business_id: String(tenant.business.id),
    });
    expect(approved.statusCode).toBe(303);
    const location = new URL(approved.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toMatch(/^nxcode_/);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe('http://nexus.test/v3/oauth');

    const installation = await tenant.ctx.database.db
      .selectFrom('oauth_installations')
      .select(['scopes', 'granted_webhook_events', 'approved_billing_tags', 'status'])
      .where('business_id', '=', tenant.business.id)
      .executeTakeFirstOrThrow();
    expect(installation).toEqual({
      scopes: ['order:list'],
      granted_webhook_events: ['order.created'],
      approved_billing_tags: [],
      status: 'active',
    });
  });

  it('never redirects for an unknown client or an unregistered redirect URI', async () => {
    const tenant = await createTenant('Authorize unsafe');
    const app = await developerApp(tenant, ['order:list']);
    const { challenge } = pkce();
    const browser = new Browser(tenant);
    for (const query of [
      authorizeQuery('nxc_unknown', challenge),
      authorizeQuery(app.client_id, challenge, { redirect_uri: 'https://evil.example/callback' }),
      authorizeQuery(app.client_id, challenge, { redirect_uri: `${REDIRECT_URI}/` }),
    ]) {
      const page = await browser.open(query);
      expect(page.statusCode).toBe(400);
      expect(page.headers.location).toBeUndefined();
    }
  });

  it('sends other problems back to the client: PKCE missing or not S256, response type, scope', async () => {
    const tenant = await createTenant('Authorize errors');
    const app = await developerApp(tenant, ['order:list']);
    const { challenge } = pkce();
    const cases: Array<[Record<string, string>, string]> = [
      [{ code_challenge: '' }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'order:list nope:nothing' }, 'invalid_scope'],
      [{ scope: 'product:list' }, 'invalid_scope'],
    ];
    for (const [extra, error] of cases) {
      const page = await new Browser(tenant).open(authorizeQuery(app.client_id, challenge, extra));
      expect(page.statusCode).toBe(303);
      const location = new URL(page.headers.location as string);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('state-123');
    }
  });

  it('refuses forms without the CSRF cookie and token, or with a sign-in from another browser', async () => {
    const tenant = await createTenant('Authorize CSRF');
    const app = await developerApp(tenant, ['order:list']);
    const { challenge } = pkce();
    const browser = new Browser(tenant);
    const page = await browser.open(authorizeQuery(app.client_id, challenge));
    const fields = {
      ...hiddenInputs(page.body),
      action: 'sign_in',
      email: tenant.owner.email,
      password: tenant.ownerPassword,
    };

    const attacker = new Browser(tenant);
    expect((await attacker.submit(fields)).statusCode).toBe(403);
    expect((await browser.submit({ ...fields, csrf_token: 'forged' })).statusCode).toBe(403);

    const consent = await browser.submit(fields);
    expect(consent.statusCode).toBe(200);
    // The attacker's own page gives a valid CSRF pair, but the victim's sign-in is bound to the victim's cookie.
    const attackerPage = await attacker.open(authorizeQuery(app.client_id, challenge));
    const stolen = await attacker.submit({
      ...hiddenInputs(consent.body),
      csrf_token: hiddenInputs(attackerPage.body).csrf_token!,
      action: 'approve',
      business_id: String(tenant.business.id),
    });
    expect(stolen.statusCode).toBe(401);
    expect(stolen.headers.location).toBeUndefined();
  });

  it('answers access_denied when the merchant denies', async () => {
    const tenant = await createTenant('Authorize deny');
    const app = await developerApp(tenant, ['order:list']);
    const browser = new Browser(tenant);
    const page = await browser.open(authorizeQuery(app.client_id, pkce().challenge));
    const consent = await browser.submit({
      ...hiddenInputs(page.body),
      action: 'sign_in',
      email: tenant.owner.email,
      password: tenant.ownerPassword,
    });
    const denied = await browser.submit({ ...hiddenInputs(consent.body), action: 'deny' });
    expect(denied.statusCode).toBe(303);
    const location = new URL(denied.headers.location as string);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it("cannot connect another business's installation the user is no member of", async () => {
    const tenant = await createTenant('Authorize mine');
    const other = await createTenant('Authorize theirs');
    const app = await developerApp(tenant, ['order:list']);
    const browser = new Browser(tenant);
    const page = await browser.open(authorizeQuery(app.client_id, pkce().challenge));
    const consent = await browser.submit({
      ...hiddenInputs(page.body),
      action: 'sign_in',
      email: tenant.owner.email,
      password: tenant.ownerPassword,
    });
    const tampered = await browser.submit({
      ...hiddenInputs(consent.body),
      action: 'approve',
      business_id: String(other.business.id),
    });
    expect(tampered.statusCode).toBe(422);
    expect(tampered.headers.location).toBeUndefined();
    const installations = await tenant.ctx.database.db
      .selectFrom('oauth_installations')
      .select('id')
      .where('business_id', '=', other.business.id)
      .execute();
    expect(installations).toEqual([]);
  });

  it('limits sign-in attempts per account', async () => {
    const tenant = await createTenant('Authorize throttle');
    const app = await developerApp(tenant, ['order:list']);
    const limit = tenant.ctx.config.rateLimit.customerAuthAccountPer15m;
    let last = 0;
    for (let attempt = 0; attempt <= limit; attempt++) {
      const browser = new Browser(tenant);
      const page = await browser.open(authorizeQuery(app.client_id, pkce().challenge));
      const answer = await browser.submit({
        ...hiddenInputs(page.body),
        action: 'sign_in',
        email: tenant.owner.email,
        password: 'wrong-password',
      });
      last = answer.statusCode;
    }
    expect(last).toBe(429);
    // A correct password is refused too while the account's budget is spent.
    const { code } = await authorize(tenant, app.client_id).catch(() => ({ code: null }));
    expect(code).toBeNull();
  });
});
