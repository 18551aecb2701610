import zlib from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { CONTRACT, CONTRACT_BY_ID, KNOWN_SCOPES, RENAMED_PATHS } from '../../contract/index.ts';
import { scalarManifest } from '../../src/docs/scalar-assets.ts';
import { NEXUS_SCOPES } from '../../src/http/auth/scopes.ts';
import { contractSecurityOf, type RouteSpec, registerRoutes, toFastifyPath } from '../../src/http/route.ts';
import { ALL_ROUTES } from '../../src/modules/index.ts';
import { getTestContext } from '../helpers/app.ts';
import { type Method, send } from '../helpers/tenants.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed OpenAPI documents, read field by field.
type Json = any;

describe('contract match', () => {
  it('declares every route exactly as the contract lists it', () => {
    const mismatches: string[] = [];
    for (const route of ALL_ROUTES) {
      const contract = CONTRACT_BY_ID.get(route.operationId);
      if (!contract) {
        mismatches.push(`${route.operationId}: not a contract operation`);
        continue;
      }
      if (route.method !== contract.method)
        mismatches.push(`${route.operationId}: method ${route.method} != ${contract.method}`);
      if (route.path !== contract.path)
        mismatches.push(`${route.operationId}: path ${route.path} != ${contract.path}`);
      const auth = contractSecurityOf(route.auth).join(',');
      const expected = [...contract.auth].sort().join(',');
      if (auth !== expected) mismatches.push(`${route.operationId}: auth ${auth} != ${expected}`);
      const scopes = route.scope ? [route.scope] : [];
      if (scopes.join(',') !== contract.scopes.join(',')) {
        mismatches.push(
          `${route.operationId}: scopes ${scopes.join(',') || '(none)'} != ${contract.scopes.join(',') || '(none)'}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('adds a Nexus scope only where the contract lists none, and decides every unscoped business route', () => {
    const problems: string[] = [];
    const required = new Set<string>();
    for (const route of ALL_ROUTES) {
      const contract = CONTRACT_BY_ID.get(route.operationId);
      if (!contract) continue;
      const id = route.operationId;
      if (route.nexusScope) {
        required.add(route.nexusScope);
        if (contract.scopes.length)
          problems.push(`${id}: nexusScope ${route.nexusScope}, but the contract lists ${contract.scopes}`);
        if (!(route.nexusScope in NEXUS_SCOPES) && !KNOWN_SCOPES.has(route.nexusScope))
          problems.push(`${id}: nexusScope ${route.nexusScope} is not a scope anyone can be granted`);
      }
      if (route.revealsOnlyCaller && (route.method !== 'GET' || contract.scopes.length || route.nexusScope))
        problems.push(`${id}: revealsOnlyCaller on a write or on a scoped route`);
      const business = route.auth.includes('apiKey') || route.auth.includes('oauth');
      if (business && !contract.scopes.length && !route.nexusScope && !route.revealsOnlyCaller)
        problems.push(`${id}: a business route without any scope decision`);
    }
    expect(problems).toEqual([]);
    expect(
      ALL_ROUTES.filter((route) => route.revealsOnlyCaller)
        .map((route) => route.operationId)
        .sort(),
    ).toEqual([
      'getAuthenticatedIdentity',
      'getCurrentBusinessUser',
      'getCurrentOAuthApplication',
      'listBusinessUsers',
    ]);
    for (const scope of Object.keys(NEXUS_SCOPES)) {
      expect(scope).toMatch(/^[a-z_]+:[a-z_]+$/);
      expect(KNOWN_SCOPES.has(scope), `${scope} is already a contract scope`).toBe(false);
      expect(required.has(scope), `${scope} is required by no route`).toBe(true);
    }
  });

  it('serves each path the older edition renamed, as an alias of the operation it became', () => {
    const contractPaths = new Set(CONTRACT.map((op) => `${op.method} ${op.path}`));
    const served: string[] = [];
    const problems: string[] = [];
    for (const route of ALL_ROUTES) {
      for (const alias of route.aliases ?? []) {
        served.push(`${route.method} ${alias}`);
        const renamed = RENAMED_PATHS.find((entry) => entry.path === alias && entry.method === route.method);
        if (renamed?.operationId !== route.operationId)
          problems.push(`${route.operationId}: ${alias} is not a path renamed to it`);
        if (contractPaths.has(`${route.method} ${alias}`))
          problems.push(`${route.operationId}: ${alias} is a path of the current contract`);
      }
    }
    expect(problems).toEqual([]);
    expect(served.sort()).toEqual(RENAMED_PATHS.map((entry) => `${entry.method} ${entry.path}`).sort());
    for (const entry of RENAMED_PATHS)
      expect(CONTRACT_BY_ID.has(entry.operationId), entry.operationId).toBe(true);
  });

  it('refuses to register an alias the older edition did not rename to that operation', async () => {
    const app = Fastify();
    const route: RouteSpec = {
      operationId: 'listStorefrontCategories',
      method: 'GET',
      path: '/v3/stores/{store_id}/public/categories',
      auth: ['storefrontKey'],
      aliases: ['/v3/stores/{store_id}/public/products'],
      schema: { response: { 200: Type.Object({}) } },
      handler: async () => ({}),
    };
    expect(() => registerRoutes(app, [route])).toThrow(/not a path the older edition renamed/);
    await app.close();
  });

  it('refuses to register a route that breaks the scope rule', async () => {
    const app = Fastify();
    const route = (overrides: Partial<RouteSpec>): RouteSpec => ({
      operationId: 'listOrders',
      method: 'GET',
      path: '/v3/orders',
      auth: ['apiKey', 'oauth'],
      scope: 'order:list',
      schema: { response: { 200: Type.Object({}) } },
      handler: async () => ({}),
      ...overrides,
    });
    expect(() => registerRoutes(app, [route({ nexusScope: 'discount_code:list' })])).toThrow(/nexusScope/);
    expect(() => registerRoutes(app, [route({ revealsOnlyCaller: true })])).toThrow(/revealsOnlyCaller/);
    const unscoped = route({ operationId: 'listDiscountCodes', path: '/v3/discount-codes' });
    delete unscoped.scope;
    expect(() => registerRoutes(app, [{ ...unscoped, nexusScope: 'discount_code:lsit' }])).toThrow(
      /neither a contract scope nor one of NEXUS_SCOPES/,
    );
    expect(() => registerRoutes(app, [unscoped])).toThrow(/needs nexusScope or revealsOnlyCaller/);
    expect(() =>
      registerRoutes(app, [{ ...unscoped, nexusScope: 'discount_code:list', businessSelection: false }]),
    ).toThrow(/without business selection/);
    await app.close();
  });

  it('registers each operation once, on the server', async () => {
    const ids = ALL_ROUTES.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const { app } = await getTestContext();
    for (const route of ALL_ROUTES) {
      expect(app.hasRoute({ method: route.method, url: toFastifyPath(route.path) }), route.operationId).toBe(
        true,
      );
      for (const alias of route.aliases ?? [])
        expect(app.hasRoute({ method: route.method, url: toFastifyPath(alias) }), alias).toBe(true);
    }
  });

  it('answers 501 naming the operation for exactly the operations not implemented', async () => {
    const ctx = await getTestContext();
    const implemented = new Set(ALL_ROUTES.map((route) => route.operationId));
    const problems: string[] = [];
    let stubs = 0;
    for (const operation of CONTRACT) {
      const url = operation.path.replace(/\{[a-z_]+\}/g, '1');
      const res = await send(ctx, operation.method as Method, url);
      const answer = `${res.statusCode} ${res.statusCode >= 400 ? res.json().message : ''}`;
      if (implemented.has(operation.operationId)) {
        if (res.statusCode === 501) problems.push(`${operation.operationId} is implemented, yet ${answer}`);
        continue;
      }
      stubs++;
      if (answer !== `501 ${operation.operationId} is not implemented yet`)
        problems.push(`${operation.operationId} is not implemented, yet ${answer}`);
    }
    expect(problems).toEqual([]);
    expect(stubs).toBe(CONTRACT.length - implemented.size);
  });

  it('knows all 341 operations of the reference', () => {
    expect(CONTRACT).toHaveLength(341);
    expect(new Set(CONTRACT.map((op) => op.operationId)).size).toBe(341);
  });
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document listing exactly the implemented operations', async () => {
    const ctx = await getTestContext();
    const res = await send(ctx, 'GET', '/v3/openapi.json');
    expect(res.statusCode).toBe(200);
    const document = res.json();
    expect(document.openapi).toBe('3.1.0');

    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const listed: string[] = [];
    for (const [path, item] of Object.entries(
      document.paths as Record<string, Record<string, { operationId?: string }>>,
    )) {
      for (const [method, operation] of Object.entries(item)) {
        if (!operation.operationId) continue;
        listed.push(operation.operationId);
        const contract = CONTRACT_BY_ID.get(operation.operationId);
        expect(contract?.path, operation.operationId).toBe(path);
        expect(contract?.method, operation.operationId).toBe(method.toUpperCase());
      }
    }
    expect(listed.sort()).toEqual(ALL_ROUTES.map((route) => route.operationId).sort());
    // The older edition's paths are served, not documented: the document describes the contract.
    for (const entry of RENAMED_PATHS) expect(document.paths[entry.path], entry.path).toBeUndefined();
    expect(document.paths['/v3/stores/{store_id}/public/items'].get.description).toContain(
      '`/v3/stores/{store_id}/public/products`',
    );
  });

  it('names the scope a restricted key or OAuth token needs in each business route description', async () => {
    const ctx = await getTestContext();
    const document = (await send(ctx, 'GET', '/v3/openapi.json')).json();
    const description = (path: string, method: string) =>
      (document.paths[path][method] as { description?: string }).description ?? '';
    expect(description('/v3/bundles', 'get')).toContain('`bundle:list` scope');
    expect(description('/v3/discount-codes', 'post')).toContain('`discount_code:create` scope');
    expect(description('/v3/discount-codes', 'post')).toContain('the contract names no scope');
    expect(description('/v3/business-users/me/leave', 'post')).toContain('`business_user:update` scope');
    expect(description('/v3/me', 'get')).toContain('reveals only the caller');
  });

  it('renders the reference at /docs with Scalar served from this server, and / leads there', async () => {
    const ctx = await getTestContext();
    const res = await send(ctx, 'GET', '/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('<title>Nexus API reference</title>');
    const { version, entry, preload } = scalarManifest();
    const base = `/docs/scalar/${version}/`;
    expect(res.body).toContain(`import { createApiReference } from '${base}${entry}';`);
    for (const file of [entry, ...preload]) {
      expect(res.body).toContain(`<link rel="modulepreload" href="${base}${file}">`);
    }
    expect(res.body).not.toMatch(/https?:\/\//);
    const configuration = JSON.parse(res.body.match(/createApiReference\('#app', (.*)\);\n<\/script>/)![1]!);
    expect(configuration).toMatchObject({
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
    });
    expect(configuration.sources.map((source: { url: string }) => source.url)).toEqual([
      '/docs/storefront.json',
      '/docs/business.json',
    ]);
    // The start-up script runs by the response's nonce; no other inline script may.
    const csp = String(res.headers['content-security-policy']);
    const nonce = res.body.match(/<script type="module" nonce="([^"]+)">/)![1]!;
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}';`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self' http://nexus.test");

    // Scalar's files go as they are shipped, brotli-compressed, under its version, for good.
    const script = await send(ctx, 'GET', `${base}${entry}`, {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers['content-encoding']).toBe('br');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await send(ctx, 'GET', `${base}${entry}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain(`@scalar/api-reference ${version}`);
    expect(zlib.brotliDecompressSync(script.rawPayload).toString()).toBe(plain.body);
    const chunk = await send(ctx, 'GET', `${base}${preload[0]}`);
    expect(chunk.statusCode).toBe(200);
    // Only the manifest's files, only under the shipped version.
    for (const path of [
      `${base}manifest.json`,
      `${base}LICENSE`,
      `${base}chunks/../manifest.json`,
      `/docs/scalar/0.0.1/${entry}`,
    ]) {
      const missing = await send(ctx, 'GET', path);
      expect(missing.statusCode, path).toBe(404);
      expect(missing.json().error_code, path).toBe('not_found');
    }

    for (const path of ['/', '/docs']) {
      const redirect = await send(ctx, 'GET', path);
      expect(redirect.statusCode, path).toBeGreaterThanOrEqual(301);
      expect(redirect.statusCode, path).toBeLessThanOrEqual(302);
      expect(redirect.headers.location, path).toBe('/docs/');
    }
  });

  it('shows the API as two valid documents, storefront and business, that hold every operation once', async () => {
    const ctx = await getTestContext();
    const whole = (await send(ctx, 'GET', '/v3/openapi.json')).json();
    const seen: string[] = [];
    for (const [part, title] of [
      ['storefront', 'Nexus Storefront API'],
      ['business', 'Nexus Business API'],
    ] as const) {
      const res = await send(ctx, 'GET', `/docs/${part}.json`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.headers['content-encoding']).toBe('gzip');
      const document = JSON.parse(zlib.gunzipSync(res.rawPayload).toString());
      expect(document.info.title).toBe(title);
      const result = await new Validator().validate(document);
      expect(result.errors ?? [], part).toEqual([]);
      const refs = JSON.stringify(document).match(/"#\/components\/[a-zA-Z]+\/[^"]+"/g) ?? [];
      for (const ref of new Set(refs)) {
        const [, kind, name] = JSON.parse(ref).split('/').slice(1);
        expect(document.components[kind]?.[name], `${part}: ${ref}`).toBeDefined();
      }
      for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
        for (const [method, operation] of Object.entries(item)) {
          seen.push(operation.operationId);
          expect(operation, operation.operationId).toEqual(whole.paths[path][method]);
          // App developers read the OAuth server's and app billing's operations, public ones too.
          const business =
            (operation.security ?? []).some((r: Json) => 'apiKeyAuth' in r || 'scalevOAuth' in r) ||
            (operation.tags ?? []).some((tag: string) => tag === 'OAuth' || tag === 'OAuth Billing');
          expect(business, operation.operationId).toBe(part === 'business');
        }
      }
    }
    expect(seen.sort()).toEqual(ALL_ROUTES.map((route) => route.operationId).sort());
  });
});
