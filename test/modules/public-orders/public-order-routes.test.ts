import { describe, expect, it } from 'vitest';
import { findOrderBySecretSlug, toPublicOrder } from '../../../src/modules/orders/create.ts';
import type { StatusMove } from '../../../src/modules/orders/status.ts';
import { updateOpenOrder } from '../../../src/modules/public-orders/queries.ts';
import { createPaymentAccount } from '../../../src/modules/stores/setup-admin.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { moveOrderThrough } from '../orders/fixtures.ts';
import { bankTransferOrder, orderClient } from './helpers.ts';

async function expectedView(tenant: Tenant, slug: string) {
  const record = await findOrderBySecretSlug(tenant.ctx.database.db, tenant.store.id, slug);
  return JSON.parse(
    JSON.stringify(
      toPublicOrder(record!, { publicUrl: 'http://nexus.test', storeUniqueId: tenant.store.unique_id }),
    ),
  );
}

describe('getStorefrontPublicOrder', () => {
  it('answers the public order view', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);
    const response = await client.call('GET', order.secret_slug);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toEqual(await expectedView(tenant, order.secret_slug));
    expect(body).toMatchObject({
      id: order.id,
      order_id: order.order_id,
      secret_slug: order.secret_slug,
      public_order_url: `http://nexus.test/o/${order.secret_slug}`,
      payment_url: `http://nexus.test/o/${order.secret_slug}/pay`,
      redirect_url: `http://nexus.test/o/${order.secret_slug}/success`,
      status: 'pending',
      payment_status: 'unpaid',
      payment_method: 'bank_transfer',
      gross_revenue: '149724.00',
      unique_code_discount: '276.00',
      transferproof_url: null,
      store: {
        unique_id: tenant.store.unique_id,
        payment_accounts: [
          {
            account_number: '8001234567',
            account_holder: 'PT Toko Test',
            financial_entity: { id: 1, code: 'BCA', name: 'Bank Central Asia', entity_type: 'bank' },
          },
        ],
      },
    });
    expect(Object.keys(body)).not.toContain('cogs');
  });

  it('is 404 for an unknown slug and for another store’s order', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const client = await orderClient(tenant);
    const otherClient = await orderClient(other);
    const order = await bankTransferOrder(tenant);

    const unknown = await client.call('GET', `${order.secret_slug.slice(0, -1)}~`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error_code: 'not_found', message: 'Order not found' });
    // The other store's own key, on its own path: the order is not in that store.
    const foreign = await otherClient.call('GET', order.secret_slug);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().message).toBe('Order not found');
  });

  it('answers the uniform "Store not found" for another store’s key, an unknown store or no key', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const client = await orderClient(tenant);
    const otherClient = await orderClient(other);
    const order = await bankTransferOrder(tenant);
    for (const response of [
      await otherClient.call('GET', order.secret_slug, '', undefined, {
        storeUniqueId: tenant.store.unique_id,
      }),
      await client.call('GET', order.secret_slug, '', undefined, { storeUniqueId: 'store_unknown' }),
      await client.call('GET', order.secret_slug, '', undefined, { key: '' }),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error_code: 'not_found', message: 'Store not found' });
    }
  });

  it('finds nothing for a long slug and refuses an absurd one before routing', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const long = await client.call('GET', 'x'.repeat(100));
    expect(long.statusCode).toBe(404);
    expect(long.json().message).toBe('Order not found');
    // Fastify's router caps path parameters at 100 characters.
    expect((await client.call('GET', 'x'.repeat(300))).statusCode).toBe(414);
  });
});

