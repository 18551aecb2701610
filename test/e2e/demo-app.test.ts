import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketResponse } from '../helpers/server.ts';
import {
  finishJourney,
  type Method,
  type StorefrontClient,
  startJourneyServer,
  storefrontClient,
} from './demo-storefront.ts';

/**
 * Issue 11 acceptance: the official storefront demo (scalevcom/storefront_api_demo, `src/App.tsx`
 * and `src/api.ts`) buys from the demo store unchanged. This walks the requests the app makes, in
 * its order and its exact shapes (paths and query strings as it builds them, its bodies, the
 * headers its `fetch` sends from a browser on another origin), over a real socket to a server
 * started like `npm start`, and asserts on every field the app reads from each answer.
 */

/** Where the demo app runs in development (`vite`): a registered origin of the store, not the API's. */
const APP_ORIGIN = 'http://localhost:5173';

/** The ids and slugs the app ships with (`src/config.ts`): its own store's, unknown here. */
const DEMO_PRODUCT_SLUGS = ['new-digital-agis', 'new-lms', 'tiktok-ads-mastery-dari-nol-sampai-cuan'];
const DEMO_VARIANT_IDS = [494535, 490173, 482457, 480615, 456601, 456599, 456593, 443228, 439347, 429174];

/** The checkout form's starting values (`emptyCheckout`). */
const FORM = {
  name: 'Demo Customer',
  email: 'demo.customer@example.com',
  phone: '+6281234567890',
  address: 'Jl. Demo Storefront API No. 3',
  city: 'Jakarta',
  postalCode: '10210',
  paymentMethod: 'bank_transfer',
};

// biome-ignore lint/suspicious/noExplicitAny: the app reads untyped JSON; the assertions check it.
type Json = any;

interface AppResult {
  ok: boolean;
  status: number;
  data: Json;
  /** What the app quotes in its error log lines. */
  requestId: string | null;
}

let shop: StorefrontClient;
beforeAll(async () => {
  shop = storefrontClient(await startJourneyServer());
  // The app's README asks the merchant to register its origin for the store. On the embedded demo
  // store the usual development origins (Vite's 5173 among them) are allowed from the first start;
  // on PostgreSQL (a real installation) none is, so the merchant registers it as the README says.
  const originsPath = `/v3/stores/${shop.demo.store_id}/storefront/allowed-origins`;
  if (shop.server.databaseUrl) {
    const added = await shop.business('POST', originsPath, { origin: APP_ORIGIN });
    expect(added.statusCode, added.body).toBe(200);
  }
  const origins = await shop.business('GET', originsPath);
  expect(origins.statusCode, origins.body).toBe(200);
  expect(origins.json().data.map((entry: { origin: string }) => entry.origin)).toContain(APP_ORIGIN);
});
afterAll(async () => {
  await finishJourney(shop);
});

/**
 * The app's `requestJson`: `{API}/v3/stores/{store}/{path}`, `Accept: application/json`, a JSON
 * body with its content type, the publishable key on `public/` paths, the guest token it keeps
 * (from any answer's `X-Scalev-Guest-Token`) on cart and guest-checkout paths, `credentials: omit`.
 * Each answer must be one a browser on the app's origin is allowed to read.
 */
function demoApp(client: StorefrontClient) {
  let guestToken = '';
  return {
    guestToken: () => guestToken,
    async request(path: string, options: { method?: Method; body?: unknown } = {}): Promise<AppResult> {
      const cleanPath = path.replace(/^\/+/, '');
      const headers: Record<string, string> = { accept: 'application/json', origin: APP_ORIGIN };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (cleanPath.startsWith('public/')) {
        headers['x-scalev-storefront-api-key'] = client.demo.storefront_api_key;
        const usesToken = cleanPath.startsWith('public/cart') || cleanPath === 'public/guest-checkout';
        if (guestToken && usesToken) headers['x-scalev-guest-token'] = guestToken;
      }
      const response = await client.send(
        options.method ?? 'GET',
        `/v3/stores/${client.demo.store_unique_id}/${cleanPath}`,
        { headers, ...(options.body !== undefined ? { body: options.body } : {}) },
      );
      expectReadableByApp(response);
      const next = response.headers['x-scalev-guest-token'];
      if (next) guestToken = next;
      return {
        ok: response.statusCode >= 200 && response.statusCode < 300,
        status: response.statusCode,
        data: response.body ? response.json() : undefined,
        requestId: response.headers['x-request-id'] ?? null,
      };
    },
  };
}

