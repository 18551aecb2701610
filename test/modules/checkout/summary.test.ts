import { describe, expect, it } from 'vitest';
import { setOtherCharge } from '../../../src/modules/stores/setup-admin.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { createCode } from '../discounts/fixtures.ts';
import {
  BANDUNG,
  buyer,
  checkoutClient,
  checkoutShop,
  JNE_REG,
  setStoreColumns,
  totalsOf,
  variantItem,
} from './fixtures.ts';

const OPTION_KEYS = [
  'courier_service_id',
  'courier_code',
  'service_code',
  'name',
  'cost',
  'etd',
  'is_cod',
  'warehouse_unique_id',
  'courier_aggregator_code',
];

describe('listPublicCheckoutShippingOptions', () => {
  it('lists every service that can ship the items, cheapest first, from the stocked warehouse', async () => {
    const { client, shirt, warehouse } = await checkoutShop();
    const response = await client.post('/checkout/shipping-options', {
      items: [variantItem(shirt, 2)],
      destination: { location_id: String(BANDUNG), postal_code: '40111' },
      payment_method: 'bank_transfer',
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.is_paginated).toBe(false);
    expect(body.data.length).toBeGreaterThan(5);
    for (const option of body.data) {
      expect(Object.keys(option).sort()).toEqual([...OPTION_KEYS].sort());
      expect(option).toMatchObject({ is_cod: false, warehouse_unique_id: warehouse.unique_id });
      expect(option.cost).toMatch(/^\d+\.00$/);
    }
    const costs = body.data.map((o: { cost: string }) => Number(o.cost));
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
  });

  it('uses the guest cart without items, and offers only COD-capable services for cod', async () => {
    const { client, shirt } = await checkoutShop();
    const token = await client.cartWith([variantItem(shirt)]);
    const all = await client.post(
      '/checkout/shipping-options',
      { destination: { location_id: BANDUNG } },
      { token },
    );
    const cod = await client.post(
      '/checkout/shipping-options',
      { destination: { location_id: BANDUNG }, payment_method: 'cod' },
      { token },
    );
    expect(all.statusCode, all.body).toBe(200);
    expect(cod.statusCode, cod.body).toBe(200);
    expect(cod.json().data.length).toBeGreaterThan(0);
    expect(cod.json().data.length).toBeLessThan(all.json().data.length);
    expect(cod.json().data.every((o: { is_cod: boolean }) => o.is_cod)).toBe(true);
  });

  it('answers an empty list for digital-only items, without a destination', async () => {
    const { client, ebook } = await checkoutShop();
    const response = await client.post('/checkout/shipping-options', { items: [variantItem(ebook)] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ data: [], is_paginated: false });
  });

  it('answers an empty list when no warehouse has the stock', async () => {
    const { client, shirt } = await checkoutShop({ stock: 1 });
    const response = await client.post('/checkout/shipping-options', {
      items: [variantItem(shirt, 2)],
      destination: { location_id: BANDUNG },
    });
    expect(response.json()).toEqual({ data: [], is_paginated: false });
  });

  it('refuses bad input with 422', async () => {
    const { client, shirt } = await checkoutShop();
    const cases: Array<[unknown, string]> = [
      [{ items: [variantItem(shirt)] }, 'destination.location_id'],
      [{ items: [variantItem(shirt)], destination: { location_id: 999999 } }, 'destination.location_id'],
      [{ items: [variantItem(shirt)], destination: { location_id: 'abc' } }, 'destination.location_id'],
      [
        { items: [variantItem(shirt)], destination: { location_id: BANDUNG }, payment_method: 'gopay' },
        'payment_method',
      ],
      [{ destination: { location_id: BANDUNG } }, 'items'],
      [undefined, 'items'],
    ];
    for (const [body, field] of cases) {
      const response = await client.post('/checkout/shipping-options', body);
      expect(response.statusCode, `${JSON.stringify(body)} -> ${response.body}`).toBe(422);
      expect(Object.keys(response.json().errors)).toContain(field);
    }
  });

  it("answers 404 'Store not found' for another store's key", async () => {
    const { client, shirt } = await checkoutShop();
    const other = await checkoutClient(await createTenant('Toko Asing'));
    const response = await client.post(
      '/checkout/shipping-options',
      { items: [variantItem(shirt)], destination: { location_id: BANDUNG } },
      { key: other.key },
    );
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('Store not found');
  });
});

describe('getPublicCheckoutSummary', () => {
  it('answers the totals, recomputing shipping and ignoring the client cost', async () => {
    const { client, shirt } = await checkoutShop();
    const options = await client.post('/checkout/shipping-options', {
      items: [variantItem(shirt, 2)],
      destination: { location_id: BANDUNG },
    });
    const jne = options
      .json()
      .data.find((o: { courier_service_id: number }) => o.courier_service_id === JNE_REG);
    const response = await client.post('/checkout/summary', {
      items: [variantItem(shirt, 2)],
      destination: { location_id: BANDUNG, postal_code: '40111' },
      payment_method: 'bank_transfer',
      shipping_option: { courier_service_id: JNE_REG, cost: '1' },
      shipping_cost: '1.00',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      product_price: '300000.00',
      product_discount: '0.00',
      shipping_cost: jne.cost,
      shipping_discount: '0.00',
      discount_code_discount: '0.00',
      unique_code_discount: '0.00',
      other_income: '0.00',
      other_income_name: null,
      service_fee: '0.00',
      gross_revenue: (300000 + Number(jne.cost)).toFixed(2),
    });
  });

  it('has no shipping for digital-only items, and 0 before a service is chosen', async () => {
    const { client, ebook, shirt } = await checkoutShop();
    const digital = await client.post('/checkout/summary', {
      items: [variantItem(ebook)],
      destination: { location_id: BANDUNG },
      courier_service_id: JNE_REG,
    });
    expect(digital.json()).toMatchObject({ shipping_cost: '0.00', gross_revenue: '99000.00' });
    const digitalNowhere = await client.post('/checkout/summary', { items: [variantItem(ebook)] });
    expect(digitalNowhere.statusCode, digitalNowhere.body).toBe(200);
    const unchosen = await client.post('/checkout/summary', {
      items: [variantItem(shirt)],
      destination: { location_id: BANDUNG },
    });
    expect(unchosen.json()).toMatchObject({ shipping_cost: '0.00', gross_revenue: '150000.00' });
  });

  it('refuses items that ship without a destination, as shipping options and checkout do', async () => {
    const { client, shirt, ebook } = await checkoutShop();
    for (const items of [[variantItem(shirt)], [variantItem(ebook), variantItem(shirt)]]) {
      const response = await client.post('/checkout/summary', {
        items,
        payment_method: 'bank_transfer',
        courier_service_id: JNE_REG,
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json().errors).toEqual({
        'destination.location_id': ["can't be blank when the items need shipping"],
      });
    }
    // Sent under checkout's name, the error names that field.
    const checkoutNames = await client.post('/checkout/summary', {
      items: [variantItem(shirt)],
      shipping_location_id: null,
      courier_service_id: JNE_REG,
    });
    expect(checkoutNames.statusCode, checkoutNames.body).toBe(422);
    expect(checkoutNames.json().errors).toEqual({
      shipping_location_id: ["can't be blank when the items need shipping"],
    });
  });

  it('prices the body checkout will take, destination under checkout’s names, to the order’s totals', async () => {
    const { client, shirt } = await checkoutShop();
    // The storefront sends its checkout body (checkout's field names) to the summary first.
    const body = { items: [variantItem(shirt, 2)], ...buyer({ payment_method: 'qris' }) };
    const summary = await client.post('/checkout/summary', body);
    expect(summary.statusCode, summary.body).toBe(200);
    expect(Number(summary.json().shipping_cost)).toBeGreaterThan(0);
    const viaDestination = await client.post('/checkout/summary', {
      items: body.items,
      destination: { location_id: BANDUNG, postal_code: '40111' },
      payment_method: 'qris',
      courier_service_id: JNE_REG,
    });
    expect(viaDestination.json()).toEqual(summary.json());
    const order = await client.post('/checkout', body);
    expect(order.statusCode, order.body).toBe(201);
    expect(totalsOf(order.json())).toEqual(totalsOf(summary.json()));

    // Both names for one place must agree; an unknown place is named under the field it came in.
    const disagree = await client.post('/checkout/summary', {
      ...body,
      destination: { location_id: 317105 },
    });
    expect(disagree.statusCode, disagree.body).toBe(422);
    expect(disagree.json().errors).toEqual({
      shipping_location_id: ['differs from destination.location_id; send one of them'],
    });
    const agree = await client.post('/checkout/summary', {
      ...body,
      destination: { location_id: String(BANDUNG) },
    });
    expect(agree.json()).toEqual(summary.json());
    const unknown = await client.post('/checkout/summary', { ...body, shipping_location_id: 1 });
    expect(unknown.statusCode, unknown.body).toBe(422);
    expect(unknown.json().errors).toEqual({ shipping_location_id: ['is not a known location'] });
  });

  it('adds the e-payment fee on products + shipping + other charge, rounded up to the Rupiah', async () => {
    const { tenant, client, ebook } = await checkoutShop();
    await setOtherCharge(tenant.ctx.database.db, tenant.business.id, {
      storeId: tenant.store.id,
      methods: ['card'],
      type: 'percentage',
      percentage: '1.5',
      name: 'Biaya Layanan',
    });
    const response = await client.post('/checkout/summary', {
      items: [variantItem(ebook, 3)],
      payment_method: 'card',
    });
    // 297,000 × 1.5% = 4,455 other income; card 2.9% of 301,455 = 8,742.195 -> 8,743, + 2,000.
    expect(response.json()).toMatchObject({
      product_price: '297000.00',
      other_income: '4455.00',
      other_income_name: 'Biaya Layanan',
      service_fee: '10743.00',
      gross_revenue: '312198.00',
    });
  });

  it("applies the store's other charges: the method's own, then the auto mode, then couriers", async () => {
    const { tenant, client, ebook, shirt } = await checkoutShop();
    const db = tenant.ctx.database.db;
    await setOtherCharge(db, tenant.business.id, {
      storeId: tenant.store.id,
      methods: ['va'],
      type: 'fixed',
      amount: '2500',
    });
    await setOtherCharge(db, tenant.business.id, {
      storeId: tenant.store.id,
      methods: ['va'],
      vaBank: 'BNI',
      type: 'fixed',
      amount: '1000',
    });
    await setStoreColumns(tenant, {
      auto_other_income: 'dynamic',
      dynamic_other_income_cod_type: 'percentage',
      dynamic_other_income_cod_default_percentage: '2',
      other_income_name: 'Biaya Admin',
    });
    const summary = (body: Record<string, unknown>) =>
      client.post('/checkout/summary', { items: [variantItem(ebook)], ...body }).then((r) => r.json());
    expect((await summary({ payment_method: 'va', sub_payment_method: 'BCA' })).other_income).toBe('2500.00');
    expect((await summary({ payment_method: 'va', sub_payment_method: 'BNI' })).other_income).toBe('1000.00');
    expect((await summary({ payment_method: 'bank_transfer' })).other_income).toBe('0.00');
    // COD is 2% of 99,000 = 1,980 under the dynamic mode.
    expect(await summary({ payment_method: 'cod' })).toMatchObject({
      other_income: '1980.00',
      other_income_name: 'Biaya Admin',
      service_fee: '0.00',
      gross_revenue: '100980.00',
    });
    await setStoreColumns(tenant, { auto_other_income: 'fixed', fixed_auto_other_income: '3000' });
    expect((await summary({ payment_method: 'bank_transfer' })).other_income).toBe('3000.00');

    const jne = await db
      .selectFrom('couriers')
      .select('id')
      .where('code', '=', 'jne')
      .executeTakeFirstOrThrow();
    await setStoreColumns(tenant, {
      auto_other_income: 'off',
      store_courier_other_incomes: JSON.stringify([{ courier_id: jne.id, type: 'fixed', amount: 1500 }]),
    });
    const shipped = await client
      .post('/checkout/summary', {
        items: [variantItem(shirt)],
        destination: { location_id: BANDUNG },
        courier_service_id: JNE_REG,
        payment_method: 'bank_transfer',
      })
      .then((r) => r.json());
    expect(shipped.other_income).toBe('1500.00');
  });

  it('gives the same totals as the order checkout creates for the same body', async () => {
    const { tenant, client, shirt, priceOption } = await checkoutShop();
    await setOtherCharge(tenant.ctx.database.db, tenant.business.id, {
      storeId: tenant.store.id,
      methods: ['qris'],
      type: 'percentage',
      percentage: '1',
      name: 'Biaya QRIS',
    });
    await createCode(tenant, {
      code: 'HEMAT10',
      applied_to: 'product_price',
      amount_type: 'percentage',
      percentage: 10,
      is_max_amount: true,
      max_amount: '50000',
    });
    const items = [
      variantItem(shirt, 1),
      { type: 'bundle_price_option', bundle_price_option_id: priceOption.id },
    ];
    const body = { items, ...buyer({ payment_method: 'qris', discount_code_code: 'hemat 10' }) };
    const summary = await client.post('/checkout/summary', {
      items,
      destination: { location_id: BANDUNG, postal_code: '40111' },
      payment_method: 'qris',
      courier_service_id: JNE_REG,
      discount_code_code: 'hemat 10',
    });
    expect(summary.statusCode, summary.body).toBe(200);
    const order = await client.post('/checkout', body);
    expect(order.statusCode, order.body).toBe(201);
    expect(totalsOf(order.json())).toEqual(totalsOf(summary.json()));
    expect(order.json()).toMatchObject({ discount_code_code: 'HEMAT10', discount_code_discount: '42500.00' });
    // 425,000 − 42,500 + shipping, + 1% other charge, + QRIS 0.7% of that.
    const json = summary.json();
    const base = 425000 - 42500 + Number(json.shipping_cost);
    const other = Math.round(base * 0.01);
    expect(Number(json.other_income)).toBe(other);
    expect(Number(json.service_fee)).toBe(Math.ceil((base + other) * 0.007));
  });

  it('refuses bad input with 422 and another store with 404', async () => {
    const { client, shirt } = await checkoutShop();
    const cases: Array<[unknown, string]> = [
      [{}, 'items'],
      [{ items: [variantItem(shirt)], payment_method: 'no_payment' }, 'payment_method'],
      [
        { items: [variantItem(shirt)], payment_method: 'va', sub_payment_method: 'XYZ' },
        'sub_payment_method',
      ],
      [{ items: [variantItem(shirt)], destination: { location_id: 1 } }, 'destination.location_id'],
      [
        { items: [{ type: 'bundle_price_option', bundle_price_option_id: 123456789 }] },
        'items.0.bundle_price_option_id',
      ],
      [{ items: [variantItem(shirt)], courier_service_id: 'x' }, 'courier_service_id'],
    ];
    for (const [body, field] of cases) {
      const response = await client.post('/checkout/summary', body);
      expect(response.statusCode, `${JSON.stringify(body)} -> ${response.body}`).toBe(422);
      expect(Object.keys(response.json().errors)).toContain(field);
    }
    const other = await checkoutClient(await createTenant('Toko Asing'));
    const foreign = await client.post(
      '/checkout/summary',
      { items: [variantItem(shirt)] },
      { key: other.key },
    );
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().message).toBe('Store not found');
  });

  it('answers 409 when the chosen service cannot ship because stock ran out', async () => {
    const { client, shirt } = await checkoutShop({ stock: 1 });
    const response = await client.post('/checkout/summary', {
      items: [variantItem(shirt, 5)],
      destination: { location_id: BANDUNG },
      courier_service_id: JNE_REG,
    });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().errors.items).toEqual(['Kaos Polos is out of stock']);
  });
});
