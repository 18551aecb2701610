import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { MemoryRateLimitStore } from '../../src/http/rate-limit.ts';
import { logDestination, prettyMessage, wantsPrettyLogs } from '../../src/lib/logging.ts';
import { getTestContext, testConfig } from '../helpers/app.ts';
import { createTenant, send } from '../helpers/tenants.ts';

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** An app on the worker's database whose JSON log lines are collected. */
async function loggedApp(logLevel: Config['logLevel']): Promise<{ app: FastifyInstance; lines: LogLine[] }> {
  const base = await getTestContext();
  const lines: LogLine[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = await buildApp(
    {
      config: testConfig({ logLevel }),
      database: base.database,
      keys: base.keys,
      rateLimit: new MemoryRateLimitStore(),
    },
    { logStream },
  );
  await app.ready();
  opened.push(app);
  return { app, lines };
}

const opened: FastifyInstance[] = [];
let infoApp: ReturnType<typeof loggedApp> | undefined;
/** The info-level app the tests share (building one compiles every route's schemas: seconds). */
async function sharedInfoApp(): Promise<{ app: FastifyInstance; lines: LogLine[] }> {
  infoApp ??= loggedApp('info');
  const { app, lines } = await infoApp;
  lines.length = 0;
  return { app, lines };
}
afterAll(async () => {
  for (const app of opened) await app.close();
});

const completed = (lines: LogLine[], url: string) =>
  lines.filter((line) => line.msg === 'request completed' && (line.req as { url: string }).url === url);

describe('request logs', () => {
  it('write one info line per request, naming the error code and fields of an error answer', async () => {
    const { app, lines } = await sharedInfoApp();
    const tenant = await createTenant();
    const ctx = { ...tenant.ctx, app };
    const url = `/v3/stores/${tenant.store.id}/storefront/allowed-origins`;
    await send(ctx, 'POST', url, {
      body: { origin: 'not an origin', extra: 1 },
      headers: { authorization: `Bearer ${tenant.apiKey}`, 'x-request-id': 'log-422' },
    });
    await send(ctx, 'GET', '/v3/me', { headers: { authorization: `Bearer ${tenant.apiKey}` } });

    const failed = completed(lines, url);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      level: 30,
      request_id: 'log-422',
      req: { method: 'POST', url },
      res: { statusCode: 422 },
      error_code: 'validation_failed',
      fields: ['origin'],
    });
    expect(failed[0]!.responseTime).toEqual(expect.any(Number));
    const ok = completed(lines, '/v3/me');
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({ level: 30, res: { statusCode: 200 } });
    expect(ok[0]).not.toHaveProperty('error_code');
    // No "incoming request" at info: the completion line says it all.
    expect(lines.filter((line) => line.msg === 'incoming request')).toEqual([]);
    // Neither the key nor what the client sent reaches the log.
    const text = JSON.stringify(lines);
    expect(text).not.toContain(tenant.apiKey);
    expect(text).not.toContain('not an origin');
  });

  it('name the error code of 401, 404, 405 and 501 answers', async () => {
    const { app, lines } = await sharedInfoApp();
    const ctx = { ...(await getTestContext()), app };
    await send(ctx, 'GET', '/v3/me');
    await send(ctx, 'GET', '/v3/no-such-route');
    await send(ctx, 'PUT', '/v3/me');
    await send(ctx, 'GET', '/v3/pages');
    const codes = lines
      .filter((line) => line.msg === 'request completed')
      .map((line) => [(line.res as { statusCode: number }).statusCode, line.error_code]);
    expect(codes).toEqual([
      [401, 'invalid_token'],
      [404, 'not_found'],
      [405, 'method_not_allowed'],
      [501, 'not_implemented'],
    ]);
  });

  it('keep secrets in URLs out', async () => {
    const { app, lines } = await sharedInfoApp();
    const ctx = { ...(await getTestContext()), app };
    await send(ctx, 'GET', '/v3/no-such-route?token=hunter2-secret-value&page_size=5');
    const [line] = completed(lines, '/v3/no-such-route?token=[redacted]&page_size=5');
    expect(line).toBeDefined();
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('log health probes and the docs at debug, not info', async () => {
    const quietUrls = ['/healthz', '/readyz', '/v3/openapi.json', '/docs/'];
    const info = await sharedInfoApp();
    for (const url of quietUrls) await send({ ...(await getTestContext()), app: info.app }, 'GET', url);
    expect(info.lines.filter((line) => line.msg === 'request completed')).toEqual([]);

    const debug = await loggedApp('debug');
    for (const url of quietUrls) await send({ ...(await getTestContext()), app: debug.app }, 'GET', url);
    for (const url of quietUrls) {
      const [line] = completed(debug.lines, url);
      expect(line, url).toMatchObject({ level: 20, res: { statusCode: 200 } });
    }
    expect(debug.lines.some((line) => line.msg === 'incoming request' && line.level === 20)).toBe(true);
  });
});

describe('log format', () => {
  it('is readable on a terminal and JSON on a pipe, unless NEXUS_LOG_FORMAT says otherwise', async () => {
    const terminal = { isTTY: true };
    const pipe = { isTTY: false };
    expect(wantsPrettyLogs('auto', terminal)).toBe(true);
    expect(wantsPrettyLogs('auto', pipe)).toBe(false);
    expect(wantsPrettyLogs('auto', {})).toBe(false);
    expect(wantsPrettyLogs('json', terminal)).toBe(false);
    expect(wantsPrettyLogs('pretty', pipe)).toBe(true);
    expect(await logDestination('auto', pipe)).toBeUndefined();
    expect(await logDestination('json', terminal)).toBeUndefined();
    // Not written to or closed here: it writes to this process's stdout.
    const pretty = await logDestination('auto', terminal);
    expect(typeof pretty?.write).toBe('function');
  });

  it('puts a request on one readable line', () => {
    expect(
      prettyMessage({
        msg: 'request completed',
        request_id: 'abc',
        req: { method: 'POST', url: '/v3/stores/1/storefront/allowed-origins' },
        res: { statusCode: 422 },
        responseTime: 3.4,
        error_code: 'validation_failed',
        fields: ['origin', 'extra'],
      }),
    ).toBe('POST /v3/stores/1/storefront/allowed-origins 422 3ms validation_failed (origin, extra) [abc]');
    expect(
      prettyMessage({
        msg: 'request completed',
        req: { method: 'GET', url: '/v3/me' },
        res: { statusCode: 200 },
      }),
    ).toBe('GET /v3/me 200');
    expect(prettyMessage({ msg: 'Nexus is ready' })).toBe('Nexus is ready');
  });
});
