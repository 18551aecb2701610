import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/lib/crypto.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { accessToken, ISO, type SignedInCustomer, signedInCustomer } from './fixtures.ts';

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant('Akun');
  other = await createTenant('Akun Lain');
});

function readCustomer(id: number) {
  return tenant.ctx.database.db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('getCustomerMe', () => {
  it('answers the profile, the store and whether a password must still be chosen', async () => {
    const customer = await signedInCustomer(tenant, 'Rina');
    const response = await customer.request('GET', '');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      customer: {
        id: customer.id,
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Rina',
        email: customer.email,
        phone: '0812-3456-7890',
        date_of_birth: null,
        sex: null,
        is_unsubscribe: false,
        status: 'active',
        confirmed_at: null,
        created_at: expect.stringMatching(ISO),
        last_updated_at: expect.stringMatching(ISO),
      },
      store: { id: tenant.store.id, unique_id: tenant.store.unique_id, name: tenant.store.name, logo: null },
      is_generated_password_reset: true,
    });
    // Merchant-only fields never reach the customer.
    expect(response.json().customer).not.toHaveProperty('tags');
    expect(response.json().customer).not.toHaveProperty('notes');
  });

  it('answers 401 without a token, with a token of another store or for a customer that is not there', async () => {
    const customer = await signedInCustomer(tenant);
    const url = `/v3/stores/${tenant.store.unique_id}/customers/me`;
    expect((await send(tenant.ctx, 'GET', url)).statusCode).toBe(401);
    const otherStore = accessToken(tenant.ctx, customer.id, other.store.id);
    expect((await customer.request('GET', '', { token: otherStore })).statusCode).toBe(401);
    const elsewhere = await send(tenant.ctx, 'GET', `/v3/stores/${other.store.unique_id}/customers/me`, {
      headers: { authorization: `Bearer ${customer.token}` },
    });
    expect(elsewhere.statusCode).toBe(401);
    // A token signed for this store naming a customer of another business.
    const stranger = await signedInCustomer(other);
    const crossed = accessToken(tenant.ctx, stranger.id, tenant.store.id);
    const response = await customer.request('GET', '', { token: crossed });
    expect(response.statusCode).toBe(401);
    expect(response.json().error_code).toBe('invalid_token');
    // Business API keys are not customer credentials.
    expect((await customer.request('GET', '', { token: tenant.apiKey })).statusCode).toBe(401);
  });
});

