import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertBundle, insertProduct } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { addPixel, deliver, relay, sandboxRows, storeJobs } from './helpers.ts';

const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const now = () => Math.floor(Date.now() / 1000);
const UA = 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile';

const metaBody = (overrides: Record<string, unknown> = {}) => ({
  event_source_url: 'https://shop.example.com/products/kaos?utm_source=fb&fbclid=abc#top',
  referrer_url: 'https://www.facebook.com/',
  user_data: {
    em: ' Buyer@Example.COM ',
    ph: '0812-3456-7890',
    fbp: 'fb.1.1700000000000.123',
    fbc: 'fb.1.1700000000000.AbCd',
    client_ip_address: '1.2.3.4',
  },
  events: [{ event_name: 'ViewContent', event_id: 'evt-1', event_time: now() }],
  ...overrides,
});

describe('conversion relays: Meta', () => {
  it('answers 204, queues the hashed, enriched event and the sandbox records what would be sent', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    const pixel = await addPixel(tenant, 'meta', { pixelId: '1234567890', testEventCode: 'TEST123' });

    const res = await client.post('meta', metaBody(), {
      remoteAddress: '36.80.1.2',
      headers: { 'user-agent': UA },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    const [job] = await storeJobs(tenant.ctx.database.db, tenant.store.id);
    expect(job).toMatchObject({ status: 'queued', max_attempts: 8 });
    const payload = job!.payload as Record<string, unknown>;
    expect(payload).toMatchObject({ platform: 'meta', business_id: tenant.business.id, pixel: pixel.id });
    // No raw personal data is queued.
    expect(JSON.stringify(payload)).not.toContain('buyer@example.com');
    expect(JSON.stringify(payload)).not.toContain('0812');

    await deliver(tenant);
    const [recorded] = await sandboxRows(tenant.ctx.database.db, tenant.store.id);
    expect(recorded).toMatchObject({ platform: 'meta', pixel_id: '1234567890', test_event_code: 'TEST123' });
    expect(recorded!.request_body).toEqual({
      test_event_code: 'TEST123',
      data: [
        {
          event_name: 'ViewContent',
          event_time: expect.any(Number),
          event_id: 'evt-1',
          action_source: 'website',
          event_source_url: 'https://shop.example.com/products/kaos',
          user_data: {
            em: [sha('buyer@example.com')],
            ph: [sha('6281234567890')],
            fbp: 'fb.1.1700000000000.123',
            fbc: 'fb.1.1700000000000.AbCd',
            client_ip_address: '36.80.1.2',
            client_user_agent: UA,
          },
        },
      ],
    });
    expect(JSON.stringify(recorded!.request_body)).not.toContain('EAAB-test-token');
    expect((await storeJobs(tenant.ctx.database.db, tenant.store.id))[0]!.status).toBe('done');
  });

  it('fills contents, value and currency from the catalog for the variants and bundle price options named', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    await addPixel(tenant, 'meta');
    const product = await insertProduct(tenant, { variants: [{ price: '150000.10' }] });
    const variant = product.variants[0]!;
    const bundle = await insertBundle(
      tenant,
      [{ variantId: variant.id, quantity: 2 }],
      [{ price: '250000' }],
    );
    const option = bundle.priceOptions[0]!;

    const res = await client.post(
      'meta',
      metaBody({
        events: [
          { event_name: 'AddToCart' },
          { event_name: 'InitiateCheckout', custom_data: { value: 1, currency: 'USD' } },
        ],
        variants: [{ variant_id: variant.unique_id, quantity: 3 }, { variant_id: 999_999_999 }],
        bundle_price_options: [{ bundle_price_option_id: option.unique_id }],
      }),
    );
    expect(res.statusCode, res.body).toBe(204);
    await deliver(tenant);
    const [recorded] = await sandboxRows(tenant.ctx.database.db, tenant.store.id);
    const [first, second] = (
      recorded!.request_body as { data: Array<{ custom_data: Record<string, unknown> }> }
    ).data;
    expect(first!.custom_data).toEqual({
      currency: 'IDR',
      value: 700000.3,
      content_type: 'product',
      content_ids: [variant.unique_id, option.unique_id],
      contents: [
        { id: variant.unique_id, quantity: 3, item_price: 150000.1 },
        { id: option.unique_id, quantity: 1, item_price: 250000 },
      ],
      num_items: 4,
    });
    // What the storefront sent explicitly wins.
    expect(second!.custom_data).toMatchObject({ value: 1, currency: 'USD', num_items: 4 });
  });

  it('accepts and drops events for a store without a pixel of that platform', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    await addPixel(tenant, 'tiktok');
    const res = await client.post('meta', metaBody());
    expect(res.statusCode, res.body).toBe(204);
    expect(await storeJobs(tenant.ctx.database.db, tenant.store.id)).toEqual([]);
  });

  it('sends to one job per pixel, choosing home or checkout pixels by the page', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    const everywhere = await addPixel(tenant, 'meta', { placement: 'all' });
    const home = await addPixel(tenant, 'meta', { placement: 'home' });
    const checkout = await addPixel(tenant, 'meta', { placement: 'checkout' });
    const pixelsOf = async () =>
      (await storeJobs(tenant.ctx.database.db, tenant.store.id)).map(
        (job) => (job.payload as { pixel: number }).pixel,
      );

    await client.post('meta', metaBody({ event_source_url: 'https://shop.example.com/' }));
    expect(await pixelsOf()).toEqual([everywhere.id, home.id]);

    await client.post('meta', metaBody({ event_source_url: 'https://shop.example.com/checkout/step-1' }));
    // Without a page URL the referrer decides.
    await client.post(
      'meta',
      metaBody({ event_source_url: null, referrer_url: 'https://shop.example.com/checkout' }),
    );
    expect((await pixelsOf()).slice(2)).toEqual([everywhere.id, checkout.id, everywhere.id, checkout.id]);
  });

  it('refuses a browser origin the store has not allowed', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    const res = await client.post('meta', metaBody(), { headers: { origin: 'https://evil.example' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('origin_not_allowed');
  });

  it('rejects invalid bodies with 422 naming the field', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    const cases: Array<[unknown, string]> = [
      [{ events: [{ event_name: 'Purchase' }] }, 'user_data'],
      [metaBody({ events: [] }), 'events'],
      [metaBody({ events: [{}] }), 'events.0.event_name'],
      [
        metaBody({ events: [{ event_name: 'Purchase', event_time: now() - 30 * 86_400 }] }),
        'events.0.event_time',
      ],
      [metaBody({ event_source_url: 'not a url' }), 'event_source_url'],
      [metaBody({ event_source_url: 'ftp://shop.example.com/' }), 'event_source_url'],
      [metaBody({ variants: [{ variant_id: 1, quantity: 0 }] }), 'variants.0.quantity'],
      [metaBody({ events: Array.from({ length: 51 }, () => ({ event_name: 'PageView' })) }), 'events'],
    ];
    for (const [body, field] of cases) {
      const res = await client.post('meta', body);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(422);
      expect(res.json().error_code).toBe('validation_failed');
      expect(Object.keys(res.json().errors), res.body).toContain(field);
    }
  });

  it('answers the uniform 404 for another store, an unknown store and a missing key', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const mine = await relay(tenant);
    const theirs = await relay(other);
    for (const res of [
      await mine.post('meta', metaBody(), {
        headers: { 'x-scalev-storefront-api-key': theirs.key },
      }),
      await (await relay(tenant, 'store_doesnotexist')).post('meta', metaBody()),
      await mine.post('meta', metaBody(), { headers: { 'x-scalev-storefront-api-key': '' } }),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({ error_code: 'not_found', message: 'Store not found' });
    }
  });
});

