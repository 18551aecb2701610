import { beforeAll, describe, expect, it } from 'vitest';
import { randomString } from '../../../src/lib/ids.ts';
import { createStore, inviteMember } from '../../../src/modules/businesses/service.ts';
import * as setup from '../../../src/modules/stores/setup-admin.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  expectInsufficientScope,
  expectPageSizeBounds,
  ISO,
  idsOf,
  walkFiveItems,
  warmUp,
} from './paging.ts';

beforeAll(warmUp);

const base = (tenant: Tenant, storeId = tenant.store.id) => `/v3/stores/${storeId}`;
const db = (tenant: Tenant) => tenant.ctx.database.db;

async function verifiedMember(tenant: Tenant, label: string): Promise<number> {
  const invited = await inviteMember(db(tenant), tenant.business.id, {
    email: `${label}-${randomString(6).toLowerCase()}@example.test`,
    name: label,
  });
  await db(tenant)
    .updateTable('business_users')
    .set({ is_verified: true, verified_at: new Date() })
    .where('id', '=', invited.membershipId)
    .execute();
  return invited.userId;
}

describe('listBusinessStorePaymentMethods', () => {
  it('lists enabled methods in canonical order with VA banks and other charges', async () => {
    const tenant = await createTenant('Setup');
    const url = `${base(tenant)}/payment-methods`;
    const initial = await tenant.request('GET', url);
    expect(initial.statusCode, initial.body).toBe(200);
    expect(initial.json()).toEqual({
      data: [
        {
          payment_method: 'bank_transfer',
          name: 'Bank Transfer',
          is_epayment: false,
          sub_payment_methods: [],
          other_incomes: [],
        },
      ],
      is_paginated: false,
    });
    await setup.setPaymentMethods(db(tenant), tenant.business.id, {
      storeId: tenant.store.id,
      methods: ['va', 'cod', 'bank_transfer'],
      vaBanks: ['BNI', 'BCA'],
    });
    await setup.setOtherCharge(db(tenant), tenant.business.id, {
      storeId: tenant.store.id,
      methods: ['cod'],
      type: 'fixed',
      amount: '5000',
      name: 'Biaya COD',
    });
    await setup.setOtherCharge(db(tenant), tenant.business.id, {
      storeId: tenant.store.id,
      methods: ['va'],
      vaBank: 'BCA',
      type: 'percentage',
      percentage: '1.5',
    });
    const res = await tenant.request('GET', url);
    expect(res.json().data).toEqual([
      {
        payment_method: 'bank_transfer',
        name: 'Bank Transfer',
        is_epayment: false,
        sub_payment_methods: [],
        other_incomes: [],
      },
      {
        payment_method: 'cod',
        name: 'Cash on Delivery',
        is_epayment: false,
        sub_payment_methods: [],
        other_incomes: [{ sub_payment_method: null, type: 'fixed', amount: '5000.00', percentage: 0 }],
      },
      {
        payment_method: 'va',
        name: 'Virtual Account',
        is_epayment: true,
        sub_payment_methods: ['BNI', 'BCA'],
        other_incomes: [{ sub_payment_method: 'BCA', type: 'percentage', amount: '0.00', percentage: 1.5 }],
      },
    ]);
    const store = (await tenant.request('GET', base(tenant))).json();
    expect(store).toMatchObject({
      payment_methods: ['bank_transfer', 'cod', 'va'],
      sub_payment_methods: ['BNI', 'BCA'],
      xendit_va_bank_codes: ['BNI', 'BCA'],
      other_income_name: 'Biaya COD',
    });
    await expectInsufficientScope(tenant, 'GET', url);
    const other = await createTenant('Other');
    expect((await other.request('GET', url)).statusCode).toBe(404);
    expect((await tenant.request('GET', '/v3/stores/x/payment-methods')).statusCode).toBe(422);
  });
});

describe('listBusinessStorePaymentAccounts', () => {
  it("pages the business's active accounts", async () => {
    const tenant = await createTenant('Setup');
    const accounts = [];
    for (const [i, bank] of ['BCA', 'bni', 'MANDIRI', 'BRI', 'DANA', 'BSI'].entries()) {
      accounts.push(
        await setup.createPaymentAccount(db(tenant), tenant.business.id, {
          bank,
          accountNumber: `12345-678${i}`,
          accountHolder: 'Toko Setup',
        }),
      );
    }
    await db(tenant)
      .updateTable('payment_accounts')
      .set({ is_active: false })
      .where('id', '=', accounts[5]!.id)
      .execute();
    const url = `${base(tenant)}/payment-accounts`;
    expect(await walkFiveItems(tenant, url)).toEqual(
      accounts
        .slice(0, 5)
        .map((a) => a.id)
        .reverse(),
    );
    const item = (await tenant.request('GET', url)).json().data[3];
    expect(item).toEqual({
      id: accounts[1]!.id,
      unique_id: expect.stringMatching(/^payment_account_[A-Za-z0-9]{24}$/),
      account_number: '123456781',
      account_holder: 'Toko Setup',
      financial_entity: { id: 2, code: 'BNI', name: 'Bank Negara Indonesia', entity_type: 'bank' },
      is_active: true,
      created_at: expect.stringMatching(ISO),
      last_updated_at: expect.stringMatching(ISO),
    });
    await expectPageSizeBounds(tenant, url);
    await expectInsufficientScope(tenant, 'GET', url);
    const other = await createTenant('Other');
    expect((await other.request('GET', url)).statusCode).toBe(404);
    expect(idsOf(await other.request('GET', `${base(other)}/payment-accounts`))).toEqual([]);
  });
});

