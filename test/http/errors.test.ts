import { describe, expect, it } from 'vitest';
import { registerRoutes } from '../../src/http/route.ts';
import { buildTestApp, getTestContext, testConfig } from '../helpers/app.ts';
import { errorEnvelope } from '../helpers/errors.ts';
import { createTenant, send } from '../helpers/tenants.ts';

const ENVELOPE_KEYS = ['error', 'error_code', 'errors', 'message', 'request_id'];

describe('error envelope', () => {
  it('answers unknown routes with the envelope and a request id', async () => {
    const ctx = await getTestContext();
    const res = await send(ctx, 'GET', '/v3/does-not-exist');
    expect(res.statusCode).toBe(404);
    expect(Object.keys(res.json()).sort()).toEqual(ENVELOPE_KEYS);
    expect(res.json().error_code).toBe('not_found');
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.json().request_id).toBe(res.headers['x-request-id']);
  });

  it('repeats the request id in the body of every error, a client-sent one included', async () => {
    const tenant = await createTenant();
    const answers = [
      await send(tenant.ctx, 'GET', '/v3/me', { headers: { 'x-request-id': 'trace-401' } }),
      await tenant.request('GET', '/v3/me/business-users', {
        query: { page_size: 0 },
        headers: { 'x-request-id': 'trace-422' },
      }),
      await tenant.request('GET', '/v3/products/999999999', { headers: { 'x-request-id': 'trace-404' } }),
    ];
    expect(answers.map((res) => res.statusCode)).toEqual([401, 422, 404]);
    expect(answers.map((res) => res.json().request_id)).toEqual(['trace-401', 'trace-422', 'trace-404']);
  });

  it('rejects malformed JSON with 400 invalid_json', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('POST', `/v3/stores/${tenant.store.id}/storefront/allowed-origins`, {
      body: '{"origin": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error_code: 'invalid_json', errors: {} });
  });

  it('rejects bodies that are not JSON with 415', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('POST', `/v3/stores/${tenant.store.id}/storefront/allowed-origins`, {
      body: 'origin=https://a.example',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error_code).toBe('unsupported_media_type');
  });

  it('rejects oversized bodies with 413 naming the limit', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('POST', `/v3/stores/${tenant.store.id}/storefront/allowed-origins`, {
      body: JSON.stringify({ origin: 'https://a.example', padding: 'x'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error_code).toBe('payload_too_large');
    expect(res.json().message).toBe('The request body is larger than the limit of 1048576 bytes (1 MiB)');
  });

  it('reports schema violations as 422 with per-field messages', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('POST', `/v3/stores/${tenant.store.id}/storefront/allowed-origins`, {
      body: {},
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error_code: 'validation_failed',
      errors: { origin: ['is required'] },
    });
    const list = await tenant.request('GET', '/v3/me/business-users', {
      query: { page_size: 0, sort_direction: 'up' },
    });
    expect(list.statusCode).toBe(422);
    expect(Object.keys(list.json().errors).sort()).toEqual(['page_size', 'sort_direction']);
  });

  it('lists the allowed values of an enum and says in words what a pattern expects', async () => {
    const tenant = await createTenant();
    const list = await tenant.request('GET', '/v3/me/business-users', { query: { sort_direction: 'up' } });
    expect(list.json().errors).toEqual({ sort_direction: ['must be one of: asc, desc'] });

    const product = await tenant.request('POST', '/v3/products', {
      body: { name: 'Kaos', item_type: 'physical', slug: 'Kaos Polos!' },
    });
    expect(product.statusCode).toBe(422);
    expect(product.json().errors.slug).toEqual([
      'is not in the expected format: lower-case letters, digits and single hyphens; generated from the name when absent',
    ]);

    const blank = await tenant.request('GET', `/v3/stores/${tenant.store.id}/product-knowledge`, {
      query: { search: '   ' },
    });
    expect(blank.statusCode).toBe(422);
    expect(blank.json().errors).toEqual({ search: ['must not be blank'] });
  });

  it('treats a non-numeric store id as a validation error, not a server error', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('GET', '/v3/stores/abc/public-api-keys');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.store_id).toBeDefined();
  });

  it('never leaks internals of an unexpected failure', async () => {
    const base = await getTestContext();
    const ctx = await buildTestApp(base.database, testConfig(), (app) => {
      registerRoutes(app, [
        {
          operationId: 'listLandingPages',
          method: 'GET',
          path: '/v3/pages',
          auth: ['public'],
          schema: { response: {} },
          handler: async () => {
            throw new Error('connection string postgres://secret@db leaked');
          },
        },
      ]);
    });
    const res = await send(ctx, 'GET', '/v3/pages', { headers: { 'x-request-id': 'trace-500' } });
    expect(res.statusCode).toBe(500);
    expect(res.json().error_code).toBe('server_error');
    expect(res.body).not.toContain('secret');
    expect(res.headers['x-request-id']).toBe('trace-500');
    await ctx.app.close();
  });
});

