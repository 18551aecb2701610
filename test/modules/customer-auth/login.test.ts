import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJwt } from '../../../src/lib/jwt.ts';
import { inviteMember } from '../../../src/modules/businesses/service.ts';
import { upsertCustomerByEmail } from '../../../src/modules/customers/records.ts';
import type { TestContext } from '../../helpers/app.ts';
import { errorFields, sameErrorAs } from '../../helpers/errors.ts';
import { send } from '../../helpers/tenants.ts';
import {
  type AuthShop,
  authShop,
  closeApp,
  deliverMail,
  expectTokens,
  latestOtp,
  mailsTo,
  probeApp,
} from './fixtures.ts';

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
      bodies.push(errorFields(res));
    }
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(bodies[0]).toMatchObject({ error_code: 'invalid_token', message: 'Invalid email or password' });
  });

  it('validates the body and login_as', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer();
    const missing = await shop.post('/login', { email: customer.email });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toHaveProperty('password');
    const badEmail = await shop.post('/login', { email: 'not-an-email', password: 'x' });
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.json().errors).toHaveProperty('email');
    const other = await shop.post('/login', { ...customer, login_as: 'admin' });
    expect(other.statusCode).toBe(422);
    expect(other.json().errors).toHaveProperty('login_as');
    // A customer's own password is not the owner's: `owner` checks the business owner's account.
    const asOwner = await shop.post('/login', { ...customer, login_as: 'owner' });
    expect(asOwner.statusCode).toBe(401);
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

