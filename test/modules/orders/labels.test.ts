import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, variantLine } from './fixtures.ts';
import { eventNames, subscribeToEverything } from './webhook-events.ts';

let tenant: Tenant;
let other: Tenant;
const ids: string[] = [];
let otherOrder: string;

async function order(on: Tenant) {
  const product = await insertProduct(on);
  return (
    await placeOrder(
      on.ctx.database.db,
      draftFor(on, [variantLine(product.variants[0]!, 1, { isInventory: false })]),
    )
  ).id;
}

beforeAll(async () => {
  tenant = await createTenant('Label');
  other = await createTenant('Tetangga');
  for (let i = 0; i < 3; i++) ids.push(await order(tenant));
  otherOrder = await order(other);
  const db = tenant.ctx.database.db;
  await sql`update orders set tags = '{VIP,grosir}', utm_source = 'instagram', utm_medium = 'cpc', utm_term = 'kaos 100%' where id = ${ids[0]}`.execute(
    db,
  );
  await sql`update orders set tags = '{Reseller,grosir}', utm_source = 'facebook', utm_campaign = 'Lebaran' where id = ${ids[1]}`.execute(
    db,
  );
  await sql`update orders set tags = '{rahasia}', utm_source = 'tiktok', utm_content = 'video-1' where id = ${otherOrder}`.execute(
    db,
  );
});

describe('order tags and UTM lists', () => {
  it('lists the business’s own distinct values alphabetically, with a literal search', async () => {
    const tags = await tenant.request('GET', '/v3/orders/tags');
    expect(tags.statusCode, tags.body).toBe(200);
    expect(tags.json()).toEqual({ data: ['grosir', 'Reseller', 'VIP'], is_paginated: false });
    expect(
      (await tenant.request('GET', '/v3/orders/tags', { query: { search: 'SEL' } })).json().data,
    ).toEqual(['Reseller']);
    const sources = await tenant.request('GET', '/v3/orders/utm-sources');
    expect(sources.json()).toEqual({ data: ['facebook', 'instagram'] });
    expect((await tenant.request('GET', '/v3/orders/utm-mediums')).json()).toEqual({ data: ['cpc'] });
    expect((await tenant.request('GET', '/v3/orders/utm-campaigns')).json()).toEqual({ data: ['Lebaran'] });
    expect((await tenant.request('GET', '/v3/orders/utm-contents')).json()).toEqual({ data: [] });
    expect(
      (await tenant.request('GET', '/v3/orders/utm-terms', { query: { search: '100%' } })).json(),
    ).toEqual({
      data: ['kaos 100%'],
    });
    expect(
      (await tenant.request('GET', '/v3/orders/utm-terms', { query: { search: '%' } })).json().data,
    ).toEqual(['kaos 100%']);
    expect(
      (await tenant.request('GET', '/v3/orders/utm-sources', { query: { search: '_' } })).json().data,
    ).toEqual([]);
  });

  it('refuses an over-long search and needs order:list', async () => {
    expect(
      (await tenant.request('GET', '/v3/orders/tags', { query: { search: 'x'.repeat(101) } })).statusCode,
    ).toBe(422);
    const key = await tenant.restrictedKey(['order:read']);
    for (const path of ['/v3/orders/tags', '/v3/orders/utm-sources', '/v3/orders/utm-terms']) {
      expect((await tenant.request('GET', path, { key })).statusCode, path).toBe(403);
    }
  });
});

describe('updateOrderTags', () => {
  it('replaces the tags, trimmed and each once, and answers the order', async () => {
    const response = await tenant.request('POST', `/v3/orders/${ids[2]}/update-tags`, {
      body: { tags: [' baru ', 'Baru', '', 'penting'] },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: ids[2],
      tags: ['baru', 'penting'],
      last_updated_by: { id: tenant.owner.id },
    });
    const cleared = await tenant.request('POST', `/v3/orders/${ids[2]}/update-tags`, { body: { tags: [] } });
    expect(cleared.json().tags).toEqual([]);
  });

  it('stamps and announces a change, but not the same tags again', async () => {
    const other = await createTenant('Label Sama');
    await subscribeToEverything(other);
    const id = await order(other);
    const tag = (tags: string[]) => other.request('POST', `/v3/orders/${id}/update-tags`, { body: { tags } });
    const first = await tag(['grosir', 'VIP']);
    expect(first.statusCode, first.body).toBe(200);
    expect(await eventNames(other, id)).toEqual(['order.updated']);
    const again = await tag([' grosir', 'VIP ']);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await eventNames(other, id)).toEqual(['order.updated']);
    await tag(['VIP']);
    expect(await eventNames(other, id)).toEqual(['order.updated', 'order.updated']);
  });

  it('is 404 for another business’s order, 422 for bad tags, 403 without order:update', async () => {
    expect(
      (await tenant.request('POST', `/v3/orders/${otherOrder}/update-tags`, { body: { tags: ['x'] } }))
        .statusCode,
    ).toBe(404);
    for (const body of [
      {},
      { tags: 'x'.repeat(101) },
      { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
    ]) {
      expect(
        (await tenant.request('POST', `/v3/orders/${ids[2]}/update-tags`, { body })).statusCode,
        JSON.stringify(body),
      ).toBe(422);
    }
    const key = await tenant.restrictedKey(['order:read']);
    expect(
      (await tenant.request('POST', `/v3/orders/${ids[2]}/update-tags`, { body: { tags: [] }, key }))
        .statusCode,
    ).toBe(403);
  });
});

describe('updateOrderCustomer', () => {
  it('links the order to a customer of the business and takes their contact', async () => {
    const customer = (
      await tenant.request('POST', '/v3/customers', {
        body: { name: 'Sari Wulandari', email: 'sari@example.test', phone: '081299990000' },
      })
    ).json();
    const response = await tenant.request('PATCH', `/v3/orders/${ids[2]}/customer`, {
      body: { customer_id: customer.id },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().customer).toEqual({
      id: customer.id,
      name: 'Sari Wulandari',
      email: 'sari@example.test',
      phone: '081299990000',
    });
  });

  it('refuses another business’s customer (422) and order (404), bad input and a missing scope', async () => {
    const theirs = (await other.request('POST', '/v3/customers', { body: { name: 'Orang Lain' } })).json();
    const foreign = await tenant.request('PATCH', `/v3/orders/${ids[2]}/customer`, {
      body: { customer_id: theirs.id },
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors).toHaveProperty('customer_id');
    const mine = (await tenant.request('POST', '/v3/customers', { body: { name: 'Punya Saya' } })).json();
    expect(
      (await tenant.request('PATCH', `/v3/orders/${otherOrder}/customer`, { body: { customer_id: mine.id } }))
        .statusCode,
    ).toBe(404);
    for (const body of [{}, { customer_id: 'abc' }, { customer_id: 0 }]) {
      expect(
        (await tenant.request('PATCH', `/v3/orders/${ids[2]}/customer`, { body })).statusCode,
        JSON.stringify(body),
      ).toBe(422);
    }
    const key = await tenant.restrictedKey(['order:read']);
    expect(
      (
        await tenant.request('PATCH', `/v3/orders/${ids[2]}/customer`, {
          body: { customer_id: mine.id },
          key,
        })
      ).statusCode,
    ).toBe(403);
  });
});
