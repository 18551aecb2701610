import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { addWebhookEndpoint } from '../../../src/modules/webhooks/endpoints.ts';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, moveOrderThrough, placeOrder, stockOf, variantLine } from './fixtures.ts';

/** A tenant with one stocked variant (5 units in one warehouse) and `count` pending orders of 2 units. */
async function stockedOrders(count: number, name = 'Massal') {
  const tenant = await createTenant(name);
  const product = await insertProduct(tenant, { isInventory: true });
  const variant = product.variants[0]!;
  const warehouse = await insertWarehouse(tenant, 'Gudang');
  await setStock(tenant, warehouse.id, variant.id, 2 * count + 1);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await placeOrder(tenant.ctx.database.db, draftFor(tenant, [variantLine(variant, 2)]))).id);
  }
  const stock = () => stockOf(tenant, warehouse.id, variant.id);
  return { tenant, ids, stock };
}

const change = (tenant: Tenant, body: Record<string, unknown>, key?: string) =>
  tenant.request('POST', '/v3/orders/change-status', { body, ...(key ? { key } : {}) });

async function historyOf(tenant: Tenant, id: string) {
  return tenant.ctx.database.db
    .selectFrom('order_status_histories')
    .select(['kind', 'status', 'actor', 'actor_user_id', 'by_name'])
    .where('order_id', '=', id)
    .orderBy('id')
    .execute();
}

