import { describe, expect, it } from 'vitest';
import { priceStoreItems, type StoreItemRef, storeItemKey } from '../../../src/modules/storefront/pricing.ts';
import {
  attachProductToStore,
  insertBundle,
  insertProduct,
  insertWarehouse,
  setStock,
} from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { attachPriceOption, setProductListing, updateBundle, updateProduct } from './fixtures.ts';

describe('priceStoreItems', () => {
  it('prices variants and bundle price options the store sells, hidden ones included', async () => {
    const tenant = await createTenant();
    const db = tenant.ctx.database.db;
    const shirt = await insertProduct(tenant, {
      name: 'Kaos',
      isInventory: true,
      variants: [{ price: '99000.50', weight: 300, option1_value: 'Hitam' }],
    });
    await updateProduct(tenant, shirt.id, {
      public_name: 'Kaos Hitam Polos',
      images: ['https://img.test/kaos.jpg'],
    });
    const ebook = await insertProduct(tenant, {
      name: 'E-book',
      itemType: 'digital',
      variants: [{ price: '45000', weight: 0 }],
    });
    await attachProductToStore(tenant, shirt.id);
    await attachProductToStore(tenant, ebook.id);
    // Each variant line carries its stock rows, for shipping's warehouse choice.
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, shirt.variants[0]!.id, 7);
    await setProductListing(tenant, shirt.id, { hidden: true });
    const notListed = await insertProduct(tenant);
    const foreign = await insertProduct(await createTenant('Toko Lain'));

    const bundle = await insertBundle(
      tenant,
      [
        { variantId: shirt.variants[0]!.id, quantity: 3 },
        { variantId: ebook.variants[0]!.id, quantity: 1 },
      ],
      [{ name: 'Tiga', price: '270000' }, { name: 'Tidak dijual' }],
    );
    await updateBundle(tenant, bundle.id, { public_name: 'Paket Kaos', weight_bump: 20 });
    await db
      .updateTable('bundle_price_options')
      .set({ weight_bump: 5 })
      .where('id', '=', bundle.priceOptions[0]!.id)
      .execute();
    await attachPriceOption(tenant, bundle.priceOptions[0]!.id, { hidden: true });
    const digitalBundle = await insertBundle(
      tenant,
      [{ variantId: ebook.variants[0]!.id, quantity: 2 }],
      [{ name: 'Dua', price: '80000' }],
    );
    await updateBundle(tenant, digitalBundle.id, { weight_bump: -50 });
    await attachPriceOption(tenant, digitalBundle.priceOptions[0]!.id);

    const refs: StoreItemRef[] = [
      { type: 'variant', variant_id: shirt.variants[0]!.id },
      { type: 'variant', variant_id: shirt.variants[0]!.id },
      { type: 'variant', variant_id: ebook.variants[0]!.id },
      { type: 'variant', variant_id: notListed.variants[0]!.id },
      { type: 'variant', variant_id: foreign.variants[0]!.id },
      { type: 'bundle_price_option', bundle_price_option_id: bundle.priceOptions[0]!.id },
      { type: 'bundle_price_option', bundle_price_option_id: bundle.priceOptions[1]!.id },
      { type: 'bundle_price_option', bundle_price_option_id: digitalBundle.priceOptions[0]!.id },
    ];
    const priced = await priceStoreItems(db, tenant.store.id, refs);

    expect([...priced.keys()].sort()).toEqual(
      [
        `variant:${shirt.variants[0]!.id}`,
        `variant:${ebook.variants[0]!.id}`,
        `bundle_price_option:${bundle.priceOptions[0]!.id}`,
        `bundle_price_option:${digitalBundle.priceOptions[0]!.id}`,
      ].sort(),
    );
    expect(priced.get(storeItemKey(refs[0]!))).toEqual({
      type: 'variant',
      variant_id: shirt.variants[0]!.id,
      bundle_price_option_id: null,
      name: 'Kaos Hitam Polos - Hitam',
      product_name: 'Kaos Hitam Polos',
      variant_name: 'Kaos Hitam Polos - Hitam',
      image: 'https://img.test/kaos.jpg',
      unit_price: '99000.50',
      weight_grams: 300,
      item_type: 'physical',
      requires_shipping: true,
      lines: [
        {
          variant_id: shirt.variants[0]!.id,
          quantity: 1,
          is_inventory: true,
          stock: [{ warehouse_id: warehouse.id, qty: 7 }],
        },
      ],
    });
    expect(priced.get(`variant:${ebook.variants[0]!.id}`)).toMatchObject({
      item_type: 'digital',
      requires_shipping: false,
      lines: [{ variant_id: ebook.variants[0]!.id, quantity: 1, is_inventory: false }],
    });
    expect(priced.get(`bundle_price_option:${bundle.priceOptions[0]!.id}`)).toEqual({
      type: 'bundle_price_option',
      variant_id: null,
      bundle_price_option_id: bundle.priceOptions[0]!.id,
      name: 'Paket Kaos - Tiga',
      product_name: 'Paket Kaos - Tiga',
      variant_name: null,
      image: null,
      unit_price: '270000.00',
      // 3 x 300 g + 1 x 0 g, plus the bundle's 20 g and the option's 5 g.
      weight_grams: 925,
      item_type: 'physical',
      requires_shipping: true,
      lines: [
        {
          variant_id: shirt.variants[0]!.id,
          quantity: 3,
          is_inventory: true,
          stock: [{ warehouse_id: warehouse.id, qty: 7 }],
        },
        { variant_id: ebook.variants[0]!.id, quantity: 1, is_inventory: false, stock: [] },
      ],
    });
    expect(priced.get(`bundle_price_option:${digitalBundle.priceOptions[0]!.id}`)).toMatchObject({
      item_type: 'digital',
      requires_shipping: false,
      weight_grams: 0,
      unit_price: '80000.00',
    });
  });

  it('prices nothing for no refs or for another store', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant);
    await attachProductToStore(tenant, product.id);
    const other = await createTenant('Toko Lain');
    const db = tenant.ctx.database.db;
    expect((await priceStoreItems(db, tenant.store.id, [])).size).toBe(0);
    const ref: StoreItemRef = { type: 'variant', variant_id: product.variants[0]!.id };
    expect((await priceStoreItems(db, other.store.id, [ref])).size).toBe(0);
    expect((await priceStoreItems(db, tenant.store.id, [ref])).size).toBe(1);
  });
});
