import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import { defaultJobHandlers } from '../../../src/jobs/handlers.ts';
import { runJobsOnce } from '../../../src/jobs/worker.ts';
import { setAppWebhook } from '../../../src/modules/oauth/app-webhooks.ts';
import { changeInstallation } from '../../../src/modules/oauth/installations.ts';
import { addWebhookEndpoint, setWebhookEndpointActive } from '../../../src/modules/webhooks/endpoints.ts';
import type { WebhookEventName } from '../../../src/modules/webhooks/events.ts';
import { emitWebhookEvent } from '../../../src/modules/webhooks/service.ts';
import { type IsolatedContext, isolatedContext } from '../../helpers/isolated.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { checkoutShop } from '../checkout/fixtures.ts';
import { authorize, developerApp } from '../oauth/flow.ts';
import { orderBody } from '../orders/create-fixtures.ts';

/**
 * App webhooks end to end: an app installed on the hosted authorize page receives its business's
 * events over real HTTP (a loopback receiver, allowed by configuration), through the same worker
 * and delivery path as a business's own endpoints, on a database of this file's own.
 */

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let iso: IsolatedContext;
let server: http.Server;
let base: string;
const received: Received[] = [];
const silent = { info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  iso = await isolatedContext();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  await iso?.close();
});

const db = (): Db => iso.ctx.database.db;
const allowed = { NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', NEXUS_WEBHOOKS_TIMEOUT_SECONDS: '5' };
const work = () =>
  runJobsOnce({
    db: db(),
    handlers: defaultJobHandlers({ keys: iso.ctx.keys, env: allowed }),
    logger: silent,
  });
const to = (path: string) => received.filter((r) => r.path === path);
const envelope = (r: Received) =>
  JSON.parse(r.body.toString('utf8')) as {
    event: string;
    data: Record<string, unknown>;
  };
const signedBy = (secret: string, r: Received) =>
  r.headers['x-scalev-hmac-sha256'] === createHmac('sha256', secret).update(r.body).digest('base64');

function emit(tenant: Tenant, event: WebhookEventName, data: object) {
  return db()
    .transaction()
    .execute((trx) => emitWebhookEvent(trx, tenant.business.id, event, data));
}

function ownEndpoint(tenant: Tenant, path: string) {
  return addWebhookEndpoint(db(), iso.ctx.keys, { allowPrivateNetworks: true }, tenant.business.id, {
    url: `${base}${path}`,
  });
}

/** A developer's app subscribed to `order.created`, its webhooks going to `path`. */
async function appWithWebhook(path: string) {
  const developer = await createTenant('App Developer', iso.ctx);
  const app = await developerApp(developer, ['order:list']);
  const webhook = await setAppWebhook(
    db(),
    iso.ctx.keys,
    { allowPrivateNetworks: true },
    developer.business.id,
    app.client_id,
    { url: `${base}${path}` },
  );
  expect(webhook.webhook_secret).toMatch(/^whsec_/);
  return { developer, app, secret: webhook.webhook_secret! };
}

const appEndpoint = (tenant: Tenant) =>
  db()
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('business_id', '=', tenant.business.id)
    .where('oauth_installation_id', 'is not', null)
    .executeTakeFirstOrThrow();

describe('app webhooks', () => {
  it("sends an installed app its business's granted events, signed with the app secret and marked with its client_id", async () => {
    const { app, secret } = await appWithWebhook('/app');
    const shop = await checkoutShop({ name: 'Toko App Hooks', ctx: iso.ctx });
    const own = await ownEndpoint(shop.tenant, '/own');
    const other = await createTenant('Toko Lain', iso.ctx);
    await ownEndpoint(other, '/other');
    await authorize(shop.tenant, app.client_id);

    const created = await shop.tenant.request('POST', '/v3/orders', { body: orderBody(shop) });
    expect(created.statusCode, created.body).toBe(200);
    const order = created.json();
    await emit(shop.tenant, 'order.updated', { id: order.id }); // not granted to the app
    await emit(other, 'order.created', { id: 'another business' });
    await work();

    const toApp = to('/app');
    expect(toApp.map((r) => envelope(r).event)).toEqual(['order.created']);
    const [delivered] = toApp;
    expect(envelope(delivered!).data).toMatchObject({ id: order.id, order_id: order.order_id });
    expect(delivered!.headers['x-scalev-app-id']).toBe(app.client_id);
    expect(signedBy(secret, delivered!)).toBe(true);
    expect(signedBy(own.secret, delivered!)).toBe(false);

    // The business's own endpoint still receives everything, under its own secret, unmarked.
    const toOwn = to('/own');
    expect(toOwn.map((r) => envelope(r).event)).toEqual(
      expect.arrayContaining(['order.created', 'order.updated']),
    );
    for (const r of toOwn) {
      expect(signedBy(own.secret, r)).toBe(true);
      expect(r.headers['x-scalev-app-id']).toBeUndefined();
    }
    expect(to('/other').map((r) => envelope(r).data.id)).toEqual(['another business']);
    expect(toApp.some((r) => envelope(r).data.id === 'another business')).toBe(false);

    // The app's subscription follows the installation, not the business's endpoint switch.
    const endpoint = await appEndpoint(shop.tenant);
    expect(endpoint).toMatchObject({
      oauth_client_id: app.client_id,
      events: ['order.created'],
      is_active: true,
    });
    await expect(setWebhookEndpointActive(db(), shop.tenant.business.id, endpoint.id, false)).rejects.toThrow(
      /installed app/,
    );
  });

  it('stops at once on disable or uninstall, ending pending deliveries, and resumes on enable or re-install', async () => {
    const { app } = await appWithWebhook('/app-lifecycle');
    const tenant = await createTenant('Toko Lifecycle', iso.ctx);
    await authorize(tenant, app.client_id);
    const received = () => to('/app-lifecycle').map((r) => envelope(r).data.n);

    const pending = await emit(tenant, 'order.created', { n: 1 });
    const disabled = await changeInstallation(db(), tenant.business.id, app.client_id, 'disable');
    expect(disabled.webhook_status).toBe('inactive');
    expect(await emit(tenant, 'order.created', { n: 2 })).toBeNull(); // nobody subscribed any more
    await work();
    expect(received()).toEqual([]);
    const ended = await db()
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts', 'error'])
      .where('id', '=', pending!.delivery_ids[0]!)
      .executeTakeFirstOrThrow();
    expect(ended).toMatchObject({ status: 'failed', attempts: 0 });
    expect(ended.error).toMatch(/installation was disabled or uninstalled/);

    const enabled = await changeInstallation(db(), tenant.business.id, app.client_id, 'enable');
    expect(enabled.webhook_status).toBe('active');
    await emit(tenant, 'order.created', { n: 3 });
    await work();
    expect(received()).toEqual([3]);

    await changeInstallation(db(), tenant.business.id, app.client_id, 'uninstall');
    expect(await emit(tenant, 'order.created', { n: 4 })).toBeNull();
    await work();
    expect(received()).toEqual([3]);

    await authorize(tenant, app.client_id);
    await emit(tenant, 'order.created', { n: 5 });
    await work();
    expect(received()).toEqual([3, 5]);
    // One subscription row throughout: the re-install switched the same row on again.
    const rows = await db()
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('business_id', '=', tenant.business.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("follows the app's settings: a new URL and a rotated secret at once, events the app no longer lists never", async () => {
    const { developer, app, secret } = await appWithWebhook('/app-before');
    const tenant = await createTenant('Toko Settings', iso.ctx);
    await authorize(tenant, app.client_id);
    const set = (input: Parameters<typeof setAppWebhook>[5]) =>
      setAppWebhook(
        db(),
        iso.ctx.keys,
        { allowPrivateNetworks: true },
        developer.business.id,
        app.client_id,
        input,
      );

    const moved = await set({ url: `${base}/app-after` });
    expect(moved.webhook_secret).toBeNull(); // the secret keeps signing
    await emit(tenant, 'order.created', { n: 1 });
    await work();
    expect(to('/app-before')).toHaveLength(0);
    expect(signedBy(secret, to('/app-after')[0]!)).toBe(true);

    const rotated = await set({ url: `${base}/app-after`, rotateSecret: true });
    expect(rotated.webhook_secret).toMatch(/^whsec_/);
    await emit(tenant, 'order.created', { n: 2 });
    await work();
    expect(signedBy(rotated.webhook_secret!, to('/app-after')[1]!)).toBe(true);

    // Granted order.created, now wanting only order.updated: nothing in common, nothing sent.
    await set({ url: `${base}/app-after`, events: ['order.updated'] });
    expect(await emit(tenant, 'order.updated', { n: 3 })).toBeNull();
    expect(await emit(tenant, 'order.created', { n: 4 })).toBeNull();

    // Only the app's owner sets its webhook, and the URL passes the SSRF guard.
    const stranger = await createTenant('Not the owner', iso.ctx);
    await expect(
      setAppWebhook(db(), iso.ctx.keys, { allowPrivateNetworks: true }, stranger.business.id, app.client_id, {
        url: `${base}/stolen`,
      }),
    ).rejects.toThrow(/No OAuth application/);
    await expect(
      setAppWebhook(
        db(),
        iso.ctx.keys,
        { allowPrivateNetworks: false },
        developer.business.id,
        app.client_id,
        {
          url: 'http://127.0.0.1:9/hooks',
        },
      ),
    ).rejects.toThrow(/loopback/);
  });
});
