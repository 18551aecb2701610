import { describe, expect, it } from 'vitest';
import {
  attachProductToStore,
  insertBundle,
  insertProduct,
  insertWarehouse,
  setStock,
} from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { storefrontClient } from '../locations/storefront-client.ts';
import {
  attachPriceOption,
  setProductListing,
  setStoreWarehouse,
  updateBundle,
  updateProduct,
} from './fixtures.ts';

describe('getStorefrontProduct', () => {
  it('returns the product with its variants, prices and stock, hidden from listing or not', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const product = await insertProduct(tenant, {
      name: 'Sepatu internal',
      isInventory: true,
      variants: [
        { price: '300000', option1_value: '40', sku: 'SP-40', weight: 900 },
        { price: '250000', option1_value: '41', weight: 950 },
        { price: '280000', option1_value: '42' },
      ],
    });
    await updateProduct(tenant, product.id, {
      public_name: 'Sepatu Lari',
      is_multiple: true,
      option1_name: 'Ukuran',
      rich_description: '<p>Ringan</p>',
    });
    await attachProductToStore(tenant, product.id);
    await setProductListing(tenant, product.id, { hidden: true });
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, product.variants[0]!.id, 12);
    await setStock(tenant, warehouse.id, product.variants[1]!.id, 4);

    const res = await storefront.get(`/products/${product.slug}`);
    expect(res.statusCode, res.body).toBe(200);
    const [v40, v41, v42] = product.variants;
    expect(res.json()).toEqual({
      id: product.id,
      entity_type: 'product',
      slug: product.slug,
      name: 'Sepatu Lari',
      description: null,
      rich_description: '<p>Ringan</p>',
      meta_thumbnail: null,
      item_type: 'physical',
      is_multiple: true,
      option1_name: 'Ukuran',
      option2_name: null,
      option3_name: null,
      in_stock: true,
      price_range: { min: '250000.00', max: '300000.00' },
      images: [],
      labels: [],
      taxonomy: null,
      created_at: expect.any(String),
      variants: [
        {
          id: v40!.id,
          uuid: v40!.uuid,
          unique_id: v40!.unique_id,
          name: 'Sepatu Lari - 40',
          fullname: 'Sepatu Lari - 40',
          option1_value: '40',
          option2_value: null,
          option3_value: null,
          sku: 'SP-40',
          description: null,
          rich_description: null,
          price: '300000.00',
          currency: 'IDR',
          weight: 900,
          pricing_type: 'one_time',
          interval: null,
          interval_count: null,
          validity_period: null,
          validity_period_unit: null,
          images: [],
          available: true,
          available_qty: 12,
          stock_status: 'in_stock',
        },
        expect.objectContaining({
          id: v41!.id,
          available: true,
          available_qty: 4,
          stock_status: 'low_stock',
        }),
        expect.objectContaining({
          id: v42!.id,
          available: false,
          available_qty: 0,
          stock_status: 'out_of_stock',
        }),
      ],
    });
    expect(res.body).not.toMatch(/cogs|reseller|Sepatu internal|self_file_urls/);
  });

  it("counts only the store's own warehouse when it has one", async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const product = await insertProduct(tenant, { isInventory: true });
    await attachProductToStore(tenant, product.id);
    const [main, other] = [await insertWarehouse(tenant), await insertWarehouse(tenant, 'Gudang Dua')];
    await setStock(tenant, main.id, product.variants[0]!.id, 2);
    await setStock(tenant, other.id, product.variants[0]!.id, 30);
    const qty = async () =>
      (await storefront.get(`/products/${product.slug}`)).json().variants[0].available_qty;
    expect(await qty()).toBe(32);
    await setStoreWarehouse(tenant, main.id);
    expect(await qty()).toBe(2);
  });

  it('answers 404 naming the reason for a product not in the store or an unknown slug', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const elsewhere = await insertProduct(tenant);
    const notAttached = await storefront.get(`/products/${elsewhere.slug}`);
    expect(notAttached.statusCode).toBe(404);
    expect(notAttached.json()).toMatchObject({
      error_code: 'not_found',
      message: 'Product is not available in this store',
    });
    const unknown = await storefront.get('/products/tidak-ada');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('Product not found');
    // Another business's product is simply unknown here.
    const foreign = await insertProduct(await createTenant('Toko Lain'));
    expect((await storefront.get(`/products/${foreign.slug}`)).json().message).toBe('Product not found');
  });

  it('answers 422 for a slug no catalog slug can have', async () => {
    const storefront = await storefrontClient(await createTenant());
    const res = await storefront.get('/products/Kaos_Polos!');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors.slug).toBeDefined();
  });
});

