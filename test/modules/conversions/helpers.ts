import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import { runJobsOnce } from '../../../src/jobs/worker.ts';
import { conversionJobHandlers } from '../../../src/modules/conversions/delivery.ts';
import { setStorePixel } from '../../../src/modules/conversions/pixels.ts';
import { CONVERSION_JOB } from '../../../src/modules/conversions/service.ts';
import type { ConversionsProvider } from '../../../src/providers/conversions/provider.ts';
import { SandboxConversions } from '../../../src/providers/conversions/sandbox.ts';
import { type RequestOptions, send, type Tenant } from '../../helpers/tenants.ts';

export const silent = { info: () => {}, warn: () => {}, error: () => {} };

export interface Relay {
  key: string;
  post(platform: string, body: unknown, options?: RequestOptions): Promise<LightMyRequestResponse>;
}

/** A storefront key for the tenant's store, minted through the business API as a merchant would. */
export async function relay(tenant: Tenant, storeUniqueId = tenant.store.unique_id): Promise<Relay> {
  const created = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  expect(created.statusCode, created.body).toBe(200);
  const key: string = created.json().token;
  return {
    key,
    post: (platform, body, options = {}) =>
      send(tenant.ctx, 'POST', `/v3/stores/${storeUniqueId}/public/analytics/${platform}/events`, {
        ...options,
        body,
        headers: { 'x-scalev-storefront-api-key': key, ...options.headers },
      }),
  };
}

export async function addPixel(
  tenant: Tenant,
  platform: string,
  options: { pixelId?: string; token?: string; placement?: string; testEventCode?: string } = {},
) {
  return setStorePixel(tenant.ctx.database.db, tenant.ctx.keys, tenant.business.id, tenant.store.id, {
    platform,
    pixelId: options.pixelId ?? `px${Math.floor(Math.random() * 1e12)}`,
    accessToken: options.token ?? 'EAAB-test-token-123',
    placement: options.placement,
    testEventCode: options.testEventCode,
  });
}

export async function storeJobs(db: Db, storeId: number) {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('kind', 'like', `${CONVERSION_JOB}%`)
    .where(sql`payload->>'store_id'`, '=', String(storeId))
    .orderBy('id')
    .execute();
}

/**
 * Delivers the tenant's due conversion jobs through `provider` (the sandbox unless given). The jobs
 * table is shared by concurrently running test files, so the tenant's jobs are first moved to a
 * kind of their own: no other test's worker can claim them, and this one claims no other's.
 */
export async function deliver(tenant: Tenant, provider: ConversionsProvider = new SandboxConversions()) {
  const db = tenant.ctx.database.db;
  const kind = `${CONVERSION_JOB}.test-store-${tenant.store.id}`;
  await db
    .updateTable('jobs')
    .set({ kind })
    .where('kind', '=', CONVERSION_JOB)
    .where(sql`payload->>'store_id'`, '=', String(tenant.store.id))
    .execute();
  const handler = conversionJobHandlers({ provider, keys: tenant.ctx.keys })[CONVERSION_JOB]!;
  return runJobsOnce({ db, handlers: { [kind]: handler }, logger: silent, backoff: () => 60_000 });
}

export async function sandboxRows(db: Db, storeId: number) {
  return db
    .selectFrom('conversion_sandbox_events')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('id')
    .execute();
}

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A local server speaking a provider's wire format: records requests, answers what `answer` says. */
export async function stubServer(answer: (request: StubRequest) => { status: number; body: unknown }) {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(raw || 'null'),
      };
      requests.push(request);
      const { status, body } = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
