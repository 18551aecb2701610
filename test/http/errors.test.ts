import { describe, expect, it } from 'vitest';
import { registerRoutes } from '../../src/http/route.ts';
import { buildTestApp, getTestContext, testConfig } from '../helpers/app.ts';
import { createTenant, send } from '../helpers/tenants.ts';

const ENVELOPE_KEYS = ['error', 'error_code', 'errors', 'message'];

describe('error envelope', () => {
  it('answers unknown routes with the envelope and a request id', async () => {
    const ctx = await getTestContext();
    const res = await send(ctx, 'GET', '/v3/does-not-exist');
    expect(res.statusCode).toBe(404);
    expect(Object.keys(res.json()).sort()).toEqual(ENVELOPE_KEYS);
    expect(res.json().error_code).toBe('not_found');
    expect(res.headers['x-request-id']).toBeTruthy();
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

  it('rejects oversized bodies with 413', async () => {
    const tenant = await createTenant();
    const res = await tenant.request('POST', `/v3/stores/${tenant.store.id}/storefront/allowed-origins`, {
      body: JSON.stringify({ origin: 'https://a.example', padding: 'x'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error_code).toBe('payload_too_large');
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
          operationId: 'listOrders',
          method: 'GET',
          path: '/v3/orders',
          auth: ['public'],
          schema: { response: {} },
          handler: async () => {
            throw new Error('connection string postgres://secret@db leaked');
          },
        },
      ]);
    });
    const res = await send(ctx, 'GET', '/v3/orders', { headers: { 'x-request-id': 'trace-500' } });
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