describe('updateCustomerMe', () => {
  it('changes only the fields sent and answers the profile', async () => {
    const customer = await signedInCustomer(tenant, 'Old Name');
    const response = await customer.request('PATCH', '', {
      body: {
        name: ' New Name ',
        phone: '+62 811 000',
        date_of_birth: '2000-01-15',
        sex: 'male',
        is_unsubscribe: true,
        email: customer.email.toUpperCase(),
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().customer).toMatchObject({
      name: 'New Name',
      phone: '+62 811 000',
      date_of_birth: '2000-01-15',
      sex: 'male',
      is_unsubscribe: true,
      email: customer.email,
    });
    const partial = await customer.request('PATCH', '', { body: { phone: null } });
    expect(partial.json().customer).toMatchObject({
      name: 'New Name',
      phone: null,
      date_of_birth: '2000-01-15',
    });
  });

  it('keeps the e-mail read-only and validates the rest (422)', async () => {
    const customer = await signedInCustomer(tenant, 'Fixed');
    const changed = await customer.request('PATCH', '', { body: { email: 'someone-else@example.test' } });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().errors).toEqual({ email: ['is read-only'] });
    const invalid = await customer.request('PATCH', '', {
      body: { name: '  ', phone: 'abc', date_of_birth: '15-01-2000', is_unsubscribe: 'maybe' },
    });
    expect(invalid.statusCode).toBe(422);
    expect(Object.keys(invalid.json().errors).sort()).toEqual(['is_unsubscribe']);
    const semantic = await customer.request('PATCH', '', {
      body: { name: '  ', phone: 'abc', date_of_birth: '2000-13-01' },
    });
    expect(semantic.statusCode).toBe(422);
    expect(Object.keys(semantic.json().errors).sort()).toEqual(['date_of_birth', 'name', 'phone']);
    const row = await readCustomer(customer.id);
    expect(row.name).toBe('Fixed');
  });

  it('answers 401 without a valid token', async () => {
    const customer = await signedInCustomer(tenant);
    const response = await customer.request('PATCH', '', { token: 'not-a-jwt', body: { name: 'x' } });
    expect(response.statusCode).toBe(401);
  });
});

describe('setCustomerPassword', () => {
  async function insertRefreshToken(customer: SignedInCustomer) {
    const id = randomUUID();
    await tenant.ctx.database.db
      .insertInto('customer_refresh_tokens')
      .values({
        id,
        family_id: randomUUID(),
        business_id: tenant.business.id,
        store_id: tenant.store.id,
        customer_id: customer.id,
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .execute();
    return id;
  }

  it('sets a first password without the old one and ends every earlier session', async () => {
    const customer = await signedInCustomer(tenant);
    const refreshId = await insertRefreshToken(customer);
    const before = Date.now();
    const response = await customer.request('POST', '/set-new-password', {
      body: { password: 'first-pass-1' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      customer: { id: customer.id },
      is_generated_password_reset: false,
    });
    expect(response.json()).not.toHaveProperty('access');

    const row = await readCustomer(customer.id);
    expect(row.is_generated_password).toBe(false);
    expect(await verifyPassword('first-pass-1', row.password_hash)).toBe(true);
    expect(row.tokens_valid_after.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const refresh = await tenant.ctx.database.db
      .selectFrom('customer_refresh_tokens')
      .select('revoked_at')
      .where('id', '=', refreshId)
      .executeTakeFirstOrThrow();
    expect(refresh.revoked_at).not.toBeNull();
  });

  async function withChosenPassword(customer: SignedInCustomer, password: string) {
    await tenant.ctx.database.db
      .updateTable('customers')
      .set({ password_hash: await hashPassword(password), is_generated_password: false })
      .where('id', '=', customer.id)
      .execute();
  }

  function mailsTo(email: string) {
    return tenant.ctx.database.db
      .selectFrom('mail_messages')
      .select(['kind', 'business_id', 'subject', 'text_body'])
      .where('to_address', '=', email)
      .execute();
  }

  it('takes only the new password, as the reference sends it, and tells the customer by e-mail', async () => {
    const customer = await signedInCustomer(tenant);
    await withChosenPassword(customer, 'chosen-pass-1');
    const refreshId = await insertRefreshToken(customer);
    const response = await customer.request('POST', '/set-new-password', {
      body: { password: 'second-pass-2' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      customer: { id: customer.id },
      is_generated_password_reset: false,
    });
    expect(await verifyPassword('second-pass-2', (await readCustomer(customer.id)).password_hash)).toBe(true);
    const refresh = await tenant.ctx.database.db
      .selectFrom('customer_refresh_tokens')
      .select('revoked_at')
      .where('id', '=', refreshId)
      .executeTakeFirstOrThrow();
    expect(refresh.revoked_at).not.toBeNull();
    const mails = await mailsTo(customer.email);
    expect(mails).toEqual([
      {
        kind: 'customer_password_changed',
        business_id: tenant.business.id,
        subject: `Kata sandi akun Anda di ${tenant.store.name} telah diubah`,
        text_body: expect.stringContaining('Lupa kata sandi'),
      },
    ]);
    // A blank current password (an empty form field) is not checked either. The change ended the
    // earlier session, so the customer has signed in again.
    const blank = await customer.request('POST', '/set-new-password', {
      body: { password: 'third-pass-3', current_password: '' },
      token: accessToken(tenant.ctx, customer.id, tenant.store.id),
    });
    expect(blank.statusCode, blank.body).toBe(200);
    expect(await verifyPassword('third-pass-3', (await readCustomer(customer.id)).password_hash)).toBe(true);
  });

  it('still checks a current password that is sent', async () => {
    const customer = await signedInCustomer(tenant);
    await withChosenPassword(customer, 'chosen-pass-1');
    const wrong = await customer.request('POST', '/set-new-password', {
      body: { password: 'second-pass-2', current_password: 'wrong-pass' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors).toEqual({ current_password: ['is incorrect'] });
    expect(await verifyPassword('chosen-pass-1', (await readCustomer(customer.id)).password_hash)).toBe(true);
    expect(await mailsTo(customer.email)).toEqual([]);

    // An account without a password has nothing a sent current password could match.
    const passwordless = await signedInCustomer(tenant);
    const claimed = await passwordless.request('POST', '/set-new-password', {
      body: { password: 'second-pass-2', current_password: 'anything-1' },
    });
    expect(claimed.statusCode).toBe(422);
    expect(claimed.json().errors).toEqual({ current_password: ['is incorrect'] });
    expect((await readCustomer(passwordless.id)).password_hash).toBeNull();

    const ok = await customer.request('POST', '/set-new-password', {
      body: { password: 'second-pass-2', current_password: 'chosen-pass-1' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await verifyPassword('second-pass-2', (await readCustomer(customer.id)).password_hash)).toBe(true);
  });

  it("refuses another store's token and a token naming another business's customer (401, nothing changed)", async () => {
    const customer = await signedInCustomer(tenant);
    await withChosenPassword(customer, 'chosen-pass-1');
    const otherStore = accessToken(tenant.ctx, customer.id, other.store.id);
    const viaOtherStore = await customer.request('POST', '/set-new-password', {
      body: { password: 'stolen-pass-1' },
      token: otherStore,
    });
    expect(viaOtherStore.statusCode).toBe(401);
    const atOtherStore = await send(
      tenant.ctx,
      'POST',
      `/v3/stores/${other.store.unique_id}/customers/me/set-new-password`,
      {
        body: { password: 'stolen-pass-1' },
        headers: { authorization: `Bearer ${customer.token}` },
      },
    );
    expect(atOtherStore.statusCode).toBe(401);
    const stranger = await signedInCustomer(other);
    const crossed = accessToken(tenant.ctx, stranger.id, tenant.store.id);
    const viaCrossed = await customer.request('POST', '/set-new-password', {
      body: { password: 'stolen-pass-1' },
      token: crossed,
    });
    expect(viaCrossed.statusCode).toBe(401);
    expect(await verifyPassword('chosen-pass-1', (await readCustomer(customer.id)).password_hash)).toBe(true);
    expect((await readCustomer(stranger.id)).password_hash).toBeNull();
    expect(await mailsTo(customer.email)).toEqual([]);
  });

  it('answers 422 for a missing or too short password and 401 without a token', async () => {
    const customer = await signedInCustomer(tenant);
    const missing = await customer.request('POST', '/set-new-password', { body: {} });
    expect(missing.statusCode).toBe(422);
    expect(Object.keys(missing.json().errors)).toEqual(['password']);
    const short = await customer.request('POST', '/set-new-password', { body: { password: 'short' } });
    expect(short.statusCode).toBe(422);
    expect((await readCustomer(customer.id)).password_hash).toBeNull();
    const url = `/v3/stores/${tenant.store.unique_id}/customers/me/set-new-password`;
    expect((await send(tenant.ctx, 'POST', url, { body: { password: 'long-enough-1' } })).statusCode).toBe(
      401,
    );
  });
});
