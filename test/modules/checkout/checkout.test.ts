import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { randomString } from '../../../src/lib/ids.ts';
import { createPaymentAccount } from '../../../src/modules/stores/setup-admin.ts';
import { attachProductToStore, insertProduct, setStock } from '../../helpers/catalog.ts';
import { errorEnvelope } from '../../helpers/errors.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { ISO } from '../orders/fixtures.ts';
import {
  BANDUNG,
  buyer,
  checkoutClient,
  checkoutShop,
  JNE_REG,
  orderCount,
  setStoreColumns,
  stockOf,
  variantItem,
} from './fixtures.ts';

const SLUG = /^[A-Za-z0-9_-]{40}$/;

describe('createPublicCheckout', () => {
  it('creates the order from typed items and answers the public order (201, no wrapper)', async () => {
    const shop = await checkoutShop();
    const { tenant, client, shirt, warehouse } = shop;
    const response = await client.post('/checkout', {
      items: [variantItem(shirt, 2)],
      ...buyer({
        notes: 'Titip di satpam',
        shipping_province: 'Ignored',
        customer_email: 'Budi@Example.test',
      }),
    });
    expect(response.statusCode, response.body).toBe(201);
    const order = response.json();
    expect(order).not.toHaveProperty('data');
    expect(order).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      secret_slug: expect.stringMatching(SLUG),
      order_id: expect.stringMatching(/^\d{6}[A-Z]{6}$/),
      status: 'pending',
      payment_status: 'unpaid',
      draft_time: expect.stringMatching(ISO),
      payment_method: 'bank_transfer',
      sub_payment_method: null,
      product_price: '300000.00',
      product_discount: '0.00',
      shipping_discount: '0.00',
      discount_code_discount: '0.00',
      unique_code_discount: '0.00',
      other_income: '0.00',
      other_income_name: null,
      discount_code_code: null,
      payment_expiration_at: null,
      courier_service: {
        id: JNE_REG,
        code: 'REG',
        name: 'JNE Reguler',
        courier: { code: 'jne', name: 'JNE' },
      },
      variants: { [String(shirt.variants[0]!.id)]: 2 },
      bundle_price_options: {},
      orderlines: [
        {
          variant_id: shirt.variants[0]!.id,
          bundle_price_option_id: null,
          item_type: 'physical',
          name: 'Kaos Polos',
          quantity: 2,
          variant_price: '150000.00',
          product_price: '300000.00',
          weight: 500,
        },
      ],
      status_history: [{ status: 'pending', time: expect.stringMatching(ISO), by: 'customer' }],
      destination_address: {
        name: 'Budi Santoso',
        phone: '081234567890',
        email: 'budi@example.test',
        address: 'Jl. Asia Afrika No. 8',
        province: 'Jawa Barat',
        city: 'Kota Bandung',
        postal_code: '40111',
        location_id: BANDUNG,
      },
      // Every checkout links the order to the business's customer with that e-mail.
      customer: {
        id: expect.any(Number),
        name: 'Budi Santoso',
        email: 'budi@example.test',
        phone: '081234567890',
      },
      store: { unique_id: tenant.store.unique_id, payment_accounts: [] },
    });
    expect(order.public_order_url).toBe(`http://nexus.test/o/${order.secret_slug}`);
    expect(order.payment_url).toBe(`http://nexus.test/o/${order.secret_slug}/pay`);
    expect(order.redirect_url).toBe(`http://nexus.test/o/${order.secret_slug}/success`);
    const shipping = Number(order.shipping_cost);
    expect(shipping).toBeGreaterThan(0);
    expect(order.gross_revenue).toBe((300000 + shipping).toFixed(2));
    expect(await stockOf(tenant, warehouse.id, shirt.variants[0]!.id)).toBe(98);

    const row = await tenant.ctx.database.db
      .selectFrom('orders')
      .select(['net_revenue', 'warehouse_id', 'notes', 'source', 'client_ip'])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      net_revenue: '300000.00',
      warehouse_id: warehouse.id,
      notes: 'Titip di satpam',
      source: 'storefront',
    });
  });

  it("checks out the guest token's cart and empties it", async () => {
    const { client, shirt, ebook } = await checkoutShop();
    const token = await client.cartWith([variantItem(shirt, 1), variantItem(ebook, 1)]);
    const response = await client.post('/checkout', buyer(), { token });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().orderlines.map((line: { name: string }) => line.name)).toEqual([
      'Kaos Polos',
      'E-book Jualan',
    ]);
    expect(response.json().product_price).toBe('249000.00');
    expect(await client.cartLines(token)).toBe(0);
  });

  it("lets items win over the token's cart, then clears that cart", async () => {
    const { client, shirt, ebook } = await checkoutShop();
    const token = await client.cartWith([variantItem(shirt, 3)]);
    const response = await client.post(
      '/checkout',
      { items: [variantItem(ebook, 1)], ...buyer() },
      { token },
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().orderlines).toEqual([
      expect.objectContaining({ name: 'E-book Jualan', quantity: 1 }),
    ]);
    expect(await client.cartLines(token)).toBe(0);
  });

  it('checks out a typed bundle item without a token (public ids accepted)', async () => {
    const { tenant, client, priceOption, warehouse, shirt } = await checkoutShop();
    const response = await client.post('/checkout', {
      items: [{ type: 'bundle_price_option', bundle_price_option_id: priceOption.unique_id, quantity: 2 }],
      ...buyer(),
    });
    expect(response.statusCode, response.body).toBe(201);
    const order = response.json();
    expect(order.bundle_price_options).toEqual({ [String(priceOption.id)]: 2 });
    expect(order.orderlines).toEqual([
      expect.objectContaining({
        bundle_price_option_id: priceOption.id,
        quantity: 2,
        product_price: '550000.00',
      }),
    ]);
    // Two shirts per bundle, two bundles.
    expect(await stockOf(tenant, warehouse.id, shirt.variants[0]!.id)).toBe(96);
  });

  it('accepts variant ids as `variant_…` and merges repeated items into one line', async () => {
    const { client, shirt } = await checkoutShop();
    const response = await client.post('/checkout', {
      items: [
        { type: 'variant', variant_id: shirt.variants[0]!.unique_id, quantity: 1 },
        { variant_id: String(shirt.variants[0]!.id), quantity: 2 },
      ],
      ...buyer(),
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().orderlines).toEqual([expect.objectContaining({ quantity: 3 })]);
  });

  it('ignores client shipping cost fields and recomputes the selected service', async () => {
    const { client, shirt } = await checkoutShop();
    const options = await client.post('/checkout/shipping-options', {
      items: [variantItem(shirt)],
      destination: { location_id: BANDUNG },
    });
    const jne = options
      .json()
      .data.find((o: { courier_service_id: number }) => o.courier_service_id === JNE_REG);
    const response = await client.post('/checkout', {
      items: [variantItem(shirt)],
      ...buyer({ shipping_cost: '1.00', shipping_option: { cost: '0' } }),
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().shipping_cost).toBe(jne.cost);
    expect(response.json().gross_revenue).toBe((150000 + Number(jne.cost)).toFixed(2));
  });

  it('needs no address or courier for a digital-only order', async () => {
    const { client, ebook } = await checkoutShop();
    const response = await client.post('/checkout', {
      items: [variantItem(ebook)],
      customer_name: 'Sari',
      customer_email: 'sari@example.test',
      payment_method: 'qris',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      shipping_cost: '0.00',
      courier_service: null,
      destination_address: null,
      product_price: '99000.00',
      // QRIS 0.7% of 99,000 = 693, part of what the buyer pays.
      gross_revenue: '99693.00',
    });
  });

  it('answers 409 naming sold-out items, and creates nothing', async () => {
    const { tenant, client, shirt, warehouse } = await checkoutShop({ stock: 1 });
    const response = await client.post('/checkout', { items: [variantItem(shirt, 2)], ...buyer() });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json()).toEqual(
      errorEnvelope(response, {
        error: 'Out of stock',
        error_code: 'state_conflict',
        message: 'Out of stock: Kaos Polos',
        errors: { items: ['Kaos Polos is out of stock'] },
      }),
    );
    expect(await orderCount(tenant)).toBe(0);
    expect(await stockOf(tenant, warehouse.id, shirt.variants[0]!.id)).toBe(1);
  });

  it('answers 409 when the second item sells out after pricing, keeping the first item’s stock', async () => {
    const { tenant, client, shirt, warehouse } = await checkoutShop({ stock: 10 });
    // Created after the shirt, so its variant id is higher: the shirt's units are taken in the
    // order's insert statement, the cap's by the conditional decrement in reserveStock.
    const cap = await insertProduct(tenant, {
      name: 'Topi',
      isInventory: true,
      variants: [{ price: '50000' }],
    });
    const capVariant = cap.variants[0]!;
    expect(shirt.variants[0]!.id).toBeLessThan(capVariant.id);
    await attachProductToStore(tenant, cap.id);
    await setStock(tenant, warehouse.id, capVariant.id, 2);
    // Another buyer takes a cap between this checkout's stock check (pricing, which sees 2) and
    // its reservation: a trigger on this business's order insert does it in the same transaction.
    const db = tenant.ctx.database.db;
    const name = sql.raw(`test_other_buyer_${randomString(8).toLowerCase()}`);
    await sql`create function ${name}() returns trigger language plpgsql as $$ begin
      update warehouse_stocks set qty = qty - 1
        where warehouse_id = ${sql.raw(String(warehouse.id))} and variant_id = ${sql.raw(String(capVariant.id))};
      return new; end $$`.execute(db);
    await sql`create trigger ${name} after insert on orders for each row
      when (new.business_id = ${sql.raw(String(tenant.business.id))}) execute function ${name}()`.execute(db);
    try {
      const response = await client.post('/checkout', {
        items: [variantItem(shirt, 3), variantItem(cap, 2)],
        ...buyer(),
      });
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json()).toEqual(
        errorEnvelope(response, {
          error: 'Out of stock',
          error_code: 'state_conflict',
          message: 'Out of stock: Topi',
          errors: { items: ['Topi is out of stock'] },
        }),
      );
    } finally {
      await sql`drop trigger ${name} on orders`.execute(db);
      await sql`drop function ${name}()`.execute(db);
    }
    expect(await orderCount(tenant)).toBe(0);
    expect(await stockOf(tenant, warehouse.id, shirt.variants[0]!.id)).toBe(10);
    expect(await stockOf(tenant, warehouse.id, capVariant.id)).toBe(2);
  });

  it('gives bank transfers a unique code that keeps awaited amounts apart', async () => {
    const { tenant, client, ebook } = await checkoutShop();
    await setStoreColumns(tenant, { is_unique_code: true, max_unique_code_amount: 3 });
    const body = {
      items: [variantItem(ebook)],
      customer_name: 'Sari',
      customer_email: 'sari@example.test',
      payment_method: 'bank_transfer',
    };
    const amounts = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await client.post('/checkout', body);
      expect(response.statusCode, response.body).toBe(201);
      const order = response.json();
      const code = Number(order.unique_code_discount);
      expect(code).toBeGreaterThanOrEqual(1);
      expect(code).toBeLessThanOrEqual(3);
      expect(order.gross_revenue).toBe((99000 - code).toFixed(2));
      amounts.add(order.gross_revenue);
    }
    // Three codes for three awaited transfers of the same basket: all distinct.
    expect(amounts.size).toBe(3);

    const qris = await client.post('/checkout', { ...body, payment_method: 'qris' });
    expect(qris.json().unique_code_discount).toBe('0.00');
  });

  it('sets payment expiry from the store, shows its accounts on bank transfers, stores the VA bank', async () => {
    const { tenant, client, ebook } = await checkoutShop();
    await setStoreColumns(tenant, { is_auto_expire: true, auto_expire_days: 2 });
    await createPaymentAccount(tenant.ctx.database.db, tenant.business.id, {
      bank: 'BCA',
      accountNumber: '1234567890',
      accountHolder: 'Toko Checkout',
    });
    const base = { items: [variantItem(ebook)], customer_name: 'Sari', customer_email: 'sari@example.test' };
    const before = Date.now();
    const transfer = await client.post('/checkout', { ...base, payment_method: 'bank_transfer' });
    expect(transfer.statusCode, transfer.body).toBe(201);
    const expires = Date.parse(transfer.json().payment_expiration_at);
    expect(expires - before).toBeGreaterThanOrEqual(2 * 86_400_000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(2 * 86_400_000 + 60_000);
    expect(transfer.json()).toMatchObject({
      payment_account_number: '1234567890',
      payment_account_holder: 'Toko Checkout',
      store: { payment_accounts: [expect.objectContaining({ account_number: '1234567890' })] },
    });

    const va = await client.post('/checkout', { ...base, payment_method: 'va', sub_payment_method: 'bni' });
    expect(va.statusCode, va.body).toBe(201);
    expect(va.json()).toMatchObject({
      sub_payment_method: 'BNI',
      // VA's flat 4,500 fee.
      gross_revenue: '103500.00',
    });
  });

  it('refuses invalid bodies with 422 naming the fields', async () => {
    const { client, shirt, ebook } = await checkoutShop({ methods: ['bank_transfer', 'va', 'no_payment'] });
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ items: [variantItem(shirt)] }, ['customer_name', 'customer_email', 'payment_method']],
      [{ items: [variantItem(shirt)], ...buyer({ customer_email: 'not-an-email' }) }, ['customer_email']],
      [{ items: [variantItem(shirt)], ...buyer({ customer_name: '   ' }) }, ['customer_name']],
      [{ items: [variantItem(shirt)], ...buyer({ customer_phone: 'call me' }) }, ['customer_phone']],
      [{ items: [variantItem(shirt)], ...buyer({ payment_method: 'no_payment' }) }, ['payment_method']],
      [{ items: [variantItem(shirt)], ...buyer({ payment_method: 'cod' }) }, ['payment_method']],
      [{ items: [variantItem(shirt)], ...buyer({ payment_method: 'va' }) }, ['sub_payment_method']],
      [
        { items: [variantItem(shirt)], ...buyer({ payment_method: 'va', sub_payment_method: 'BRI' }) },
        ['sub_payment_method'],
      ],
      [
        { items: [variantItem(shirt)], ...buyer({ shipping_location_id: null, shipping_address: null }) },
        ['shipping_location_id', 'shipping_address'],
      ],
      [{ items: [variantItem(shirt)], ...buyer({ shipping_location_id: 999999 }) }, ['shipping_location_id']],
      [{ items: [variantItem(shirt)], ...buyer({ courier_service_id: null }) }, ['courier_service_id']],
      [{ ...buyer() }, ['items']],
      [{ items: [], ...buyer() }, ['items']],
      [{ items: [{ type: 'variant', variant_id: 'nope' }], ...buyer() }, ['items.0.variant_id']],
      [{ items: [{ type: 'variant', quantity: 1 }], ...buyer() }, ['items.0.variant_id']],
      // Without `type`, one id must say what the item is (the cart's rule too).
      [{ items: [{ quantity: 1 }], ...buyer() }, ['items.0.variant_id']],
      [{ items: [{ variant_id: 1, bundle_price_option_id: 1 }], ...buyer() }, ['items.0.type']],
      [
        {
          items: [variantItem(ebook), { type: 'bundle_price_option', bundle_price_option_id: 'bpo_x' }],
          ...buyer(),
        },
        ['items.1.bundle_price_option_id'],
      ],
      [{ items: [{ type: 'variant', variant_id: 1, quantity: 0 }], ...buyer() }, ['items.0.quantity']],
      [{ items: [variantItem(shirt)], ...buyer({ discount_code_code: 'NOPE' }) }, ['discount_code_code']],
    ];
    for (const [body, fields] of cases) {
      const response = await client.post('/checkout', body);
      expect(response.statusCode, `${JSON.stringify(body)} -> ${response.body}`).toBe(422);
      const json = response.json();
      expect(json.error_code).toBe('validation_failed');
      for (const field of fields) expect(Object.keys(json.errors), response.body).toContain(field);
    }
  });

  it('refuses a variant of another business as not available in this store', async () => {
    const { client } = await checkoutShop();
    const other = await checkoutShop({ name: 'Toko Lain' });
    const response = await client.post('/checkout', { items: [variantItem(other.shirt)], ...buyer() });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual({ 'items.0.variant_id': ['is not available in this store'] });
  });

  it('answers the uniform 404 for another store, an unknown store and a wrong key', async () => {
    const { client, shirt } = await checkoutShop();
    const otherTenant = await createTenant('Toko Asing');
    const otherClient = await checkoutClient(otherTenant);
    const body = { items: [variantItem(shirt)], ...buyer() };
    const answers = await Promise.all([
      client.post('/checkout', body, { key: otherClient.key }),
      client.post('/checkout', body, { storeUniqueId: 'store_unknown000000000000000000' }),
      client.post('/checkout', body, { key: 'sfpk_wrong' }),
    ]);
    for (const response of answers) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error_code: 'not_found', message: 'Store not found' });
    }
  });

  it('store may waive the courier: the order ships later with no shipping cost', async () => {
    const { tenant, client, shirt } = await checkoutShop();
    await setStoreColumns(tenant, { is_courier_required: false });
    const response = await client.post('/checkout', {
      items: [variantItem(shirt)],
      ...buyer({ courier_service_id: null }),
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      shipping_cost: '0.00',
      courier_service: null,
      gross_revenue: '150000.00',
    });
  });

  it('requires the postal code when the store asks for it', async () => {
    const { tenant, client, shirt } = await checkoutShop();
    await setStoreColumns(tenant, { is_postal_code: true });
    const response = await client.post('/checkout', {
      items: [variantItem(shirt)],
      ...buyer({ shipping_postal_code: null }),
    });
    expect(response.statusCode).toBe(422);
    expect(Object.keys(response.json().errors)).toEqual(['shipping_postal_code']);
  });
});

