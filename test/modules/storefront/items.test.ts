import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import { listItems } from '../../../src/modules/storefront/service.ts';
import {
  attachProductToStore,
  type FixtureProduct,
  insertBundle,
  insertProduct,
  insertWarehouse,
  setStock,
} from '../../helpers/catalog.ts';
import { createTenant, send } from '../../helpers/tenants.ts';
import { storefrontClient } from '../locations/storefront-client.ts';
import {
  attachPriceOption,
  insertStore,
  setProductListing,
  someTaxonomies,
  updateBundle,
  updateProduct,
} from './fixtures.ts';

interface ItemJson {
  id: number;
  entity_type: string;
  name: string;
}

const keys = (data: ItemJson[]) => data.map((item) => `${item.entity_type}:${item.id}`);

describe('listStorefrontItems', () => {
  it('lists visible products and bundle price options, newest listed first, in the buyer-facing shape', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const [taxonomy] = await someTaxonomies(tenant, 1);
    const shirt = await insertProduct(tenant, {
      name: 'Kaos internal',
      isInventory: true,
      variants: [
        { price: '150000', option1_value: 'Merah' },
        { price: '99000.50', option1_value: 'Biru' },
      ],
    });
    await updateProduct(tenant, shirt.id, {
      public_name: 'Kaos Polos',
      description: 'Katun',
      is_multiple: true,
      option1_name: 'Warna',
      images: ['https://img.test/kaos.jpg'],
      labels: ['promo'],
      taxonomy_id: taxonomy?.id ?? null,
      meta_thumbnail: 'https://img.test/thumb.jpg',
    });
    await attachProductToStore(tenant, shirt.id);
    await setProductListing(tenant, shirt.id, { listedAt: '2026-01-01T00:00:00Z' });
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, shirt.variants[1]!.id, 3);

    const hidden = await insertProduct(tenant);
    await attachProductToStore(tenant, hidden.id);
    await setProductListing(tenant, hidden.id, { hidden: true });
    await insertProduct(tenant); // not attached to the store

    const ebook = await insertProduct(tenant, { itemType: 'digital', variants: [{ price: '50000' }] });
    const bundle = await insertBundle(
      tenant,
      [
        { variantId: shirt.variants[0]!.id, quantity: 2 },
        { variantId: ebook.variants[0]!.id, quantity: 1 },
      ],
      [{ name: 'Beli 2', price: '275000' }, { name: 'Tersembunyi' }],
    );
    await updateBundle(tenant, bundle.id, { public_name: 'Paket Hemat', labels: ['promo'] });
    const [option, hiddenOption] = bundle.priceOptions;
    await attachPriceOption(tenant, option!.id, { listedAt: '2026-02-01T00:00:00Z' });
    await attachPriceOption(tenant, hiddenOption!.id, { hidden: true });

    const res = await storefront.get('/items');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      is_paginated: true,
      has_next: false,
      has_previous: false,
      next_cursor: null,
      previous_cursor: null,
      page_size: 25,
    });
    expect(body.data).toEqual([
      {
        id: option!.id,
        entity_type: 'bundle_price_option',
        bundle_price_option_id: option!.id,
        bundle_id: bundle.id,
        slug: option!.slug,
        name: 'Paket Hemat - Beli 2',
        description: null,
        meta_thumbnail: null,
        item_type: 'physical',
        is_multiple: false,
        option1_name: null,
        option2_name: null,
        option3_name: null,
        // Two red shirts are needed per bundle and the red shirt has no stock.
        in_stock: false,
        price_range: { min: '275000.00', max: '275000.00' },
        images: [],
        labels: ['promo'],
        taxonomy: null,
        created_at: expect.any(String),
        // Added to the cart by its own id, not by a variant.
        variants: [],
      },
      {
        id: shirt.id,
        entity_type: 'product',
        bundle_price_option_id: null,
        bundle_id: null,
        slug: shirt.slug,
        name: 'Kaos Polos',
        description: 'Katun',
        meta_thumbnail: 'https://img.test/thumb.jpg',
        item_type: 'physical',
        is_multiple: true,
        option1_name: 'Warna',
        option2_name: null,
        option3_name: null,
        in_stock: true,
        price_range: { min: '99000.50', max: '150000.00' },
        images: ['https://img.test/kaos.jpg'],
        labels: ['promo'],
        taxonomy: { id: taxonomy!.id, name: taxonomy!.name, full_path: taxonomy!.full_path },
        created_at: expect.any(String),
        variants: [
          {
            id: shirt.variants[0]!.id,
            uuid: shirt.variants[0]!.uuid,
            unique_id: shirt.variants[0]!.unique_id,
            name: 'Kaos Polos - Merah',
            fullname: 'Kaos Polos - Merah',
            option1_value: 'Merah',
            option2_value: null,
            option3_value: null,
            price: '150000.00',
            currency: 'IDR',
            pricing_type: 'one_time',
            interval: null,
            interval_count: null,
            images: [],
            available: false,
            available_qty: 0,
            stock_status: 'out_of_stock',
          },
          expect.objectContaining({
            id: shirt.variants[1]!.id,
            name: 'Kaos Polos - Biru',
            price: '99000.50',
            available: true,
            available_qty: 3,
            stock_status: 'low_stock',
          }),
        ],
      },
    ]);
    // Nothing a merchant keeps to itself reaches the buyer.
    expect(res.body).not.toMatch(/cogs|reseller|Kaos internal/);
  });

  it('pages forward and back with cursors, products before price options listed at the same instant', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const expected: string[] = [];
    const sameInstant = '2026-03-01T10:00:00.123456Z';
    const product = await insertProduct(tenant);
    const bundle = await insertBundle(
      tenant,
      [{ variantId: product.variants[0]!.id, quantity: 1 }],
      [{}, {}],
    );
    for (let day = 9; day >= 1; day--) {
      const item = await insertProduct(tenant);
      await attachProductToStore(tenant, item.id);
      await setProductListing(tenant, item.id, { listedAt: `2026-02-0${day}T00:00:00Z` });
      expected.push(`product:${item.id}`);
    }
    // Two products and two price options share the newest listing time (microseconds included).
    const tied = [await insertProduct(tenant), await insertProduct(tenant)];
    for (const item of tied) {
      await attachProductToStore(tenant, item.id);
      await setProductListing(tenant, item.id, { listedAt: sameInstant });
    }
    for (const option of bundle.priceOptions)
      await attachPriceOption(tenant, option.id, { listedAt: sameInstant });
    const newest = [
      ...tied.map((item) => `product:${item.id}`).reverse(),
      ...bundle.priceOptions.map((option) => `bundle_price_option:${option.id}`).reverse(),
    ];
    expected.unshift(...newest);

    const seen: string[] = [];
    const pages: Array<{ previous_cursor: string | null }> = [];
    let cursor: string | undefined;
    do {
      const res = await storefront.get('/items', {
        page_size: 4,
        ...(cursor ? { next_cursor: cursor } : {}),
      });
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...keys(res.json().data));
      pages.push(res.json());
      cursor = res.json().next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toHaveLength(4);

    const back = await storefront.get('/items', {
      page_size: 4,
      previous_cursor: pages[2]!.previous_cursor as string,
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(keys(back.json().data)).toEqual(expected.slice(4, 8));
    expect(back.json()).toMatchObject({ has_previous: true, has_next: true });

    // Pages that split the tied group keep the order both ways.
    const first = (await storefront.get('/items', { page_size: 3 })).json();
    const second = (await storefront.get('/items', { page_size: 3, next_cursor: first.next_cursor })).json();
    expect(keys(second.data)).toEqual(expected.slice(3, 6));
    const again = (
      await storefront.get('/items', { page_size: 3, previous_cursor: second.previous_cursor })
    ).json();
    expect(keys(again.data)).toEqual(expected.slice(0, 3));
    expect(again).toMatchObject({ has_previous: false, has_next: true });

    const tampered = await storefront.get('/items', {
      next_cursor: `${pages[0]!.previous_cursor ?? 'x'}.bad`,
    });
    expect(tampered.statusCode).toBe(400);
    const otherFilter = await storefront.get('/items', {
      page_size: 4,
      entity_type: 'product',
      next_cursor: (await storefront.get('/items', { page_size: 4 })).json().next_cursor,
    });
    expect(otherFilter.statusCode).toBe(400);
  });

  it('filters by search words, entity type, label and category', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const [category] = await someTaxonomies(tenant, 1);
    const tea = await insertProduct(tenant, { name: 'Teh Hijau Organik' });
    const coffee = await insertProduct(tenant, { name: 'Kopi Arabika' });
    await updateProduct(tenant, coffee.id, { public_name: 'Kopi Gayo 100% Murni', labels: ['kopi'] });
    await updateProduct(tenant, tea.id, { taxonomy_id: category!.id });
    for (const item of [tea, coffee]) await attachProductToStore(tenant, item.id);
    const bundle = await insertBundle(
      tenant,
      [{ variantId: tea.variants[0]!.id, quantity: 3 }],
      [{ name: 'Hemat Teh' }],
    );
    await attachPriceOption(tenant, bundle.priceOptions[0]!.id);

    const search = async (query: Record<string, string | number>) => {
      const res = await storefront.get('/items', query);
      expect(res.statusCode, res.body).toBe(200);
      const count = await storefront.get('/items/count', query);
      expect(count.statusCode, count.body).toBe(200);
      expect(count.json()).toEqual({ total: res.json().data.length });
      return keys(res.json().data).sort();
    };
    expect(await search({ search: 'organik  TEH' })).toEqual([`product:${tea.id}`]);
    expect(await search({ search: 'gayo' })).toEqual([`product:${coffee.id}`]);
    // LIKE wildcards are literal text.
    expect(await search({ search: '100%' })).toEqual([`product:${coffee.id}`]);
    expect(await search({ search: '_' })).toEqual([]);
    expect(await search({ search: 'teh' })).toEqual(
      [`bundle_price_option:${bundle.priceOptions[0]!.id}`, `product:${tea.id}`].sort(),
    );
    expect(await search({ entity_type: 'bundle_price_option' })).toEqual([
      `bundle_price_option:${bundle.priceOptions[0]!.id}`,
    ]);
    expect(await search({ label: 'kopi' })).toEqual([`product:${coffee.id}`]);
    expect(await search({ taxonomy_id: category!.id })).toEqual([`product:${tea.id}`]);
    expect(await search({})).toHaveLength(3);
  });

  it('rejects bad parameters with 422 naming the field', async () => {
    const storefront = await storefrontClient(await createTenant());
    for (const [query, field] of [
      [{ page_size: 0 }, 'page_size'],
      [{ page_size: 101 }, 'page_size'],
      [{ entity_type: 'variant' }, 'entity_type'],
      [{ taxonomy_id: 'abc' }, 'taxonomy_id'],
      [{ search: 'x'.repeat(101) }, 'search'],
    ] as const) {
      const res = await storefront.get('/items', query);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().errors[field]).toBeDefined();
    }
    const count = await storefront.get('/items/count', { taxonomy_id: 0 });
    expect(count.statusCode).toBe(422);
    expect(count.json().errors.taxonomy_id).toBeDefined();
  });
});

