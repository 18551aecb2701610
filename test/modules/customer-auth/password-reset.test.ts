import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/lib/crypto.ts';
import type { TestContext } from '../../helpers/app.ts';
import {
  type AuthShop,
  authShop,
  closeApp,
  deliverMail,
  expectTokens,
  latestResetLink,
  mailsTo,
  probeApp,
  type ShopCustomer,
} from './fixtures.ts';

let probe: TestContext;
beforeAll(async () => {
  probe = await probeApp();
});
afterAll(async () => {
  await closeApp(probe);
});

const SHOP_ORIGIN = 'https://shop.example.test';

async function shopWithOrigin(): Promise<AuthShop> {
  const shop = await authShop(probe);
  const res = await shop.tenant.request(
    'POST',
    `/v3/stores/${shop.tenant.store.id}/storefront/allowed-origins`,
    {
      body: { origin: SHOP_ORIGIN },
    },
  );
  expect(res.statusCode, res.body).toBe(200);
  return shop;
}

async function requestReset(shop: AuthShop, customer: ShopCustomer, origin?: string) {
  const res = await shop.post(
    '/forget-password',
    { email: customer.email.toUpperCase() },
    origin ? { origin } : {},
  );
  expect(res.statusCode, res.body).toBe(204);
  await deliverMail(probe);
  return latestResetLink(probe, customer.email);
}

