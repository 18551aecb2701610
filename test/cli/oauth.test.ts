import { describe, expect, it } from 'vitest';
import { nexus } from '../helpers/cli.ts';
import { createTenant, send, type Tenant } from '../helpers/tenants.ts';
import { authorize, REDIRECT_URI } from '../modules/oauth/flow.ts';

async function createApp(tenant: Tenant, ...extra: string[]) {
  const run = await nexus(
    'oauth',
    'app',
    'create',
    '--business',
    tenant.business.unique_id,
    '--name',
    'CLI App',
    '--redirect-uris',
    REDIRECT_URI,
    '--scopes',
    'store:read,order:list',
    ...extra,
    '--json',
  );
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { client_id: string; client_secret: string | null; scopes: string[] };
}

/** Client authentication passes (400 invalid_grant for the made-up code) or fails (401). */
const tokenWith = (tenant: Tenant, clientId: string, secret: string) =>
  send(tenant.ctx, 'POST', '/v3/oauth/token', {
    body: {
      grant_type: 'authorization_code',
      code: 'nxcode_unknown',
      redirect_uri: REDIRECT_URI,
      code_verifier: 'v'.repeat(43),
      client_id: clientId,
      client_secret: secret,
    },
  });

describe('nexus oauth app', () => {
  it('creates, lists (without secrets) and rotates the secret of an app', async () => {
    const tenant = await createTenant('CLI OAuth');
    const other = await createTenant('CLI OAuth other');
    const app = await createApp(tenant, '--manage-url', 'https://app.example.test/manage');
    expect(app.client_secret).toMatch(/^nxs_/);
    expect(app.scopes).toEqual(['order:list', 'store:read']);

    const listed = await nexus('oauth', 'app', 'list', '--business', String(tenant.business.id));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(app.client_id);
    expect(listed.stdout).not.toContain(app.client_secret);
    expect(
      (await nexus('oauth', 'app', 'list', '--business', other.business.unique_id)).stdout,
    ).not.toContain(app.client_id);

    expect((await tokenWith(tenant, app.client_id, app.client_secret!)).statusCode).toBe(400);
    const foreign = await nexus(
      'oauth',
      'app',
      'rotate-secret',
      '--business',
      other.business.unique_id,
      '--client-id',
      app.client_id,
    );
    expect(foreign.code).toBe(2);
    const rotated = await nexus(
      'oauth',
      'app',
      'rotate-secret',
      '--business',
      tenant.business.unique_id,
      '--client-id',
      app.client_id,
      '--json',
    );
    expect(rotated.code, rotated.stderr).toBe(0);
    const secret = JSON.parse(rotated.stdout).client_secret as string;
    expect((await tokenWith(tenant, app.client_id, app.client_secret!)).statusCode).toBe(401);
    expect((await tokenWith(tenant, app.client_id, secret)).statusCode).toBe(400);
  });

  it('explains bad redirect URIs and scopes', async () => {
    const tenant = await createTenant('CLI OAuth bad');
    const run = await nexus(
      'oauth',
      'app',
      'create',
      '--business',
      tenant.business.unique_id,
      '--name',
      'Bad',
      '--redirect-uris',
      'http://example.com/cb',
      '--scopes',
      'store:read,nope:none',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must use https');
    expect(run.stderr).toContain('unknown scopes nope:none');
  });

  it("sets an app's webhook: the secret printed once, kept until rotated, only by the app's owner", async () => {
    const tenant = await createTenant('CLI app webhook');
    const other = await createTenant('CLI app webhook other');
    const app = await createApp(tenant, '--webhook-events', 'order.created');
    const setWebhook = (business: Tenant, ...extra: string[]) =>
      nexus(
        'oauth',
        'app',
        'set-webhook',
        '--business',
        business.business.unique_id,
        '--client-id',
        app.client_id,
        ...extra,
      );
    // A public IP literal: checked without a lookup, and nothing is sent when it is set.
    const first = await setWebhook(tenant, '--url', 'https://93.184.215.14/hooks', '--json');
    expect(first.code, first.stderr).toBe(0);
    const set = JSON.parse(first.stdout);
    expect(set).toMatchObject({
      client_id: app.client_id,
      webhook_url: 'https://93.184.215.14/hooks',
      webhook_events: ['order.created'],
    });
    expect(set.webhook_secret).toMatch(/^whsec_/);
    const again = await setWebhook(
      tenant,
      '--url',
      'https://93.184.215.14/v2',
      '--events',
      'order.created,order.updated',
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('order.created, order.updated');
    expect(again.stdout).toContain('The signing secret is unchanged.');
    expect(again.stdout).not.toContain(set.webhook_secret);
    const rotated = await setWebhook(tenant, '--url', 'https://93.184.215.14/v2', '--rotate-secret');
    expect(rotated.stdout).toMatch(/Signing secret .*whsec_/);
    const listed = await nexus('oauth', 'app', 'list', '--business', tenant.business.unique_id, '--json');
    expect(JSON.parse(listed.stdout).apps[0]).toMatchObject({ webhook_url: 'https://93.184.215.14/v2' });
    expect(listed.stdout).not.toContain('whsec_');

    expect((await setWebhook(other, '--url', 'https://93.184.215.14/x')).code).toBe(2);
    const refused = await setWebhook(tenant, '--url', 'http://10.0.0.1/hooks');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('private-network');
    expect(
      (await setWebhook(tenant, '--url', 'https://93.184.215.14/v2', '--events', 'order.nope')).code,
    ).toBe(2);
  });

  it('mints a one-time launch token for an installed app', async () => {
    const tenant = await createTenant('CLI launch');
    const app = await createApp(tenant, '--manage-url', 'https://app.example.test/manage');
    const before = await nexus(
      'oauth',
      'app',
      'launch',
      '--business',
      tenant.business.unique_id,
      '--client-id',
      app.client_id,
    );
    expect(before.code).toBe(2);
    await authorize(tenant, app.client_id);
    const run = await nexus(
      'oauth',
      'app',
      'launch',
      '--business',
      tenant.business.unique_id,
      '--client-id',
      app.client_id,
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const launch = JSON.parse(run.stdout);
    expect(launch.manage_url).toContain('launch_token=olt_');
    const exchanged = await send(tenant.ctx, 'POST', '/v3/oauth/installation/launch-token/exchange', {
      body: { launch_token: launch.launch_token, client_id: app.client_id, client_secret: app.client_secret },
    });
    expect(exchanged.statusCode).toBe(200);
    expect(exchanged.json().authorized_business_id).toBe(tenant.business.id);
  });
});

describe('nexus oauth installation', () => {
  it('disables, enables and uninstalls: tokens follow at once', async () => {
    const tenant = await createTenant('CLI installation');
    const app = await createApp(tenant);
    const { code, verifier } = await authorize(tenant, app.client_id);
    const pair = (
      await send(tenant.ctx, 'POST', '/v3/oauth/token', {
        body: {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT_URI,
          code_verifier: verifier,
          client_id: app.client_id,
          client_secret: app.client_secret,
        },
      })
    ).json();
    const call = async () =>
      (
        await send(tenant.ctx, 'GET', `/v3/stores/${tenant.store.id}/public-api-keys`, {
          headers: { authorization: `Bearer ${pair.access_token}` },
        })
      ).statusCode;
    const run = (change: string) =>
      nexus(
        'oauth',
        'installation',
        change,
        '--business',
        tenant.business.unique_id,
        '--client-id',
        app.client_id,
        '--json',
      );
    expect(await call()).toBe(200);
    expect((await run('disable')).code).toBe(0);
    expect(await call()).toBe(403);
    const enabled = await run('enable');
    expect(JSON.parse(enabled.stdout)).toMatchObject({ is_active: true, is_enabled: true });
    expect(await call()).toBe(200);
    expect((await run('uninstall')).code).toBe(0);
    expect(await call()).toBe(403);
    expect((await run('enable')).code).toBe(2);
  });
});

describe('nexus user set-password', () => {
  it('sets the password a business user signs in with on the authorize page', async () => {
    const tenant = await createTenant('CLI password');
    const app = await createApp(tenant);
    const run = await nexus(
      'user',
      'set-password',
      '--email',
      tenant.owner.email.toUpperCase(),
      '--password',
      'a-new-password',
    );
    expect(run.code, run.stderr).toBe(0);
    const { code } = await authorize(tenant, app.client_id, { password: 'a-new-password' });
    expect(code).toMatch(/^nxcode_/);
    expect(
      (await nexus('user', 'set-password', '--email', tenant.owner.email, '--password', 'short')).code,
    ).toBe(2);
    expect(
      (await nexus('user', 'set-password', '--email', 'nobody@example.test', '--password', 'long-enough'))
        .code,
    ).toBe(2);
  });
});