describe('item cards', () => {
  it('carry each product’s variants so a client adds one to the cart straight from the grid', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const warehouse = await insertWarehouse(tenant);
    const products = [];
    for (let day = 1; day <= 6; day++) {
      const product = await insertProduct(tenant, {
        name: `Kaos ${day}`,
        isInventory: day % 2 === 0,
        variants: [
          { price: `${day}1000`, option1_value: 'S' },
          { price: `${day}2000`, option1_value: 'M' },
          { price: `${day}3000`, option1_value: 'L' },
        ],
      });
      await attachProductToStore(tenant, product.id);
      await setProductListing(tenant, product.id, { listedAt: `2026-04-0${day}T00:00:00Z` });
      if (day % 2 === 0) await setStock(tenant, warehouse.id, product.variants[0]!.id, day);
      products.unshift(product);
    }
    const bundle = await insertBundle(
      tenant,
      [{ variantId: products[0]!.variants[0]!.id, quantity: 1 }],
      [{}],
    );
    await attachPriceOption(tenant, bundle.priceOptions[0]!.id, { listedAt: '2026-03-01T00:00:00Z' });

    // The storefront demo's walk: five cards a page, following `next_cursor`.
    const cards: Array<{ id: number; entity_type: string; variants: Array<Record<string, unknown>> }> = [];
    let path = '/items?page_size=5';
    while (path) {
      const res = await storefront.get(path);
      expect(res.statusCode, res.body).toBe(200);
      cards.push(...res.json().data);
      path = res.json().has_next
        ? `/items?next_cursor=${encodeURIComponent(res.json().next_cursor)}&page_size=5`
        : '';
    }
    expect(cards.map((card) => card.id)).toEqual([...products.map((p) => p.id), bundle.priceOptions[0]!.id]);
    for (const [index, product] of products.entries()) {
      const card = cards[index]!;
      const day = 6 - index;
      expect(card.variants.map((variant) => variant.id)).toEqual(product.variants.map((v) => v.id));
      expect(card.variants[0]).toMatchObject({
        name: `Kaos ${day} - S`,
        fullname: `Kaos ${day} - S`,
        price: `${day}1000.00`,
        currency: 'IDR',
        // Untracked products are always available; tracked ones count the store's stock.
        ...(day % 2 === 0
          ? { available: true, available_qty: day, stock_status: day <= 5 ? 'low_stock' : 'in_stock' }
          : { available: true, available_qty: null, stock_status: 'in_stock' }),
      });
      if (day % 2 === 0)
        expect(card.variants[1]).toMatchObject({
          available: false,
          available_qty: 0,
          stock_status: 'out_of_stock',
        });
    }
    expect(cards.at(-1)).toMatchObject({ entity_type: 'bundle_price_option', variants: [] });

    // Add the first card's first variant as the demo's "Add" button does: `{variant_id, quantity}`.
    const added = await send(tenant.ctx, 'POST', `/v3/stores/${tenant.store.unique_id}/public/cart/items`, {
      body: { variant_id: cards[0]!.variants[0]!.id, quantity: 1 },
      headers: { 'x-scalev-storefront-api-key': storefront.key },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ item_count: 1, total: cards[0]!.variants[0]!.price });
  });

  it('cost a fixed number of queries for the whole page, and one once its cards are stored', async () => {
    const tenant = await createTenant();
    for (let index = 0; index < 12; index++) {
      const product = await insertProduct(tenant, {
        variants: Array.from({ length: 1 + (index % 4) }, (_, v) => ({ option1_value: `V${v}` })),
      });
      await attachProductToStore(tenant, product.id);
    }
    let statements = 0;
    // Every executed statement's result passes transformResult once (subqueries built from `db`
    // pass transformQuery too, so that would count them twice).
    const counter: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        statements += 1;
        return args.result;
      },
    };
    const db = tenant.ctx.database.db.withPlugin(counter) as Db;
    const store = { storeId: tenant.store.id, businessId: tenant.business.id };
    for (const page_size of [1, 5, 12]) {
      statements = 0;
      const page = JSON.parse(await listItems(db, tenant.ctx.app.deps.cursors, store, {}, { page_size }));
      expect(page.data).toHaveLength(page_size);
      expect(page.data.every((item: { variants: unknown[] }) => item.variants.length > 0)).toBe(true);
      // The listing; for the cards not yet stored, the render snapshot, the products, their
      // variants and the store of the rendered cards (page 1 stored its card before page 5 ran).
      expect(statements, `page_size ${page_size}`).toBe(5);
      statements = 0;
      const again = await listItems(db, tenant.ctx.app.deps.cursors, store, {}, { page_size });
      expect(JSON.parse(again)).toEqual(page);
      expect(statements, `page_size ${page_size}, stored`).toBe(1);
    }
  });
});

