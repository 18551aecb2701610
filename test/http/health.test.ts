import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { MemoryRateLimitStore } from '../../src/http/rate-limit.ts';
import { getTestContext, testConfig } from '../helpers/app.ts';
import { send } from '../helpers/tenants.ts';

describe('health probes', () => {
  it('reports liveness and readiness without rate-limit accounting', async () => {
    const ctx = await getTestContext();
    const live = await send(ctx, 'GET', '/healthz');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    expect(live.headers['x-ratelimit-limit']).toBeUndefined();
    const ready = await send(ctx, 'GET', '/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('is not ready when the database is unreachable or the process is draining', async () => {
    const base = await getTestContext();
    const broken = { ...base.database, ping: () => Promise.reject(new Error('connection refused')) };
    const deps = {
      config: testConfig(),
      database: broken,
      keys: base.keys,
      rateLimit: new MemoryRateLimitStore(),
    };
    const unreachable = await buildApp(deps, { logger: false });
    const res = await unreachable.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('connection refused');
    await unreachable.close();

    const draining = await buildApp(
      { ...deps, database: base.database },
      { logger: false, isDraining: () => true },
    );
    expect((await draining.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await draining.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await draining.close();
  });
});
