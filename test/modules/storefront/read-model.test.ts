import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ensureBenchCatalog } from '../../../bench/catalog.ts';
import { trimCatalogChanges } from '../../../src/db/read-model.ts';
import { randomString } from '../../../src/lib/ids.ts';
import { createStorefrontKey } from '../../../src/modules/storefront-setup/service.ts';
import { seedDemo } from '../../../src/seed/demo.ts';
import { getTestContext } from '../../helpers/app.ts';
import {
  attachProductToStore,
  insertBundle,
  insertProduct,
  insertWarehouse,
  setStock,
} from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { storefrontClient } from '../locations/storefront-client.ts';
import { catalogAnswers, expectRouteSerialization, forgetStoredTexts } from './answers.ts';
import {
  attachPriceOption,
  insertStore,
  setStoreWarehouse,
  someTaxonomies,
  updateBundle,
  updateProduct,
} from './fixtures.ts';

/**
 * The storefront read model (issue 12) must answer exactly what rendering from the catalog answers,
 * whatever changed since a card was stored: each case below changes one thing a card shows, then
 * compares the answers served from stored cards with the answers rendered afresh.
 */

async function shop() {
  const tenant = await createTenant('Toko Kartu');
  const db = tenant.ctx.database.db;
  const warehouse = await insertWarehouse(tenant);
  const other = await insertWarehouse(tenant, 'Gudang Kedua');
  const tracked = await insertProduct(tenant, {
    name: 'Kaos Lacak',
    isInventory: true,
    variants: [
      { price: '90000', option1_value: 'S' },
      { price: '95000', option1_value: 'M' },
    ],
  });
  const plain = await insertProduct(tenant, { name: 'Ebook', itemType: 'digital' });
  const filed = await insertProduct(tenant, { name: 'Topi' });
  const [taxonomy] = await someTaxonomies(tenant, 1);
  await updateProduct(tenant, filed.id, { taxonomy_id: taxonomy!.id });
  await setStock(tenant, warehouse.id, tracked.variants[0]!.id, 10);
  await setStock(tenant, warehouse.id, tracked.variants[1]!.id, 3);
  await setStock(tenant, other.id, tracked.variants[1]!.id, 2);
  const bundle = await insertBundle(tenant, [
    { variantId: tracked.variants[0]!.id, quantity: 2 },
    { variantId: plain.variants[0]!.id, quantity: 1 },
  ]);
  const second = await insertStore(tenant);
  for (const product of [tracked, plain, filed]) await attachProductToStore(tenant, product.id);
  await attachProductToStore(tenant, tracked.id, second.id);
  await attachPriceOption(tenant, bundle.priceOptions[0]!.id);
  await attachPriceOption(tenant, bundle.priceOptions[0]!.id, { storeId: second.id });
  const stores = [
    { id: tenant.store.id, unique_id: tenant.store.unique_id, key: (await storefrontClient(tenant)).key },
    {
      id: second.id,
      unique_id: second.unique_id,
      key: (
        await createStorefrontKey(db, { businessId: tenant.business.id, userId: tenant.owner.id }, second.id)
      ).token!,
    },
  ];
  return { tenant, db, warehouse, other, tracked, plain, filed, taxonomy: taxonomy!, bundle, stores };
}
type Shop = Awaited<ReturnType<typeof shop>>;

async function allAnswers(s: Shop): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const store of s.stores) {
    for (const [request, body] of await catalogAnswers(s.tenant.ctx, store, 2))
      all.set(`${store.id} ${request}`, body);
  }
  return all;
}

