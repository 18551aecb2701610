import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCents, toCents } from '../../src/lib/money.ts';
import type { SocketResponse } from '../helpers/server.ts';
import {
  finishJourney,
  type StorefrontClient,
  startJourneyServer,
  storefrontClient,
} from './demo-storefront.ts';

/**
 * Issue 4 acceptance: a storefront written against the published contract sells the demo seed's
 * catalog end to end, through the public HTTP API and the storefront key only, over a real socket
 * to a server started like `npm start` (issue 10). The server's logs must hold none of the secrets
 * the journey handled, and it must still answer `/healthz` at once afterwards.
 */

let shop: StorefrontClient;
beforeAll(async () => {
  shop = storefrontClient(await startJourneyServer());
});
afterAll(async () => {
  await finishJourney(shop);
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SLUG = /^[A-Za-z0-9_-]{40}$/;
/** A valid 1×1 PNG (67 bytes): a PUT of a file like it froze the whole server before issue 10. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a4944415478da6360000000020001e527defc0000000049454e44ae426082',
  'hex',
);

/** The parsed body once the status is the expected one. */
function ok(response: SocketResponse, status = 200) {
  expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(status);
  return response.json();
}

/** A JSON body as `response.json()` types it: the assertions are what check its shape. */
type Json = ReturnType<typeof ok>;

const cents = (value: string) => toCents(value);

/**
 * The order arithmetic clients rely on (domain notes): gross = product price − product discount +
 * shipping − shipping discount − code discount − unique code + other income (+ the e-payment fee,
 * which the public order has no field for).
 */
function expectGrossArithmetic(totals: Json, serviceFee = '0.00'): void {
  const gross =
    cents(totals.product_price) -
    cents(totals.product_discount) +
    cents(totals.shipping_cost) -
    cents(totals.shipping_discount) -
    cents(totals.discount_code_discount) -
    cents(totals.unique_code_discount) +
    cents(totals.other_income) +
    cents(serviceFee);
  expect(totals.gross_revenue).toBe(formatCents(gross));
}

/** Every catalog entry on the store's listing, following the cursors to the end. */
async function listAllItems(shop: StorefrontClient, query: Record<string, string | number> = {}) {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = ok(
      await shop.get('/items', {
        query: { page_size: 2, ...query, ...(cursor ? { next_cursor: cursor } : {}) },
      }),
    );
    expect(page.is_paginated).toBe(true);
    items.push(...page.data);
    cursor = page.has_next ? page.next_cursor : null;
  } while (cursor);
  return items;
}

async function productBySlug(shop: StorefrontClient, name: string): Promise<Json> {
  const item = (await listAllItems(shop, { entity_type: 'product' })).find((entry) => entry.name === name);
  expect(item, `${name} is listed`).toBeDefined();
  return ok(await shop.get(`/products/${encodeURIComponent(item!.slug)}`));
}

/** A buyer in Coblong, Kota Bandung, found the way an address form finds it. */
async function pickBandungDestination(shop: StorefrontClient) {
  const found = ok(await shop.get('/locations', { query: { search: 'coblong bandung' } }));
  const location = found.data.find((entry: Json) => entry.city_name === 'Kota Bandung');
  expect(location, JSON.stringify(found.data)).toBeDefined();
  expect(location.subdistrict_name).toBe('Coblong');
  const postalCodes = ok(await shop.get(`/locations/${location.id}/postal-codes`));
  expect(postalCodes.data.length).toBeGreaterThan(0);
  return { location_id: location.id as number, postal_code: postalCodes.data[0].postal_code as string };
}

const buyer = (destination: { location_id: number; postal_code: string }) => ({
  customer_name: 'Siti Rahayu',
  customer_email: 'siti@example.test',
  customer_phone: '081298765432',
  shipping_address: 'Jl. Ir. H. Juanda No. 99',
  shipping_location_id: destination.location_id,
  shipping_postal_code: destination.postal_code,
});

async function cartOf(shop: StorefrontClient, token: string): Promise<Json> {
  return ok(await shop.get('/cart', { token }));
}

describe('storefront end to end on the demo seed', () => {
  it('browses, fills a guest cart, checks it out with HEMAT10 by bank transfer and attaches the transfer proof', async () => {
    const items = await listAllItems(shop);
    expect(items.map((item) => item.entity_type).sort()).toEqual([
      'bundle_price_option',
      'bundle_price_option',
      'product',
      'product',
      'product',
      'product',
    ]);
    expect(ok(await shop.get('/items/count')).total).toBe(items.length);

    const shirt = await productBySlug(shop, 'Kaos Polos Premium Cotton Combed 30s');
    expect(shirt).toMatchObject({ entity_type: 'product', item_type: 'physical', is_multiple: true });
    expect(shirt.price_range).toEqual({ min: '85000.00', max: '89000.00' });
    const blackL = shirt.variants.find(
      (variant: Json) => variant.option1_value === 'Hitam' && variant.option2_value === 'L',
    );
    expect(blackL).toMatchObject({ price: '89000.00', available: true });
    const blackLStock: number = blackL.available_qty;
    expect(blackLStock).toBeGreaterThan(2);
    const ebook = await productBySlug(shop, 'E-book Jualan Online');
    const ebookVariant = ebook.variants[0];
    expect(ebookVariant.price).toBe('49000.00');

    // The first cart call without a token opens the cart and hands the token back in a header the
    // browser may read.
    const first = await shop.post('/cart/items', { type: 'variant', variant_id: blackL.id, quantity: 2 });
    ok(first, 201);
    const token = first.headers['x-scalev-guest-token'] as string;
    expect(token).toMatch(UUID);
    expect(String(first.headers['access-control-expose-headers']).toLowerCase()).toContain(
      'x-scalev-guest-token',
    );
    const second = await shop.post(
      '/cart/items',
      { type: 'variant', variant_id: ebookVariant.id, quantity: 1 },
      { token },
    );
    ok(second, 201);
    const cart = await cartOf(shop, token);
    expect(cart.items).toHaveLength(2);
    expect(cart.total).toBe('227000.00');

    const destination = await pickBandungDestination(shop);
    const options = ok(
      await shop.post(
        '/checkout/shipping-options',
        { destination, payment_method: 'bank_transfer' },
        { token },
      ),
    );
    expect(options.is_paginated).toBe(false);
    expect(options.data.length).toBeGreaterThan(0);
    const costs = options.data.map((option: Json) => cents(option.cost));
    expect([...costs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(costs);
    const option = options.data[0];
    const warehouses = ok(
      await shop.business('POST', '/v3/shipping-costs/search-warehouse', {
        destination_id: destination.location_id,
        store_id: shop.demo.store_id,
        variants: [{ variant_id: blackL.id, qty: 2 }],
      }),
    );
    expect(warehouses.data.map((found: Json) => found.warehouse.unique_id)).toContain(
      option.warehouse_unique_id,
    );
    const selection = {
      destination,
      payment_method: 'bank_transfer',
      courier_service_id: option.courier_service_id,
      warehouse_unique_id: option.warehouse_unique_id,
    };

    // 10% of Rp227.000 is under the Rp25.000 cap.
    const check = ok(await shop.post('/discount-codes/check', { code: 'HEMAT10', ...selection }, { token }));
    expect(check).toMatchObject({
      is_eligible: true,
      discount_code_discount: '22700.00',
      discount_code: { code: 'HEMAT10' },
    });
    const unknown = ok(
      await shop.post('/discount-codes/check', { code: 'HEMAT99', ...selection }, { token }),
    );
    expect(unknown).toMatchObject({
      is_eligible: false,
      discount_code: null,
      discount_code_discount: '0.00',
    });

    const summary = ok(
      await shop.post(
        '/checkout/summary',
        { ...selection, discount_code_code: 'HEMAT10', shipping_cost: '1.00' },
        { token },
      ),
    );
    expect(summary).toMatchObject({
      product_price: '227000.00',
      shipping_cost: option.cost,
      discount_code_discount: '22700.00',
      unique_code_discount: '0.00',
      service_fee: '0.00',
    });
    expectGrossArithmetic(summary);

    // (b) the token's cart is the item source when no items are sent.
    const placed = ok(
      await shop.post(
        '/checkout',
        {
          ...buyer(destination),
          payment_method: 'bank_transfer',
          courier_service_id: option.courier_service_id,
          warehouse_unique_id: option.warehouse_unique_id,
          discount_code_code: 'HEMAT10',
        },
        { token },
      ),
      201,
    );
    expect(placed).toMatchObject({
      secret_slug: expect.stringMatching(SLUG),
      status: 'pending',
      payment_status: 'unpaid',
      payment_method: 'bank_transfer',
      discount_code_code: 'HEMAT10',
      product_price: summary.product_price,
      shipping_cost: summary.shipping_cost,
      discount_code_discount: '22700.00',
      variants: { [String(blackL.id)]: 2, [String(ebookVariant.id)]: 1 },
      courier_service: { id: option.courier_service_id },
      destination_address: { city: 'Kota Bandung', postal_code: destination.postal_code },
    });
    expectGrossArithmetic(placed);
    // The bank-transfer unique code is the only thing checkout takes off beyond the summary.
    expect(placed.gross_revenue).toBe(
      formatCents(cents(summary.gross_revenue) - cents(placed.unique_code_discount)),
    );
    expect((await cartOf(shop, token)).items).toEqual([]);
    const stock = ok(await shop.get(`/variants/${blackL.id}/availability`));
    expect(stock).toMatchObject({ variant_id: blackL.id, available: true, available_qty: blackLStock - 2 });

    const order = ok(await shop.get(`/orders/${placed.secret_slug}`));
    expect(order).toMatchObject({
      id: placed.id,
      order_id: placed.order_id,
      gross_revenue: placed.gross_revenue,
      transferproof_url: null,
    });
    expect(order.store.payment_accounts).toEqual([
      expect.objectContaining({ account_number: '1234567890', account_holder: 'Toko Demo Nexus' }),
    ]);

    const upload = ok(
      await shop.post(`/orders/${placed.secret_slug}/transfer-proof-upload`, {
        filename: 'bukti-transfer.png',
        content_type: 'image/png',
        content_length: PNG.length,
      }),
    );
    ok(await shop.fetch('PUT', upload.upload_url, PNG, { 'content-type': 'image/png' }));
    const attached = ok(
      await shop.call('PATCH', `/orders/${placed.secret_slug}`, { transferproof_url: upload.file_url }),
    );
    expect(attached.transferproof_url).toBe(upload.file_url);
    const reread = ok(await shop.get(`/orders/${placed.secret_slug}`));
    expect(reread.transferproof_url).toBe(upload.file_url);
    expect(reread.transfer_time).not.toBeNull();
    const visit = await shop.fetch('GET', reread.transferproof_url);
    expect(visit.statusCode, visit.body).toBe(302);
    const download = await shop.fetch('GET', new URL(String(visit.headers.location), upload.file_url).href);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);
  });

  it("lets typed items win over the guest token's cart, clears that cart, and pays by QRIS idempotently", async () => {
    const course = await productBySlug(shop, 'Kelas Digital Marketing untuk UMKM');
    const opened = await shop.post('/cart/items', { type: 'variant', variant_id: course.variants[0].id });
    ok(opened, 201);
    const token = opened.headers['x-scalev-guest-token'] as string;
    expect((await cartOf(shop, token)).items).toHaveLength(1);

    const shirt = await productBySlug(shop, 'Kaos Polos Premium Cotton Combed 30s');
    const whiteM = shirt.variants.find(
      (variant: Json) => variant.option1_value === 'Putih' && variant.option2_value === 'M',
    );
    const items = [{ type: 'variant', variant_id: whiteM.id, quantity: 3 }];
    const destination = await pickBandungDestination(shop);
    const options = ok(
      await shop.post(
        '/checkout/shipping-options',
        { items, destination, payment_method: 'qris' },
        { token },
      ),
    );
    const option = options.data[0];
    const selection = {
      payment_method: 'qris',
      courier_service_id: option.courier_service_id,
      warehouse_unique_id: option.warehouse_unique_id,
    };

    const summary = ok(await shop.post('/checkout/summary', { items, destination, ...selection }, { token }));
    expect(summary.product_price).toBe('255000.00');
    expectGrossArithmetic(summary, summary.service_fee);

    // (a) typed items and a token: the items make the order.
    const placed = ok(
      await shop.post('/checkout', { items, ...buyer(destination), ...selection }, { token }),
      201,
    );
    expect(placed.orderlines).toEqual([
      expect.objectContaining({ variant_id: whiteM.id, quantity: 3, product_price: '255000.00' }),
    ]);
    expect(placed).toMatchObject({ payment_method: 'qris', unique_code_discount: '0.00' });
    expect(placed.gross_revenue).toBe(summary.gross_revenue);
    expectGrossArithmetic(placed, summary.service_fee);
    expect((await cartOf(shop, token)).items).toEqual([]);

    const order = ok(await shop.get(`/orders/${placed.secret_slug}`));
    expect(order.gross_revenue).toBe(summary.gross_revenue);

    const paid = ok(await shop.post(`/orders/${placed.secret_slug}/payment`));
    expect(paid.pg_payment_info.qr_string).toEqual(expect.any(String));
    expect(paid.pg_payment_info.amount).toBe(Number(summary.gross_revenue));
    const again = ok(await shop.post(`/orders/${placed.secret_slug}/payment`));
    expect(again.pg_payment_info).toEqual(paid.pg_payment_info);
    expect(again.payment_expiration_at).toBe(paid.payment_expiration_at);
    expect(ok(await shop.get(`/orders/${placed.secret_slug}`)).pg_payment_info).toEqual(paid.pg_payment_info);
  });

  it('checks out a typed bundle price option without a token and pays by virtual account idempotently', async () => {
    const listed = await listAllItems(shop, { entity_type: 'bundle_price_option' });
    const hemat = listed.find((item) => item.name.endsWith('Paket Hemat'));
    expect(hemat, JSON.stringify(listed)).toBeDefined();
    const option = ok(await shop.get(`/bundle-price-options/${encodeURIComponent(hemat!.slug)}`));
    expect(option).toMatchObject({ entity_type: 'bundle_price_option', price_range: { min: '199000.00' } });

    const methods = ok(await shop.get('/payment-methods'));
    const va = methods.data.find((method: Json) => method.payment_method === 'va');
    expect(va.sub_payment_methods.map((bank: Json) => bank.code)).toContain('BNI');

    const items = [{ type: 'bundle_price_option', bundle_price_option_id: option.bundle_price_option_id }];
    const destination = await pickBandungDestination(shop);
    const shipping = ok(
      await shop.post('/checkout/shipping-options', { items, destination, payment_method: 'va' }),
    );
    const selection = {
      payment_method: 'va',
      sub_payment_method: 'BNI',
      courier_service_id: shipping.data[0].courier_service_id,
      warehouse_unique_id: shipping.data[0].warehouse_unique_id,
    };
    const summary = ok(await shop.post('/checkout/summary', { items, destination, ...selection }));
    expect(summary.product_price).toBe('199000.00');
    expectGrossArithmetic(summary, summary.service_fee);

    // (c) no guest token at all: the typed bundle item is the order.
    const placed = ok(await shop.post('/checkout', { items, ...buyer(destination), ...selection }), 201);
    expect(placed).toMatchObject({
      bundle_price_options: { [String(option.bundle_price_option_id)]: 1 },
      variants: {},
      payment_method: 'va',
      sub_payment_method: 'BNI',
      gross_revenue: summary.gross_revenue,
    });
    expectGrossArithmetic(placed, summary.service_fee);

    const order = ok(await shop.get(`/orders/${placed.secret_slug}`));
    expect(order.gross_revenue).toBe(summary.gross_revenue);
    const paid = ok(await shop.post(`/orders/${placed.secret_slug}/payment`));
    const account = paid.pg_payment_info.payment_method.virtual_account;
    expect(account.channel_code).toBe('BNI');
    // The sandbox's numbers are visibly fake (no bank issues 99999…), yet digits as clients expect.
    expect(account.channel_properties.virtual_account_number).toMatch(/^99999\d{11}$/);
    expect(paid.pg_payment_info.amount).toBe(Number(summary.gross_revenue));
    const again = ok(await shop.post(`/orders/${placed.secret_slug}/payment`));
    expect(again.pg_payment_info).toEqual(paid.pg_payment_info);
  });
});
