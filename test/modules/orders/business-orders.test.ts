import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, moveOrderThrough, placeOrder, variantLine } from './fixtures.ts';

let tenant: Tenant;
let other: Tenant;
const ids: Record<string, string> = {};
let otherOrderId: string;
let productId: number;

beforeAll(async () => {
  tenant = await createTenant('Pesanan');
  other = await createTenant('Tetangga');
  const db = tenant.ctx.database.db;
  const product = await insertProduct(tenant);
  const second = await insertProduct(tenant);
  productId = second.id;
  const line = (variant = product.variants[0]!) => [variantLine(variant, 1, { isInventory: false })];
  // Oldest first; created_at spaced so the order is certain.
  const orders: Array<[string, Parameters<typeof draftFor>[2], ReturnType<typeof line>]> = [
    ['old', { customer: { name: 'Ani', email: 'ani@example.test', phone: '0811-1111-111' } }, line()],
    [
      'paid',
      { customer: { name: 'Budi Santoso', email: 'Budi@Example.test', phone: '+62 812 2222 222' } },
      line(),
    ],
    [
      'second',
      { customer: { name: 'Citra', email: 'citra@example.test', phone: '0813333333' } },
      line(second.variants[0]!),
    ],
    ['new', { customer: { name: 'Dewi', email: 'dewi@example.test', phone: '0899' } }, line()],
  ];
  let minutes = 40;
  for (const [name, overrides, lines] of orders) {
    const created = await placeOrder(db, draftFor(tenant, lines, overrides));
    ids[name] = created.id;
    await sql`update orders set created_at = now() - make_interval(mins => ${minutes}) where id = ${created.id}`.execute(
      db,
    );
    minutes -= 10;
  }
  await moveOrderThrough(
    db,
    tenant.business.id,
    ids.paid!,
    { paymentStatus: 'paid', actor: 'business' },
    { status: 'confirmed', actor: 'business' },
  );
  await sql`update orders set tags = '{vip,grosir}', utm_source = 'instagram', external_id = 'EXT-9' where id = ${ids.paid!}`.execute(
    db,
  );
  const foreign = await placeOrder(
    db,
    draftFor(other, [variantLine((await insertProduct(other)).variants[0]!, 1, { isInventory: false })]),
  );
  otherOrderId = foreign.id;
});

const list = async (query: Record<string, string | number> = {}, key?: string) =>
  tenant.request('GET', '/v3/orders', { query, ...(key ? { key } : {}) });