/** The browser hands the app the answer (and the headers it reads) only under a CORS grant. */
function expectReadableByApp(response: SocketResponse): void {
  expect(response.headers['access-control-allow-origin'], response.body).toBe(APP_ORIGIN);
  const exposed = String(response.headers['access-control-expose-headers']).toLowerCase();
  expect(exposed).toContain('x-scalev-guest-token');
  expect(exposed).toContain('x-request-id');
  expect(response.headers['x-request-id']).toBeTruthy();
}

/** The browser's preflight before a call with the app's custom headers. */
async function preflight(path: string, method: Method, requestHeaders: string[]): Promise<void> {
  const response = await shop.server.send('OPTIONS', `/v3/stores/${shop.demo.store_unique_id}/${path}`, {
    headers: {
      origin: APP_ORIGIN,
      'access-control-request-method': method,
      'access-control-request-headers': requestHeaders.join(','),
    },
  });
  expect(response.statusCode, `preflight ${method} ${path}`).toBe(204);
  expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
  expect(String(response.headers['access-control-allow-methods'])).toContain(method);
  const allowed = String(response.headers['access-control-allow-headers']).toLowerCase();
  for (const header of requestHeaders) expect(allowed, header).toContain(header);
}

const DECIMAL = /^\d+\.\d{2}$/;

/** The fields the app reads from a catalog card: grid, featured block, quick view, "Add". */
function expectCardAsAppReadsIt(product: Json): void {
  expect(product).toMatchObject({
    id: expect.any(Number),
    slug: expect.any(String),
    name: expect.any(String),
    item_type: expect.any(String),
    images: expect.any(Array),
    price_range: { min: expect.stringMatching(DECIMAL) },
  });
  expect(product).toHaveProperty('description');
  expect(product).toHaveProperty('meta_thumbnail');
  expect(product).toHaveProperty('taxonomy');
  if (product.taxonomy) expect(product.taxonomy.full_path).toEqual(expect.any(String));
  expect(product.variants).toEqual(expect.any(Array));
  for (const variant of product.variants) {
    expect(variant).toMatchObject({
      id: expect.any(Number),
      fullname: expect.any(String),
      price: expect.stringMatching(DECIMAL),
      currency: 'IDR',
      images: expect.any(Array),
    });
    expect(variant).toHaveProperty('option1_value');
    expect(variant).toHaveProperty('option2_value');
    expect(variant).toHaveProperty('option3_value');
  }
}

/** The fields the app reads from a delivery location (`LocationOption`). */
function expectLocationAsAppReadsIt(location: Json): void {
  expect(location).toMatchObject({
    id: expect.any(Number),
    subdistrict_name: expect.any(String),
    city_name: expect.any(String),
    province_name: expect.any(String),
    display: expect.any(String),
  });
}

/** The app's `uniqueSorted`. */
const uniqueSorted = (values: string[]) =>
  [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b));