describe('getStorefrontBundlePriceOption', () => {
  it('returns the option with its bundle lines, hidden from listing or not', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const serum = await insertProduct(tenant, {
      name: 'Serum',
      isInventory: true,
      variants: [{ price: '120000', weight: 100 }],
    });
    const guide = await insertProduct(tenant, {
      name: 'Panduan',
      itemType: 'digital',
      variants: [{ price: '40000', weight: 0 }],
    });
    const bundle = await insertBundle(
      tenant,
      [
        { variantId: serum.variants[0]!.id, quantity: 2 },
        { variantId: guide.variants[0]!.id, quantity: 1 },
      ],
      [{ name: 'Beli 2', price: '199000' }],
    );
    await updateBundle(tenant, bundle.id, {
      public_name: 'Paket Glowing',
      description: 'Hemat',
      images: ['https://img.test/paket.jpg'],
    });
    const option = bundle.priceOptions[0]!;
    await tenant.ctx.database.db
      .updateTable('bundle_price_options')
      .set({ weight_bump: 50 })
      .where('id', '=', option.id)
      .execute();
    await attachPriceOption(tenant, option.id, { hidden: true });
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, serum.variants[0]!.id, 3);

    const res = await storefront.get(`/bundle-price-options/${option.slug}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: option.id,
      bundle_price_option_id: option.id,
      bundle_id: bundle.id,
      entity_type: 'bundle_price_option',
      slug: option.slug,
      name: 'Paket Glowing - Beli 2',
      description: 'Hemat',
      rich_description: null,
      meta_thumbnail: null,
      item_type: 'physical',
      is_multiple: false,
      option1_name: null,
      option2_name: null,
      option3_name: null,
      in_stock: true,
      price_range: { min: '199000.00', max: '199000.00' },
      images: ['https://img.test/paket.jpg'],
      labels: [],
      taxonomy: null,
      created_at: expect.any(String),
      bundle_name: 'Paket Glowing',
      bundle_price_option_name: 'Beli 2',
      price: '199000.00',
      weight_bump: 50,
      bundlelines: [
        {
          variant_id: serum.variants[0]!.id,
          variant_unique_id: serum.variants[0]!.unique_id,
          product_id: serum.id,
          product_name: 'Serum',
          name: 'Serum',
          option1_value: null,
          option2_value: null,
          option3_value: null,
          quantity: 2,
          item_type: 'physical',
          price: '120000.00',
          weight: 100,
          images: [],
          available: true,
          // 3 units make one bundle of 2.
          stock_status: 'low_stock',
        },
        expect.objectContaining({ variant_id: guide.variants[0]!.id, item_type: 'digital', available: true }),
      ],
    });

    await setStock(tenant, warehouse.id, serum.variants[0]!.id, 1);
    const short = (await storefront.get(`/bundle-price-options/${option.slug}`)).json();
    expect(short.in_stock).toBe(false);
    expect(short.bundlelines[0]).toMatchObject({ available: false, stock_status: 'out_of_stock' });
  });

  it('answers 404 for an option not attached to the store or an unknown slug', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const product = await insertProduct(tenant);
    const bundle = await insertBundle(tenant, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const res = await storefront.get(`/bundle-price-options/${bundle.priceOptions[0]!.slug}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('Bundle price option is not available in this store');
    const unknown = await storefront.get('/bundle-price-options/tidak-ada');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('Bundle price option not found');
    const long = await storefront.get('/bundle-price-options/Paket%20Hemat');
    expect(long.statusCode).toBe(422);
    expect(long.json().errors.slug).toBeDefined();
  });
});
