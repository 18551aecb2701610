import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestContext, type TestContext } from '../../helpers/app.ts';
import { randomIp } from '../../helpers/tenants.ts';
import { authShop, closeApp, probeApp } from './fixtures.ts';

let app: TestContext;
beforeAll(async () => {
  const shared = await getTestContext();
  app = await probeApp({
    rateLimit: { ...shared.config.rateLimit, customerAuthIpPer15m: 6, customerAuthAccountPer15m: 3 },
  });
});
afterAll(async () => {
  await closeApp(app);
});

function expectRateLimited(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(res.statusCode).toBe(429);
  expect(res.json()).toMatchObject({ error_code: 'rate_limited', error: 'Too many attempts' });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(900);
}

describe('customer auth rate limits', () => {
  it('limits attempts per account across client IPs, for login, OTP and reset alike', async () => {
    const shop = await authShop(app);
    const customer = await shop.customer();
    const wrong = { email: customer.email, password: 'wrong-password' };
    expect((await shop.post('/login', wrong, { ip: randomIp() })).statusCode).toBe(401);
    expect(
      (await shop.post('/otp/verify', { email: customer.email, otp: '123456' }, { ip: randomIp() }))
        .statusCode,
    ).toBe(401);
    expect(
      (await shop.post('/forget-password', { email: customer.email }, { ip: randomIp() })).statusCode,
    ).toBe(204);
    // The right password does not help once the account's budget is spent.
    expectRateLimited(await shop.post('/login', customer, { ip: randomIp() }));
    expectRateLimited(await shop.post('/forget-password', { email: customer.email }, { ip: randomIp() }));
    // The same for an e-mail that has no account, so the limit reveals nothing either.
    for (let i = 0; i < 3; i++) {
      await shop.post('/login', { email: 'nobody-limit@example.test', password: 'x' }, { ip: randomIp() });
    }
    expectRateLimited(await shop.post('/login', { email: 'nobody-limit@example.test', password: 'x' }));
    // Another account is not affected.
    const other = await shop.customer();
    expect((await shop.post('/login', other, { ip: randomIp() })).statusCode).toBe(200);
  });

  it('limits attempts per client IP across accounts', async () => {
    const shop = await authShop(app);
    const ip = randomIp();
    for (let i = 0; i < 6; i++) {
      const res = await shop.post('/forget-password', { email: `guess-${i}@example.test` }, { ip });
      expect(res.statusCode).toBe(204);
    }
    expectRateLimited(await shop.post('/forget-password', { email: 'guess-6@example.test' }, { ip }));
    const customer = await shop.customer();
    expectRateLimited(await shop.post('/login', customer, { ip }));
    expect((await shop.post('/login', customer, { ip: randomIp() })).statusCode).toBe(200);
  });

  it('does not limit refresh and blacklist by account', async () => {
    const shop = await authShop(app);
    const customer = await shop.customer();
    const ip = randomIp();
    const login = await shop.post('/login', customer, { ip });
    expect(login.statusCode).toBe(200);
    let refresh: string = login.json().refresh;
    for (let i = 0; i < 8; i++) {
      const res = await shop.post('/jwt/refresh', { refresh }, { ip });
      expect(res.statusCode, res.body).toBe(200);
      refresh = res.json().refresh;
    }
  });
});
