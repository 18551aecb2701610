import { describe, expect, it } from 'vitest';
import { attachProductToStore, insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { storefrontClient } from '../locations/storefront-client.ts';
import { setProductListing, setStorePaymentMethods, someTaxonomies, updateProduct } from './fixtures.ts';

describe('listStorefrontCategories', () => {
  it('lists the categories of visible products with their product counts', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const [first, second, onlyHidden] = await someTaxonomies(tenant, 3);
    const filed = async (taxonomyId: number, hidden = false, attached = true) => {
      const product = await insertProduct(tenant);
      await updateProduct(tenant, product.id, { taxonomy_id: taxonomyId });
      if (attached) await attachProductToStore(tenant, product.id);
      if (hidden) await setProductListing(tenant, product.id, { hidden: true });
    };
    await filed(first!.id);
    await filed(first!.id);
    await filed(second!.id);
    await filed(second!.id, false, false);
    await filed(onlyHidden!.id, true);
    await attachProductToStore(tenant, (await insertProduct(tenant)).id); // no category

    const res = await storefront.get('/categories');
    expect(res.statusCode, res.body).toBe(200);
    const expected = [
      { id: first!.id, name: first!.name, full_path: first!.full_path, product_count: 2 },
      { id: second!.id, name: second!.name, full_path: second!.full_path, product_count: 1 },
    ].sort((a, b) => (a.full_path < b.full_path ? -1 : 1));
    expect(res.json()).toEqual({ data: expected, is_paginated: false });
  });

  it('is empty for a store without categorised products', async () => {
    const storefront = await storefrontClient(await createTenant());
    expect((await storefront.get('/categories')).json()).toEqual({ data: [], is_paginated: false });
  });
});

describe('listStorefrontPaymentMethods', () => {
  it("lists the store's enabled methods in canonical order with VA banks, never no_payment", async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    await setStorePaymentMethods(
      tenant,
      ['qris', 'no_payment', 'va', 'bank_transfer', 'cod'],
      ['BCA', 'MANDIRI'],
    );
    const res = await storefront.get('/payment-methods');
    expect(res.statusCode, res.body).toBe(200);
    const clientFields = (code: string, label: string, requiresRedirect = false) => ({
      code,
      label,
      enabled: true,
      requires_redirect: requiresRedirect,
      description: expect.any(String),
    });
    expect(res.json()).toEqual({
      is_paginated: false,
      data: [
        {
          payment_method: 'bank_transfer',
          name: 'Bank Transfer',
          is_epayment: false,
          sub_payment_methods: [],
          ...clientFields('bank_transfer', 'Bank Transfer'),
        },
        {
          payment_method: 'cod',
          name: 'Cash on Delivery',
          is_epayment: false,
          sub_payment_methods: [],
          ...clientFields('cod', 'Cash on Delivery'),
        },
        {
          payment_method: 'va',
          name: 'Virtual Account',
          is_epayment: true,
          sub_payment_methods: [
            { code: 'BCA', name: 'BCA Virtual Account' },
            { code: 'MANDIRI', name: 'Mandiri Virtual Account' },
          ],
          ...clientFields('va', 'Virtual Account'),
        },
        {
          payment_method: 'qris',
          name: 'QRIS',
          is_epayment: true,
          sub_payment_methods: [],
          ...clientFields('qris', 'QRIS'),
        },
      ],
    });
  });

  it('serves the payment choice as storefront clients read it: enabled methods by code and label', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    await setStorePaymentMethods(tenant, ['cod', 'card', 'ovo', 'dana', 'bank_transfer']);
    const res = await storefront.get('/payment-methods');
    expect(res.statusCode, res.body).toBe(200);
    // A client keeps the methods not marked disabled, picks one by `code`, shows `label` (else the
    // code), and says whether the buyer is sent to another page to pay.
    const methods: Array<{
      code: string;
      label?: string;
      enabled?: boolean;
      requires_redirect?: boolean;
      description?: string;
    }> = res.json().data;
    const offered = methods.filter((method) => method.enabled !== false);
    expect(offered.map((method) => method.code)).toEqual(['bank_transfer', 'cod', 'card', 'ovo', 'dana']);
    expect(offered.map((method) => method.label || method.code)).toEqual([
      'Bank Transfer',
      'Cash on Delivery',
      'Credit/Debit Card',
      'OVO',
      'DANA',
    ]);
    expect(Object.fromEntries(offered.map((method) => [method.code, method.requires_redirect]))).toEqual({
      bank_transfer: false,
      cod: false,
      card: true,
      ovo: false,
      dana: true,
    });
    for (const method of offered) expect(method.description).toMatch(/\.$/);
  });

  it('gives a new store its default bank transfer, and nothing when only no_payment is on', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    expect(
      (await storefront.get('/payment-methods'))
        .json()
        .data.map((m: { payment_method: string }) => m.payment_method),
    ).toEqual(['bank_transfer']);
    await setStorePaymentMethods(tenant, ['no_payment']);
    expect((await storefront.get('/payment-methods')).json()).toEqual({ data: [], is_paginated: false });
  });
});