describe('countStorefrontItems', () => {
  it('counts visible items of the store only', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const visible = await insertProduct(tenant);
    const hidden = await insertProduct(tenant);
    await insertProduct(tenant);
    for (const item of [visible, hidden]) await attachProductToStore(tenant, item.id);
    await setProductListing(tenant, hidden.id, { hidden: true });
    const bundle = await insertBundle(
      tenant,
      [{ variantId: visible.variants[0]!.id, quantity: 1 }],
      [{}, {}],
    );
    await attachPriceOption(tenant, bundle.priceOptions[0]!.id);
    await attachPriceOption(tenant, bundle.priceOptions[1]!.id, { hidden: true });

    const res = await storefront.get('/items/count');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ total: 2 });
    expect((await storefront.get('/items/count', { entity_type: 'product' })).json()).toEqual({ total: 1 });
  });
});

describe('the store item counts kept by triggers', () => {
  it('agree with counting the listings after every kind of listing change, in every store', async () => {
    const tenant = await createTenant();
    const db = tenant.ctx.database.db;
    const second = await insertStore(tenant);
    const storefront = await storefrontClient(tenant);
    const products: FixtureProduct[] = [];
    for (let i = 0; i < 4; i++) products.push(await insertProduct(tenant));
    const bundle = await insertBundle(
      tenant,
      [{ variantId: products[0]!.variants[0]!.id, quantity: 1 }],
      [{}, {}],
    );
    const counted = async (storeId: number) => {
      const kept = await db
        .selectFrom('store_item_counts')
        .select(['products', 'price_options'])
        .where('store_id', '=', storeId)
        .executeTakeFirst();
      const visible = (table: 'store_products' | 'store_bundle_price_options') =>
        db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('store_id', '=', storeId)
          .where('is_hidden_from_listing', '=', false)
          .executeTakeFirstOrThrow()
          .then((row) => Number(row.n));
      expect(kept ?? { products: 0, price_options: 0 }).toEqual({
        products: await visible('store_products'),
        price_options: await visible('store_bundle_price_options'),
      });
      return (kept?.products ?? 0) + (kept?.price_options ?? 0);
    };
    const steps: Array<() => Promise<unknown>> = [
      () => attachProductToStore(tenant, products[0]!.id),
      // Several listings in one statement, one of them hidden from the start.
      () =>
        db
          .insertInto('store_products')
          .values([
            { store_id: tenant.store.id, product_id: products[1]!.id, business_id: tenant.business.id },
            {
              store_id: tenant.store.id,
              product_id: products[2]!.id,
              business_id: tenant.business.id,
              is_hidden_from_listing: true,
            },
            { store_id: second.id, product_id: products[1]!.id, business_id: tenant.business.id },
          ])
          .execute(),
      () => setProductListing(tenant, products[2]!.id, { hidden: false }),
      () => setProductListing(tenant, products[0]!.id, { hidden: true }),
      () => attachPriceOption(tenant, bundle.priceOptions[0]!.id),
      () => attachPriceOption(tenant, bundle.priceOptions[1]!.id, { hidden: true }),
      () => attachPriceOption(tenant, bundle.priceOptions[1]!.id, { storeId: second.id }),
      () => db.deleteFrom('store_products').where('product_id', '=', products[1]!.id).execute(),
      () => db.deleteFrom('bundle_price_options').where('id', '=', bundle.priceOptions[1]!.id).execute(),
      () => attachProductToStore(tenant, products[3]!.id),
    ];
    for (const step of steps) {
      await step();
      const total = await counted(tenant.store.id);
      await counted(second.id);
      expect((await storefront.get('/items/count')).json()).toEqual({ total });
    }
    // A store deleted with its listings takes its counts with it.
    await db.deleteFrom('stores').where('id', '=', second.id).execute();
    expect(
      await db.selectFrom('store_item_counts').selectAll().where('store_id', '=', second.id).execute(),
    ).toEqual([]);
  });
});

