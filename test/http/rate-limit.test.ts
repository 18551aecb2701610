import { describe, expect, it } from 'vitest';
import { buildTestApp, getTestContext, testConfig } from '../helpers/app.ts';
import { createTenant, randomIp, send } from '../helpers/tenants.ts';

describe('rate limits', () => {
  it('allows 100 requests per 10 s on one API key and answers the 101st with a plain-text 429', async () => {
    const tenant = await createTenant();
    const seen: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await tenant.request('GET', '/v3/me');
      seen.push(res.statusCode);
      if (i === 0) {
        expect(res.headers['x-ratelimit-limit']).toBe('100');
        expect(res.headers['x-ratelimit-remaining']).toBe('99');
        expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
      }
    }
    expect(seen.every((status) => status === 200)).toBe(true);
    const limited = await tenant.request('GET', '/v3/me');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^text\/plain/);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-request-id']).toBeTruthy();

    // The budget is per key: another key of the same business is unaffected.
    const other = await tenant.request('GET', '/v3/me', { key: await tenant.restrictedKey(['store:read']) });
    expect(other.statusCode).toBe(200);
  });

  it('counts browser and unauthenticated traffic per client IP', async () => {
    const ctx = await getTestContext();
    const ip = randomIp();
    const first = await send(ctx, 'GET', '/v3/nope', { remoteAddress: ip });
    const second = await send(ctx, 'GET', '/v3/nope', { remoteAddress: ip });
    expect(first.headers['x-ratelimit-limit']).toBe(String(ctx.config.rateLimit.ipPer10s));
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(
      Number(first.headers['x-ratelimit-remaining']) - 1,
    );
    const elsewhere = await send(ctx, 'GET', '/v3/nope', { remoteAddress: randomIp() });
    expect(elsewhere.headers['x-ratelimit-remaining']).toBe(first.headers['x-ratelimit-remaining']);
  });

  it('throttles failed authentication on the client IP bucket', async () => {
    const base = await getTestContext();
    const ctx = await buildTestApp(
      base.database,
      testConfig({ rateLimit: { ...base.config.rateLimit, ipPer10s: 3 } }),
    );
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await send(ctx, 'GET', '/v3/me', {
        remoteAddress: ip,
        headers: { authorization: `Bearer sk_${'x'.repeat(64)}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    await ctx.app.close();
  });

  it.runIf(Boolean(process.env.REDIS_URL))(
    'shares one budget between two instances through Redis',
    async () => {
      const base = await getTestContext();
      const tenant = await createTenant();
      const second = await buildTestApp(base.database, testConfig());
      const instances = [base, second];
      const statuses: number[] = [];
      for (let i = 0; i < 101; i++) {
        const ctx = instances[i % 2]!;
        const res = await send(ctx, 'GET', '/v3/me', {
          headers: { authorization: `Bearer ${tenant.apiKey}` },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 100).every((status) => status === 200)).toBe(true);
      expect(statuses[100]).toBe(429);
      await second.app.close();
    },
  );
});