const listIds = async (query: Record<string, string | number>) => {
  const response = await list(query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data.map((order: { id: string }) => order.id);
};

describe('getOrder', () => {
  it('answers the business view of its own order', async () => {
    const response = await tenant.request('GET', `/v3/orders/${ids.paid}`);
    expect(response.statusCode, response.body).toBe(200);
    const order = response.json();
    expect(order).toMatchObject({
      id: ids.paid,
      status: 'confirmed',
      payment_status: 'paid',
      tags: ['vip', 'grosir'],
      utm_source: 'instagram',
      external_id: 'EXT-9',
      platform: 'scalev',
      business: { id: tenant.business.id, unique_id: tenant.business.unique_id },
      store: { id: tenant.store.id, unique_id: tenant.store.unique_id },
      customer: { name: 'Budi Santoso', phone: '+62 812 2222 222' },
      awb_ca_status: 'unavailable',
    });
    expect(order.public_order_url).toMatch(new RegExp(`/o/${order.secret_slug}$`));
    expect(order.status_history.map((entry: { status: string }) => entry.status)).toEqual([
      'pending',
      'confirmed',
    ]);
    expect(order.payment_status_history.map((entry: { status: string }) => entry.status)).toEqual([
      'unpaid',
      'paid',
    ]);
    // A business move names the member when there is one, else the role.
    expect(order.status_history[1].by).toBe('business');
    expect(order.orderlines[0]).toMatchObject({ quantity: 1, currency: 'IDR' });
    expect(order.paid_time).not.toBeNull();
  });

  it("is 404 for another business's order, an unknown id and a legacy number", async () => {
    for (const id of [otherOrderId, '0190f000-0000-7000-8000-000000000000', '12345']) {
      const response = await tenant.request('GET', `/v3/orders/${id}`);
      expect(response.statusCode, id).toBe(404);
      expect(response.json().error_code).toBe('not_found');
    }
  });

  it('needs order:read', async () => {
    const key = await tenant.restrictedKey(['order:list']);
    const response = await tenant.request('GET', `/v3/orders/${ids.paid}`, { key });
    expect(response.statusCode).toBe(403);
    expect(response.json().error_code).toBe('insufficient_scope');
    const allowed = await tenant.restrictedKey(['order:read']);
    expect((await tenant.request('GET', `/v3/orders/${ids.paid}`, { key: allowed })).statusCode).toBe(200);
  });
});

describe('listOrders', () => {
  it('lists only its own orders, newest first, paged by cursor both ways', async () => {
    const first = await list({ page_size: 3 });
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1).toMatchObject({ is_paginated: true, has_next: true, has_previous: false, page_size: 3 });
    expect(page1.data.map((order: { id: string }) => order.id)).toEqual([ids.new, ids.second, ids.paid]);
    const page2 = (await list({ page_size: 3, next_cursor: page1.next_cursor })).json();
    expect(page2.data.map((order: { id: string }) => order.id)).toEqual([ids.old]);
    expect(page2).toMatchObject({ has_next: false, has_previous: true });
    const back = (await list({ page_size: 3, previous_cursor: page2.previous_cursor })).json();
    expect(back.data.map((order: { id: string }) => order.id)).toEqual([ids.new, ids.second, ids.paid]);
  });

  it('filters by status, payment status, tags, UTM source, product, store, transfer proof and date ranges', async () => {
    expect(await listIds({ status: 'confirmed' })).toEqual([ids.paid]);
    expect(await listIds({ payment_status: 'unpaid' })).toEqual([ids.new, ids.second, ids.old]);
    expect(await listIds({ tags: 'nope, grosir' })).toEqual([ids.paid]);
    expect(await listIds({ utm_source: 'instagram' })).toEqual([ids.paid]);
    expect(await listIds({ product_id: String(productId) })).toEqual([ids.second]);
    expect(await listIds({ store_id: tenant.store.unique_id, status: 'pending' })).toEqual([
      ids.new,
      ids.second,
      ids.old,
    ]);
    expect(await listIds({ store_id: String(other.store.id) })).toEqual([]);
    expect(await listIds({ is_transferproof_exist: 'true' })).toEqual([]);
    const since = new Date(Date.now() - 60_000).toISOString();
    expect(await listIds({ confirmed_time_since: since })).toEqual([ids.paid]);
    expect(await listIds({ confirmed_time_until: since })).toEqual([]);
    expect(await listIds({ business_id: String(other.business.id) })).toEqual([]);
    expect(await listIds({ business_role: 'fulfillment_provider' })).toEqual([]);
    expect(await listIds({ platform: 'scalev', is_probably_spam: 'false' })).toHaveLength(4);
  });

  it('searches the chosen field, order_id when none or an unknown one is named', async () => {
    const order = (await tenant.request('GET', `/v3/orders/${ids.second}`)).json();
    expect(await listIds({ search: order.order_id.toLowerCase() })).toEqual([ids.second]);
    expect(await listIds({ search: order.order_id, search_field: 'no_such_field' })).toEqual([ids.second]);
    expect(await listIds({ search: '0812-2222-222', search_field: 'customer_phone' })).toEqual([ids.paid]);
    expect(await listIds({ search: 'budi@example.TEST', search_field: 'customer_email' })).toEqual([
      ids.paid,
    ]);
    expect(await listIds({ search: 'santo', search_field: 'customer_name' })).toEqual([ids.paid]);
    expect(await listIds({ search: 'EXT-9', search_field: 'external_id' })).toEqual([ids.paid]);
    expect(await listIds({ search: '%', search_field: 'customer_name' })).toEqual([]);
  });

  it('returns id and the named columns only with `columns`', async () => {
    const response = await list({ columns: 'order_id, status,tags', status: 'confirmed' });
    expect(response.statusCode, response.body).toBe(200);
    expect(Object.keys(response.json().data[0]).sort()).toEqual(['id', 'order_id', 'status', 'tags']);
  });

  it('refuses bad input with 422 naming the field', async () => {
    const bad: Array<Record<string, string | number>> = [
      { status: 'lost' },
      { page_size: 26 },
      { confirmed_time_since: 'yesterday' },
      { columns: 'order_id,password' },
      { confirmed_time_since: '2030-01-02T00:00:00Z', confirmed_time_until: '2030-01-01T00:00:00Z' },
    ];
    for (const query of bad) {
      const response = await list(query);
      expect(response.statusCode, JSON.stringify(query)).toBe(422);
      expect(Object.keys(response.json().errors).length, JSON.stringify(query)).toBeGreaterThan(0);
    }
    const forged = await list({ next_cursor: 'abc.def' });
    expect(forged.statusCode).toBe(400);
    // A cursor from other filters is refused too.
    const page = (await list({ page_size: 1 })).json();
    expect((await list({ page_size: 1, next_cursor: page.next_cursor, status: 'pending' })).statusCode).toBe(
      400,
    );
  });

  it('needs order:list', async () => {
    const key = await tenant.restrictedKey(['order:read']);
    expect((await list({}, key)).statusCode).toBe(403);
    expect((await list({}, await tenant.restrictedKey(['order:list']))).statusCode).toBe(200);
  });
});
