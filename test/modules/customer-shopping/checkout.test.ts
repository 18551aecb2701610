import { describe, expect, it } from 'vitest';
import { randomString } from '../../../src/lib/ids.ts';
import {
  BANDUNG,
  buyer,
  checkoutShop,
  JNE_REG,
  orderCount,
  totalsOf,
  variantItem,
} from '../checkout/fixtures.ts';
import { accessToken, customerCheckout, orderRow, saveAddress, shopper } from './fixtures.ts';

describe('customer checkout: addresses and payment methods', () => {
  it('lists only the customer’s saved addresses, the default first', async () => {
    const { tenant } = await checkoutShop();
    const siti = await shopper(tenant);
    const budi = await shopper(tenant);
    const older = await saveAddress(tenant, siti.id, { address: 'Jl. Lama 1' });
    const home = await saveAddress(tenant, siti.id, { address: 'Jl. Rumah 2', is_default: true });
    const newest = await saveAddress(tenant, siti.id, { address: 'Jl. Baru 3' });
    await saveAddress(tenant, budi.id, { address: 'Jl. Budi' });

    const res = await siti.me('GET', '/checkout/addresses');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.is_paginated).toBe(false);
    expect(body.data.map((a: { id: number }) => a.id)).toEqual([home, newest, older]);
    expect(body.data[0]).toMatchObject({
      id: home,
      name: 'Rumah',
      address: 'Jl. Rumah 2',
      postal_code: '40111',
      location: { id: BANDUNG, city_name: expect.any(String), province_name: expect.any(String) },
    });
    expect((await budi.me('GET', '/checkout/addresses')).json().data).toHaveLength(1);
    expect((await siti.me('GET', '/checkout/addresses', { token: 'nope' })).statusCode).toBe(401);
  });

  it('lists the store’s buyer payment methods, its VA banks and its transfer accounts', async () => {
    const { tenant } = await checkoutShop();
    await tenant.ctx.database.db
      .insertInto('payment_accounts')
      .values({
        business_id: tenant.business.id,
        unique_id: `pa_${randomString(24)}`,
        financial_entity_id: 1,
        account_number: '8001234567',
        account_holder: 'PT Toko Test',
      })
      .execute();
    const siti = await shopper(tenant);
    const res = await siti.me('GET', '/checkout/payment-methods');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.payment_methods.map((m: { payment_method: string }) => m.payment_method).sort()).toEqual(
      ['bank_transfer', 'card', 'cod', 'qris', 'va'].sort(),
    );
    // The same method objects as the storefront list, with the names storefront clients read.
    expect(body.payment_methods).toContainEqual(
      expect.objectContaining({
        payment_method: 'card',
        code: 'card',
        label: 'Credit/Debit Card',
        enabled: true,
        requires_redirect: true,
      }),
    );
    expect(Object.keys(body.xendit_va_bank_codes).sort()).toEqual(['BCA', 'BNI']);
    expect(body.payment_accounts).toEqual([
      {
        unique_id: expect.stringMatching(/^pa_/),
        account_number: '8001234567',
        account_holder: 'PT Toko Test',
        financial_entity: {
          id: 1,
          code: expect.any(String),
          name: expect.any(String),
          entity_type: expect.any(String),
        },
      },
    ]);

    const codOnly = await checkoutShop({ methods: ['cod'] });
    const budi = await shopper(codOnly.tenant);
    expect((await budi.me('GET', '/checkout/payment-methods')).json()).toMatchObject({
      payment_methods: [{ payment_method: 'cod' }],
      xendit_va_bank_codes: {},
      payment_accounts: [],
    });
    expect((await siti.me('GET', '/checkout/payment-methods', { token: 'x.y.z' })).statusCode).toBe(401);
  });
});

