import { sql } from 'kysely';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OrderViewCache } from '../../../src/modules/orders/view-cache.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, variantLine } from './fixtures.ts';

/**
 * listOrders sends listed orders' views serialized once per change (orders/view-cache.ts). Whatever
 * changes what a view shows (its row, its history, a store, warehouse or member it names) must show
 * on the next page, and a stored view must be the bytes the route would write.
 */

let tenant: Tenant;
const ids: string[] = [];

beforeAll(async () => {
  tenant = await createTenant('Tampilan');
  const product = await insertProduct(tenant);
  for (let i = 0; i < 3; i++) {
    const draft = draftFor(tenant, [variantLine(product.variants[0]!, 1, { isInventory: false })]);
    ids.push((await placeOrder(tenant.ctx.database.db, draft)).id);
  }
  await sql`update orders set handler_user_id = ${tenant.owner.id} where id = ${ids[0]}`.execute(
    tenant.ctx.database.db,
  );
});

const views = () => tenant.ctx.app.deps.orderViews;

async function listed(): Promise<Array<Record<string, unknown>>> {
  const response = await tenant.request('GET', '/v3/orders');
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.json().data;
}

const listedOrder = async (id: string) => (await listed()).find((order) => order.id === id)!;

describe('listed orders’ serialized views', () => {
  it('are the views getOrder answers, and the second page load serves them as stored', async () => {
    const first = await listed();
    expect(first.map((order) => order.id)).toEqual([...ids].reverse());
    for (const order of first) {
      const single = await tenant.request('GET', `/v3/orders/${order.id}`);
      expect(order).toEqual(single.json());
    }
    const get = vi.spyOn(views(), 'get');
    try {
      expect(await listed()).toEqual(first);
      const hits = get.mock.results.filter((result) => result.value !== undefined);
      expect(hits).toHaveLength(ids.length);
    } finally {
      get.mockRestore();
    }
  });

  it('show a change to the order, its history, its store and the member it names at once', async () => {
    await listed();
    const tagged = await tenant.request('POST', `/v3/orders/${ids[0]}/update-tags`, {
      body: { tags: ['baru'] },
    });
    expect(tagged.statusCode).toBe(200);
    expect((await listedOrder(ids[0]!)).tags).toEqual(['baru']);

    const moved = await tenant.request('POST', '/v3/orders/change-status', {
      body: { ids: [ids[1]], status: 'canceled' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const canceled = await listedOrder(ids[1]!);
    expect(canceled.status).toBe('canceled');
    expect((canceled.status_history as Array<{ status: string; by: string }>).at(-1)).toMatchObject({
      status: 'canceled',
      by: tenant.owner.name,
    });

    const db = tenant.ctx.database.db;
    await sql`update stores set name = 'Toko Berganti Nama' where id = ${tenant.store.id}`.execute(db);
    for (const order of await listed()) expect(order.store).toMatchObject({ name: 'Toko Berganti Nama' });

    await sql`update users set name = 'Pemilik Baru' where id = ${tenant.owner.id}`.execute(db);
    const handled = await listedOrder(ids[0]!);
    expect(handled.handler).toMatchObject({ id: tenant.owner.id, fullname: 'Pemilik Baru' });
    // Who moved an order is recorded as they were named then.
    expect((await listedOrder(ids[1]!)).status_history).toContainEqual(
      expect.objectContaining({ status: 'canceled', by: tenant.owner.name }),
    );
  });

  it('answer the same bytes with the cache off', async () => {
    const off = await buildTestApp(tenant.ctx.database, { ...tenant.ctx.config, orderViewCacheMb: 0 });
    try {
      const uncached = await send(off, 'GET', '/v3/orders', {
        headers: { authorization: `Bearer ${tenant.apiKey}` },
      });
      await tenant.request('GET', '/v3/orders');
      const cached = await tenant.request('GET', '/v3/orders');
      expect(cached.body).toBe(uncached.body);
      expect(off.app.deps.orderViews.size).toBe(0);
    } finally {
      await off.app.close();
    }
  });
});

describe('OrderViewCache', () => {
  it('keeps the most recently used views within its budget and only for their version', () => {
    const text = 'x'.repeat(100);
    const cache = new OrderViewCache(3 * (2 * (1 + text.length) + 64));
    cache.set('a', '1', text);
    cache.set('b', '1', text);
    cache.set('c', '1', text);
    expect(cache.get('a', '1')).toBe(text); // a is now the most recent
    cache.set('d', '1', text); // b goes
    expect(cache.get('b', '1')).toBeUndefined();
    expect(cache.get('a', '1')).toBe(text);
    expect(cache.get('a', '2')).toBeUndefined();
    cache.set('a', '2', 'y');
    expect(cache.get('a', '1')).toBeUndefined();
    expect(cache.get('a', '2')).toBe('y');
    expect(cache.size).toBe(3);
    cache.set('huge', '1', 'z'.repeat(1000));
    expect(cache.get('huge', '1')).toBeUndefined();
    const off = new OrderViewCache(0);
    off.set('a', '1', text);
    expect(off.get('a', '1')).toBeUndefined();
  });
});
