import { describe, expect, it } from 'vitest';
import { checkoutShop, variantItem } from '../checkout/fixtures.ts';
import { customerCheckout, shopper } from './fixtures.ts';

describe('customer order list', () => {
  it('shows each order of the page exactly as its own GET does (lines and history per order)', async () => {
    const { tenant, shirt, ebook, priceOption } = await checkoutShop();
    const siti = await shopper(tenant);
    const baskets = [
      [variantItem(shirt, 2)],
      [variantItem(ebook), variantItem(shirt)],
      [
        { type: 'bundle_price_option', bundle_price_option_id: priceOption.id, quantity: 1 },
        variantItem(ebook, 3),
      ],
    ];
    const ids: string[] = [];
    for (const items of baskets) {
      const res = await siti.me('POST', '/checkout', { body: customerCheckout({ items }) });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const list = await siti.me('GET', '/orders');
    expect(list.statusCode, list.body).toBe(200);
    const listed = list.json().data;
    expect(listed.map((order: { id: string }) => order.id)).toEqual([...ids].reverse());
    expect(listed.map((order: { orderlines: unknown[] }) => order.orderlines.length)).toEqual([2, 2, 1]);
    for (const order of listed) {
      const one = await siti.me('GET', `/orders/${order.id}`);
      expect(one.statusCode, one.body).toBe(200);
      expect(order).toEqual(one.json());
    }
  });
});
