import { beforeAll, describe, expect, it } from 'vitest';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import {
  BPO_ID,
  businessOf,
  createBundle,
  expectFieldError,
  expectStatus,
  ISO,
  ownerRef,
  placeInStore,
  setTaxRate,
  warmUp,
} from './helpers.ts';

beforeAll(warmUp);

describe('createBundle / getBundle', () => {
  it('creates a bundle with lines and price options and returns the exact shape', async () => {
    const tenant = await createTenant('Bundles');
    await setTaxRate(tenant, '0.11');
    const kaos = await insertProduct(tenant, {
      name: 'Kaos',
      variants: [
        { price: '100000', weight: 200, sku: 'K-M', option1_value: 'Merah' },
        { price: '120000', weight: 250 },
      ],
    });
    const [merah, polos] = kaos.variants;
    const bundle = await createBundle(tenant, {
      custom_id: 'PKT-1',
      description: 'Dua kaos',
      rich_description: '<p>Dua kaos</p>',
      images: ['https://cdn.example.com/a.jpg'],
      meta_thumbnail: 'https://cdn.example.com/t.jpg',
      weight_bump: 50,
      labels: ['promo', ' promo ', 'lebaran'],
      bundlelines: [
        { variant_id: merah!.id, quantity: 2 },
        { variant_id: polos!.id, quantity: 1 },
      ],
      bundle_price_options: [
        { name: 'Harga Normal', price: 300000 },
        { name: 'Harga Promo', price: '277500.5', slug: 'promo-kaos' },
      ],
    });

    expect(bundle).toEqual({
      id: expect.any(Number),
      business: businessOf(tenant),
      custom_id: 'PKT-1',
      name: 'Paket Hemat',
      public_name: 'Paket Hemat Ramadhan',
      description: 'Dua kaos',
      rich_description: '<p>Dua kaos</p>',
      meta_thumbnail: 'https://cdn.example.com/t.jpg',
      images: ['https://cdn.example.com/a.jpg'],
      labels: [{ name: 'promo' }, { name: 'lebaran' }],
      is_bundle_sharing: false,
      weight_bump: 50,
      created_at: expect.stringMatching(ISO),
      created_by: ownerRef(tenant),
      last_updated_at: expect.stringMatching(ISO),
      last_updated_by: ownerRef(tenant),
      bundlelines: [
        {
          id: expect.any(Number),
          quantity: 2,
          subtotal: '200000.00',
          variant: {
            id: merah!.id,
            uuid: merah!.uuid,
            unique_id: merah!.unique_id,
            name: 'Kaos - Merah',
            fullname: 'Kaos - Merah',
            display: 'Kaos - Merah',
            product_name: 'Kaos',
            item_type: 'physical',
            option1_value: 'Merah',
            option2_value: null,
            option3_value: null,
            sku: 'K-M',
            price: '100000.00',
            price_bt: '100000.00',
            cogs: '0.00',
            cogs_bt: '0.00',
            reseller_price: '0.00',
            reseller_price_bt: '0.00',
            currency: 'IDR',
            weight: 200,
            pricing_type: 'one_time',
            interval: null,
            interval_count: null,
            validity_period: null,
            validity_period_unit: null,
            is_checked: true,
            is_editable: true,
            images: [],
            self_file_urls: [],
            metadata: {},
            digital_product_files: [],
            created_at: expect.stringMatching(ISO),
            last_updated_at: expect.stringMatching(ISO),
            product: {
              id: kaos.id,
              uuid: kaos.uuid,
              name: 'Kaos',
              public_name: null,
              display: 'Kaos',
              description: null,
              item_type: 'physical',
              is_inventory: false,
              is_multiple: false,
              is_product_sharing: false,
              option1_name: null,
              option2_name: null,
              option3_name: null,
            },
          },
        },
        expect.objectContaining({ quantity: 1, subtotal: '120000.00' }),
      ],
      bundle_price_options: [
        {
          id: expect.any(Number),
          unique_id: expect.stringMatching(BPO_ID),
          name: 'Harga Normal',
          slug: 'harga-normal',
          price: '300000.00',
          price_bt: '270270.27',
          weight_bump: 0,
          stores: [],
          form_displays: [],
          upsell_form_displays: [],
        },
        expect.objectContaining({ name: 'Harga Promo', slug: 'promo-kaos', price: '277500.50' }),
      ],
    });
    expect(bundle.bundlelines[1].variant.name).toBe('Kaos');

    const got = await tenant.request('GET', `/v3/bundles/${bundle.id}`);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toEqual(bundle);
  });

  it('creates a bare bundle with only the required names', async () => {
    const tenant = await createTenant('Bundles');
    const bundle = await createBundle(tenant);
    expect(bundle).toMatchObject({
      custom_id: null,
      description: null,
      images: [],
      labels: [],
      weight_bump: 0,
      bundlelines: [],
      bundle_price_options: [],
    });
  });

  it('generates distinct slugs from equal names, also against existing options', async () => {
    const tenant = await createTenant('Bundles');
    const first = await createBundle(tenant, {
      bundle_price_options: [{ name: 'Paket Ramadhân!', price: 1 }],
    });
    expect(first.bundle_price_options[0].slug).toBe('paket-ramadhan');
    const second = await createBundle(tenant, {
      bundle_price_options: [
        { name: 'Paket Ramadhan', price: 1 },
        { name: 'paket ramadhan', price: 2 },
        { name: '***', price: 3 },
      ],
    });
    expect(second.bundle_price_options.map((o: { slug: string }) => o.slug)).toEqual([
      'paket-ramadhan-2',
      'paket-ramadhan-3',
      'paket',
    ]);
  });

  it('rejects bad input with 422 naming the field', async () => {
    const tenant = await createTenant('Bundles');
    const post = (body: unknown) => tenant.request('POST', '/v3/bundles', { body });
    expectFieldError(await post({ public_name: 'X' }), 'name');
    expectFieldError(await post({ name: 'X' }), 'public_name');
    expectFieldError(await post({ name: '   ', public_name: 'X' }), 'name');
    expectFieldError(await post({ name: 'X', public_name: 'X', images: ['not a url'] }), 'images.0');
    expectFieldError(await post({ name: 'X', public_name: 'X', weight_bump: -1 }), 'weight_bump');
    expectFieldError(
      await post({ name: 'X', public_name: 'X', bundlelines: [{ variant_id: 1, quantity: 0 }] }),
      'bundlelines.0.quantity',
    );
    expectFieldError(
      await post({ name: 'X', public_name: 'X', bundlelines: [{ variant_id: 'abc', quantity: 1 }] }),
      'bundlelines.0.variant_id',
    );
    expectFieldError(
      await post({ name: 'X', public_name: 'X', bundle_price_options: [{ name: 'A', price: '-1' }] }),
      'bundle_price_options.0.price',
    );
    expectFieldError(
      await post({ name: 'X', public_name: 'X', bundle_price_options: [{ name: 'A', price: 1.234 }] }),
      'bundle_price_options.0.price',
    );
    expectFieldError(
      await post({
        name: 'X',
        public_name: 'X',
        bundle_price_options: [{ name: 'A', price: 1, slug: 'Bad Slug' }],
      }),
      'bundle_price_options.0.slug',
    );
    expectFieldError(
      await post({
        name: 'X',
        public_name: 'X',
        bundle_price_options: [
          { name: 'A', price: 1, slug: 'same' },
          { name: 'B', price: 1, slug: 'same' },
        ],
      }),
      'bundle_price_options.1.slug',
    );
    const list = await tenant.request('GET', '/v3/bundles/count');
    expect(list.json()).toEqual({ count: 0 });
  });

  it('refuses another business variant and a repeated variant on that line, creating nothing', async () => {
    const tenant = await createTenant('Bundles');
    const other = await createTenant('Lain');
    const mine = await insertProduct(tenant);
    const theirs = await insertProduct(other);
    const res = await tenant.request('POST', '/v3/bundles', {
      body: {
        name: 'X',
        public_name: 'X',
        bundlelines: [
          { variant_id: mine.variants[0]!.id, quantity: 1 },
          { variant_id: theirs.variants[0]!.id, quantity: 1 },
          { variant_id: mine.variants[0]!.id, quantity: 2 },
          { variant_id: 9_007_199_254_740_991, quantity: 1 },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(Object.keys(res.json().errors).sort()).toEqual([
      'bundlelines.1.variant_id',
      'bundlelines.2.variant_id',
      'bundlelines.3.variant_id',
    ]);
    expect((await tenant.request('GET', '/v3/bundles/count')).json()).toEqual({ count: 0 });
  });

  it('refuses a slug another bundle of the business already uses', async () => {
    const tenant = await createTenant('Bundles');
    await createBundle(tenant, { bundle_price_options: [{ name: 'A', price: 1, slug: 'taken' }] });
    const res = await tenant.request('POST', '/v3/bundles', {
      body: { name: 'X', public_name: 'X', bundle_price_options: [{ name: 'A', price: 1, slug: 'taken' }] },
    });
    expectFieldError(res, 'bundle_price_options.0.slug');
    // Slugs are unique per business only.
    const other = await createTenant('Lain');
    await createBundle(other, { bundle_price_options: [{ name: 'A', price: 1, slug: 'taken' }] });
  });

  it('answers 404 for another business bundle and 422 for a non-numeric or huge id', async () => {
    const tenant = await createTenant('Bundles');
    const other = await createTenant('Lain');
    const theirs = await createBundle(other);
    expectStatus(await tenant.request('GET', `/v3/bundles/${theirs.id}`), 404, 'not_found');
    expectStatus(
      await tenant.request('PATCH', `/v3/bundles/${theirs.id}`, { body: { name: 'X' } }),
      404,
      'not_found',
    );
    expectStatus(await tenant.request('DELETE', `/v3/bundles/${theirs.id}`), 404, 'not_found');
    expectStatus(await tenant.request('GET', `/v3/bundles/${theirs.id}/relations`), 404, 'not_found');
    expectFieldError(await tenant.request('GET', '/v3/bundles/abc'), 'id');
    expectFieldError(await tenant.request('GET', '/v3/bundles/99999999999999999999'), 'id');
    expect((await other.request('GET', `/v3/bundles/${theirs.id}`)).statusCode).toBe(200);
  });

  it('requires the bundle scopes', async () => {
    const tenant = await createTenant('Bundles');
    const bundle = await createBundle(tenant);
    const key = await tenant.restrictedKey(['order:read']);
    const calls: Array<[Parameters<typeof tenant.request>[0], string, unknown?]> = [
      ['GET', '/v3/bundles'],
      ['POST', '/v3/bundles', { name: 'X', public_name: 'X' }],
      ['GET', '/v3/bundles/simplified'],
      ['GET', '/v3/bundles/count'],
      ['GET', `/v3/bundles/${bundle.id}`],
      ['PATCH', `/v3/bundles/${bundle.id}`, { name: 'Y' }],
      ['DELETE', `/v3/bundles/${bundle.id}`],
      ['GET', `/v3/bundles/${bundle.id}/relations`],
    ];
    for (const [method, url, body] of calls) {
      const res = await tenant.request(method, url, { key, ...(body ? { body } : {}) });
      expectStatus(res, 403, 'insufficient_scope');
    }
    const reader = await tenant.restrictedKey(['bundle:read']);
    expect((await tenant.request('GET', `/v3/bundles/${bundle.id}`, { key: reader })).statusCode).toBe(200);
  });
});

describe('updateBundle', () => {
  it('changes only the sent fields and replaces the lines, keeping ids of variants that stay', async () => {
    const tenant = await createTenant('Bundles');
    const product = await insertProduct(tenant, { variants: [{}, {}, {}] });
    const [a, b, c] = product.variants;
    const bundle = await createBundle(tenant, {
      description: 'lama',
      labels: ['x'],
      bundlelines: [
        { variant_id: a!.id, quantity: 1 },
        { variant_id: b!.id, quantity: 1 },
      ],
      bundle_price_options: [{ name: 'Satu', price: 10 }],
    });
    const lineB = bundle.bundlelines[1];
    const res = await tenant.request('PATCH', `/v3/bundles/${bundle.id}`, {
      body: {
        name: 'Paket Baru',
        description: null,
        labels: [],
        is_bundle_sharing: true,
        bundlelines: [
          { variant_id: c!.id, quantity: 3 },
          { variant_id: b!.id, quantity: 5 },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json();
    expect(updated).toMatchObject({
      id: bundle.id,
      name: 'Paket Baru',
      public_name: 'Paket Hemat Ramadhan',
      description: null,
      labels: [],
      is_bundle_sharing: true,
      last_updated_by: ownerRef(tenant),
    });
    expect(
      updated.bundlelines.map((l: { variant: { id: number }; quantity: number }) => [
        l.variant.id,
        l.quantity,
      ]),
    ).toEqual([
      [c!.id, 3],
      [b!.id, 5],
    ]);
    expect(updated.bundlelines[1].id).toBe(lineB.id);
    expect(updated.bundle_price_options).toEqual(bundle.bundle_price_options);
    expect(updated.created_at).toBe(bundle.created_at);

    const untouched = await tenant.request('PATCH', `/v3/bundles/${bundle.id}`, {
      body: { custom_id: 'C-9' },
    });
    expect(untouched.json().bundlelines).toEqual(updated.bundlelines);

    const cleared = await tenant.request('PATCH', `/v3/bundles/${bundle.id}`, { body: { bundlelines: [] } });
    expect(cleared.json().bundlelines).toEqual([]);
    const empty = await tenant.request('PATCH', `/v3/bundles/${bundle.id}`);
    expect(empty.statusCode, empty.body).toBe(200);
  });

  it('rejects bad input and another business variant, leaving the bundle unchanged', async () => {
    const tenant = await createTenant('Bundles');
    const other = await createTenant('Lain');
    const mine = await insertProduct(tenant);
    const theirs = await insertProduct(other);
    const bundle = await createBundle(tenant, {
      bundlelines: [{ variant_id: mine.variants[0]!.id, quantity: 1 }],
    });
    const patch = (body: unknown) => tenant.request('PATCH', `/v3/bundles/${bundle.id}`, { body });
    expectFieldError(await patch({ name: '' }), 'name');
    expectFieldError(await patch({ meta_thumbnail: 'nope' }), 'meta_thumbnail');
    expectFieldError(await patch({ labels: ['x'.repeat(51)] }), 'labels.0');
    expectFieldError(
      await patch({ name: 'Ganti', bundlelines: [{ variant_id: theirs.variants[0]!.id, quantity: 1 }] }),
      'bundlelines.0.variant_id',
    );
    const got = await tenant.request('GET', `/v3/bundles/${bundle.id}`);
    expect(got.json().name).toBe('Paket Hemat');
    expect(got.json().bundlelines).toHaveLength(1);
  });
});

describe('deleteBundle', () => {
  it('deletes the bundle with its lines, price options and store placements', async () => {
    const tenant = await createTenant('Bundles');
    const product = await insertProduct(tenant);
    const bundle = await createBundle(tenant, {
      bundlelines: [{ variant_id: product.variants[0]!.id, quantity: 1 }],
      bundle_price_options: [{ name: 'Satu', price: 10 }],
    });
    await placeInStore(tenant, bundle.bundle_price_options[0].id);
    const res = await tenant.request('DELETE', `/v3/bundles/${bundle.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expectStatus(await tenant.request('GET', `/v3/bundles/${bundle.id}`), 404, 'not_found');
    expectStatus(await tenant.request('DELETE', `/v3/bundles/${bundle.id}`), 404, 'not_found');
    const db = tenant.ctx.database.db;
    const leftovers = await Promise.all([
      db.selectFrom('bundle_lines').select('id').where('bundle_id', '=', bundle.id).execute(),
      db.selectFrom('bundle_price_options').select('id').where('bundle_id', '=', bundle.id).execute(),
      db
        .selectFrom('store_bundle_price_options')
        .select('store_id')
        .where('business_id', '=', tenant.business.id)
        .execute(),
    ]);
    expect(leftovers).toEqual([[], [], []]);
    // The variant itself stays.
    expect(
      await db.selectFrom('variants').select('id').where('id', '=', product.variants[0]!.id).execute(),
    ).toHaveLength(1);
  });
});

describe('getBundleRelations', () => {
  it('lists the price options and each store selling one of them once', async () => {
    const tenant = await createTenant('Bundles');
    const bundle = await createBundle(tenant, {
      bundle_price_options: [
        { name: 'Satu', price: 10 },
        { name: 'Dua', price: 20 },
      ],
    });
    const [one, two] = bundle.bundle_price_options;
    await placeInStore(tenant, one.id);
    await placeInStore(tenant, two.id);
    const res = await tenant.request('GET', `/v3/bundles/${bundle.id}/relations`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: bundle.id,
      name: 'Paket Hemat',
      business: businessOf(tenant),
      bundle_price_options: [
        { id: one.id, name: 'Satu', unique_id: one.unique_id },
        { id: two.id, name: 'Dua', unique_id: two.unique_id },
      ],
      stores: [
        {
          id: tenant.store.id,
          name: tenant.store.name,
          unique_id: tenant.store.unique_id,
          business: businessOf(tenant),
        },
      ],
      pages: { all: [], will_unpublish: [] },
    });
    expectFieldError(await tenant.request('GET', '/v3/bundles/x/relations'), 'bundle_id');
  });
});
