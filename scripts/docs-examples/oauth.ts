import { createHash, randomBytes } from 'node:crypto';
import { createDeveloperApp } from '../../src/modules/oauth/apps.ts';
import { createLaunchToken } from '../../src/modules/oauth/installations.ts';
import type { RecordingContext } from './recorder.ts';

export const REDIRECT_URI = 'https://stocksync.example.com/oauth/callback';

/** The hidden inputs of the authorize page's form, as a browser submits them. */
function hiddenInputs(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[match[1]!] = match[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return fields;
}

/**
 * The demo owner connects a developer's app through the hosted authorize page (sign in, approve),
 * then the app uses every OAuth operation the way its backend would.
 */
export async function recordOAuth(context: RecordingContext): Promise<void> {
  const { recorder: r, demo, db } = context;
  const app = await createDeveloperApp(db, {
    ownerBusinessId: demo.business_id,
    name: 'Stock Sync',
    description: 'Keeps marketplace stock in step with Nexus.',
    homepageUrl: 'https://stocksync.example.com',
    redirectUris: [REDIRECT_URI],
    scopes: ['order:list', 'store:read'],
    webhookEvents: ['order.created'],
    manageUrl: 'https://stocksync.example.com/manage',
  });
  const client = { client_id: app.client_id, client_secret: app.client_secret as string };

  await r.call('getOAuthAuthorizationServerMetadata');
  await r.call('listOAuthScopes');
  await r.call('getOAuthApplicationPublic', {
    query: { client_id: app.client_id, redirect_uri: REDIRECT_URI },
  });
  await r.call('getOAuthApplicationPublic', {
    query: { client_id: app.client_id, redirect_uri: 'https://elsewhere.example.com/callback' },
    status: 404,
  });
  await r.call('registerOAuthClient', {
    body: {
      client_name: 'Claude',
      redirect_uris: ['http://127.0.0.1:33418/callback'],
      token_endpoint_auth_method: 'none',
    },
  });
  await r.call('registerOAuthClient', {
    body: { redirect_uris: ['http://example.com/callback'] },
    status: 400,
  });

  const verifier = randomBytes(32).toString('base64url');
  const code = await authorize(
    context,
    app.client_id,
    createHash('sha256').update(verifier).digest('base64url'),
  );
  const exchange = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  };
  await r.call('exchangeOAuthToken', {
    body: { ...exchange, client_id: app.client_id, client_secret: 'wrong' },
    status: 401,
  });
  await r.call('exchangeOAuthToken', { body: { ...exchange, ...client } });
  await r.call('exchangeOAuthToken', { body: { ...exchange, ...client }, status: 400 });
  // The reuse above revoked the first pair, as RFC 6749 asks: authorize again for the rest.
  const verifier2 = randomBytes(32).toString('base64url');
  const code2 = await authorize(
    context,
    app.client_id,
    createHash('sha256').update(verifier2).digest('base64url'),
  );
  const live = (
    await r.call('exchangeOAuthToken', {
      body: {
        grant_type: 'authorization_code',
        code: code2,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier2,
        ...client,
      },
      quiet: true,
    })
  ).json();

  await r.call('getCurrentOAuthApplication', { headers: { authorization: `Bearer ${live.access_token}` } });
  await r.call('introspectOAuthToken', {
    body: { token: live.access_token, token_type: 'access', ...client },
  });
  await r.call('introspectOAuthToken', {
    body: { token: live.access_token, ...client, client_secret: 'wrong' },
    status: 401,
  });
  await r.call('getOAuthInstallationStatus', {
    body: { token: live.access_token, token_type: 'access', ...client },
  });
  await r.call('getOAuthInstallationStatus', {
    body: { token: 'oat_unknown0000000000000000', token_type: 'access', ...client },
    status: 400,
  });
  await r.call('getOAuthInstallationStatus', {
    body: { token: live.access_token, token_type: 'access', ...client, client_secret: 'wrong' },
    status: 401,
  });
  const launch = await createLaunchToken(db, demo.business_id, app.client_id);
  await r.call('exchangeOAuthInstallationLaunchToken', {
    body: { launch_token: launch.launch_token, ...client },
  });
  await r.call('exchangeOAuthInstallationLaunchToken', {
    body: { launch_token: launch.launch_token, ...client },
    status: 400,
  });
  await r.call('exchangeOAuthInstallationLaunchToken', {
    body: { launch_token: launch.launch_token, ...client, client_secret: 'wrong' },
    status: 401,
  });
  await r.call('revokeOAuthToken', { body: { token: live.refresh_token, token_type: 'refresh', ...client } });
  await r.call('revokeOAuthToken', {
    body: { token: live.refresh_token, ...client, client_secret: 'wrong' },
    status: 401,
  });
  await r.call('revokeOAuthToken', { body: { ...client }, status: 400 });
}

export async function authorize(
  context: RecordingContext,
  clientId: string,
  challenge: string,
  scope = 'store:read',
): Promise<string> {
  const { recorder: r, demo } = context;
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope,
    state: 'af0ifjsldkj',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const page = await r.app.inject({
    method: 'GET',
    url: `/oauth/authorize?${query}`,
    remoteAddress: '203.0.113.20',
  });
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  const submit = (fields: Record<string, string>) =>
    r.app.inject({
      method: 'POST',
      url: '/oauth/authorize',
      remoteAddress: '203.0.113.20',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
  const consent = await submit({
    ...hiddenInputs(page.body),
    action: 'sign_in',
    email: demo.owner_email,
    password: demo.owner_password ?? '',
  });
  if (consent.statusCode !== 200) throw new Error(`authorize sign-in: ${consent.statusCode} ${consent.body}`);
  const approved = await submit({
    ...hiddenInputs(consent.body),
    action: 'approve',
    business_id: String(demo.business_id),
  });
  const code = new URL(String(approved.headers.location)).searchParams.get('code');
  if (!code) throw new Error(`authorize approve: ${approved.statusCode} ${approved.body}`);
  return code;
}
