import type { LightMyRequestResponse } from 'fastify';
import { randomString } from '../../src/lib/ids.ts';
import { type DemoCredentials, seedDemo } from '../../src/seed/demo.ts';
import { getTestContext, type TestContext } from '../helpers/app.ts';
import { type Method, randomIp, send } from '../helpers/tenants.ts';

export interface CallOptions {
  token?: string | undefined;
  query?: Record<string, string | number>;
}

/**
 * A browser storefront written against the published contract: it knows only the store's
 * unique_id, its publishable key and its own origin, and talks to `/v3/stores/{store}/public/*`.
 */
export interface StorefrontClient {
  ctx: TestContext;
  demo: DemoCredentials;
  call(method: Method, path: string, body?: unknown, options?: CallOptions): Promise<LightMyRequestResponse>;
  get(path: string, options?: CallOptions): Promise<LightMyRequestResponse>;
  post(path: string, body?: unknown, options?: CallOptions): Promise<LightMyRequestResponse>;
  /** Sends to an absolute URL the server handed out (upload and file URLs), as `fetch` would. */
  fetch(
    method: Method,
    url: string,
    body?: Buffer,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

/**
 * Seeds a fresh demo business with the demo seed (catalog, payment setup, HEMAT10) under a unique
 * username, so files and runs never share one, and returns a client for its storefront.
 */
export async function demoStorefront(): Promise<StorefrontClient> {
  const ctx = await getTestContext();
  const suffix = randomString(8).toLowerCase();
  const demo = await seedDemo(ctx.database.db, ctx.config, ctx.keys, {
    username: `demo${suffix}`,
    accountHolder: `Toko Demo ${suffix}`,
    ownerEmail: `demo-${suffix}@nexus.test`,
  });
  // One buyer, one browser: the same address for the whole journey, as a real visitor has.
  const ip = randomIp();
  const call: StorefrontClient['call'] = (method, path, body, options = {}) =>
    send(ctx, method, `/v3/stores/${demo.store_unique_id}/public${path}`, {
      ...(body !== undefined ? { body } : {}),
      ...(options.query ? { query: options.query } : {}),
      remoteAddress: ip,
      headers: {
        origin: demo.allowed_origin,
        'x-scalev-storefront-api-key': demo.storefront_api_key,
        ...(options.token ? { 'x-scalev-guest-token': options.token } : {}),
      },
    });
  return {
    ctx,
    demo,
    call,
    get: (path, options) => call('GET', path, undefined, options),
    post: (path, body, options) => call('POST', path, body, options),
    fetch: (method, url, body, headers = {}) => {
      const parsed = new URL(url);
      return send(ctx, method, `${parsed.pathname}${parsed.search}`, {
        ...(body !== undefined ? { body } : {}),
        remoteAddress: ip,
        headers,
      });
    },
  };
}