describe('customer checkout: shipping options and summary', () => {
  it('quotes direct items, the customer cart, or a saved address alike', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    const addressId = await saveAddress(tenant, siti.id);
    const direct = await siti.me('POST', '/checkout/shipping-options', {
      body: { items: [variantItem(shirt)], location_id: BANDUNG, payment_method: 'bank_transfer' },
    });
    expect(direct.statusCode, direct.body).toBe(200);
    expect(direct.json().is_paginated).toBe(false);
    expect(direct.json().data.length).toBeGreaterThan(0);
    expect(direct.json().data.map((o: { courier_service_id: number }) => o.courier_service_id)).toContain(
      JNE_REG,
    );

    const cart = (await siti.me('POST', '/cart/items', { body: variantItem(shirt) })).json();
    const fromCart = await siti.me('POST', '/checkout/shipping-options', {
      body: { cart_id: cart.id, location_id: String(BANDUNG) },
    });
    expect(fromCart.statusCode, fromCart.body).toBe(200);
    expect(fromCart.json().data).toEqual(direct.json().data);

    const fromAddress = await siti.me('POST', '/checkout/shipping-options', {
      body: { address_id: addressId },
    });
    expect(fromAddress.statusCode, fromAddress.body).toBe(200);
    expect(fromAddress.json().data).toEqual(direct.json().data);
  });

  it('names the customer body’s fields in its 422s', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    const budi = await shopper(tenant);
    const budiCart = (await budi.me('POST', '/cart/items', { body: variantItem(shirt) })).json();
    const budiAddress = await saveAddress(tenant, budi.id);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ items: [variantItem(shirt)] }, 'location_id'],
      [{ items: [variantItem(shirt)], location_id: 999999 }, 'location_id'],
      [{ location_id: BANDUNG }, 'items'],
      [{ cart_id: budiCart.id, location_id: BANDUNG }, 'cart_id'],
      [{ items: [variantItem(shirt)], address_id: budiAddress }, 'address_id'],
      [{ items: [variantItem(shirt)], location_id: BANDUNG, payment_method: 'bitcoin' }, 'payment_method'],
    ];
    for (const [body, field] of cases) {
      const res = await siti.me('POST', '/checkout/shipping-options', { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(Object.keys(res.json().errors), JSON.stringify(body)).toEqual([field]);
    }
  });

  it('summarises what checkout charges, from the cart, ignoring a client shipping cost', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    await siti.me('POST', '/cart/items', { body: variantItem(shirt, 2) });
    const summary = await siti.me('POST', '/checkout/summary', {
      body: {
        location_id: BANDUNG,
        postal_code: '40111',
        courier_service_id: JNE_REG,
        payment_method: 'cod',
        shipping_cost: '1.00',
      },
    });
    expect(summary.statusCode, summary.body).toBe(200);
    const totals = summary.json();
    expect(totals.product_price).toBe('300000.00');
    expect(totals.shipping_cost).not.toBe('1.00');

    const order = await siti.me('POST', '/checkout', {
      body: customerCheckout({ payment_method: 'cod' }),
    });
    expect(order.statusCode, order.body).toBe(201);
    expect(totalsOf(order.json())).toEqual(totalsOf(totals));
  });

  it('refuses a summary of items that ship without a location, in the customer body’s names', async () => {
    const { tenant, shirt, ebook } = await checkoutShop();
    const siti = await shopper(tenant);
    const body = { items: [variantItem(shirt)], courier_service_id: JNE_REG, payment_method: 'cod' };
    const nowhere = await siti.me('POST', '/checkout/summary', { body });
    expect(nowhere.statusCode, nowhere.body).toBe(422);
    expect(nowhere.json().errors).toEqual({ location_id: ["can't be blank when the items need shipping"] });
    // A saved address gives the location; digital items need none.
    const addressId = await saveAddress(tenant, siti.id);
    const saved = await siti.me('POST', '/checkout/summary', { body: { ...body, address_id: addressId } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(Number(saved.json().shipping_cost)).toBeGreaterThan(0);
    const digital = await siti.me('POST', '/checkout/summary', { body: { items: [variantItem(ebook)] } });
    expect(digital.statusCode, digital.body).toBe(200);
  });

  it('refuses every checkout route without a token or with another store’s', async () => {
    const { tenant, shirt } = await checkoutShop();
    const other = await checkoutShop({ name: 'Toko Lain' });
    const siti = await shopper(tenant);
    const body = customerCheckout({ items: [variantItem(shirt)] });
    const calls: Array<['GET' | 'POST', string]> = [
      ['GET', '/checkout/addresses'],
      ['GET', '/checkout/payment-methods'],
      ['POST', '/checkout/shipping-options'],
      ['POST', '/checkout/summary'],
      ['POST', '/checkout'],
    ];
    const otherStore = accessToken(tenant.ctx, siti.id, other.tenant.store.id);
    for (const [method, path] of calls) {
      const call = method === 'POST' ? { body } : {};
      const missing = await siti.me(method, path, { ...call, headers: { authorization: '' } });
      expect(missing.statusCode, path).toBe(401);
      const foreign = await siti.me(method, path, { ...call, token: otherStore });
      expect(foreign.statusCode, path).toBe(401);
      expect(foreign.json().error_code).toBe('invalid_token');
    }
    expect(await orderCount(tenant)).toBe(0);
  });
});

