import { randomInt } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomString } from '../../src/lib/ids.ts';
import { createApiKey, createBusiness, createStore } from '../../src/modules/businesses/service.ts';
import { getTestContext, type TestContext } from './app.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  /** Defaults to a random address so browser-route tests never share an IP rate-limit bucket. */
  remoteAddress?: string;
}

export function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export async function send(
  ctx: TestContext,
  method: Method,
  url: string,
  options: RequestOptions = {},
): Promise<LightMyRequestResponse> {
  const request: InjectOptions = {
    method,
    url,
    headers: options.headers ?? {},
    remoteAddress: options.remoteAddress ?? randomIp(),
  };
  if (options.query)
    request.query = Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, String(v)]));
  if (options.body !== undefined) request.payload = options.body as InjectOptions['payload'];
  return ctx.app.inject(request);
}

export interface Tenant {
  ctx: TestContext;
  business: { id: number; unique_id: string; username: string; account_holder: string };
  owner: { id: number; email: string; name: string };
  ownerPassword: string;
  store: { id: number; unique_id: string; name: string };
  /** A secret (`sk_`) key with every scope. */
  apiKey: string;
  /** Sends a request authenticated with `key` (default: the secret key). */
  request(
    method: Method,
    url: string,
    options?: RequestOptions & { key?: string },
  ): Promise<LightMyRequestResponse>;
  /** Mints a restricted (`rk_`) key with exactly these scopes. */
  restrictedKey(scopes: string[]): Promise<string>;
}

/**
 * A fresh business with an owner, one store and a secret key: each test's private tenant, on the
 * worker's shared app unless `on` names another (an isolated database's, see isolated.ts).
 */
export async function createTenant(name = 'Toko Test', on?: TestContext): Promise<Tenant> {
  const ctx = on ?? (await getTestContext());
  const db = ctx.database.db;
  const suffix = randomString(8).toLowerCase();
  const ownerPassword = `pw-${randomString(12)}`;
  const created = await createBusiness(db, {
    accountHolder: `${name} ${suffix}`,
    username: `t${suffix}`,
    owner: { email: `owner-${suffix}@example.test`, name: `Owner ${suffix}`, password: ownerPassword },
  });
  const store = await createStore(db, created.business.id, { name: `${name} Store` });
  const key = await createApiKey(db, { businessId: created.business.id, name: 'test', kind: 'secret' });
  const tenant: Tenant = {
    ctx,
    business: created.business,
    owner: created.owner,
    ownerPassword,
    store,
    apiKey: key.token,
    request: (method, url, options = {}) =>
      send(ctx, method, url, {
        ...options,
        headers: { authorization: `Bearer ${options.key ?? key.token}`, ...options.headers },
      }),
    restrictedKey: async (scopes) =>
      (
        await createApiKey(db, {
          businessId: created.business.id,
          name: 'restricted',
          kind: 'restricted',
          scopes,
        })
      ).token,
  };
  return tenant;
}