describe('the official storefront demo app against the demo store', () => {
  it('loads the shop, picks a delivery area, fills the cart and buys through its own UI', async () => {
    const app = demoApp(shop);

    // probeScalev, then loadStorefront's six reads at once (the product pages one after another).
    await preflight('public/products/count', 'GET', ['x-scalev-storefront-api-key']);
    const probe = await app.request('public/categories');
    expect(probe.ok).toBe(true);
    const loadProductPages = async (limit: number) => {
      const products = new Map<number, Json>();
      let endpoint = 'public/products?page_size=5';
      let pageCount = 0;
      while (endpoint && products.size < limit && pageCount < 8) {
        const result = await app.request(endpoint);
        expect(result.ok, JSON.stringify(result.data)).toBe(true);
        expect(result.data.data).toEqual(expect.any(Array));
        pageCount += 1;
        for (const product of result.data.data) products.set(product.id, product);
        endpoint =
          result.data.has_next && result.data.next_cursor
            ? `public/products?next_cursor=${encodeURIComponent(result.data.next_cursor)}&page_size=5`
            : '';
      }
      return { products: [...products.values()].slice(0, limit), pageCount };
    };
    const [count, categories, pages, pricing, paymentMethods, provinces] = await Promise.all([
      app.request('public/products/count'),
      app.request('public/categories'),
      loadProductPages(12),
      app.request(`public/variants/pricing?ids=${DEMO_VARIANT_IDS.join(',')}`),
      app.request('public/payment-methods'),
      app.request('public/locations/provinces'),
    ]);

    // "Product count": `total`, a number of entries that matches what the list pages through.
    expect(count.ok).toBe(true);
    expect(Number(count.data.total)).toBe(6);
    // Category chips: the first three names.
    expect(categories.ok).toBe(true);
    for (const category of categories.data.data) expect(category.name).toEqual(expect.any(String));
    // Two cursor pages of five. The app keys entries by `id`, so a bundle price option whose id is
    // also a product's disappears behind the product (see docs/decisions.md); products all stay.
    expect(pages.pageCount).toBe(2);
    const products: Json[] = pages.products;
    for (const product of products) expectCardAsAppReadsIt(product);
    expect(products.map((product) => product.name)).toEqual(
      expect.arrayContaining([
        'Kaos Polos Premium Cotton Combed 30s',
        'E-book Jualan Online',
        'Kelas Digital Marketing untuk UMKM',
        'Membership Komunitas Seller',
      ]),
    );
    const shirt = products.find((product) => product.name === 'Kaos Polos Premium Cotton Combed 30s');
    const ebook = products.find((product) => product.name === 'E-book Jualan Online');
    expect(shirt, JSON.stringify(products.map((product) => product.name))).toBeDefined();
    expect(ebook).toBeDefined();
    expect(shirt.variants).toHaveLength(4);
    expect(shirt.variants[0]).toMatchObject({
      fullname: 'Kaos Polos Premium Cotton Combed 30s - Hitam / M',
      option1_value: 'Hitam',
      option2_value: 'M',
      price: '89000.00',
    });
    expect(shirt.price_range.min).toBe('85000.00');
    // The app's own store's variant ids name nothing here: an empty list, not an error.
    expect(pricing.ok).toBe(true);
    expect(pricing.data.data).toHaveLength(0);
    // Payment choices: the enabled ones, by code and label; the form keeps bank transfer.
    expect(paymentMethods.ok).toBe(true);
    const enabledMethods: Json[] = paymentMethods.data.data.filter(
      (method: Json) => method.enabled !== false,
    );
    expect(enabledMethods.map((method) => method.code)).toEqual([
      'bank_transfer',
      'cod',
      'va',
      'qris',
      'ovo',
      'dana',
      'shopeepay',
    ]);
    expect(enabledMethods.map((method) => method.label || method.code)).toEqual([
      'Bank Transfer',
      'Cash on Delivery',
      'Virtual Account',
      'QRIS',
      'OVO',
      'DANA',
      'ShopeePay',
    ]);
    for (const method of enabledMethods) {
      expect(method.description).toEqual(expect.any(String));
      expect(method.requires_redirect).toEqual(expect.any(Boolean));
    }
    const form = { ...FORM };
    expect(enabledMethods.some((method) => method.code === form.paymentMethod)).toBe(true);
    // Provinces by `province_name`; the guided picker starts on DKI Jakarta.
    expect(provinces.ok).toBe(true);
    const provinceOptions = uniqueSorted(provinces.data.data.map((item: Json) => item.province_name));
    expect(provinceOptions).toHaveLength(38);
    expect(provinceOptions).toContain('DKI Jakarta');

    // refreshCart("Initial cart"): the first cart call hands the app its guest token.
    const initialCart = await app.request('public/cart');
    expect(initialCart.ok).toBe(true);
    expect(app.guestToken()).toMatch(/^[0-9a-f-]{36}$/);
    expect(initialCart.data).toMatchObject({ item_count: 0, total: '0.00', items: [] });

    // loadProvinceCities("DKI Jakarta") -> the first city -> its districts -> the first district's
    // postal codes (`selectDeliveryLocation`).
    const provinceRecord = provinces.data.data.find((item: Json) => item.province_name === 'DKI Jakarta');
    const provinceId = provinceRecord.province_id || provinceRecord.ro_province_id || null;
    expect(provinceId).toBe(31);
    const cities = await app.request(`public/locations/cities?province_id=${provinceId}`);
    expect(cities.ok && cities.data.data.length > 0).toBe(true);
    const cityOptions = uniqueSorted(cities.data.data.map((city: Json) => city.city_name));
    expect(cityOptions).toContain('Kota Jakarta Pusat');
    const guidedCity = cityOptions[0]!;
    const city = cities.data.data.find((item: Json) => item.city_name === guidedCity);
    const cityId = city.city_id || city.ro_city_id || null;
    expect(cityId).toEqual(expect.any(Number));
    const districts = await app.request(`public/locations/subdistricts?city_id=${cityId}`);
    expect(districts.ok && districts.data.data.length > 0).toBe(true);
    for (const district of districts.data.data) {
      expectLocationAsAppReadsIt(district);
      expect(district).toMatchObject({ city_name: guidedCity, province_name: 'DKI Jakarta' });
    }
    const subdistrictOptions = [...districts.data.data].sort((a: Json, b: Json) =>
      a.subdistrict_name.localeCompare(b.subdistrict_name),
    );
    let selectedLocation: Json = subdistrictOptions[0];
    const loadPostalCodes = async (location: Json) => {
      const result = await app.request(`public/locations/${location.id}/postal-codes`);
      expect(result.ok && result.data.data.length > 0, JSON.stringify(result.data)).toBe(true);
      const codes: Json[] = result.data.data;
      for (const code of codes)
        expect(code).toMatchObject({ id: expect.any(Number), postal_code: expect.any(String) });
      expect(new Set(codes.map((code) => code.id)).size).toBe(codes.length);
      form.postalCode =
        codes.find((item) => item.postal_code === form.postalCode)?.postal_code || codes[0].postal_code;
    };
    form.city = selectedLocation.city_name;
    await loadPostalCodes(selectedLocation);

    // The search box (debounced "Cempaka Putih", 100 a page): the buyer picks the first match.
    const found = await app.request(
      `public/locations?search=${encodeURIComponent('Cempaka Putih')}&page_size=100`,
    );
    expect(found.ok).toBe(true);
    expect(found.data).toMatchObject({ has_next: false, next_cursor: null });
    for (const location of found.data.data) expectLocationAsAppReadsIt(location);
    selectedLocation = found.data.data[0];
    expect(selectedLocation.display).toBe('Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta');
    form.city = selectedLocation.city_name;
    await loadPostalCodes(selectedLocation);
    expect(['10510', '10520', '10570']).toContain(form.postalCode);

    // The quick view opens on the first card; its first variant's availability is shown.
    const selectedProduct =
      products.find((item) => item.slug === DEMO_PRODUCT_SLUGS[0]) || products[0] || null;
    const availabilityOf = async (variantId: number) => {
      const result = await app.request(`public/variants/${variantId}/availability`);
      expect(result.ok).toBe(true);
      expect(result.data.available).toEqual(expect.any(Boolean));
      expect(result.data.stock_status).toEqual(expect.any(String));
      return result.data;
    };
    if (selectedProduct.variants.length) await availabilityOf(selectedProduct.variants[0].id);

    // "Add" on the shirt's card: its first variant, one unit; then the cart is read again.
    const refreshCart = async () => {
      const result = await app.request('public/cart');
      expect(result.ok).toBe(true);
      for (const item of result.data.items) {
        expect(item).toMatchObject({ id: expect.any(Number), quantity: expect.any(Number) });
        // cartItemTitle and itemLinePrice.
        expect(item.product_name || item.variant_name).toEqual(expect.any(String));
        expect(item.line_subtotal).toMatch(DECIMAL);
      }
      expect(result.data.item_count).toEqual(expect.any(Number));
      expect(result.data.total).toMatch(DECIMAL);
      return result.data;
    };
    await preflight('public/cart/items', 'POST', [
      'content-type',
      'x-scalev-storefront-api-key',
      'x-scalev-guest-token',
    ]);
    const addToCart = async (variant: Json, amount: number) => {
      const result = await app.request('public/cart/items', {
        method: 'POST',
        body: { variant_id: variant.id, quantity: amount },
      });
      expect(result.ok, JSON.stringify(result.data)).toBe(true);
      return refreshCart();
    };
    let cart = await addToCart(shirt.variants[0], 1);
    expect(cart.items).toHaveLength(1);
    expect(cart.items[0]).toMatchObject({
      variant_id: shirt.variants[0].id,
      quantity: 1,
      product_name: 'Kaos Polos Premium Cotton Combed 30s',
      line_subtotal: '89000.00',
    });
    expect(cart).toMatchObject({ item_count: 1, total: '89000.00' });

    // "+" on the line.
    await preflight(`public/cart/items/${cart.items[0].id}`, 'PATCH', [
      'content-type',
      'x-scalev-storefront-api-key',
      'x-scalev-guest-token',
    ]);
    const increased = await app.request(`public/cart/items/${cart.items[0].id}`, {
      method: 'PATCH',
      body: { quantity: Number(cart.items[0].quantity || 1) + 1 },
    });
    expect(increased.ok).toBe(true);
    cart = await refreshCart();
    expect(cart).toMatchObject({ item_count: 2, total: '178000.00' });
    expect(cart.items[0].line_subtotal).toBe('178000.00');

    // "Place order" with the shirt: the app never asks for shipping options, so it sends no
    // courier service, and the demo store requires one for what ships. The app shows its notice.
    const runGuestCheckout = async () => {
      const payload = {
        items: cart.items.map((item: Json) => ({ variant_id: item.variant_id, quantity: item.quantity })),
        customer_name: form.name,
        customer_email: form.email,
        customer_phone: form.phone.replace(/^\+/, ''),
        shipping_address: form.address,
        shipping_city: selectedLocation?.city_name || form.city,
        shipping_province: selectedLocation?.province_name,
        shipping_subdistrict: selectedLocation?.subdistrict_name,
        shipping_postal_code: form.postalCode,
        location_id: selectedLocation?.id,
        shipping_location_id: selectedLocation?.id,
        payment_method: form.paymentMethod,
      };
      return app.request('public/guest-checkout', { method: 'POST', body: payload });
    };
    await preflight('public/guest-checkout', 'POST', [
      'content-type',
      'x-scalev-storefront-api-key',
      'x-scalev-guest-token',
    ]);
    const refused = await runGuestCheckout();
    expect(refused.status).toBe(422);
    expect(refused.data.errors).toEqual({ courier_service_id: ["can't be blank when the order ships"] });
    expect(refused.data.message || refused.data.error).toEqual(expect.any(String));
    expect(refused.requestId).toBeTruthy();

    // The buyer takes the shirt out (trash icon) and adds the e-book from its quick view instead.
    await preflight(`public/cart/items/${cart.items[0].id}`, 'DELETE', [
      'x-scalev-storefront-api-key',
      'x-scalev-guest-token',
    ]);
    const removed = await app.request(`public/cart/items/${cart.items[0].id}`, { method: 'DELETE' });
    expect(removed.ok).toBe(true);
    cart = await refreshCart();
    expect(cart).toMatchObject({ item_count: 0, total: '0.00', items: [] });
    const ebookVariant = ebook.variants[0];
    expect(ebookVariant).toMatchObject({ fullname: 'E-book Jualan Online', price: '49000.00' });
    const stock = await availabilityOf(ebookVariant.id);
    expect(stock).toMatchObject({ available: true, stock_status: 'in_stock' });
    cart = await addToCart(ebookVariant, 1);
    expect(cart.items).toEqual([
      expect.objectContaining({
        variant_id: ebookVariant.id,
        quantity: 1,
        product_name: 'E-book Jualan Online',
        variant_name: 'E-book Jualan Online',
        line_subtotal: '49000.00',
      }),
    ]);
    expect(cart).toMatchObject({ item_count: 1, total: '49000.00' });

    // "Place order": the order comes back with the secret slug and a payment URL the app links to.
    const placed = await runGuestCheckout();
    expect(placed.status, JSON.stringify(placed.data)).toBe(201);
    const order = placed.data;
    expect(order.secret_slug).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(order.payment_url).toMatch(/^https?:\/\//);
    expect(order).toMatchObject({
      status: 'pending',
      payment_status: 'unpaid',
      payment_method: 'bank_transfer',
      product_price: '49000.00',
    });
    // The token's cart was checked out: it is empty now.
    expect(await refreshCart()).toMatchObject({ item_count: 0, items: [] });

    // "Order status", then "Continue to payment" opens the payment page in a new tab.
    const status = await app.request(`public/orders/${order.secret_slug}`);
    expect(status.ok).toBe(true);
    expect(status.data).toMatchObject({ secret_slug: order.secret_slug, order_id: order.order_id });
    const page = await shop.fetch('GET', order.payment_url);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain(order.order_id);
  });

  it('is refused, like any storefront call, from an origin the store did not register', async () => {
    const response = await shop.send('GET', `/v3/stores/${shop.demo.store_unique_id}/public/products/count`, {
      headers: {
        accept: 'application/json',
        origin: 'https://not-the-demo.example.com',
        'x-scalev-storefront-api-key': shop.demo.storefront_api_key,
      },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error_code).toBe('origin_not_allowed');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