describe('listBusinessStoreSalesPeople', () => {
  it("pages the store's sales people", async () => {
    const tenant = await createTenant('Setup');
    const second = await createStore(db(tenant), tenant.business.id, { name: 'Second' });
    const userIds = [tenant.owner.id];
    for (let i = 0; i < 4; i++) userIds.push(await verifiedMember(tenant, `sales${i}`));
    const people = [];
    for (const userId of userIds)
      people.push(
        await setup.addSalesPerson(db(tenant), tenant.business.id, {
          storeId: tenant.store.id,
          userId,
          weight: 2,
        }),
      );
    await setup.addSalesPerson(db(tenant), tenant.business.id, {
      storeId: second.id,
      userId: tenant.owner.id,
    });
    const url = `${base(tenant)}/sales-people`;
    expect(await walkFiveItems(tenant, url)).toEqual(people.map((p) => p.id).reverse());
    expect((await tenant.request('GET', url)).json().data[4]).toEqual({
      id: people[0]!.id,
      user_id: tenant.owner.id,
      name: tenant.owner.name,
      email: tenant.owner.email,
      phone: null,
      weight: 2,
      is_active: true,
      created_at: expect.stringMatching(ISO),
    });
    await expectPageSizeBounds(tenant, url);
    await expectInsufficientScope(tenant, 'GET', url);
    const other = await createTenant('Other');
    expect((await other.request('GET', url)).statusCode).toBe(404);
  });

  it('only assigns verified members', async () => {
    const tenant = await createTenant('Setup');
    const other = await createTenant('Other');
    await expect(
      setup.addSalesPerson(db(tenant), tenant.business.id, {
        storeId: tenant.store.id,
        userId: other.owner.id,
      }),
    ).rejects.toThrow(/verified member/);
  });
});

describe('listBusinessStorePages', () => {
  it("pages the store's pages", async () => {
    const tenant = await createTenant('Setup');
    const url = `${base(tenant)}/pages`;
    expect((await tenant.request('GET', url)).json()).toMatchObject({ data: [], has_next: false });
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const page = await db(tenant)
        .insertInto('pages')
        .values({
          business_id: tenant.business.id,
          store_id: tenant.store.id,
          unique_id: `page_${randomString(16).toLowerCase()}`,
          name: `Landing ${i}`,
        })
        .returning(['id', 'unique_id'])
        .executeTakeFirstOrThrow();
      ids.push(page.id);
    }
    expect(await walkFiveItems(tenant, url)).toEqual(ids.reverse());
    expect((await tenant.request('GET', url)).json().data[0]).toEqual({
      id: ids[0],
      unique_id: expect.stringMatching(/^page_/),
      name: 'Landing 4',
      store_id: tenant.store.id,
      created_at: expect.stringMatching(ISO),
      last_updated_at: expect.stringMatching(ISO),
    });
    await expectPageSizeBounds(tenant, url);
    await expectInsufficientScope(tenant, 'GET', url);
    const other = await createTenant('Other');
    expect((await other.request('GET', url)).statusCode).toBe(404);
  });
});

describe('listBusinessStoreChannels', () => {
  it("pages the store's channels", async () => {
    const tenant = await createTenant('Setup');
    const channels = [];
    for (const name of ['Instagram', 'TikTok', 'WhatsApp', 'Reseller', 'Offline'])
      channels.push(
        await setup.createChannel(db(tenant), tenant.business.id, { storeId: tenant.store.id, name }),
      );
    await expect(
      setup.createChannel(db(tenant), tenant.business.id, { storeId: tenant.store.id, name: 'instagram' }),
    ).rejects.toThrow(/already has a channel/);
    const url = `${base(tenant)}/channels`;
    expect(await walkFiveItems(tenant, url)).toEqual(channels.map((c) => c.id).reverse());
    expect((await tenant.request('GET', url)).json().data[4]).toEqual({
      id: channels[0]!.id,
      unique_id: expect.stringMatching(/^channel_[A-Za-z0-9]{24}$/),
      name: 'Instagram',
      store_id: tenant.store.id,
      is_active: true,
      created_at: expect.stringMatching(ISO),
      last_updated_at: expect.stringMatching(ISO),
    });
    await expectPageSizeBounds(tenant, url);
    await expectInsufficientScope(tenant, 'GET', url);
    const other = await createTenant('Other');
    expect((await other.request('GET', url)).statusCode).toBe(404);
  });
});
