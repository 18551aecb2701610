import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertCustomerByEmail } from '../../../src/modules/customers/records.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { ISO } from '../customer-account/fixtures.ts';

async function createCustomer(tenant: Tenant, body: Record<string, unknown>) {
  const response = await tenant.request('POST', '/v3/customers', { body });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}@example.test`;

let tenant: Tenant;
let other: Tenant;
beforeAll(async () => {
  tenant = await createTenant('Pelanggan');
  other = await createTenant('Lain');
});

describe('createBusinessCustomer', () => {
  it('creates the full customer object, e-mail lower-cased and fields cleaned', async () => {
    const email = unique('Ani');
    const response = await tenant.request('POST', '/v3/customers', {
      body: {
        name: '  Ani Wijaya ',
        email: `  ${email.toUpperCase()} `,
        phone: ' +62 812-1111-2222 ',
        date_of_birth: '1990-02-28',
        sex: 'Female',
        is_unsubscribe: true,
        notes: ' prefers WhatsApp ',
        tags: ['vip', ' VIP ', 'reseller', ''],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      id: expect.any(Number),
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Ani Wijaya',
      email: email.toLowerCase(),
      phone: '+62 812-1111-2222',
      date_of_birth: '1990-02-28',
      sex: 'female',
      is_unsubscribe: true,
      status: 'active',
      confirmed_at: null,
      created_at: expect.stringMatching(ISO),
      last_updated_at: expect.stringMatching(ISO),
      store_id: null,
      notes: 'prefers WhatsApp',
      tags: ['vip', 'reseller'],
      has_password: false,
    });
  });

  it('needs only a name; e-mail and phone are optional', async () => {
    const body = await createCustomer(tenant, { name: 'Walk-in' });
    expect(body).toMatchObject({
      name: 'Walk-in',
      email: null,
      phone: null,
      tags: [],
      is_unsubscribe: false,
    });
  });

  it('answers 422 naming every invalid field', async () => {
    const response = await tenant.request('POST', '/v3/customers', {
      body: {
        name: '   ',
        email: 'not-an-email',
        phone: 'call me',
        date_of_birth: '2001-02-30',
        tags: ['x'.repeat(51)],
      },
    });
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.error_code).toBe('validation_failed');
    expect(Object.keys(body.errors).sort()).toEqual(['date_of_birth', 'email', 'name', 'phone', 'tags']);

    const missing = await tenant.request('POST', '/v3/customers', { body: { email: unique('x') } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual({ name: ['is required'] });

    const future = await tenant.request('POST', '/v3/customers', {
      body: { name: 'Future', date_of_birth: '2999-01-01' },
    });
    expect(future.statusCode).toBe(422);
    expect(future.json().errors.date_of_birth).toEqual(['is in the future']);
  });

  it('refuses an e-mail the business already has, whoever created it (checkout too)', async () => {
    const email = unique('dup');
    await createCustomer(tenant, { name: 'First', email });
    const again = await tenant.request('POST', '/v3/customers', {
      body: { name: 'Second', email: email.toUpperCase() },
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().errors).toEqual({ email: ['has already been taken'] });

    const fromCheckout = unique('checkout');
    await upsertCustomerByEmail(tenant.ctx.database.db, {
      businessId: tenant.business.id,
      storeId: tenant.store.id,
      name: 'Checkout Buyer',
      email: fromCheckout,
      phone: null,
    });
    const taken = await tenant.request('POST', '/v3/customers', {
      body: { name: 'Dup', email: fromCheckout },
    });
    expect(taken.statusCode).toBe(422);

    // Another business may have a customer with the same e-mail.
    const elsewhere = await other.request('POST', '/v3/customers', { body: { name: 'Same Mail', email } });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('needs the customer:create scope and a credential', async () => {
    const key = await tenant.restrictedKey(['customer:list', 'customer:read', 'customer:update']);
    const denied = await tenant.request('POST', '/v3/customers', { key, body: { name: 'Nope' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error_code).toBe('insufficient_scope');
    const anonymous = await tenant.request('POST', '/v3/customers', {
      headers: { authorization: '' },
      body: { name: 'Nope' },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('getBusinessCustomer', () => {
  it('finds a customer by numeric id or uuid, and only in the caller business', async () => {
    const created = await createCustomer(tenant, { name: 'Getter', email: unique('get') });
    const byId = await tenant.request('GET', `/v3/customers/${created.id}`);
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toEqual(created);
    const byUuid = await tenant.request('GET', `/v3/customers/${created.uuid.toUpperCase()}`);
    expect(byUuid.json().id).toBe(created.id);

    expect((await other.request('GET', `/v3/customers/${created.id}`)).statusCode).toBe(404);
    expect((await other.request('GET', `/v3/customers/${created.uuid}`)).statusCode).toBe(404);
    for (const bad of ['0', 'abc', '99999999999999999999']) {
      const response = await tenant.request('GET', `/v3/customers/${bad}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().error_code).toBe('not_found');
    }
  });

  it('shows that a customer set a password and where they came from', async () => {
    const id = await upsertCustomerByEmail(tenant.ctx.database.db, {
      businessId: tenant.business.id,
      storeId: tenant.store.id,
      name: 'Shopper',
      email: unique('shop'),
      phone: '0811',
    });
    await tenant.ctx.database.db
      .updateTable('customers')
      .set({ password_hash: 'scrypt$x' })
      .where('id', '=', id)
      .execute();
    const body = (await tenant.request('GET', `/v3/customers/${id}`)).json();
    expect(body).toMatchObject({ store_id: tenant.store.id, has_password: true, phone: '0811' });
  });

  it('needs the customer:read scope', async () => {
    const created = await createCustomer(tenant, { name: 'Scoped' });
    const key = await tenant.restrictedKey(['customer:list']);
    const response = await tenant.request('GET', `/v3/customers/${created.id}`, { key });
    expect(response.statusCode).toBe(403);
  });
});