describe('the older edition’s guest-checkout path', () => {
  /** The body the official storefront demo posts: untyped items, both location names, its address words. */
  const demoBody = (variantId: number, overrides: Record<string, unknown> = {}) => ({
    items: [{ variant_id: variantId, quantity: 1 }],
    customer_name: 'Demo Customer',
    customer_email: 'demo.customer@example.com',
    customer_phone: '6281234567890',
    shipping_address: 'Jl. Demo Storefront API No. 3',
    shipping_city: 'Kota Bandung',
    shipping_province: 'Jawa Barat',
    shipping_subdistrict: 'Sukajadi',
    shipping_postal_code: '40162',
    location_id: BANDUNG,
    shipping_location_id: BANDUNG,
    payment_method: 'bank_transfer',
    ...overrides,
  });

  it('is the public checkout: the same order, the token’s cart emptied, the same 422s', async () => {
    const { tenant, client, ebook, shirt } = await checkoutShop();
    const token = await client.cartWith([{ variant_id: ebook.variants[0]!.id, quantity: 1 }]);
    const created = await client.post('/guest-checkout', demoBody(ebook.variants[0]!.id), { token });
    expect(created.statusCode, created.body).toBe(201);
    const order = created.json();
    expect(order.secret_slug).toMatch(SLUG);
    expect(order.payment_url).toMatch(/^https?:\/\/.+\/pay$/);
    expect(order).toMatchObject({
      status: 'pending',
      payment_method: 'bank_transfer',
      product_price: '99000.00',
    });
    expect(await client.cartLines(token)).toBe(0);
    expect(await orderCount(tenant)).toBe(1);

    // The demo never asks for shipping options, so a physical item meets the store's courier rule.
    const physical = await client.post('/guest-checkout', demoBody(shirt.variants[0]!.id));
    expect(physical.statusCode, physical.body).toBe(422);
    expect(physical.json().errors).toEqual({ courier_service_id: ["can't be blank when the order ships"] });
    const chosen = await client.post(
      '/guest-checkout',
      demoBody(shirt.variants[0]!.id, { courier_service_id: JNE_REG }),
    );
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(Number(chosen.json().shipping_cost)).toBeGreaterThan(0);
    expect(await orderCount(tenant)).toBe(2);
  });
});