describe('createCustomerCheckout', () => {
  it('checks out the customer cart: the order is theirs and the cart is emptied', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant, { name: 'Siti Aminah' });
    await siti.me('POST', '/cart/items', { body: variantItem(shirt, 2) });
    const res = await siti.me('POST', '/checkout', { body: customerCheckout() });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      customer_id: siti.id,
      status: 'pending',
      payment_status: 'unpaid',
      product_price: '300000.00',
      customer: { id: siti.id, name: 'Siti Aminah', email: siti.email, phone: '081298765432' },
      destination_address: { address: 'Jl. Asia Afrika No. 8', location_id: BANDUNG, postal_code: '40111' },
      orderlines: [{ name: 'Kaos Polos', quantity: 2 }],
    });
    expect(await orderRow(tenant, order.id)).toMatchObject({ source: 'customer', customer_id: siti.id });
    expect((await siti.me('GET', '/cart')).json().items).toEqual([]);
  });

  it('lets direct items win: the cart named by cart_id is emptied, an unnamed cart is kept', async () => {
    const { tenant, shirt, ebook } = await checkoutShop();
    const siti = await shopper(tenant);
    const cart = (await siti.me('POST', '/cart/items', { body: variantItem(shirt, 3) })).json();

    const keep = await siti.me('POST', '/checkout', {
      body: customerCheckout({ items: [variantItem(ebook)] }),
    });
    expect(keep.statusCode, keep.body).toBe(201);
    expect(keep.json().orderlines).toMatchObject([{ name: 'E-book Jualan', quantity: 1 }]);
    expect((await siti.me('GET', '/cart')).json().items).toHaveLength(1);

    const clear = await siti.me('POST', '/checkout', {
      body: customerCheckout({ items: [variantItem(ebook)], cart_id: String(cart.id) }),
    });
    expect(clear.statusCode, clear.body).toBe(201);
    expect(clear.json().orderlines).toMatchObject([{ name: 'E-book Jualan', quantity: 1 }]);
    expect((await siti.me('GET', '/cart')).json().items).toEqual([]);
  });

  it('refuses another customer’s cart or address and an empty cart, creating nothing', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    const budi = await shopper(tenant);
    const budiCart = (await budi.me('POST', '/cart/items', { body: variantItem(shirt) })).json();
    const budiAddress = await saveAddress(tenant, budi.id);
    const cases: Array<[Record<string, unknown>, string]> = [
      [customerCheckout({ cart_id: budiCart.id }), 'cart_id'],
      [customerCheckout({ items: [variantItem(shirt)], cart_id: budiCart.id }), 'cart_id'],
      [customerCheckout({ cart_id: 'abc' }), 'cart_id'],
      [customerCheckout({ items: [variantItem(shirt)], address_id: budiAddress }), 'address_id'],
      [customerCheckout(), 'items'],
    ];
    for (const [body, field] of cases) {
      const res = await siti.me('POST', '/checkout', { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(Object.keys(res.json().errors), JSON.stringify(body)).toContain(field);
    }
    expect(await orderCount(tenant)).toBe(0);
    expect((await budi.me('GET', '/cart')).json().items).toHaveLength(1);
  });

  it('validates the body with the customer contract’s field names', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    const res = await siti.me('POST', '/checkout', {
      body: { items: [variantItem(shirt)], payment_method: 'bank_transfer' },
    });
    expect(res.statusCode).toBe(422);
    // The store requires a courier (the default), so that is missing too.
    expect(Object.keys(res.json().errors).sort()).toEqual(['address', 'courier_service_id', 'location_id']);
    const missing = await siti.me('POST', '/checkout', { body: { items: [variantItem(shirt)] } });
    expect(missing.statusCode).toBe(422);
    expect(Object.keys(missing.json().errors)).toContain('payment_method');
    const noToken = await siti.me('POST', '/checkout', {
      body: customerCheckout({ items: [variantItem(shirt)] }),
      token: 'x',
    });
    expect(noToken.statusCode).toBe(401);
    expect(await orderCount(tenant)).toBe(0);
  });

  it('takes the destination and phone from a saved address; the body may override name and phone', async () => {
    const { tenant, ebook, shirt } = await checkoutShop();
    const siti = await shopper(tenant, { phone: null });
    const addressId = await saveAddress(tenant, siti.id, {
      address: 'Jl. Braga No. 10',
      phone: '082211112222',
    });
    const res = await siti.me('POST', '/checkout', {
      body: {
        items: [variantItem(shirt)],
        address_id: addressId,
        payment_method: 'bank_transfer',
        courier_service_id: JNE_REG,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      customer: { id: siti.id, phone: '082211112222' },
      destination_address: { address: 'Jl. Braga No. 10', location_id: BANDUNG, postal_code: '40111' },
    });

    const named = await siti.me('POST', '/checkout', {
      body: customerCheckout({
        items: [variantItem(ebook)],
        customer_name: 'Siti untuk Ibu',
        customer_phone: '0811000111',
      }),
    });
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json().customer).toEqual({
      id: siti.id,
      name: 'Siti untuk Ibu',
      email: siti.email,
      phone: '0811000111',
    });
  });

  it('replays a retried checkout with the same Idempotency-Key', async () => {
    const { tenant, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    const body = customerCheckout({ items: [variantItem(shirt)] });
    const headers = { 'idempotency-key': `k-${randomString(10)}` };
    const first = await siti.me('POST', '/checkout', { body, headers });
    const second = await siti.me('POST', '/checkout', { body, headers });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    expect(await orderCount(tenant)).toBe(1);
  });
});

