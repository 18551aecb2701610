import { describe, expect, it } from 'vitest';
import { createTenant } from '../../helpers/tenants.ts';
import {
  createProduct,
  expectInsufficientScope,
  expectInvalid,
  ISO,
  productBody,
  setTaxRate,
  UUID,
  VARIANT_UNIQUE_ID,
} from './helpers.ts';

describe('createProduct', () => {
  it('creates a product with its variants and answers the full Product', async () => {
    const tenant = await createTenant('Create');
    await setTaxRate(tenant, '0.11');
    const res = await tenant.request('POST', '/v3/products', {
      body: {
        name: '  Kaos Polos Katun  ',
        public_name: 'Kaos Polos Premium',
        item_type: 'physical',
        description: 'Kaos katun combed 30s',
        rich_description: '<p>Kaos katun</p>',
        is_inventory: true,
        option1_name: 'Warna',
        option2_name: 'Ukuran',
        taxonomy_id: 212,
        meta_thumbnail: 'https://cdn.example.com/kaos.jpg',
        partnership_sales_letter: 'Jual lagi kaos kami',
        images: ['https://cdn.example.com/kaos-1.jpg'],
        labels: ['Baru', { name: 'Promo' }, ' Baru '],
        variants: [
          {
            price: '111000',
            weight: 200,
            option1_value: 'Merah',
            option2_value: 'XL',
            sku: 'KAOS-M-XL',
            cogs: 55500,
            reseller_price: '99900.5',
            metadata: { barcode: '899000' },
            images: ['https://cdn.example.com/merah.jpg'],
          },
          { price: 100000, weight: 200, option1_value: 'Biru', option2_value: 'XL', is_checked: false },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const product = res.json();
    const user = { id: tenant.owner.id, name: tenant.owner.name, email: tenant.owner.email };
    expect(product).toEqual({
      id: expect.any(Number),
      uuid: expect.stringMatching(UUID),
      name: 'Kaos Polos Katun',
      public_name: 'Kaos Polos Premium',
      display: 'Kaos Polos Premium',
      slug: 'kaos-polos-katun',
      item_type: 'physical',
      item_type_name: 'Physical',
      description: 'Kaos katun combed 30s',
      rich_description: '<p>Kaos katun</p>',
      is_inventory: true,
      is_multiple: true,
      is_product_sharing: false,
      option1_name: 'Warna',
      option2_name: 'Ukuran',
      option3_name: null,
      meta_thumbnail: 'https://cdn.example.com/kaos.jpg',
      partnership_sales_letter: 'Jual lagi kaos kami',
      images: ['https://cdn.example.com/kaos-1.jpg'],
      labels: [{ name: 'Baru' }, { name: 'Promo' }],
      taxonomy_id: 212,
      taxonomy: {
        id: 212,
        full_path: 'Apparel & Accessories > Clothing > Shirts & Tops',
        level_1: 'Apparel & Accessories',
        level_2: 'Clothing',
        level_3: 'Shirts & Tops',
        level_4: null,
        level_5: null,
        level_6: null,
        level_7: null,
      },
      business: {
        id: tenant.business.id,
        unique_id: tenant.business.unique_id,
        username: tenant.business.username,
        account_holder: tenant.business.account_holder,
        email: expect.any(String),
        phone: null,
      },
      is_affiliate_enabled: false,
      is_affiliate_auto_accept: false,
      is_affiliate_pro_enabled: false,
      affiliate_commission_rate: null,
      affiliate_pro_commission_rate: null,
      custom_domains: [],
      product_partners: null,
      variants_count: 2,
      stores: [],
      warehouses: [],
      product_mailketing_lists: [],
      product_birdsend_sequences: [],
      created_by: user,
      last_updated_by: user,
      created_at: expect.stringMatching(ISO),
      last_updated_at: expect.stringMatching(ISO),
      variants: [
        {
          id: expect.any(Number),
          uuid: expect.stringMatching(UUID),
          unique_id: expect.stringMatching(VARIANT_UNIQUE_ID),
          product_id: product.id,
          name: 'Kaos Polos Katun - Merah / XL',
          fullname: 'Kaos Polos Katun - Merah / XL',
          product_name: 'Kaos Polos Katun',
          item_type: 'physical',
          option1_value: 'Merah',
          option2_value: 'XL',
          option3_value: null,
          sku: 'KAOS-M-XL',
          description: null,
          rich_description: null,
          price: '111000.00',
          price_bt: '100000.00',
          cogs: '55500.00',
          cogs_bt: '50000.00',
          reseller_price: '99900.50',
          reseller_price_bt: '90000.45',
          currency: 'IDR',
          weight: 200,
          pricing_type: 'one_time',
          interval: null,
          interval_count: null,
          validity_period: null,
          validity_period_unit: null,
          is_checked: true,
          is_editable: true,
          images: ['https://cdn.example.com/merah.jpg'],
          self_file_urls: [],
          metadata: { barcode: '899000' },
          available_qty: 0,
          digital_product_files: [],
          form_displays: [],
          upsell_form_displays: [],
          created_at: expect.stringMatching(ISO),
          last_updated_at: expect.stringMatching(ISO),
        },
        expect.objectContaining({
          name: 'Kaos Polos Katun - Biru / XL',
          price: '100000.00',
          price_bt: '90090.09',
          cogs: '0.00',
          reseller_price: '0.00',
          is_checked: false,
        }),
      ],
    });
    // The stored row matches what was answered.
    const stored = await tenant.request('GET', `/v3/products/${product.id}`);
    expect(stored.json()).toEqual(product);
  });

  it('generates slugs from the name and suffixes collisions', async () => {
    const tenant = await createTenant('Create');
    const first = await createProduct(tenant, { name: 'Kopi Susu Gula Aren' });
    const second = await createProduct(tenant, { name: 'kopi susu  gula-aren!' });
    const third = await createProduct(tenant, { name: 'Kopi Susu Gula Aren' });
    expect([first.slug, second.slug, third.slug]).toEqual([
      'kopi-susu-gula-aren',
      'kopi-susu-gula-aren-2',
      'kopi-susu-gula-aren-3',
    ]);
    expect((await createProduct(tenant, { name: 'Crème Brûlée' })).slug).toBe('creme-brulee');
    expect((await createProduct(tenant, { name: '☕☕' })).slug).toBe('product');
    // Another business may use the same slug.
    const other = await createTenant('Create Other');
    expect((await createProduct(other, { name: 'Kopi Susu Gula Aren' })).slug).toBe('kopi-susu-gula-aren');
  });

  it('refuses a slug the business already uses, and malformed slugs', async () => {
    const tenant = await createTenant('Create');
    await createProduct(tenant, { slug: 'kopi-aren' });
    expectInvalid(
      await tenant.request('POST', '/v3/products', { body: productBody({ slug: 'kopi-aren' }) }),
      'slug',
    );
    for (const slug of ['Kopi Aren', 'kopi--aren', '-kopi', '', 'x'.repeat(121)]) {
      expectInvalid(await tenant.request('POST', '/v3/products', { body: productBody({ slug }) }), 'slug');
    }
  });

  it('creates subscription variants as recurring and validates pricing', async () => {
    const tenant = await createTenant('Create');
    const product = await createProduct(tenant, {
      name: 'Kelas Bulanan',
      item_type: 'subscription',
      variants: [{ price: '99000', weight: 0, interval: 'month', interval_count: 1 }],
    });
    expect(product.variants[0]).toMatchObject({
      pricing_type: 'recurring',
      interval: 'month',
      interval_count: 1,
    });

    const recurring = (variant: Record<string, unknown>, item_type = 'subscription') =>
      tenant.request('POST', '/v3/products', {
        body: productBody({ item_type, variants: [{ price: '99000', weight: 0, ...variant }] }),
      });
    expectInvalid(await recurring({ interval_count: 1 }), 'variants.0.interval');
    expectInvalid(await recurring({ interval: 'month' }), 'variants.0.interval_count');
    expectInvalid(await recurring({ pricing_type: 'one_time' }), 'variants.0.pricing_type');
    expectInvalid(
      await recurring({ interval: 'month', interval_count: 1 }, 'physical'),
      'variants.0.interval',
    );
    expectInvalid(await recurring({ validity_period: 30 }, 'course'), 'variants.0.validity_period_unit');
    expectInvalid(await recurring({ interval: 'fortnight', interval_count: 1 }), 'variants.0.interval');
    // A one-time course with a validity period, and a recurring license, are both fine.
    const course = await createProduct(tenant, {
      item_type: 'course',
      variants: [{ price: '150000', weight: 0, validity_period: 12, validity_period_unit: 'month' }],
    });
    expect(course.variants[0]).toMatchObject({ pricing_type: 'one_time', validity_period: 12 });
    const license = await createProduct(tenant, {
      item_type: 'license',
      variants: [
        { price: '50000', weight: 0, pricing_type: 'recurring', interval: 'year', interval_count: 1 },
      ],
    });
    expect(license.variants[0].pricing_type).toBe('recurring');
  });

  it('enforces the option rules', async () => {
    const tenant = await createTenant('Create');
    const create = (body: Record<string, unknown>) =>
      tenant.request('POST', '/v3/products', { body: productBody(body) });
    const v = (option1_value?: string, option2_value?: string) => ({
      price: '1000',
      weight: 1,
      option1_value,
      option2_value,
    });
    // Without options a product has exactly one variant.
    expectInvalid(await create({ variants: [v(), v()] }), 'variants');
    // A value for an option the product does not have.
    expectInvalid(await create({ variants: [v('Merah')] }), 'variants.0.option1_value');
    // A missing value for an option it has.
    expectInvalid(
      await create({ option1_name: 'Warna', variants: [v('Merah'), v()] }),
      'variants.1.option1_value',
    );
    // Option 2 without option 1.
    expectInvalid(await create({ option2_name: 'Ukuran', variants: [v(undefined, 'XL')] }), 'option2_name');
    // The same name twice.
    expectInvalid(
      await create({ option1_name: 'Warna', option2_name: 'warna', variants: [v('a', 'b')] }),
      'option2_name',
    );
    // Two variants with the same combination (case-insensitive).
    expectInvalid(
      await create({
        option1_name: 'Warna',
        option2_name: 'Ukuran',
        variants: [v('Merah', 'XL'), v('merah', 'xl')],
      }),
      'variants.1.option1_value',
    );
    // An empty list is not a product's variants (leaving the field out is: see the default variant).
    expectInvalid(await create({ variants: [] }), 'variants');
  });

  it('creates one default variant when variants are left out, as the reference allows', async () => {
    const tenant = await createTenant('Create');
    await setTaxRate(tenant, '0.11');
    const res = await tenant.request('POST', '/v3/products', {
      body: { name: 'Kopi Arabika', item_type: 'physical', is_inventory: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    const product = res.json();
    expect(product).toMatchObject({ name: 'Kopi Arabika', is_multiple: false, variants_count: 1 });
    expect(product.variants).toEqual([
      expect.objectContaining({
        name: 'Kopi Arabika',
        option1_value: null,
        option2_value: null,
        option3_value: null,
        sku: null,
        price: '0.00',
        price_bt: '0.00',
        cogs: '0.00',
        reseller_price: '0.00',
        weight: 0,
        pricing_type: 'one_time',
        interval: null,
        interval_count: null,
        validity_period: null,
        is_checked: true,
        available_qty: 0,
      }),
    ]);
    expect((await tenant.request('GET', `/v3/products/${product.id}`)).json()).toEqual(product);

    // The merchant prices it later through the same variant.
    const variantId = product.variants[0].id;
    const priced = await tenant.request('PATCH', `/v3/products/${product.id}`, {
      body: {
        name: 'Kopi Arabika',
        item_type: 'physical',
        variants: [{ id: variantId, price: '55500', weight: 250, sku: 'KOPI-250' }],
      },
    });
    expect(priced.statusCode, priced.body).toBe(200);
    expect(priced.json().variants).toEqual([
      expect.objectContaining({ id: variantId, price: '55500.00', price_bt: '50000.00', weight: 250 }),
    ]);

    // A subscription item must renew, so its default variant is monthly.
    const subscription = await tenant.request('POST', '/v3/products', {
      body: { name: 'Kelas Bulanan', item_type: 'subscription' },
    });
    expect(subscription.statusCode, subscription.body).toBe(200);
    expect(subscription.json().variants).toEqual([
      expect.objectContaining({
        pricing_type: 'recurring',
        interval: 'month',
        interval_count: 1,
        price: '0.00',
      }),
    ]);

    // Another business does not see it.
    const other = await createTenant('Create Other');
    expect((await other.request('GET', `/v3/products/${product.id}`)).statusCode).toBe(404);
  });

  it('needs the variants when the product names options', async () => {
    const tenant = await createTenant('Create');
    const create = (body: Record<string, unknown>) =>
      tenant.request('POST', '/v3/products', { body: { name: 'Kaos', item_type: 'physical', ...body } });
    expectInvalid(await create({ option1_name: 'Warna' }), 'variants');
    // Option rules are still reported alongside.
    expectInvalid(await create({ option2_name: 'Ukuran' }), 'option2_name', 'variants');
    expectInvalid(await create({ item_type: 'service' }), 'item_type');
    expectInvalid(await create({ name: '  ' }), 'name');
    const listed = await tenant.request('GET', '/v3/products');
    expect(listed.json().data).toEqual([]);
  });

  it('answers 422 per field for bad input', async () => {
    const tenant = await createTenant('Create');
    const create = (body: Record<string, unknown>) => tenant.request('POST', '/v3/products', { body });
    expectInvalid(await create({ item_type: 'physical', variants: [{ price: '1', weight: 1 }] }), 'name');
    expectInvalid(await create(productBody({ name: '   ' })), 'name');
    expectInvalid(await create(productBody({ item_type: 'service' })), 'item_type');
    expectInvalid(await create(productBody({ taxonomy_id: 99999999 })), 'taxonomy_id');
    expectInvalid(await create(productBody({ taxonomy_id: 99999999999 })), 'taxonomy_id');
    expectInvalid(await create(productBody({ meta_thumbnail: 'not a url' })), 'meta_thumbnail');
    expectInvalid(await create(productBody({ name: 'x'.repeat(256) })), 'name');
    expectInvalid(
      await create(productBody({ labels: Array.from({ length: 31 }, (_, i) => `l${i}`) })),
      'labels',
    );
    const variant = (fields: Record<string, unknown>) =>
      create(productBody({ variants: [{ price: '1000', weight: 1, ...fields }] }));
    expectInvalid(await variant({ price: '-5' }), 'variants.0.price');
    expectInvalid(await variant({ price: 'abc' }), 'variants.0.price');
    expectInvalid(await variant({ price: '12.345.6' }), 'variants.0.price');
    expectInvalid(await variant({ price: '10000000000000000' }), 'variants.0.price');
    expectInvalid(await variant({ weight: -1 }), 'variants.0.weight');
    expectInvalid(await variant({ weight: 1.5 }), 'variants.0.weight');
    expectInvalid(await variant({ currency: 'USD' }), 'variants.0.currency');
    expectInvalid(await create(productBody({ variants: [{ weight: 1 }] })), 'variants.0.price');
    expectInvalid(await create(productBody({ variants: [{ price: '1' }] })), 'variants.0.weight');
    expectInvalid(
      await create(productBody({ variants: Array.from({ length: 101 }, () => ({ price: '1', weight: 1 })) })),
      'variants',
    );
  });

  it('rounds prices beyond the cent and computes before-tax values from the tax rate', async () => {
    const tenant = await createTenant('Create');
    const plain = await createProduct(tenant, { variants: [{ price: '19999.995', weight: 1 }] });
    expect(plain.variants[0]).toMatchObject({ price: '20000.00', price_bt: '20000.00' });
    await setTaxRate(tenant, '0.1');
    const taxed = await createProduct(tenant, { variants: [{ price: 55000, weight: 1 }] });
    expect(taxed.variants[0]).toMatchObject({ price: '55000.00', price_bt: '50000.00' });
  });

  it('requires product:create', async () => {
    const tenant = await createTenant('Create');
    const key = await tenant.restrictedKey(['product:read']);
    expectInsufficientScope(await tenant.request('POST', '/v3/products', { body: productBody(), key }));
    const creator = await tenant.restrictedKey(['product:create']);
    expect(
      (await tenant.request('POST', '/v3/products', { body: productBody(), key: creator })).statusCode,
    ).toBe(200);
  });
});