describe('startCustomerPasswordReset', () => {
  it('links to the calling origin when it is registered for the store', async () => {
    const shop = await shopWithOrigin();
    const customer = await shop.customer();
    const { link, token } = await requestReset(shop, customer, SHOP_ORIGIN);
    expect(link).toBe(`${SHOP_ORIGIN}/reset-password?token=${token}`);
    expect(token.length).toBeGreaterThanOrEqual(43);
    const [mail] = await mailsTo(probe, customer.email);
    expect(mail).toMatchObject({ kind: 'customer_password_reset', status: 'sent', provider: 'sandbox' });
    expect(mail?.html_body).toContain(`href="${SHOP_ORIGIN}/reset-password?token=${token}"`);
    // Only the token's hash is stored.
    const rows = await probe.database.db
      .selectFrom('customer_password_resets')
      .select(['token_hash', 'expires_at', 'store_id'])
      .where('customer_id', '=', customer.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(sha256Hex(token));
    const lifetime = (rows[0]?.expires_at.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(59 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);
  });

  it('falls back to the hosted store URL without an Origin, or from the server’s own origin', async () => {
    const shop = await shopWithOrigin();
    const customer = await shop.customer();
    const hosted = `${probe.config.publicUrl}/s/${shop.tenant.store.unique_id}/reset-password?token=`;
    const plain = await requestReset(shop, customer);
    expect(plain.link).toBe(`${hosted}${plain.token}`);
    // The server's hosted pages may call the API, but are not a registered storefront origin.
    const own = await requestReset(shop, customer, new URL(probe.config.publicUrl).origin);
    expect(own.link).toBe(`${hosted}${own.token}`);
  });

  it('refuses an origin that is not allowed for the store (registered for another store)', async () => {
    const shop = await authShop(probe);
    const other = await shopWithOrigin();
    const customer = await shop.customer();
    const res = await shop.post('/forget-password', { email: customer.email }, { origin: SHOP_ORIGIN });
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('origin_not_allowed');
    await deliverMail(probe);
    expect(await mailsTo(probe, customer.email)).toHaveLength(0);
    expect(other.tenant.store.id).not.toBe(shop.tenant.store.id);
  });

  it('answers 204 for unknown e-mails and customers of other businesses, and sends nothing', async () => {
    const shop = await authShop(probe);
    const other = await authShop(probe);
    const foreign = await other.customer();
    for (const email of ['ghost-reset@example.test', foreign.email]) {
      const res = await shop.post('/forget-password', { email });
      expect(res.statusCode).toBe(204);
    }
    await deliverMail(probe);
    expect(await mailsTo(probe, 'ghost-reset@example.test')).toHaveLength(0);
    expect(await mailsTo(probe, foreign.email)).toHaveLength(0);
  });

  it('validates the body and the key', async () => {
    const shop = await authShop(probe);
    const missing = await shop.post('/forget-password', {});
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toHaveProperty('email');
    expect((await shop.post('/forget-password', { email: 'nope' })).statusCode).toBe(422);
    const wrongKey = await shop.post(
      '/forget-password',
      { email: 'a@example.test' },
      { key: `sfpk_${'r'.repeat(64)}` },
    );
    expect(wrongKey.statusCode).toBe(404);
  });
});

describe('saveCustomerPassword', () => {
  it('sets the password once, signs the customer out everywhere, and the new password logs in', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer();
    const session = expectTokens(await shop.post('/login', customer), shop.tenant.store.unique_id);
    const { token } = await requestReset(shop, customer);
    const second = await requestReset(shop, customer);

    const saved = await shop.post('/save-password', { token, password: 'new-secret-123' });
    expect(saved.statusCode, saved.body).toBe(204);
    expect(saved.body).toBe('');

    const row = await probe.database.db
      .selectFrom('customers')
      .select(['is_generated_password', 'password_hash', 'confirmed_at'])
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row.is_generated_password).toBe(false);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.confirmed_at).not.toBeNull();

    expect((await shop.probe(probe, session.access)).statusCode).toBe(401);
    expect((await shop.post('/jwt/refresh', { refresh: session.refresh })).statusCode).toBe(401);
    expect((await shop.post('/login', customer)).statusCode).toBe(401);
    const fresh = expectTokens(
      await shop.post('/login', { email: customer.email, password: 'new-secret-123' }),
      shop.tenant.store.unique_id,
    );
    expect((await shop.probe(probe, fresh.access)).statusCode).toBe(200);

    // Single use, and the other link sent before the change is void too.
    for (const used of [token, second.token]) {
      const again = await shop.post('/save-password', { token: used, password: 'another-secret-1' });
      expect(again.statusCode).toBe(404);
      expect(again.json().error_code).toBe('not_found');
    }
  });

  it('gives a customer created by checkout (no password yet) a password', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer({ password: null });
    expect(
      (await shop.post('/login', { email: customer.email, password: 'first-password' })).statusCode,
    ).toBe(401);
    const { token } = await requestReset(shop, customer);
    expect((await shop.post('/save-password', { token, password: 'first-password' })).statusCode).toBe(204);
    expectTokens(
      await shop.post('/login', { email: customer.email, password: 'first-password' }),
      shop.tenant.store.unique_id,
    );
  });

  it('refuses expired tokens, unknown tokens and another store’s tokens', async () => {
    const shop = await authShop(probe);
    const other = await authShop(probe);
    const customer = await shop.customer();
    const { token } = await requestReset(shop, customer);
    expect((await other.post('/save-password', { token, password: 'password-123' })).statusCode).toBe(404);
    expect(
      (await shop.post('/save-password', { token: 'x'.repeat(43), password: 'password-123' })).statusCode,
    ).toBe(404);
    await probe.database.db
      .updateTable('customer_password_resets')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('customer_id', '=', customer.id)
      .execute();
    expect((await shop.post('/save-password', { token, password: 'password-123' })).statusCode).toBe(404);
    expectTokens(await shop.post('/login', customer), shop.tenant.store.unique_id);
  });

  it('validates the body', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer();
    const { token } = await requestReset(shop, customer);
    for (const [body, field] of [
      [{ password: 'long-enough-1' }, 'token'],
      [{ token }, 'password'],
      [{ token, password: 'short' }, 'password'],
      [{ token, password: 'x'.repeat(129) }, 'password'],
    ] as const) {
      const res = await shop.post('/save-password', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().errors).toHaveProperty(field);
    }
    // Validation failures did not spend the token.
    expect((await shop.post('/save-password', { token, password: 'long-enough-1' })).statusCode).toBe(204);
  });
});
