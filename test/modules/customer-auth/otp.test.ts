import { describe, expect, it } from 'vitest';
import { getTestContext } from '../../helpers/app.ts';
import {
  type AuthShop,
  authShop,
  deliverMail,
  expectTokens,
  expireOtps,
  latestOtp,
  type ShopCustomer,
} from './fixtures.ts';

async function otpShop(): Promise<{ shop: AuthShop; customer: ShopCustomer }> {
  const shop = await authShop();
  await shop.setOtpRequired(true);
  return { shop, customer: await shop.customer() };
}

/** Logs in (which e-mails a code), delivers the e-mail and reads the code from it. */
async function requestCode(shop: AuthShop, customer: ShopCustomer): Promise<string> {
  const res = await shop.post('/login', { email: customer.email, password: customer.password });
  expect(res.statusCode, res.body).toBe(200);
  await deliverMail(shop.ctx);
  return latestOtp(shop.ctx, customer.email);
}

function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

describe('verifyCustomerOtp', () => {
  it('accepts a code once', async () => {
    const { shop, customer } = await otpShop();
    const otp = await requestCode(shop, customer);
    expectTokens(await shop.post('/otp/verify', { email: customer.email, otp }), shop.tenant.store.unique_id);
    const again = await shop.post('/otp/verify', { email: customer.email, otp });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ error_code: 'invalid_token', message: 'Invalid or expired OTP' });
  });

  it('refuses an expired code', async () => {
    const { shop, customer } = await otpShop();
    const otp = await requestCode(shop, customer);
    await expireOtps(shop.ctx, customer.id);
    expect((await shop.post('/otp/verify', { email: customer.email, otp })).statusCode).toBe(401);
  });

  it('voids the code after five wrong attempts, even for the right code', async () => {
    const { shop, customer } = await otpShop();
    const otp = await requestCode(shop, customer);
    for (let i = 0; i < 4; i++) {
      const res = await shop.post('/otp/verify', { email: customer.email, otp: wrongCode(otp) });
      expect(res.statusCode).toBe(401);
    }
    // Four wrong attempts still leave the code usable...
    const db = (await getTestContext()).database.db;
    const row = await db
      .selectFrom('customer_otps')
      .select('attempts')
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(4);
    expect((await shop.post('/otp/verify', { email: customer.email, otp: wrongCode(otp) })).statusCode).toBe(
      401,
    );
    // ...the fifth wrong one does not.
    expect((await shop.post('/otp/verify', { email: customer.email, otp })).statusCode).toBe(401);

    // Logging in again sends a fresh code that works.
    const fresh = await requestCode(shop, customer);
    expectTokens(
      await shop.post('/otp/verify', { email: customer.email, otp: fresh }),
      shop.tenant.store.unique_id,
    );
  });

  it('only the newest code counts', async () => {
    const { shop, customer } = await otpShop();
    const first = await requestCode(shop, customer);
    let second = await requestCode(shop, customer);
    while (second === first) second = await requestCode(shop, customer);
    expect((await shop.post('/otp/verify', { email: customer.email, otp: first })).statusCode).toBe(401);
    expectTokens(
      await shop.post('/otp/verify', { email: customer.email, otp: second }),
      shop.tenant.store.unique_id,
    );
  });

  it('a code is bound to its store and its customer', async () => {
    const { shop, customer } = await otpShop();
    const otp = await requestCode(shop, customer);
    const second = await shop.tenant.request('POST', '/v3/stores', { body: { name: 'Other Store' } });
    expect(second.statusCode, second.body).toBe(200);
    const secondKey = await shop.tenant.request('POST', `/v3/stores/${second.json().id}/public-api-keys`);
    const atSecondStore = await shop.post(
      '/otp/verify',
      { email: customer.email, otp },
      { storeUniqueId: second.json().unique_id, key: secondKey.json().token },
    );
    expect(atSecondStore.statusCode, atSecondStore.body).toBe(401);
    const otherCustomer = await shop.customer();
    expect((await shop.post('/otp/verify', { email: otherCustomer.email, otp })).statusCode).toBe(401);
    const elsewhere = await authShop();
    expect((await elsewhere.post('/otp/verify', { email: customer.email, otp })).statusCode).toBe(401);
    expectTokens(await shop.post('/otp/verify', { email: customer.email, otp }), shop.tenant.store.unique_id);
  });

  it('validates the body and the key; unknown e-mails get the same 401', async () => {
    const { shop, customer } = await otpShop();
    const otp = await requestCode(shop, customer);
    for (const body of [
      { email: customer.email },
      { email: customer.email, otp: '12345' },
      { email: customer.email, otp: 'abcdef' },
      { email: 'nope', otp },
      { email: customer.email, otp, login_as: 'admin' },
    ]) {
      expect((await shop.post('/otp/verify', body)).statusCode, JSON.stringify(body)).toBe(422);
    }
    const unknown = await shop.post('/otp/verify', { email: 'ghost@example.test', otp });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().message).toBe('Invalid or expired OTP');
    const wrongKey = await shop.post(
      '/otp/verify',
      { email: customer.email, otp },
      { key: `sfpk_${'w'.repeat(64)}` },
    );
    expect(wrongKey.statusCode).toBe(404);
    // None of the refused calls counted as an attempt.
    expectTokens(await shop.post('/otp/verify', { email: customer.email, otp }), shop.tenant.store.unique_id);
  });
});
