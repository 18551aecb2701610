import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import { type CheckoutBody, createCheckout } from '../../../src/modules/checkout/checkout.ts';
import { DEFAULT_BLOCKED_MESSAGE } from '../../../src/modules/checkout/spam.ts';
import { errorEnvelope } from '../../helpers/errors.ts';
import type { Tenant } from '../../helpers/tenants.ts';
import { customerCheckout, shopper } from '../customer-shopping/fixtures.ts';
import {
  buyer,
  type CallOptions,
  type CheckoutShop,
  checkoutShop,
  orderCount,
  setStoreColumns,
  variantItem,
} from './fixtures.ts';

/**
 * The store's anti-spam settings at checkout (docs/decisions.md, "Anti-spam settings"). Every test
 * has its own business; phones, e-mails and IPs repeat across tests on purpose, since every rule
 * is scoped to the store.
 */

const IP = '203.0.113.7';
const OTHER_IP = '198.51.100.23';

/** A guest checkout of one shirt by `buyer(overrides)`. */
function order(shop: CheckoutShop, overrides: Record<string, unknown> = {}, options: CallOptions = {}) {
  return shop.client.post('/checkout', { items: [variantItem(shop.shirt)], ...buyer(overrides) }, options);
}

async function placed(
  shop: CheckoutShop,
  overrides: Record<string, unknown> = {},
  options: CallOptions = {},
) {
  const response = await order(shop, overrides, options);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; is_probably_spam: boolean };
}

async function storedSpamFlag(tenant: Tenant, id: string): Promise<boolean> {
  const row = await tenant.ctx.database.db
    .selectFrom('orders')
    .select('is_probably_spam')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.is_probably_spam;
}

async function updateOrder(tenant: Tenant, id: string, values: Record<string, unknown>) {
  await tenant.ctx.database.db
    .updateTable('orders')
    .set(values as never)
    .where('id', '=', id)
    .execute();
}

function expectBlocked(
  response: { statusCode: number; body: string; headers: Record<string, unknown>; json(): unknown },
  message: string,
) {
  expect(response.statusCode, response.body).toBe(403);
  expect(response.json()).toEqual(
    errorEnvelope(response, { error: 'Order blocked', error_code: 'order_blocked', message, errors: {} }),
  );
}

const HOURS = 60 * 60 * 1000;