describe('updateStorefrontPublicOrder', () => {
  it('changes the buyer-safe fields and ignores everything else', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);
    const before = (await client.call('GET', order.secret_slug)).json();
    const account = before.store.payment_accounts[0];
    const response = await client.call('PATCH', order.secret_slug, '', {
      notes: '  Tolong kirim sore  ',
      transfer_time: '2026-01-02T03:04:05Z',
      payment_account: account.unique_id,
      financial_entity_id: 1,
      payment_account_holder: ' Budi Santoso ',
      payment_account_number: '1234-5678 90',
      // Not the buyer's to change: ignored.
      status: 'completed',
      payment_status: 'paid',
      gross_revenue: '1.00',
      customer: { name: 'Mallory' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      ...before,
      transfer_time: '2026-01-02T03:04:05.000Z',
      payment_account_holder: 'Budi Santoso',
      payment_account_number: '1234-5678 90',
    });
    const row = await tenant.ctx.database.db
      .selectFrom('orders')
      .select([
        'notes',
        'payment_account_id',
        'financial_entity_id',
        'status',
        'payment_status',
        'gross_revenue',
      ])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      notes: 'Tolong kirim sore',
      financial_entity_id: 1,
      status: 'pending',
      payment_status: 'unpaid',
      gross_revenue: '149724.00',
    });
    expect(row.payment_account_id).toEqual(expect.any(Number));
  });

  it('answers the unchanged order for an empty body and clears fields sent as null or blank', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);
    const before = (await client.call('GET', order.secret_slug)).json();
    const empty = await client.call('PATCH', order.secret_slug);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toEqual(before);
    const cleared = await client.call('PATCH', order.secret_slug, '', {
      payment_account_holder: '',
      payment_account_number: null,
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ payment_account_holder: null, payment_account_number: null });
  });

  it('validates every field it accepts', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ transfer_time: 'yesterday' }, 'transfer_time'],
      [{ transfer_time: new Date(Date.now() + 3_600_000).toISOString() }, 'transfer_time'],
      [{ financial_entity_id: 'BCA' }, 'financial_entity_id'],
      [{ financial_entity_id: 4 }, 'financial_entity_id'],
      [{ payment_account: 'payment_account_nope' }, 'payment_account'],
      [{ payment_account_number: 'abc' }, 'payment_account_number'],
      [{ payment_account_holder: 'x'.repeat(101) }, 'payment_account_holder'],
      [{ notes: 'x'.repeat(2001) }, 'notes'],
      [{ transferproof_url: 'https://evil.example/proof.png' }, 'transferproof_url'],
      [{ transferproof_url: 123 }, 'transferproof_url'],
    ];
    for (const [body, field] of cases) {
      const response = await client.call('PATCH', order.secret_slug, '', body);
      expect(response.statusCode, `${JSON.stringify(body)} ${response.body}`).toBe(422);
      expect(response.json().error_code).toBe('validation_failed');
      expect(Object.keys(response.json().errors), JSON.stringify(body)).toContain(field);
    }
    const notAnObject = await client.call('PATCH', order.secret_slug, '', [1, 2]);
    expect(notAnObject.statusCode).toBe(422);
  });

  it('refuses a payment account of another business and an account that does not match the entity', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);
    const foreign = await createPaymentAccount(other.ctx.database.db, other.business.id, {
      bank: 'BNI',
      accountNumber: '99887766',
      accountHolder: 'Other',
    });
    const response = await client.call('PATCH', order.secret_slug, '', {
      payment_account: foreign.unique_id,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toHaveProperty('payment_account');

    await createPaymentAccount(tenant.ctx.database.db, tenant.business.id, {
      bank: 'BRI',
      accountNumber: '55554444',
      accountHolder: 'PT Toko Test',
    });
    const view = (await client.call('GET', order.secret_slug)).json();
    const bca = view.store.payment_accounts.find(
      (a: { financial_entity: { code: string } }) => a.financial_entity.code === 'BCA',
    );
    const mismatch = await client.call('PATCH', order.secret_slug, '', {
      payment_account: bca.unique_id,
      financial_entity_id: 3,
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().errors).toHaveProperty('financial_entity_id');
  });

  /** Bank-transfer orders of `tenant` in each state a buyer may no longer change, named by it. */
  async function finishedOrders(tenant: Tenant) {
    const db = tenant.ctx.database.db;
    const orders: Array<{ state: string; id: string; secret_slug: string }> = [];
    // Each state reached the way it is in use: through the lifecycle, one move at a time.
    const paths: Record<string, StatusMove[]> = {
      paid: [{ paymentStatus: 'paid', actor: 'system' }],
      settled: [
        { paymentStatus: 'paid', actor: 'system' },
        { paymentStatus: 'settled', actor: 'system' },
      ],
      canceled: [{ status: 'canceled', actor: 'business' }],
      closed: (['confirmed', 'shipped', 'completed', 'closed'] as const).map((status) => ({
        status,
        actor: 'business' as const,
      })),
    };
    for (const [state, moves] of Object.entries(paths)) {
      const order = await bankTransferOrder(tenant);
      await moveOrderThrough(db, tenant.business.id, order.id, ...moves);
      orders.push({ state, ...order });
    }
    return orders;
  }

  it('is 409 once the order is paid, settled, canceled or closed, whatever the body, and writes nothing', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const db = tenant.ctx.database.db;
    for (const order of await finishedOrders(tenant)) {
      // An empty body, a body that would fail validation and a valid one: the order's state is the answer.
      for (const body of [{}, { payment_account_number: 'not a number' }, { notes: 'hi' }]) {
        const response = await client.call('PATCH', order.secret_slug, '', body);
        expect(response.statusCode, `${order.state} ${JSON.stringify(body)}: ${response.body}`).toBe(409);
        const why = order.state === 'canceled' || order.state === 'closed' ? order.state : 'already paid';
        expect(response.json()).toMatchObject({
          error_code: 'state_conflict',
          message: `This order is ${why} and can no longer be changed`,
        });
      }
      const row = await db
        .selectFrom('orders')
        .select(['notes', 'payment_account_number'])
        .where('id', '=', order.id)
        .executeTakeFirstOrThrow();
      expect(row, order.state).toEqual({ notes: null, payment_account_number: null });
    }
  });

  it('refuses the write when the order was paid or closed after it was read', async () => {
    const tenant = await createTenant();
    const db = tenant.ctx.database.db;
    // The service read the order while it was open; a payment callback or the merchant got there first.
    for (const order of await finishedOrders(tenant)) {
      expect(await updateOpenOrder(db, tenant.business.id, order.id, { notes: 'late' }), order.state).toBe(
        false,
      );
      const row = await db
        .selectFrom('orders')
        .select('notes')
        .where('id', '=', order.id)
        .executeTakeFirstOrThrow();
      expect(row.notes, order.state).toBeNull();
    }
    const open = await bankTransferOrder(tenant);
    expect(await updateOpenOrder(db, tenant.business.id, open.id, { notes: 'on time' })).toBe(true);
    // Another business cannot write to this order even while it is open.
    const other = await createTenant();
    expect(await updateOpenOrder(db, other.business.id, open.id, { notes: 'not yours' })).toBe(false);
    const row = await db
      .selectFrom('orders')
      .select('notes')
      .where('id', '=', open.id)
      .executeTakeFirstOrThrow();
    expect(row.notes).toBe('on time');
  });

  it('is 404 for another store’s order and "Store not found" for another store’s key', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const client = await orderClient(tenant);
    const otherClient = await orderClient(other);
    const order = await bankTransferOrder(tenant);
    const foreign = await otherClient.call('PATCH', order.secret_slug, '', { notes: 'x' });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().message).toBe('Order not found');
    const wrongKey = await otherClient.call(
      'PATCH',
      order.secret_slug,
      '',
      { notes: 'x' },
      {
        storeUniqueId: tenant.store.unique_id,
      },
    );
    expect(wrongKey.statusCode).toBe(404);
    expect(wrongKey.json().message).toBe('Store not found');
    const row = await tenant.ctx.database.db
      .selectFrom('orders')
      .select('notes')
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row.notes).toBeNull();
    expect(client.key).toMatch(/^sfpk_/);
  });
});