describe('changeOrderStatus', () => {
  it('moves each order, records who and the payment details, and answers each one', async () => {
    const { tenant, ids } = await stockedOrders(2);
    const response = await change(tenant, {
      ids,
      status: 'confirmed',
      payment_status: 'paid',
      by: 'Rina (admin)',
      transfer_time: '2030-01-02T03:04:05.000Z',
      payment_account_holder: 'Budi Santoso',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.is_paginated).toBe(false);
    expect(body.errors).toEqual({});
    expect(body.data.map((order: { id: string }) => order.id)).toEqual(ids);
    expect(body.data[0]).toMatchObject({
      status: 'confirmed',
      payment_status: 'paid',
      is_probably_spam: false,
    });
    expect(body.data[0].public_order_url).toMatch(/\/o\/[\w-]+$/);
    expect((await historyOf(tenant, ids[0]!)).slice(-2)).toEqual([
      {
        kind: 'status',
        status: 'confirmed',
        actor: 'business',
        actor_user_id: tenant.owner.id,
        by_name: 'Rina (admin)',
      },
      {
        kind: 'payment_status',
        status: 'paid',
        actor: 'business',
        actor_user_id: tenant.owner.id,
        by_name: 'Rina (admin)',
      },
    ]);
    const order = (await tenant.request('GET', `/v3/orders/${ids[0]}`)).json();
    expect(order).toMatchObject({
      transfer_time: '2030-01-02T03:04:05.000Z',
      payment_account_holder: 'Budi Santoso',
      last_updated_by: { id: tenant.owner.id },
    });
    expect(order.status_history.at(-1).by).toBe('Rina (admin)');

    // Repeating it changes nothing and is no error.
    const again = await change(tenant, { ids, status: 'confirmed', payment_status: 'paid' });
    expect(again.json().errors).toEqual({});
    expect(await historyOf(tenant, ids[0]!)).toHaveLength(4);
  });

  it('reports a forbidden move, an unknown id and another business’s order per id, and does the rest', async () => {
    const { tenant, ids } = await stockedOrders(2);
    const other = await stockedOrders(1, 'Lain');
    await moveOrderThrough(
      tenant.ctx.database.db,
      tenant.business.id,
      ids[0]!,
      { status: 'confirmed', actor: 'business' },
      { status: 'shipped', actor: 'business' },
    );
    const response = await change(tenant, {
      ids: [ids[0], ids[1], other.ids[0], '0190f000-0000-7000-8000-000000000000', 42],
      status: 'pending',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.data.map((order: { id: string }) => order.id)).toEqual([ids[1]]);
    expect(body.errors[ids[0]!]).toEqual({
      error_code: 'state_conflict',
      message: "The order's status is shipped and cannot change to pending; it can move to completed, rts",
    });
    expect(body.errors[other.ids[0]!].error_code).toBe('not_found');
    expect(body.errors['0190f000-0000-7000-8000-000000000000'].error_code).toBe('not_found');
    expect(body.errors['42'].error_code).toBe('not_found');
    // The other business's order is untouched.
    expect((await other.tenant.request('GET', `/v3/orders/${other.ids[0]}`)).json().status).toBe('pending');
  });

  it('refuses bad input with 422 and needs order:change_status', async () => {
    const { tenant, ids } = await stockedOrders(1);
    for (const body of [
      { ids },
      { ids, status: 'shipped_rts' },
      { ids, status: 'lost' },
      { ids: [], status: 'confirmed' },
      { ids: Array.from({ length: 101 }, () => ids[0]), status: 'confirmed' },
      { ids, status: 'confirmed', transfer_time: 'yesterday' },
    ]) {
      const response = await change(tenant, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
    }
    const key = await tenant.restrictedKey(['order:update']);
    expect((await change(tenant, { ids, status: 'confirmed' }, key)).statusCode).toBe(403);
    expect(
      (
        await change(
          tenant,
          { ids, status: 'confirmed' },
          await tenant.restrictedKey(['order:change_status']),
        )
      ).statusCode,
    ).toBe(200);
  });

  it('two bulk cancels of the same orders at once give the stock back once', async () => {
    const { tenant, ids, stock } = await stockedOrders(3);
    expect(await stock()).toBe(1);
    const answers = await Promise.all([
      change(tenant, { ids, status: 'canceled' }),
      change(tenant, { ids: [...ids].reverse(), status: 'canceled' }),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json().errors).toEqual({});
    }
    expect(await stock()).toBe(7);
    for (const id of ids) {
      expect((await historyOf(tenant, id)).filter((entry) => entry.status === 'canceled')).toHaveLength(1);
    }
  });

  it('emits status and payment events to a subscribed endpoint, in the change’s transaction', async () => {
    const { tenant, ids } = await stockedOrders(1);
    const { ctx } = tenant;
    await addWebhookEndpoint(ctx.database.db, ctx.keys, { allowPrivateNetworks: true }, tenant.business.id, {
      url: 'http://127.0.0.1:9/hook',
      events: ['order.status_changed', 'payment.received'],
    });
    await change(tenant, { ids, status: 'confirmed', payment_status: 'paid' });
    const events = await ctx.database.db
      .selectFrom('webhook_events')
      .select([
        'event',
        sql<string>`payload->>'id'`.as('order'),
        sql<string>`payload->>'status'`.as('status'),
      ])
      .where('business_id', '=', tenant.business.id)
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { event: 'order.status_changed', order: ids[0], status: 'confirmed' },
      { event: 'payment.received', order: ids[0], status: 'confirmed' },
    ]);
  });
});

describe('deleteOrders', () => {
  it('deletes each order, giving back what an unshipped one holds, and reports the rest per id', async () => {
    const { tenant, ids, stock } = await stockedOrders(2);
    const db = tenant.ctx.database.db;
    await moveOrderThrough(
      db,
      tenant.business.id,
      ids[1]!,
      { status: 'confirmed', actor: 'business' },
      { status: 'shipped', actor: 'business' },
    );
    expect(await stock()).toBe(1);
    const other = await stockedOrders(1, 'Lain');
    const response = await tenant.request('POST', '/v3/orders/delete', {
      body: { ids: [...ids, other.ids[0]] },
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.data.map((order: { id: string }) => order.id)).toEqual(ids);
    expect(Object.keys(body.errors)).toEqual([other.ids[0]]);
    // The pending order's 2 units come back; the shipped one's left with the courier.
    expect(await stock()).toBe(3);
    expect((await tenant.request('GET', `/v3/orders/${ids[0]}`)).statusCode).toBe(404);
    expect(await db.selectFrom('orderlines').select('id').where('order_id', 'in', ids).execute()).toEqual([]);
    expect((await other.tenant.request('GET', `/v3/orders/${other.ids[0]}`)).statusCode).toBe(200);
    // Again: nothing left to delete, nothing given back twice.
    const again = (await tenant.request('POST', '/v3/orders/delete', { body: { ids } })).json();
    expect(again.data).toEqual([]);
    expect(again.errors[ids[0]!].error_code).toBe('not_found');
    expect(await stock()).toBe(3);
  });

  it('refuses bad input and needs order:delete', async () => {
    const { tenant, ids } = await stockedOrders(1);
    for (const body of [{}, { ids: [] }, { ids: [{}] }, { ids: ['x'.repeat(65)] }]) {
      expect(
        (await tenant.request('POST', '/v3/orders/delete', { body })).statusCode,
        JSON.stringify(body),
      ).toBe(422);
    }
    const key = await tenant.restrictedKey(['order:update']);
    expect((await tenant.request('POST', '/v3/orders/delete', { body: { ids }, key })).statusCode).toBe(403);
  });
});

describe('markOrdersNotSpam', () => {
  it('clears the spam mark, repeatably, on its own orders only', async () => {
    const { tenant, ids } = await stockedOrders(1);
    const other = await stockedOrders(1, 'Lain');
    const db = tenant.ctx.database.db;
    await sql`update orders set is_probably_spam = true, mark_as_spam_by = 'ai' where id in (${ids[0]}, ${other.ids[0]})`.execute(
      db,
    );
    for (let round = 0; round < 2; round++) {
      const response = await tenant.request('POST', '/v3/orders/mark-not-spam', {
        body: { ids: [ids[0], other.ids[0]] },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().data).toMatchObject([{ id: ids[0], is_probably_spam: false }]);
      expect(response.json().errors[other.ids[0]!].error_code).toBe('not_found');
    }
    expect((await tenant.request('GET', `/v3/orders/${ids[0]}`)).json()).toMatchObject({
      is_probably_spam: false,
      mark_as_spam_by: null,
    });
    expect((await other.tenant.request('GET', `/v3/orders/${other.ids[0]}`)).json().is_probably_spam).toBe(
      true,
    );
  });

  it('refuses bad input and needs order:update', async () => {
    const { tenant, ids } = await stockedOrders(1);
    expect((await tenant.request('POST', '/v3/orders/mark-not-spam', { body: { ids: [] } })).statusCode).toBe(
      422,
    );
    const key = await tenant.restrictedKey(['order:list']);
    expect(
      (await tenant.request('POST', '/v3/orders/mark-not-spam', { body: { ids }, key })).statusCode,
    ).toBe(403);
  });
});