describe('getStorefrontVariantPricing', () => {
  it('prices the named variants the store sells, hidden ones included, in request order', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const shirt = await insertProduct(tenant, {
      name: 'Kaos',
      variants: [
        { price: '100000', option1_value: 'S' },
        { price: '110000.25', option1_value: 'XL' },
      ],
    });
    await updateProduct(tenant, shirt.id, { public_name: 'Kaos Keren' });
    const hidden = await insertProduct(tenant, { name: 'Rahasia', variants: [{ price: '5000' }] });
    const elsewhere = await insertProduct(tenant);
    const foreign = await insertProduct(await createTenant('Toko Lain'));
    for (const product of [shirt, hidden]) await attachProductToStore(tenant, product.id);
    await setProductListing(tenant, hidden.id, { hidden: true });
    const [small, large] = shirt.variants;

    const ids = [
      large!.unique_id,
      String(hidden.variants[0]!.id),
      String(elsewhere.variants[0]!.id),
      String(foreign.variants[0]!.id),
      small!.uuid.toUpperCase(),
      String(large!.id),
      '999999999',
    ].join(', ');
    const res = await storefront.get('/variants/pricing', { ids });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      is_paginated: false,
      data: [
        {
          variant_id: large!.id,
          unique_id: large!.unique_id,
          uuid: large!.uuid,
          product_id: shirt.id,
          name: 'Kaos Keren - XL',
          price: '110000.25',
          currency: 'IDR',
          pricing_type: 'one_time',
          interval: null,
          interval_count: null,
        },
        expect.objectContaining({ variant_id: hidden.variants[0]!.id, name: 'Rahasia', price: '5000.00' }),
        expect.objectContaining({ variant_id: small!.id, price: '100000.00' }),
      ],
    });
  });

  it('answers an empty list without ids and 422 errors.ids for values that are not variant ids or too many', async () => {
    const storefront = await storefrontClient(await createTenant());
    expect((await storefront.get('/variants/pricing')).json()).toEqual({ data: [], is_paginated: false });
    expect((await storefront.get('/variants/pricing', { ids: ' , ' })).json()).toEqual({
      data: [],
      is_paginated: false,
    });
    for (const ids of ['12,abc', '-1', '1.5', Array.from({ length: 101 }, (_, i) => i + 1).join(',')]) {
      const res = await storefront.get('/variants/pricing', { ids });
      expect(res.statusCode, `${ids} ${res.body}`).toBe(422);
      expect(res.json().errors.ids).toBeDefined();
    }
    const long = await storefront.get('/variants/pricing', { ids: '1,'.repeat(4001) });
    expect(long.statusCode).toBe(422);
    expect(long.json().errors.ids).toBeDefined();
  });
});

describe('getStorefrontVariantAvailability', () => {
  it('reports real stock for tracked variants and unlimited availability otherwise', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const tracked = await insertProduct(tenant, { isInventory: true, variants: [{}, {}, {}] });
    const untracked = await insertProduct(tenant, { itemType: 'digital' });
    for (const product of [tracked, untracked]) await attachProductToStore(tenant, product.id);
    await setProductListing(tenant, tracked.id, { hidden: true });
    const warehouse = await insertWarehouse(tenant);
    const inactive = await insertWarehouse(tenant, 'Gudang Tutup');
    await tenant.ctx.database.db
      .updateTable('warehouses')
      .set({ is_active: false })
      .where('id', '=', inactive.id)
      .execute();
    const [plenty, few, none] = tracked.variants;
    await setStock(tenant, warehouse.id, plenty!.id, 6);
    await setStock(tenant, warehouse.id, few!.id, 5);
    await setStock(tenant, inactive.id, none!.id, 40);

    const availability = async (ref: string) => {
      const res = await storefront.get(`/variants/${ref}/availability`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect(await availability(String(plenty!.id))).toEqual({
      variant_id: plenty!.id,
      available: true,
      available_qty: 6,
      stock_status: 'in_stock',
    });
    expect(await availability(few!.unique_id)).toEqual({
      variant_id: few!.id,
      available: true,
      available_qty: 5,
      stock_status: 'low_stock',
    });
    expect(await availability(none!.uuid)).toEqual({
      variant_id: none!.id,
      available: false,
      available_qty: 0,
      stock_status: 'out_of_stock',
    });
    expect(await availability(String(untracked.variants[0]!.id))).toEqual({
      variant_id: untracked.variants[0]!.id,
      available: true,
      available_qty: null,
      stock_status: 'in_stock',
    });
  });

  it('answers 404 for variants the store does not sell and 422 for an over-long id', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const elsewhere = await insertProduct(tenant);
    const foreign = await insertProduct(await createTenant('Toko Lain'));
    for (const ref of [
      String(elsewhere.variants[0]!.id),
      String(foreign.variants[0]!.id),
      'abc',
      '0',
      'variant_nope',
    ]) {
      const res = await storefront.get(`/variants/${ref}/availability`);
      expect(res.statusCode, `${ref} ${res.body}`).toBe(404);
      expect(res.json().message).toBe('Variant is not available in this store');
    }
    const long = await storefront.get(`/variants/${'9'.repeat(65)}/availability`);
    expect(long.statusCode).toBe(422);
    expect(long.json().errors.variant_id).toBeDefined();
  });
});
