import { describe, expect, it } from 'vitest';
import { ensureBenchCatalog, mintBenchKey } from '../../../bench/catalog.ts';
import { serializerOf } from '../../../src/db/read-model.ts';
import { randomString } from '../../../src/lib/ids.ts';
import * as schemas from '../../../src/modules/products/schemas.ts';
import { getTestContext, type TestContext } from '../../helpers/app.ts';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant, send } from '../../helpers/tenants.ts';

/**
 * The business product list's read model (issue 12): what it sends from stored items must be what
 * rendering every item afresh sends, whatever changed since an item was stored.
 */

const serializePage = serializerOf<unknown>(schemas.ProductPage);
/** Download URLs are signed per response (their expiry moves every second); the rest is compared as is. */
const unsigned = (body: string) => body.replace(/([?&])(exp|sig)=[^&"]*/g, '$1$2=');

async function allPages(ctx: TestContext, apiKey: string, pageSize = 3): Promise<string[]> {
  const pages: string[] = [];
  let query: Record<string, string> = { page_size: String(pageSize) };
  for (;;) {
    const res = await send(ctx, 'GET', '/v3/products', {
      query,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    // The bytes are what the route's schema serializer writes of the same content.
    expect(serializePage(JSON.parse(res.body))).toBe(res.body);
    pages.push(unsigned(res.body));
    const next = res.json().next_cursor;
    if (!next) return pages;
    query = { page_size: String(pageSize), next_cursor: next };
  }
}

async function forgetStoredItems(ctx: TestContext, businessId: number) {
  await ctx.database.db.deleteFrom('product_list_cards').where('business_id', '=', businessId).execute();
}

async function storedItems(ctx: TestContext, businessId: number): Promise<number> {
  const rows = await ctx.database.db
    .selectFrom('product_list_cards')
    .select('product_id')
    .where('business_id', '=', businessId)
    .where('card', 'is not', null)
    .execute();
  return rows.length;
}

async function catalog() {
  const tenant = await createTenant('Toko Daftar');
  const db = tenant.ctx.database.db;
  const warehouse = await insertWarehouse(tenant);
  const tracked = await insertProduct(tenant, {
    name: 'Kaos',
    isInventory: true,
    variants: [{ option1_value: 'S' }, { option1_value: 'M' }],
  });
  const ebook = await insertProduct(tenant, { name: 'Ebook', itemType: 'digital', variants: [{}, {}] });
  // Metadata that spells the files key must not confuse where the real files go.
  await db
    .updateTable('variants')
    .set({ metadata: JSON.stringify({ digital_product_files: [], note: '"digital_product_files":[]}' }) })
    .where('id', '=', ebook.variants[1]!.id)
    .execute();
  await insertProduct(tenant, { name: 'Topi' });
  await insertProduct(tenant, { name: 'Sabuk' });
  await setStock(tenant, warehouse.id, tracked.variants[0]!.id, 5);
  const file = (variantId: number, name: string) =>
    db
      .insertInto('digital_product_files')
      .values({
        business_id: tenant.business.id,
        product_id: ebook.id,
        variant_id: variantId,
        name,
        content_type: 'application/pdf',
        size_in_bytes: 1234,
        storage_key: `b${tenant.business.id}-dpf-${randomString(32)}`,
      })
      .execute();
  await file(ebook.variants[1]!.id, 'bab-2.pdf');
  return { tenant, db, warehouse, tracked, ebook, file };
}
type Catalog = Awaited<ReturnType<typeof catalog>>;

const CHANGES: Array<[string, (c: Catalog) => Promise<unknown>]> = [
  ['stock', (c) => setStock(c.tenant, c.warehouse.id, c.tracked.variants[1]!.id, 9)],
  [
    'a product renamed',
    (c) => c.db.updateTable('products').set({ name: 'Kaos Polos' }).where('id', '=', c.tracked.id).execute(),
  ],
  [
    'a variant repriced',
    (c) =>
      c.db.updateTable('variants').set({ price: '1.00' }).where('id', '=', c.ebook.variants[0]!.id).execute(),
  ],
  ['a file added (files are read per response)', (c) => c.file(c.ebook.variants[0]!.id, 'bab-1.pdf')],
  [
    'the business renamed',
    (c) =>
      c.db
        .updateTable('businesses')
        .set({ account_holder: 'Toko Daftar Baru' })
        .where('id', '=', c.tenant.business.id)
        .execute(),
  ],
  [
    'the creating user renamed',
    (c) =>
      c.db.updateTable('users').set({ name: 'Pemilik Baru' }).where('id', '=', c.tenant.owner.id).execute(),
  ],
];

const creatorOf = async (c: Catalog) =>
  c.db
    .updateTable('products')
    .set({ created_by_user_id: c.tenant.owner.id })
    .where('business_id', '=', c.tenant.business.id)
    .execute();

describe('the business product list read model', () => {
  it.each(CHANGES)('sends from stored items what it renders afresh after %s', async (_name, change) => {
    const c = await catalog();
    await creatorOf(c);
    await allPages(c.tenant.ctx, c.tenant.apiKey);
    const before = await allPages(c.tenant.ctx, c.tenant.apiKey);
    expect(await storedItems(c.tenant.ctx, c.tenant.business.id)).toBe(4);

    await change(c);
    const served = await allPages(c.tenant.ctx, c.tenant.apiKey);
    await forgetStoredItems(c.tenant.ctx, c.tenant.business.id);
    const rendered = await allPages(c.tenant.ctx, c.tenant.apiKey);
    expect(served).toEqual(rendered);
    expect(rendered).not.toEqual(before);
  });

  it('writes each variant’s files where they belong, whatever its metadata spells', async () => {
    const c = await catalog();
    for (let round = 0; round < 2; round++) {
      const res = await c.tenant.request('GET', '/v3/products', { query: { page_size: 25 } });
      const ebook = res.json().data.find((p: { id: number }) => p.id === c.ebook.id);
      expect(
        ebook.variants.map((v: { digital_product_files: Array<{ name: string }> }) =>
          v.digital_product_files.map((f) => f.name),
        ),
      ).toEqual([[], ['bab-2.pdf']]);
      expect(ebook.variants[1].metadata).toEqual({
        digital_product_files: [],
        note: '"digital_product_files":[]}',
      });
    }
  });

  it('keeps rendering lists it does not store: shared products and the is_checked filter', async () => {
    const c = await catalog();
    const res = await c.tenant.request('GET', '/v3/products', { query: { is_checked: 'true' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toHaveLength(4);
    expect(await storedItems(c.tenant.ctx, c.tenant.business.id)).toBe(0);
  });

  it('over a generated catalog: stored, rendered and the route schema’s serialization agree', async () => {
    const ctx = await getTestContext();
    const built = await ensureBenchCatalog(ctx.database.db, { products: 120, skipAnalyze: true });
    const key = await mintBenchKey(ctx.database.db, built);
    await forgetStoredItems(ctx, built.business_id);
    const rendered = await allPages(ctx, key, 25);
    const stored = await allPages(ctx, key, 25);
    expect(stored).toEqual(rendered);
    expect(rendered.some((page) => page.includes('"digital_product_files":[{'))).toBe(true);
    expect(await storedItems(ctx, built.business_id)).toBeGreaterThanOrEqual(120);
  });
});