describe('checkout anti-spam settings', () => {
  it('with every setting off, accepts many orders from one phone and one IP, none marked', async () => {
    const shop = await checkoutShop();
    for (let i = 0; i < 6; i++) {
      const created = await placed(shop, { customer_email: `same${i}@example.test` }, { remoteAddress: IP });
      expect(created.is_probably_spam).toBe(false);
      expect(await storedSpamFlag(shop.tenant, created.id)).toBe(false);
    }
    // Limits and spam filters with neither action chosen (hard filter, spam filter) change nothing.
    await setStoreColumns(shop.tenant, {
      max_per_phone: 1,
      max_per_ip: 1,
      is_customer_spam_filter: true,
      is_ip_spam_filter: true,
    });
    expect((await placed(shop, {}, { remoteAddress: IP })).is_probably_spam).toBe(false);
    expect(await orderCount(shop.tenant)).toBe(7);
  });

  it('is_advanced_validation: a customer name shorter than min_name_length is a 422 on customer_name', async () => {
    const shop = await checkoutShop();
    await setStoreColumns(shop.tenant, { min_name_length: 4 });
    // The minimum is stored but advanced validation is off.
    await placed(shop, { customer_name: 'Aq' });

    await setStoreColumns(shop.tenant, { is_advanced_validation: true });
    for (const name of ['Aq', '  Ade  ', 'A    q']) {
      const refused = await order(shop, { customer_name: name });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json()).toMatchObject({
        error_code: 'validation_failed',
        errors: { customer_name: ['is too short (minimum is 4 characters)'] },
      });
    }
    expect(await orderCount(shop.tenant)).toBe(1);
    // Characters, not bytes: four letters with accents pass.
    await placed(shop, { customer_name: 'Énée' });
    await placed(shop, { customer_name: 'Budi Santoso' });

    await setStoreColumns(shop.tenant, { min_name_length: 0 });
    await placed(shop, { customer_name: 'B' });
  });

  it('is_advanced_validation: a shipping address shorter than min_address_length is a 422 when the order ships', async () => {
    const shop = await checkoutShop();
    await setStoreColumns(shop.tenant, { is_advanced_validation: true, min_address_length: 12 });
    const refused = await order(shop, { shipping_address: 'Jl. Braga' });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().errors).toEqual({ shipping_address: ['is too short (minimum is 12 characters)'] });

    await placed(shop, { shipping_address: 'Jl. Braga No. 10' });
    // A digital-only order ships nothing, so its address is not held to the minimum.
    const ebook = await shop.client.post('/checkout', {
      items: [variantItem(shop.ebook)],
      ...buyer({ shipping_address: 'Rumah' }),
    });
    expect(ebook.statusCode, ebook.body).toBe(201);

    await setStoreColumns(shop.tenant, { is_advanced_validation: false });
    await placed(shop, { shipping_address: 'Jl. Braga' });
  });

  it('max_per_phone with is_order_hard_filter: refuses the next order from the phone within the hour', async () => {
    const shop = await checkoutShop();
    const other = await checkoutShop();
    await setStoreColumns(shop.tenant, {
      max_per_phone: 2,
      is_order_hard_filter: true,
      blocked_message: 'Maaf, pesanan Anda tidak dapat kami proses.',
    });
    // Another business's orders from the phone do not count.
    await placed(other, { customer_phone: '081234567890' });
    const first = await placed(shop, { customer_phone: '081234567890' });
    await placed(shop, { customer_phone: '0812-3456-7890', customer_email: 'other@example.test' });
    // The same phone written the international way, from another e-mail and IP.
    const refused = await order(shop, {
      customer_phone: '+62 812 3456 7890',
      customer_email: 'x@example.test',
    });
    expectBlocked(refused, 'Maaf, pesanan Anda tidak dapat kami proses.');
    expect(await orderCount(shop.tenant)).toBe(2);

    await placed(shop, { customer_phone: '081299990000' });
    // A canceled order no longer counts, nor does one older than an hour.
    await updateOrder(shop.tenant, first.id, { status: 'canceled' });
    await placed(shop, { customer_phone: '081234567890' });
    expectBlocked(
      await order(shop, { customer_phone: '081234567890' }),
      'Maaf, pesanan Anda tidak dapat kami proses.',
    );
    await shop.tenant.ctx.database.db
      .updateTable('orders')
      .set({ created_at: new Date(Date.now() - 2 * HOURS) })
      .where('store_id', '=', shop.tenant.store.id)
      .execute();
    expect((await placed(shop, { customer_phone: '081234567890' })).is_probably_spam).toBe(false);
  });

  it('max_per_phone with is_spam_filter: keeps the next order, marked is_probably_spam', async () => {
    const shop = await checkoutShop();
    await setStoreColumns(shop.tenant, { max_per_phone: 1, is_spam_filter: true });
    const first = await placed(shop);
    expect(first.is_probably_spam).toBe(false);
    const second = await placed(shop, { customer_phone: '+6281234567890' });
    expect(second.is_probably_spam).toBe(true);
    expect(await storedSpamFlag(shop.tenant, second.id)).toBe(true);
    expect((await placed(shop, { customer_phone: '085711112222' })).is_probably_spam).toBe(false);
  });

  it('max_per_ip with is_order_hard_filter: refuses the next order from the IP, with the default message', async () => {
    const shop = await checkoutShop();
    await setStoreColumns(shop.tenant, { max_per_ip: 2, is_order_hard_filter: true });
    for (let i = 0; i < 2; i++)
      await placed(
        shop,
        { customer_email: `buyer${i}@example.test`, customer_phone: `08120000000${i}` },
        { remoteAddress: IP },
      );
    const refused = await order(
      shop,
      { customer_email: 'fresh@example.test', customer_phone: '081200000009' },
      { remoteAddress: IP },
    );
    expectBlocked(refused, DEFAULT_BLOCKED_MESSAGE);
    await placed(shop, { customer_email: 'fresh@example.test' }, { remoteAddress: OTHER_IP });
    expect(await orderCount(shop.tenant)).toBe(3);
  });

  it('max_per_ip with is_spam_filter: keeps the next order from the IP, marked', async () => {
    const shop = await checkoutShop();
    await setStoreColumns(shop.tenant, { max_per_ip: 1, is_spam_filter: true });
    expect((await placed(shop, {}, { remoteAddress: IP })).is_probably_spam).toBe(false);
    const second = await placed(
      shop,
      { customer_email: 'b@example.test', customer_phone: '085700000001' },
      {
        remoteAddress: IP,
      },
    );
    expect(second.is_probably_spam).toBe(true);
    expect((await placed(shop, {}, { remoteAddress: OTHER_IP })).is_probably_spam).toBe(false);
  });

  it('is_customer_spam_filter: a buyer whose earlier order is probable spam, by e-mail or phone', async () => {
    const shop = await checkoutShop();
    const earlier = await placed(shop, {
      customer_email: 'Spammy@Example.test',
      customer_phone: '081311112222',
    });
    await updateOrder(shop.tenant, earlier.id, { is_probably_spam: true, status: 'canceled' });
    // The filter is off: nothing is suspected.
    await setStoreColumns(shop.tenant, { is_spam_filter: true });
    expect((await placed(shop, { customer_email: 'spammy@example.test' })).is_probably_spam).toBe(false);

    await setStoreColumns(shop.tenant, { is_customer_spam_filter: true });
    const byEmail = await placed(shop, {
      customer_email: 'SPAMMY@example.test',
      customer_phone: '085799998888',
    });
    expect(byEmail.is_probably_spam).toBe(true);
    const byPhone = await placed(shop, {
      customer_email: 'new@example.test',
      customer_phone: '+62 813-1111-2222',
    });
    expect(byPhone.is_probably_spam).toBe(true);
    expect((await placed(shop, { customer_email: 'clean@example.test' })).is_probably_spam).toBe(false);

    await setStoreColumns(shop.tenant, { is_order_hard_filter: true });
    expectBlocked(await order(shop, { customer_email: 'spammy@example.test' }), DEFAULT_BLOCKED_MESSAGE);
  });

  it('is_ip_spam_filter: an IP with a probable-spam order in the last day', async () => {
    const shop = await checkoutShop();
    const earlier = await placed(shop, { customer_email: 'first@example.test' }, { remoteAddress: IP });
    await updateOrder(shop.tenant, earlier.id, { is_probably_spam: true });
    await setStoreColumns(shop.tenant, { is_spam_filter: true });
    expect(
      (await placed(shop, { customer_email: 'a@example.test' }, { remoteAddress: IP })).is_probably_spam,
    ).toBe(false);

    await setStoreColumns(shop.tenant, { is_ip_spam_filter: true });
    const marked = await placed(
      shop,
      { customer_email: 'b@example.test', customer_phone: '085700000002' },
      { remoteAddress: IP },
    );
    expect(marked.is_probably_spam).toBe(true);
    expect((await placed(shop, {}, { remoteAddress: OTHER_IP })).is_probably_spam).toBe(false);

    await setStoreColumns(shop.tenant, { is_order_hard_filter: true, blocked_message: '  ' });
    expectBlocked(
      await order(shop, { customer_email: 'c@example.test' }, { remoteAddress: IP }),
      DEFAULT_BLOCKED_MESSAGE,
    );
    // A day later the IP is forgiven.
    await shop.tenant.ctx.database.db
      .updateTable('orders')
      .set({ created_at: new Date(Date.now() - 25 * HOURS) })
      .where('store_id', '=', shop.tenant.store.id)
      .execute();
    expect(
      (await placed(shop, { customer_email: 'd@example.test' }, { remoteAddress: IP })).is_probably_spam,
    ).toBe(false);
  });

  it('a signed-in customer checkout obeys the same rules', async () => {
    const shop = await checkoutShop();
    await setStoreColumns(shop.tenant, {
      is_advanced_validation: true,
      min_name_length: 3,
      max_per_phone: 1,
      is_order_hard_filter: true,
      blocked_message: 'Batas pesanan tercapai.',
    });
    const siti = await shopper(shop.tenant, { phone: '081298765432' });
    const body = (overrides: Record<string, unknown> = {}) =>
      customerCheckout({ items: [variantItem(shop.shirt)], ...overrides });

    const short = await siti.me('POST', '/checkout', { body: body({ customer_name: 'Si' }) });
    expect(short.statusCode, short.body).toBe(422);
    expect(short.json().errors).toEqual({ customer_name: ['is too short (minimum is 3 characters)'] });

    const first = await siti.me('POST', '/checkout', { body: body() });
    expect(first.statusCode, first.body).toBe(201);
    // The phone of the account, written another way, in the body.
    const second = await siti.me('POST', '/checkout', {
      body: body({ customer_phone: '+62 812 9876 5432' }),
    });
    expectBlocked(second, 'Batas pesanan tercapai.');
    // A guest with the same phone meets the same limit.
    expectBlocked(await order(shop, { customer_phone: '081298765432' }), 'Batas pesanan tercapai.');
  });

  it('costs a store with the filters off no statement, and one statement when they are on', async () => {
    const shop = await checkoutShop();
    const { tenant } = shop;
    let statements = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = tenant.ctx.database.db.withPlugin(counter) as Db;
    const checkout = async (email: string) => {
      statements = 0;
      const created = await createCheckout(
        db,
        {
          store: {
            storeId: tenant.store.id,
            businessId: tenant.business.id,
            storeUniqueId: tenant.store.unique_id,
          },
          shopper: { guestToken: undefined },
          publicUrl: 'http://nexus.test',
          clientIp: IP,
          userAgent: null,
        },
        { items: [variantItem(shop.shirt)], ...buyer({ customer_email: email }) } as CheckoutBody,
      );
      return { statements, spam: created.is_probably_spam };
    };

    // The first checkout fills in-process caches; measure from the second.
    await checkout('warm@example.test');
    const off = await checkout('a@example.test');
    // Form rules are checked in memory.
    await setStoreColumns(tenant, {
      is_advanced_validation: true,
      min_name_length: 3,
      min_address_length: 5,
    });
    expect((await checkout('b@example.test')).statements).toBe(off.statements);
    await setStoreColumns(tenant, {
      max_per_phone: 100,
      max_per_ip: 100,
      is_customer_spam_filter: true,
      is_ip_spam_filter: true,
      is_spam_filter: true,
    });
    expect(await checkout('c@example.test')).toEqual({ statements: off.statements + 1, spam: false });
    // Four orders from this phone and IP so far: a limit of four marks the fifth.
    await setStoreColumns(tenant, { max_per_phone: 4 });
    expect(await checkout('d@example.test')).toEqual({ statements: off.statements + 1, spam: true });
  });
});
