import { describe, expect, it } from 'vitest';
import { send } from '../../helpers/tenants.ts';
import { eventNames, orderEvents, subscribeToEverything } from '../orders/webhook-events.ts';
import { buyer, checkoutShop, setStoreColumns, variantItem } from './fixtures.ts';

/** Orders placed by buyers emit their webhook events like the business's own (docs: "Outgoing webhooks"). */
describe('storefront order webhook events', () => {
  it('a checkout emits order.created, and order.spam_created when the order is marked', async () => {
    const shop = await checkoutShop();
    await subscribeToEverything(shop.tenant);
    await setStoreColumns(shop.tenant, { max_per_phone: 1, is_spam_filter: true });
    const place = async () => {
      const response = await shop.client.post('/checkout', { items: [variantItem(shop.shirt)], ...buyer() });
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { id: string; is_probably_spam: boolean };
    };
    const first = await place();
    const second = await place();
    expect(second.is_probably_spam).toBe(true);
    expect(await eventNames(shop.tenant, first.id)).toEqual(['order.created']);
    expect(await eventNames(shop.tenant, second.id)).toEqual(['order.created', 'order.spam_created']);
    const [created] = await orderEvents(shop.tenant, first.id);
    expect(created!.data).toMatchObject({ id: first.id, status: 'pending', is_probably_spam: false });
  });

  it('the buyer’s update of the public order emits order.updated', async () => {
    const shop = await checkoutShop();
    await subscribeToEverything(shop.tenant);
    const placed = await shop.client.post('/checkout', { items: [variantItem(shop.shirt)], ...buyer() });
    const order = placed.json() as { id: string; secret_slug: string };
    const updated = await send(
      shop.tenant.ctx,
      'PATCH',
      `/v3/stores/${shop.tenant.store.unique_id}/public/orders/${order.secret_slug}`,
      {
        body: { notes: 'Tolong dibungkus kado' },
        headers: { 'x-scalev-storefront-api-key': shop.client.key },
      },
    );
    expect(updated.statusCode, updated.body).toBe(200);
    const events = await orderEvents(shop.tenant, order.id);
    expect(events.map((entry) => entry.event)).toEqual(['order.created', 'order.updated']);
    expect(events[1]!.data).toMatchObject({ notes: 'Tolong dibungkus kado' });
  });

  it('a checkout of a business without endpoints stores no event', async () => {
    const shop = await checkoutShop();
    const response = await shop.client.post('/checkout', { items: [variantItem(shop.shirt)], ...buyer() });
    expect(response.statusCode, response.body).toBe(201);
    expect(await eventNames(shop.tenant, response.json().id)).toEqual([]);
  });
});