async function storedTexts(s: Shop): Promise<number> {
  const row = await s.db
    .selectFrom('store_products')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('business_id', '=', s.tenant.business.id)
    .where('card', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const CHANGES: Array<[string, (s: Shop) => Promise<unknown>]> = [
  ['stock of a tracked variant', (s) => setStock(s.tenant, s.warehouse.id, s.tracked.variants[1]!.id, 0)],
  ['a product renamed', (s) => updateProduct(s.tenant, s.tracked.id, { public_name: 'Kaos Baru' })],
  [
    'a variant repriced',
    (s) =>
      s.db
        .updateTable('variants')
        .set({ price: '99000.00' })
        .where('id', '=', s.plain.variants[0]!.id)
        .execute(),
  ],
  [
    'a variant added',
    (s) =>
      s.db
        .insertInto('variants')
        .values({
          business_id: s.tenant.business.id,
          product_id: s.tracked.id,
          unique_id: `variant_${randomString(24)}`,
          position: 9,
          price: '120000.00',
          price_bt: '120000.00',
          option1_value: 'XL',
        })
        .execute(),
  ],
  [
    'a variant deleted (its stock going with it)',
    (s) => s.db.deleteFrom('variants').where('id', '=', s.tracked.variants[1]!.id).execute(),
  ],
  [
    'a warehouse deactivated',
    (s) =>
      s.db.updateTable('warehouses').set({ is_active: false }).where('id', '=', s.warehouse.id).execute(),
  ],
  ['the store’s warehouse chosen', (s) => setStoreWarehouse(s.tenant, s.other.id)],
  ['a bundle renamed', (s) => updateBundle(s.tenant, s.bundle.id, { public_name: 'Paket Hemat' })],
  [
    'a price option repriced',
    (s) =>
      s.db
        .updateTable('bundle_price_options')
        .set({ price: '170000.00' })
        .where('id', '=', s.bundle.priceOptions[0]!.id)
        .execute(),
  ],
  [
    'a bundle line’s quantity',
    (s) =>
      s.db
        .updateTable('bundle_lines')
        .set({ quantity: 6 })
        .where('bundle_id', '=', s.bundle.id)
        .where('variant_id', '=', s.tracked.variants[0]!.id)
        .execute(),
  ],
  ['a bundle line’s product renamed', (s) => updateProduct(s.tenant, s.plain.id, { name: 'Ebook Resep' })],
  [
    'a taxonomy renamed (and named back)',
    async (s) => {
      const rename = (name: string) =>
        s.db.updateTable('product_taxonomies').set({ name }).where('id', '=', s.taxonomy.id).execute();
      await rename(`${s.taxonomy.name} (uji)`);
      return { restore: () => rename(s.taxonomy.name) };
    },
  ],
];

describe('the storefront read model', () => {
  it.each(CHANGES)('answers from stored cards what it renders afresh after %s', async (_name, change) => {
    const s = await shop();
    await allAnswers(s);
    const before = await allAnswers(s);
    expect(await storedTexts(s)).toBeGreaterThan(0);

    const changed = (await change(s)) as { restore?: () => Promise<unknown> } | undefined;
    try {
      const served = await allAnswers(s);
      for (const store of s.stores) await forgetStoredTexts(s.db, store.id);
      const rendered = await allAnswers(s);
      expect(served).toEqual(rendered);
      // The change shows in some answer, so a stale card would have failed the comparison above.
      expect(rendered).not.toEqual(before);
    } finally {
      await changed?.restore?.();
    }
  });

  it('never serves a text rendered under a snapshot that missed a change, and serves it once it saw them all', async () => {
    const s = await shop();
    await allAnswers(s);
    const storeId = s.stores[0]!.id;
    const card = () =>
      s.db
        .selectFrom('store_products')
        .select(['card', 'detail'])
        .where('store_id', '=', storeId)
        .where('product_id', '=', s.tracked.id)
        .executeTakeFirstOrThrow();
    const snapshot = async () =>
      (await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(s.db)).rows[0]!.s;
    const stored = await card();
    expect(stored.card).toContain('Kaos Lacak');
    const forge = (snap: string) =>
      s.db
        .updateTable('store_products')
        .set({
          card: stored.card!.replace('Kaos Lacak', 'Kaos Basi'),
          card_snapshot: snap,
          detail: stored.detail!.replace('Kaos Lacak', 'Kaos Basi'),
          detail_snapshot: snap,
        })
        .where('store_id', '=', storeId)
        .where('product_id', '=', s.tracked.id)
        .execute();
    const served = async () => {
      const answers = await catalogAnswers(s.tenant.ctx, s.stores[0]!, 25);
      return [...answers.values()].join('\n');
    };

    // A renderer that took its snapshot before a stock change and stored its texts after it.
    const early = await snapshot();
    await setStock(s.tenant, s.warehouse.id, s.tracked.variants[0]!.id, 7);
    await forge(early);
    expect(await served()).not.toContain('Kaos Basi');

    // The same texts under a snapshot that saw the change are current, so they are what is sent.
    await forge(await snapshot());
    expect(await served()).toContain('Kaos Basi');

    // A change to the store (its warehouse) is a change to every card of it.
    await forge(await snapshot());
    await setStoreWarehouse(s.tenant, s.warehouse.id);
    expect(await served()).not.toContain('Kaos Basi');
  });

  it('answers every request and stays current while stock changes and reads race each other', async () => {
    const s = await shop();
    await allAnswers(s);
    const store = s.stores[0]!;
    const writes = Array.from({ length: 16 }, (_, i) =>
      setStock(s.tenant, s.warehouse.id, s.tracked.variants[i % 2]!.id, i),
    );
    const reads = Array.from({ length: 16 }, () => catalogAnswers(s.tenant.ctx, store, 25));
    await Promise.all([...writes, ...reads]);
    const served = await allAnswers(s);
    for (const listing of s.stores) await forgetStoredTexts(s.db, listing.id);
    expect(served).toEqual(await allAnswers(s));
  });

  it('forgets the stored texts of trimmed changes, so trimming the log never leaves a stale card', async () => {
    const s = await shop();
    await allAnswers(s);
    await setStock(s.tenant, s.warehouse.id, s.tracked.variants[0]!.id, 1);
    const served = await allAnswers(s);
    expect(await trimCatalogChanges(s.db, new Date(Date.now() + 60_000))).toBeGreaterThan(0);
    const left = await s.db
      .selectFrom('store_products')
      .select('card')
      .where('product_id', '=', s.tracked.id)
      .execute();
    expect(left.every((row) => row.card === null)).toBe(true);
    expect(await allAnswers(s)).toEqual(served);
  });
});

describe('stored answers, byte for byte', () => {
  async function compare(
    ctx: Awaited<ReturnType<typeof getTestContext>>,
    store: { id: number; unique_id: string; key: string },
  ) {
    await forgetStoredTexts(ctx.database.db, store.id);
    const rendered = await catalogAnswers(ctx, store);
    const stored = await catalogAnswers(ctx, store);
    expect(stored).toEqual(rendered);
    expect(stored.size).toBeGreaterThan(5);
    expectRouteSerialization(stored);
    return stored;
  }

  it('over the demo data: stored, rendered and the route schema’s serialization agree', async () => {
    const ctx = await getTestContext();
    const suffix = randomString(8).toLowerCase();
    const demo = await seedDemo(ctx.database.db, ctx.config, ctx.keys, {
      username: `demo${suffix}`,
      accountHolder: `Toko Demo ${suffix}`,
      ownerEmail: `demo-${suffix}@nexus.test`,
    });
    await compare(ctx, { id: demo.store_id, unique_id: demo.store_unique_id, key: demo.storefront_api_key });
  });

  it('over a generated catalog, in both of its stores', async () => {
    const ctx = await getTestContext();
    const catalog = await ensureBenchCatalog(ctx.database.db, { products: 120, skipAnalyze: true });
    for (const store of catalog.stores) {
      const key = await createStorefrontKey(
        ctx.database.db,
        { businessId: catalog.business_id, userId: catalog.owner_user_id },
        store.id,
      );
      const answers = await compare(ctx, { id: store.id, unique_id: store.unique_id, key: key.token! });
      expect([...answers.keys()].some((request) => request.startsWith('/bundle-price-options/'))).toBe(
        store.name === 'Toko Utama',
      );
    }
  });
});