describe('every checkout links its order to the business’s customer', () => {
  it('a guest checkout with the customer’s e-mail lands on the same customer row', async () => {
    const { tenant, client, shirt } = await checkoutShop();
    const siti = await shopper(tenant);
    const res = await client.post('/checkout', {
      items: [variantItem(shirt)],
      ...buyer({ customer_email: siti.email.toUpperCase() }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().customer_id).toBe(siti.id);
    expect(await orderRow(tenant, res.json().id)).toMatchObject({
      source: 'storefront',
      customer_id: siti.id,
    });
  });

  it('a new buyer’s guest checkout creates one customer, reused by their next checkout', async () => {
    const { tenant, client, shirt, ebook } = await checkoutShop();
    const email = `baru-${randomString(8).toLowerCase()}@example.test`;
    const first = await client.post('/checkout', {
      items: [variantItem(shirt)],
      ...buyer({ customer_email: email, customer_name: 'Pembeli Baru', customer_phone: '0813 1111 2222' }),
    });
    expect(first.statusCode, first.body).toBe(201);
    const customers = await tenant.ctx.database.db
      .selectFrom('customers')
      .select(['id', 'name', 'email', 'phone', 'store_id', 'business_id'])
      .where('business_id', '=', tenant.business.id)
      .where('email', '=', email)
      .execute();
    expect(customers).toEqual([
      {
        id: first.json().customer_id,
        name: 'Pembeli Baru',
        email,
        phone: '0813 1111 2222',
        store_id: tenant.store.id,
        business_id: tenant.business.id,
      },
    ]);
    const second = await client.post('/checkout', {
      items: [variantItem(ebook)],
      ...buyer({ customer_email: email.toUpperCase(), customer_name: 'Nama Lain' }),
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().customer_id).toBe(first.json().customer_id);
  });

  it('another business’s customer with the same e-mail is a different customer', async () => {
    const shopA = await checkoutShop();
    const shopB = await checkoutShop({ name: 'Toko B' });
    const siti = await shopper(shopA.tenant);
    const res = await shopB.client.post('/checkout', {
      items: [variantItem(shopB.shirt)],
      ...buyer({ customer_email: siti.email }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().customer_id).not.toBe(siti.id);
    expect(res.json().customer_id).toEqual(expect.any(Number));
  });
});
