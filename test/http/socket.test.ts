import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectResponsive, type StartedServer, startServer } from '../helpers/server.ts';

/**
 * The HTTP conventions of issue 11 over a real socket, on a server started as `npm start` starts
 * it: what real clients send (fetch's bodiless DELETE, a browser's Origin), the headers that reach
 * them, and the logs the process writes to a pipe.
 */

let server: StartedServer;

beforeAll(async () => {
  server = await startServer({ seedDemo: true });
  expect(server.child.exitCode, server.stderr()).toBeNull();
  expect(server.demo).not.toBeNull();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('over a socket', () => {
  it('takes application/json without a body on POST and DELETE', async () => {
    const demo = server.demo!;
    const headers = { authorization: `Bearer ${demo.api_key}`, 'content-type': 'application/json' };
    const keys = `/v3/stores/${demo.store_id}/public-api-keys`;
    const created = await server.send('POST', keys, { headers });
    expect(created.statusCode, created.body).toBe(200);
    const revoked = await server.send('DELETE', `${keys}/${created.json().id}`, { headers });
    expect(revoked.statusCode, revoked.body).toBe(204);
    const unknown = await server.send('DELETE', '/v3/no-such-route', { headers, body: '{"broken": ' });
    expect(unknown.statusCode).toBe(404);
  });

  it('lets a browser read storefront errors from an allowed origin, and only from one', async () => {
    const demo = server.demo!;
    const url = `/v3/stores/${demo.store_unique_id}/public/cart`;
    const wrongKey = await server.send('GET', url, {
      headers: { origin: demo.allowed_origin, 'x-scalev-storefront-api-key': `sfpk_${'n'.repeat(64)}` },
    });
    expect(wrongKey.statusCode).toBe(404);
    expect(wrongKey.headers['access-control-allow-origin']).toBe(demo.allowed_origin);
    expect(wrongKey.json().request_id).toBe(wrongKey.headers['x-request-id']);
    const stranger = await server.send('GET', url, {
      headers: { origin: 'https://stranger.example', 'x-scalev-storefront-api-key': demo.storefront_api_key },
    });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a wrong method with 405 and Allow, and an unbuilt operation with 501', async () => {
    const wrong = await server.send('PATCH', '/v3/me', {
      headers: { authorization: `Bearer ${server.demo!.api_key}` },
    });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD');
    const unbuilt = await server.send('GET', '/v3/waba-accounts');
    expect(unbuilt.statusCode).toBe(501);
    expect(unbuilt.json().message).toBe('listWabaAccounts is not implemented yet');
  });

  it('writes JSON logs to a pipe: one line per request, error codes named, probes left at debug', async () => {
    await expectResponsive(server);
    await server.send('GET', '/readyz');
    await server.send('GET', '/v3/me', { headers: { authorization: 'sk_without_bearer' } });
    // The last request's line is written as its answer finishes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line.trim() !== '');
    // Nothing that looks like pino-pretty's output: a time in brackets, then a level name.
    expect(lines.filter((line) => /^\[\d{2}:\d{2}:\d{2}/.test(line))).toEqual([]);
    const requests = server.logs().filter((line) => line.msg === 'request completed');
    const urls = requests.map((line) => (line.req as { url: string }).url);
    expect(urls).not.toContain('/healthz');
    expect(urls).not.toContain('/readyz');
    const status = (line: Record<string, unknown>) => (line.res as { statusCode: number }).statusCode;
    expect(requests.find((line) => status(line) === 401)).toMatchObject({
      level: 30,
      req: { method: 'GET', url: '/v3/me' },
      error_code: 'invalid_token',
    });
    expect(requests.find((line) => status(line) === 405)).toMatchObject({
      req: { method: 'PATCH', url: '/v3/me' },
      error_code: 'method_not_allowed',
    });
  });
});