describe('request ids', () => {
  it('echoes a client request id and generates one otherwise', async () => {
    const ctx = await getTestContext();
    const echoed = await send(ctx, 'GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const generated = await send(ctx, 'GET', '/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await send(ctx, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(unsafe.headers['x-request-id']).not.toBe('bad id\twith spaces');
  });
});

describe('bodies', () => {
  const json = { 'content-type': 'application/json' };

  it('treats application/json with no body as a request without a body', async () => {
    const tenant = await createTenant();
    const keys = `/v3/stores/${tenant.store.id}/public-api-keys`;
    // POST with an optional body: Content-Length 0, then no body at all.
    const created = await tenant.request('POST', keys, { headers: { ...json, 'content-length': '0' } });
    expect(created.statusCode, created.body).toBe(200);
    const again = await tenant.request('POST', keys, { headers: json });
    expect(again.statusCode, again.body).toBe(200);
    // DELETE as HTTP clients send it, the header set on every call.
    const revoked = await tenant.request('DELETE', `${keys}/${created.json().id}`, {
      headers: { ...json, 'content-length': '0' },
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
  });

  it('still answers 422 when a route needs a body and none came', async () => {
    const tenant = await createTenant();
    const url = `/v3/stores/${tenant.store.id}/storefront/allowed-origins`;
    for (const headers of [json, { ...json, 'content-length': '0' }, {}]) {
      const res = await tenant.request('POST', url, { headers });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual({ body: ['is required'] });
    }
  });

  it('answers 404 on an unknown route whatever the body holds', async () => {
    const ctx = await getTestContext();
    const cases = [
      { body: '{"broken": ', headers: json },
      { body: '', headers: json },
      { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }), headers: json },
    ];
    for (const { body, headers } of cases) {
      const res = await send(ctx, 'POST', '/v3/no-such-route', { body, headers });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(404);
      expect(res.json().error_code).toBe('not_found');
    }
  });
});

describe('wrong methods', () => {
  it('answers 405 with Allow listing the methods of the path', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('PUT', `/v3/stores/${tenant.store.id}/public-api-keys`);
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.json()).toMatchObject({ error_code: 'method_not_allowed', errors: {} });
    expect(res.json().message).toBe(
      `PUT is not allowed on /v3/stores/${tenant.store.id}/public-api-keys; it takes GET, HEAD, POST`,
    );
  });

  it('counts the methods of operations not built yet, and never turns a missing path into 405', async () => {
    const ctx = await getTestContext();
    const pages = await send(ctx, 'PUT', '/v3/pages');
    expect(pages.statusCode).toBe(405);
    expect(pages.headers.allow).toBe('GET, HEAD, POST');
    // Only the storefront preflight matches here: the path does not exist.
    const storefront = await send(ctx, 'GET', `/v3/stores/store_${'x'.repeat(24)}/public/nothing-here`);
    expect(storefront.statusCode).toBe(404);
    expect(storefront.headers.allow).toBeUndefined();
  });
});

describe('operations not built yet', () => {
  it('answer 501 naming the operationId, before authentication and whatever the body', async () => {
    const ctx = await getTestContext();
    const list = await send(ctx, 'GET', '/v3/pages', { query: { page_size: 0 } });
    expect(list.statusCode).toBe(501);
    expect(list.json()).toEqual(
      errorEnvelope(list, {
        error: 'Not implemented',
        error_code: 'not_implemented',
        message: 'listLandingPages is not implemented yet',
        errors: {},
      }),
    );
    const create = await send(ctx, 'POST', '/v3/pages', {
      body: '{"broken": ',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nonsense' },
    });
    expect(create.statusCode).toBe(501);
    expect(create.json().message).toBe('createLandingPage is not implemented yet');
  });

  it('give way to a real route registered for the operation', async () => {
    const base = await getTestContext();
    const ctx = await buildTestApp(base.database, testConfig(), (app) => {
      registerRoutes(app, [
        {
          operationId: 'listLandingPageTags',
          method: 'GET',
          path: '/v3/pages/tags',
          auth: ['public'],
          schema: { response: {} },
          handler: async () => ({ data: [] }) as never,
        },
        {
          operationId: 'getLandingPage',
          method: 'GET',
          path: '/v3/pages/{id}',
          auth: ['public'],
          schema: { response: {} },
          handler: async () => ({}) as never,
        },
      ]);
    });
    expect((await send(ctx, 'GET', '/v3/pages/tags')).statusCode).toBe(200);
    // `/v3/pages/{id}` matches `/v3/pages/simplified` too; the contract's own path wins.
    const simplified = await send(ctx, 'GET', '/v3/pages/simplified');
    expect(simplified.statusCode).toBe(501);
    expect(simplified.json().message).toBe('listLandingPagesSimplified is not implemented yet');
    expect((await send(ctx, 'GET', '/v3/pages/123')).statusCode).toBe(200);
    await ctx.app.close();
  });
});

describe('API keys sent the wrong way', () => {
  it('say how to send them', async () => {
    const tenant = await createTenant();
    const ctx = tenant.ctx;
    const cases: Array<[Record<string, string>, string]> = [
      [{ authorization: tenant.apiKey }, 'The Bearer prefix is missing: send Authorization: Bearer <key>'],
      [
        { authorization: `Token ${tenant.apiKey}` },
        'Unsupported authorization scheme Token: send Authorization: Bearer <key>',
      ],
      [{ 'x-api-key': tenant.apiKey }, 'X-Api-Key is not read: send Authorization: Bearer <key>'],
      [{}, 'Missing API key: send Authorization: Bearer <key>'],
    ];
    for (const [headers, message] of cases) {
      const res = await send(ctx, 'GET', '/v3/me', { headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error_code: 'invalid_token', message });
    }
    const restricted = await tenant.restrictedKey(['store:read']);
    const bare = await send(ctx, 'GET', '/v3/me', { headers: { authorization: restricted } });
    expect(bare.json().message).toBe('The Bearer prefix is missing: send Authorization: Bearer <key>');
  });
});
