import { describe, expect, it } from 'vitest';
import { createPaymentAccount } from '../../../src/modules/stores/setup-admin.ts';
import { send } from '../../helpers/tenants.ts';
import { buyer, type CheckoutShop, checkoutShop, setStoreColumns, variantItem } from './fixtures.ts';

/**
 * Checkout builds its answer from the rows its transaction wrote and the store it read, without
 * reading the order back: the answer must be exactly what reading the order later shows.
 */
async function readBack(shop: CheckoutShop, slug: string) {
  return send(
    shop.tenant.ctx,
    'GET',
    `/v3/stores/${shop.tenant.store.unique_id}/public/orders/${encodeURIComponent(slug)}`,
    { headers: { 'x-scalev-storefront-api-key': shop.client.key } },
  );
}

async function richShop(): Promise<CheckoutShop> {
  const shop = await checkoutShop();
  await setStoreColumns(shop.tenant, { is_unique_code: true, is_auto_expire: true, auto_expire_days: 3 });
  for (const [bank, accountNumber] of [
    ['BCA', '1234567890'],
    ['BNI', '0987654321'],
  ] as const)
    await createPaymentAccount(shop.tenant.ctx.database.db, shop.tenant.business.id, {
      bank,
      accountNumber,
      accountHolder: 'Toko Checkout',
    });
  return shop;
}

describe('checkout answer', () => {
  it('is byte for byte the order read back by its secret slug: bank transfer, shipped, bundle', async () => {
    const shop = await richShop();
    const response = await shop.client.post('/checkout', {
      items: [
        variantItem(shop.shirt, 2),
        { type: 'bundle_price_option', bundle_price_option_id: shop.priceOption.id, quantity: 1 },
        variantItem(shop.ebook),
      ],
      ...buyer({ notes: 'Titip di satpam' }),
    });
    expect(response.statusCode, response.body).toBe(201);
    const order = response.json();
    // The answer carries what the transaction and the store read added, not just the request.
    expect(order.payment_method).toBe('bank_transfer');
    expect(Number(order.unique_code_discount)).toBeGreaterThan(0);
    expect(order.payment_account_number).toBe('1234567890');
    expect(order.store.payment_accounts).toHaveLength(2);
    expect(order.status_history).toHaveLength(1);
    expect(order.orderlines).toHaveLength(3);
    expect(order.courier_service).not.toBeNull();
    expect(order.customer.id).toEqual(expect.any(Number));
    expect(order.payment_expiration_at).not.toBeNull();

    const read = await readBack(shop, order.secret_slug);
    expect(read.statusCode, read.body).toBe(200);
    expect(response.body).toBe(read.body);
  });

  it('is byte for byte the order read back by its secret slug: e-payment, digital only', async () => {
    const shop = await richShop();
    const response = await shop.client.post('/checkout', {
      items: [variantItem(shop.ebook, 3)],
      customer_name: 'Sari',
      customer_email: 'Sari@Example.test',
      customer_phone: '0812 3456 7890',
      payment_method: 'va',
      sub_payment_method: 'bca',
    });
    expect(response.statusCode, response.body).toBe(201);
    const order = response.json();
    expect(order).toMatchObject({
      payment_method: 'va',
      sub_payment_method: 'BCA',
      unique_code_discount: '0.00',
      destination_address: null,
      courier_service: null,
      store: { payment_accounts: [] },
    });

    const read = await readBack(shop, order.secret_slug);
    expect(read.statusCode, read.body).toBe(200);
    expect(response.body).toBe(read.body);
  });
});

describe('checkout destination', () => {
  it('refuses a location id beyond any location (even past the integer range) with 422', async () => {
    const shop = await checkoutShop();
    for (const id of [999_999, 3_000_000_000, '99999999999999']) {
      const response = await shop.client.post('/checkout', {
        items: [variantItem(shop.shirt)],
        ...buyer({ shipping_location_id: id }),
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json().errors).toEqual({ shipping_location_id: ['is not a known location'] });
    }
  });
});
