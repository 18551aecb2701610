import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { setAppWebhook } from '../../../src/modules/oauth/app-webhooks.ts';
import { createDeveloperApp } from '../../../src/modules/oauth/apps.ts';
import { randomIp, send, type Tenant } from '../../helpers/tenants.ts';

export const REDIRECT_URI = 'https://app.example.test/callback';

export async function developerApp(tenant: Tenant, scopes: string[], options: { isPublic?: boolean } = {}) {
  return createDeveloperApp(tenant.ctx.database.db, {
    ownerBusinessId: tenant.business.id,
    name: 'Stock Sync',
    redirectUris: [REDIRECT_URI],
    scopes,
    webhookEvents: ['order.created'],
    manageUrl: 'https://app.example.test/manage',
    ...(options.isPublic ? { isPublic: true } : {}),
  });
}

/** Gives the tenant's app a webhook URL (an IP literal: no lookup); answers its signing secret. */
export async function giveWebhook(tenant: Tenant, clientId: string, url = 'http://127.0.0.1:9/app-hooks') {
  const set = await setAppWebhook(
    tenant.ctx.database.db,
    tenant.ctx.keys,
    { allowPrivateNetworks: true },
    tenant.business.id,
    clientId,
    { url },
  );
  return set.webhook_secret;
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#96;': '`',
};

/** The hidden inputs of the page's form, as a browser would submit them. */
export function hiddenInputs(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[match[1]!] = match[2]!.replace(/&(amp|lt|gt|quot|#39|#96);/g, (entity) => ENTITIES[entity]!);
  return fields;
}

export function businessCheckboxes(page: string): string[] {
  return [...page.matchAll(/name="business_id" value="(\d+)"/g)].map((match) => match[1]!);
}

/** A browser on the authorize page: keeps its cookie and one client IP. */
export class Browser {
  cookie = '';
  readonly ip = randomIp();
  constructor(readonly tenant: Tenant) {}

  async open(query: Record<string, string>): Promise<LightMyRequestResponse> {
    const response = await send(this.tenant.ctx, 'GET', '/oauth/authorize', {
      query,
      remoteAddress: this.ip,
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
    const set = response.headers['set-cookie'];
    if (typeof set === 'string') this.cookie = set.split(';')[0]!;
    return response;
  }

  submit(fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(fields))
      for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
    return send(this.tenant.ctx, 'POST', '/oauth/authorize', {
      body: form.toString(),
      remoteAddress: this.ip,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
    });
  }
}

export function authorizeQuery(clientId: string, challenge: string, extra: Record<string, string> = {}) {
  return {
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    state: 'state-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** Signs in as the tenant's owner and approves `businessIds` (default: the first offered). */
export async function authorize(
  tenant: Tenant,
  clientId: string,
  options: { scope?: string; businessIds?: string[]; email?: string; password?: string } = {},
) {
  const { verifier, challenge } = pkce();
  const browser = new Browser(tenant);
  const page = await browser.open(
    authorizeQuery(clientId, challenge, options.scope ? { scope: options.scope } : {}),
  );
  expect(page.statusCode, page.body).toBe(200);
  const consent = await browser.submit({
    ...hiddenInputs(page.body),
    action: 'sign_in',
    email: options.email ?? tenant.owner.email,
    password: options.password ?? tenant.ownerPassword,
  });
  expect(consent.statusCode, consent.body).toBe(200);
  const offered = businessCheckboxes(consent.body);
  const approved = await browser.submit({
    ...hiddenInputs(consent.body),
    action: 'approve',
    business_id: options.businessIds ?? [offered[0]!],
  });
  expect(approved.statusCode, approved.body).toBe(303);
  const location = new URL(approved.headers.location as string);
  return { code: location.searchParams.get('code')!, location, verifier, browser };
}

export function tokenRequest(
  tenant: Tenant,
  body: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return send(tenant.ctx, 'POST', '/v3/oauth/token', { body, headers });
}

/** Authorize, then exchange the code: a live token pair. */
export async function tokens(
  tenant: Tenant,
  app: { client_id: string; client_secret: string | null },
  options: Parameters<typeof authorize>[2] = {},
) {
  const { code, verifier } = await authorize(tenant, app.client_id, options);
  const response = await tokenRequest(tenant, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    client_id: app.client_id,
    ...(app.client_secret ? { client_secret: app.client_secret } : {}),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    access_token: string;
    refresh_token: string;
    scope: string;
    expires_in: number;
  };
}
