import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJwt } from '../../../src/lib/jwt.ts';
import type { TestContext } from '../../helpers/app.ts';
import { authShop, closeApp, deliverMail, expectTokens, latestOtp, mailsTo, probeApp } from './fixtures.ts';

let probe: TestContext;
beforeAll(async () => {
  probe = await probeApp();
});
afterAll(async () => {
  await closeApp(probe);
});

const OTP_MESSAGE = { message: 'If this email exists in our system, an OTP has been sent to it.' };

describe('loginCustomer on a store without OTP', () => {
  it('answers exactly the token object, and the access token opens customer routes of this store', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer();
    const res = await shop.post('/login', {
      email: customer.email.toUpperCase(),
      password: customer.password,
    });
    const tokens = expectTokens(res, shop.tenant.store.unique_id);

    const claims = verifyJwt(probe.keys.customerJwt, tokens.access);
    expect(claims).toMatchObject({ typ: 'access', sub: String(customer.id), sid: shop.tenant.store.id });
    expect((claims?.exp ?? 0) - (claims?.iat ?? 0)).toBe(900);
    const refreshClaims = verifyJwt(probe.keys.customerJwt, tokens.refresh);
    expect(refreshClaims?.typ).toBe('refresh');
    expect((refreshClaims?.exp ?? 0) - (refreshClaims?.iat ?? 0)).toBe(2_592_000);

    const me = await shop.probe(probe, tokens.access);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().customer).toMatchObject({ customerId: customer.id, storeId: shop.tenant.store.id });
    // The refresh token is not an access token.
    expect((await shop.probe(probe, tokens.refresh)).statusCode).toBe(401);
  });

  it('answers the same 401 for a wrong password, an unknown e-mail, no password and an inactive customer', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer();
    const passwordless = await shop.customer({ password: null });
    const blocked = await shop.customer({ status: 'inactive' });
    const attempts = [
      { email: customer.email, password: 'not-the-password' },
      { email: 'nobody-here@example.test', password: customer.password },
      { email: passwordless.email, password: 'anything-at-all' },
      { email: blocked.email, password: blocked.password },
    ];
    const bodies = [];
    for (const body of attempts) {
      const res = await shop.post('/login', body);
      expect(res.statusCode, res.body).toBe(401);
      bodies.push(res.json());
    }
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(bodies[0]).toMatchObject({ error_code: 'invalid_token', message: 'Invalid email or password' });
  });

  it('validates the body and accepts only customer logins', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer();
    const missing = await shop.post('/login', { email: customer.email });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toHaveProperty('password');
    const badEmail = await shop.post('/login', { email: 'not-an-email', password: 'x' });
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.json().errors).toHaveProperty('email');
    const owner = await shop.post('/login', { ...customer, login_as: 'owner' });
    expect(owner.statusCode).toBe(422);
    expect(owner.json().errors).toHaveProperty('login_as');
    const other = await shop.post('/login', { ...customer, login_as: 'admin' });
    expect(other.statusCode).toBe(422);
    expectTokens(
      await shop.post('/login', { ...customer, login_as: 'customer' }),
      shop.tenant.store.unique_id,
    );
  });

  it("answers Store not found for a wrong key, another store's key and an unknown store", async () => {
    const shop = await authShop(probe);
    const other = await authShop(probe);
    const customer = await shop.customer();
    const body = { email: customer.email, password: customer.password };
    for (const options of [
      { key: other.key },
      { key: `sfpk_${'z'.repeat(64)}` },
      { storeUniqueId: other.tenant.store.unique_id },
      { storeUniqueId: `store_${'q'.repeat(24)}` },
    ]) {
      const res = await shop.post('/login', body, options);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().message).toBe('Store not found');
    }
    // A customer of one business cannot log in at another business's store.
    const elsewhere = await other.post('/login', body);
    expect(elsewhere.statusCode).toBe(401);
  });

  it('binds tokens to their store: another store of the same business refuses them', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer();
    const tokens = expectTokens(await shop.post('/login', customer), shop.tenant.store.unique_id);
    const second = await shop.tenant.request('POST', '/v3/stores', { body: { name: 'Second Store' } });
    expect(second.statusCode, second.body).toBe(200);
    const res = await shop.probe(probe, tokens.access, second.json().unique_id);
    expect(res.statusCode).toBe(401);
  });
});

describe('loginCustomer on a store that requires OTP', () => {
  it('e-mails a 6-digit code and answers the OTP message; verify answers the tokens', async () => {
    const shop = await authShop(probe);
    await shop.setOtpRequired(true);
    const customer = await shop.customer();
    const res = await shop.post('/login', customer);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(OTP_MESSAGE);

    const [queued] = await mailsTo(probe, customer.email);
    expect(queued).toMatchObject({ status: 'queued', kind: 'customer_login_otp' });
    await deliverMail(probe);
    const [sent] = await mailsTo(probe, customer.email);
    expect(sent).toMatchObject({ status: 'sent', provider: 'sandbox', business_id: shop.tenant.business.id });
    expect(sent?.subject).toContain('Toko Auth Store');
    expect(sent?.html_body).toContain('<!doctype html>');

    const otp = await latestOtp(probe, customer.email);
    expect(otp).toMatch(/^\d{6}$/);
    const code = await probe.database.db
      .selectFrom('customer_otps')
      .select('code_hash')
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(code.code_hash).not.toContain(otp);

    const verified = await shop.post('/otp/verify', { email: customer.email, otp });
    const tokens = expectTokens(verified, shop.tenant.store.unique_id);
    expect((await shop.probe(probe, tokens.access)).statusCode).toBe(200);
    const confirmed = await probe.database.db
      .selectFrom('customers')
      .select('confirmed_at')
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(confirmed.confirmed_at).not.toBeNull();
  });

  it('still checks the password first, with the same 401 for unknown e-mails', async () => {
    const shop = await authShop(probe);
    await shop.setOtpRequired(true);
    const customer = await shop.customer();
    const wrong = await shop.post('/login', { email: customer.email, password: 'wrong-password' });
    const unknown = await shop.post('/login', { email: 'ghost@example.test', password: 'wrong-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(await mailsTo(probe, customer.email)).toHaveLength(0);
    expect(await mailsTo(probe, 'ghost@example.test')).toHaveLength(0);
  });

  it('turning the setting off goes back to direct login', async () => {
    const shop = await authShop(probe);
    await shop.setOtpRequired(true);
    const customer = await shop.customer();
    expect((await shop.post('/login', customer)).json()).toEqual(OTP_MESSAGE);
    await shop.setOtpRequired(false);
    expectTokens(await shop.post('/login', customer), shop.tenant.store.unique_id);
  });
});