describe('loginCustomer as the business owner (login_as: owner)', () => {
  /** The customer rows of the shop's business with this e-mail. */
  function customersWith(shop: AuthShop, email: string) {
    return probe.database.db
      .selectFrom('customers')
      .select(['id', 'name', 'email', 'status', 'password_hash'])
      .where('business_id', '=', shop.tenant.business.id)
      .where('email', '=', email)
      .execute();
  }

  it("signs the owner in with their account's password as the business's customer with that e-mail", async () => {
    const shop = await authShop(probe);
    const { owner, ownerPassword } = shop.tenant;
    const body = { email: owner.email.toUpperCase(), password: ownerPassword, login_as: 'owner' };
    const tokens = expectTokens(await shop.post('/login', body), shop.tenant.store.unique_id);

    const [customer, ...more] = await customersWith(shop, owner.email);
    expect(more).toEqual([]);
    expect(customer).toMatchObject({ name: owner.name, status: 'active', password_hash: null });
    const claims = verifyJwt(probe.keys.customerJwt, tokens.access);
    expect(claims).toMatchObject({ typ: 'access', sub: String(customer!.id), sid: shop.tenant.store.id });
    const me = await shop.probe(probe, tokens.access);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().customer).toMatchObject({ customerId: customer!.id, storeId: shop.tenant.store.id });
    // Customer tokens only: they are not business credentials.
    const asBusiness = await send(probe, 'GET', '/v3/products', {
      headers: { authorization: `Bearer ${tokens.access}` },
    });
    expect(asBusiness.statusCode).toBe(401);

    // The next owner login is the same customer; the owner's password is no customer password.
    const again = expectTokens(await shop.post('/login', body), shop.tenant.store.unique_id);
    expect(verifyJwt(probe.keys.customerJwt, again.access)?.sub).toBe(String(customer!.id));
    expect(await customersWith(shop, owner.email)).toHaveLength(1);
    const asCustomer = await shop.post('/login', { ...body, login_as: 'customer' });
    expect(asCustomer.statusCode).toBe(401);
  });

  it('lands on the customer the owner already is, e.g. from an earlier checkout', async () => {
    const shop = await authShop(probe);
    const { owner, ownerPassword } = shop.tenant;
    const id = await probe.database.db.transaction().execute((trx) =>
      upsertCustomerByEmail(trx, {
        businessId: shop.tenant.business.id,
        storeId: shop.tenant.store.id,
        name: 'Pemilik Belanja',
        email: owner.email,
        phone: '0812000000',
      }),
    );
    const tokens = expectTokens(
      await shop.post('/login', { email: owner.email, password: ownerPassword, login_as: 'owner' }),
      shop.tenant.store.unique_id,
    );
    expect(verifyJwt(probe.keys.customerJwt, tokens.access)?.sub).toBe(String(id));
    expect(await customersWith(shop, owner.email)).toEqual([
      expect.objectContaining({ id, name: 'Pemilik Belanja' }),
    ]);
  });

  it('answers the same 401 for a wrong password, a non-owner member, another business’s owner, a locked owner and a deactivated customer', async () => {
    const shop = await authShop(probe);
    const other = await authShop(probe);
    const db = probe.database.db;
    const { owner, ownerPassword, business } = shop.tenant;
    const admin = await inviteMember(db, business.id, {
      email: `admin-${business.username}@example.test`,
      name: 'Admin Toko',
      role: 'Admin',
      password: 'admin-pass-1',
    });
    await db
      .updateTable('business_users')
      .set({ is_verified: true })
      .where('id', '=', admin.membershipId)
      .execute();
    const attempts = [
      { email: owner.email, password: 'not-the-password' },
      { email: `admin-${business.username}@example.test`, password: 'admin-pass-1' },
      { email: other.tenant.owner.email, password: other.tenant.ownerPassword },
      { email: 'nobody-here@example.test', password: ownerPassword },
    ];
    const bodies = [];
    for (const attempt of attempts) {
      const res = await shop.post('/login', { ...attempt, login_as: 'owner' });
      expect(res.statusCode, JSON.stringify(attempt)).toBe(401);
      bodies.push(errorFields(res));
    }
    // Neither the admin nor the other business's owner became a customer here.
    expect(await customersWith(shop, `admin-${business.username}@example.test`)).toEqual([]);
    expect(await customersWith(shop, other.tenant.owner.email)).toEqual([]);

    const ownerLogin = { email: owner.email, password: ownerPassword, login_as: 'owner' };
    await db
      .updateTable('business_users')
      .set({ is_locked: true })
      .where('business_id', '=', business.id)
      .where('user_id', '=', owner.id)
      .execute();
    const locked = await shop.post('/login', ownerLogin);
    expect(locked.statusCode).toBe(401);
    bodies.push(errorFields(locked));
    await db
      .updateTable('business_users')
      .set({ is_locked: false })
      .where('business_id', '=', business.id)
      .where('user_id', '=', owner.id)
      .execute();
    expectTokens(await shop.post('/login', ownerLogin), shop.tenant.store.unique_id);
    await db
      .updateTable('customers')
      .set({ status: 'inactive' })
      .where('business_id', '=', business.id)
      .where('email', '=', owner.email)
      .execute();
    const deactivated = await shop.post('/login', ownerLogin);
    expect(deactivated.statusCode).toBe(401);
    bodies.push(errorFields(deactivated));

    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(bodies[0]).toMatchObject({ error_code: 'invalid_token', message: 'Invalid email or password' });
  });

  it('on an OTP store e-mails the owner a code that verify turns into tokens', async () => {
    const shop = await authShop(probe);
    await shop.setOtpRequired(true);
    const { owner, ownerPassword } = shop.tenant;
    const res = await shop.post('/login', { email: owner.email, password: ownerPassword, login_as: 'owner' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(OTP_MESSAGE);
    const otp = await latestOtp(probe, owner.email);
    const verified = await shop.post('/otp/verify', { email: owner.email, otp, login_as: 'owner' });
    const tokens = expectTokens(verified, shop.tenant.store.unique_id);
    const [customer] = await customersWith(shop, owner.email);
    expect(verifyJwt(probe.keys.customerJwt, tokens.access)?.sub).toBe(String(customer!.id));
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
    expect(unknown.json()).toEqual(sameErrorAs(unknown, wrong));
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