describe('storefront catalog routes', () => {
  it("answer 404 Store not found to another store's key, no key, or an unknown store", async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant);
    await attachProductToStore(tenant, product.id);
    const stranger = await storefrontClient(await createTenant('Toko Lain'), tenant.store.unique_id);
    const paths = [
      '/items',
      '/items/count',
      `/products/${product.slug}`,
      '/bundle-price-options/paket-x',
      '/categories',
      '/payment-methods',
      `/variants/pricing?ids=${product.variants[0]!.id}`,
      `/variants/${product.variants[0]!.id}/availability`,
    ];
    const own = await storefrontClient(tenant);
    for (const path of paths) {
      const res = await stranger.get(path);
      expect(res.statusCode, `${path} ${res.body}`).toBe(404);
      expect(res.json().message).toBe('Store not found');
      const keyless = await send(tenant.ctx, 'GET', `/v3/stores/${tenant.store.unique_id}/public${path}`);
      expect(keyless.statusCode).toBe(404);
      expect(keyless.json().message).toBe('Store not found');
      const unknown = await send(tenant.ctx, 'GET', `/v3/stores/store_unknown/public${path}`, {
        headers: { 'x-scalev-storefront-api-key': own.key },
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().message).toBe('Store not found');
    }
  });

  it('never list another store of the same business', async () => {
    const tenant = await createTenant();
    const storefront = await storefrontClient(tenant);
    const { insertStore } = await import('./fixtures.ts');
    const other = await insertStore(tenant);
    const product = await insertProduct(tenant);
    await attachProductToStore(tenant, product.id, other.id);
    expect((await storefront.get('/items')).json().data).toEqual([]);
    expect((await storefront.get('/items/count')).json()).toEqual({ total: 0 });
  });
});