describe('updateBusinessCustomer', () => {
  it('changes only the fields sent; null clears optional ones', async () => {
    const created = await createCustomer(tenant, {
      name: 'Before',
      email: unique('upd'),
      phone: '0812000111',
      notes: 'n',
      tags: ['a'],
    });
    const newEmail = unique('NEW');
    const response = await tenant.request('PATCH', `/v3/customers/${created.id}`, {
      body: { name: 'After', phone: null, email: newEmail, date_of_birth: '1985-12-31', notes: null },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: created.id,
      name: 'After',
      phone: null,
      email: newEmail.toLowerCase(),
      date_of_birth: '1985-12-31',
      notes: null,
      tags: ['a'],
    });
    expect(Date.parse(response.json().last_updated_at)).toBeGreaterThanOrEqual(
      Date.parse(created.last_updated_at),
    );
  });

  it('answers 422 for a blank name, a bad phone or an e-mail another customer has', async () => {
    const taken = unique('taken');
    await createCustomer(tenant, { name: 'Holder', email: taken });
    const created = await createCustomer(tenant, { name: 'Mover', email: unique('mover') });
    const response = await tenant.request('PATCH', `/v3/customers/${created.id}`, {
      body: { name: '', phone: 'x', email: taken },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual({
      name: ["can't be blank"],
      phone: ['is not a phone number'],
      email: ['has already been taken'],
    });
    // Sending its own e-mail back is no change.
    const same = await tenant.request('PATCH', `/v3/customers/${created.id}`, {
      body: { email: created.email },
    });
    expect(same.statusCode).toBe(200);
    const unchanged = await tenant.request('GET', `/v3/customers/${created.id}`);
    expect(unchanged.json().name).toBe('Mover');
  });

  it("is 404 for another business's customer and 403 without customer:update", async () => {
    const created = await createCustomer(tenant, { name: 'Mine' });
    const foreign = await other.request('PATCH', `/v3/customers/${created.id}`, { body: { name: 'Stolen' } });
    expect(foreign.statusCode).toBe(404);
    const key = await tenant.restrictedKey(['customer:read']);
    const denied = await tenant.request('PATCH', `/v3/customers/${created.id}`, { key, body: { name: 'X' } });
    expect(denied.statusCode).toBe(403);
    expect((await tenant.request('GET', `/v3/customers/${created.id}`)).json().name).toBe('Mine');
  });
});

describe('updateBusinessCustomerTags', () => {
  it('replaces the tag list and answers the customer', async () => {
    const created = await createCustomer(tenant, { name: 'Tagged', tags: ['old'] });
    const response = await tenant.request('POST', `/v3/customers/${created.id}/update-tags`, {
      body: { tags: ['Gold', ' gold', 'jakarta '] },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ id: created.id, tags: ['Gold', 'jakarta'] });
    const cleared = await tenant.request('POST', `/v3/customers/${created.id}/update-tags`, {
      body: { tags: [] },
    });
    expect(cleared.json().tags).toEqual([]);
  });

  it('validates the list, hides other businesses and needs customer:update', async () => {
    const created = await createCustomer(tenant, { name: 'Tagged 2' });
    const url = `/v3/customers/${created.id}/update-tags`;
    const missing = await tenant.request('POST', url, { body: {} });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual({ tags: ['is required'] });
    const tooMany = await tenant.request('POST', url, {
      body: { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
    });
    expect(tooMany.statusCode).toBe(422);
    expect((await other.request('POST', url, { body: { tags: ['x'] } })).statusCode).toBe(404);
    const key = await tenant.restrictedKey(['customer:list', 'customer:read']);
    expect((await tenant.request('POST', url, { key, body: { tags: ['x'] } })).statusCode).toBe(403);
  });
});