describe('conversion relays: TikTok', () => {
  it('queues TikTok events with hashed identifiers, page and client details', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    await addPixel(tenant, 'tiktok', { pixelId: 'CABCDEF123' });
    const res = await client.post(
      'tiktok',
      {
        event_source_url: 'https://shop.example.com/p/kaos?ttclid=xyz',
        referrer_url: 'https://www.tiktok.com/',
        user: { email: 'Buyer@Example.com', phone: '+62 812 3456 7890', ttclid: 'E.C.P.abc', ttp: 'ttp-1' },
        events: [{ event: 'ViewContent', event_id: 'e1' }, { event_name: 'AddToCart' }],
        extra_top_level: 'ignored',
      },
      { remoteAddress: '36.80.9.9', headers: { 'user-agent': UA } },
    );
    expect(res.statusCode, res.body).toBe(204);
    await deliver(tenant);
    const [recorded] = await sandboxRows(tenant.ctx.database.db, tenant.store.id);
    const user = {
      email: [sha('buyer@example.com')],
      phone: [sha('+6281234567890')],
      ttclid: 'E.C.P.abc',
      ttp: 'ttp-1',
      ip: '36.80.9.9',
      user_agent: UA,
    };
    const page = { url: 'https://shop.example.com/p/kaos', referrer: 'https://www.tiktok.com/' };
    expect(recorded!.request_body).toEqual({
      event_source: 'web',
      event_source_id: 'CABCDEF123',
      data: [
        { event: 'ViewContent', event_time: expect.any(Number), event_id: 'e1', user, page },
        { event: 'AddToCart', event_time: expect.any(Number), user, page },
      ],
    });
  });

  it('requires event_source_url and an event name', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    const base = {
      event_source_url: 'https://shop.example.com/',
      user: {},
      events: [{ event: 'ViewContent' }],
    };
    let res = await client.post('tiktok', { ...base, event_source_url: undefined });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toHaveProperty('event_source_url');
    res = await client.post('tiktok', { ...base, events: [{ event_id: 'x' }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toHaveProperty(['events.0.event']);
    res = await client.post('tiktok', { ...base, user: undefined });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toHaveProperty('user');
  });
});

describe('conversion relays: SnackVideo', () => {
  it('queues one delivery per event with the click id and SnackVideo event names', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    await addPixel(tenant, 'snackvideo', { pixelId: '2983847' });
    const res = await client.post('snackvideo', {
      click_id: 'clk-123',
      event_source_url: 'https://shop.example.com/checkout',
      events: [{ event_name: 'Purchase', properties: { value: 10 } }, { event_name: 'EVENT_ADD_TO_CART' }],
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(await storeJobs(tenant.ctx.database.db, tenant.store.id)).toHaveLength(2);
    await deliver(tenant);
    const rows = await sandboxRows(tenant.ctx.database.db, tenant.store.id);
    // The two deliveries run concurrently, so their records may land in either order.
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.request_body)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          pixelId: '2983847',
          clickid: 'clk-123',
          event_name: 'EVENT_PURCHASE',
          properties: JSON.stringify({ value: 10 }),
          is_attributed: 1,
          testFlag: false,
        }),
        expect.objectContaining({ event_name: 'EVENT_ADD_TO_CART', properties: '{}' }),
      ]),
    );
  });

  it('requires click_id and events', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    let res = await client.post('snackvideo', { events: [{ event_name: 'Purchase' }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toHaveProperty('click_id');
    res = await client.post('snackvideo', { click_id: 'c', events: [{ event_name: 'bad name!' }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toHaveProperty(['events.0.event_name']);
    res = await client.post('snackvideo', { click_id: '   ', events: [{ event_name: 'Purchase' }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toHaveProperty('click_id');
  });
});
