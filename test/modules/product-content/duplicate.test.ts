import { describe, expect, it } from 'vitest';
import {
  attachProductToStore,
  type FixtureVariant,
  insertBundle,
  insertProduct,
  insertWarehouse,
  setStock,
} from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { expectError, ISO, ok } from './helpers.ts';

interface CopiedFile {
  id: number;
  name: string;
  size_in_bytes: number;
  url: string;
}
interface CopiedVariant {
  id: number;
  unique_id: string;
  digital_product_files: CopiedFile[];
  [field: string]: unknown;
}
interface CopiedProduct {
  id: number;
  uuid: string;
  slug: string;
  created_at: string;
  variants: CopiedVariant[];
  [field: string]: unknown;
}
interface CopiedBundle {
  id: number;
  bundlelines: Array<{ variant: Record<string, unknown>; [field: string]: unknown }>;
  bundle_price_options: Array<{ id: number; unique_id: string; slug: string; [field: string]: unknown }>;
  [field: string]: unknown;
}

/**
 * The response with each signed URL replaced by its type: two responses minted a second apart
 * sign different expiries, everything else must be equal.
 */
function unsigned(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'url' && typeof v === 'string' ? 'url' : v));
}

/** The copy answers exactly what GET answers for it: same fields, same values. */
async function expectSameAsGet(tenant: Tenant, copy: unknown, url: string) {
  const fetched = await ok(tenant, 'GET', url);
  expect(unsigned(copy)).toEqual(unsigned(fetched));
}

describe('duplicateProduct', () => {
  it('copies the product with variants, files, knowledge items and follow-up chats', async () => {
    const tenant = await createTenant('Dup');
    const db = tenant.ctx.database.db;
    const product = await insertProduct(tenant, {
      name: 'Kaos Polos',
      itemType: 'digital',
      variants: [
        { price: '99000', option1_value: 'S', sku: 'KP-S' },
        { price: '109000', option1_value: 'M', sku: 'KP-M' },
      ],
    });
    await db
      .updateTable('products')
      .set({ labels: ['promo'], is_product_sharing: true, partnership_sales_letter: 'https://x.test/letter' })
      .where('id', '=', product.id)
      .execute();
    const [small, medium] = product.variants;
    await attachProductToStore(tenant, product.id);
    const warehouse = await insertWarehouse(tenant);
    await setStock(tenant, warehouse.id, small!.id, 10);
    await ok(tenant, 'POST', `/v3/products/${product.id}/knowledge-items`, {
      body: { q: 'Bahan?', a: 'Katun' },
    });
    await ok(tenant, 'POST', `/v3/variants/${medium!.id}/knowledge-items`, {
      body: { q: 'Ukuran M?', a: '52 cm' },
    });
    await ok(tenant, 'POST', `/v3/products/${product.id}/follow-up-chats`, {
      body: { name: 'FU', provider: 'whatsapp', text_for_cod: 'Halo' },
    });
    const file = await ok<{ id: number; upload_url: string }>(
      tenant,
      'POST',
      `/v3/variants/${small!.id}/digital-product-files`,
      {
        body: { name: 'ebook.pdf', content_type: 'application/pdf', size_in_bytes: 4 },
      },
    );

    const copy = await ok<CopiedProduct>(tenant, 'POST', `/v3/products/${product.id}/duplicate`);
    await expectSameAsGet(tenant, copy, `/v3/products/${copy.id}`);
    expect(copy).toMatchObject({
      name: 'Kaos Polos (Copy)',
      display: 'Kaos Polos (Copy)',
      slug: `${product.slug}-copy`,
      item_type: 'digital',
      item_type_name: 'Digital',
      labels: [{ name: 'promo' }],
      is_product_sharing: false,
      partnership_sales_letter: null,
      variants_count: 2,
      stores: [],
      warehouses: [],
      business: { id: tenant.business.id, unique_id: tenant.business.unique_id },
      created_by: { id: tenant.owner.id, name: tenant.owner.name, email: tenant.owner.email },
    });
    expect(copy.id).not.toBe(product.id);
    expect(copy.uuid).not.toBe(product.uuid);
    expect(copy.created_at).toMatch(ISO);
    const [copySmall, copyMedium] = copy.variants as [CopiedVariant, CopiedVariant];
    expect(copySmall).toMatchObject({
      product_id: copy.id,
      name: 'Kaos Polos (Copy) - S',
      fullname: 'Kaos Polos (Copy) - S',
      sku: 'KP-S',
      price: '99000.00',
      item_type: 'digital',
    });
    expect(copySmall.unique_id).toMatch(/^variant_[A-Za-z0-9]{24}$/);
    expect(copySmall.unique_id).not.toBe(small!.unique_id);
    expect(copySmall.digital_product_files).toHaveLength(1);
    expect(copySmall.digital_product_files[0]).toMatchObject({ name: 'ebook.pdf', size_in_bytes: 4 });
    expect(copySmall.digital_product_files[0]!.id).not.toBe(file.id);
    expect(copyMedium.digital_product_files).toEqual([]);

    const items = await ok<{ data: Array<{ q: string; variant_id: number | null }> }>(
      tenant,
      'GET',
      `/v3/products/${copy.id}/knowledge-items`,
    );
    expect(items.data.map((item) => item.q)).toEqual(['Bahan?']);
    const variantItems = await ok<{ data: Array<{ q: string; variant_id: number }> }>(
      tenant,
      'GET',
      `/v3/variants/${copyMedium.id}/knowledge-items`,
    );
    expect(variantItems.data).toMatchObject([{ q: 'Ukuran M?', variant_id: copyMedium.id }]);
    const chats = await ok<{ data: Array<{ name: string; product_id: number }> }>(
      tenant,
      'GET',
      `/v3/products/${copy.id}/follow-up-chats`,
    );
    expect(chats.data).toMatchObject([{ name: 'FU', product_id: copy.id }]);

    // Store associations and stock stay with the original.
    const listed = await db
      .selectFrom('store_products')
      .select('product_id')
      .where('product_id', '=', copy.id)
      .execute();
    expect(listed).toEqual([]);

    // A second copy gets the next free slug; the original is untouched.
    const again = await ok<{ slug: string }>(tenant, 'POST', `/v3/products/${product.id}/duplicate`);
    expect(again.slug).toBe(`${product.slug}-copy-2`);
    const original = await db
      .selectFrom('products')
      .select(['name', 'is_product_sharing'])
      .where('id', '=', product.id)
      .executeTakeFirstOrThrow();
    expect(original).toEqual({ name: 'Kaos Polos', is_product_sharing: true });

    // Deleting the copy's file record keeps the original's stored object.
    const upload = await tenant.ctx.app.inject({
      method: 'PUT',
      url: file.upload_url.replace('http://nexus.test', ''),
      payload: Buffer.from('%PDF'),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(upload.statusCode).toBe(200);
    await ok(
      tenant,
      'DELETE',
      `/v3/variants/${copySmall.id}/digital-product-files/${copySmall.digital_product_files[0]!.id}`,
    );
    const kept = await ok<{ url: string }>(
      tenant,
      'GET',
      `/v3/variants/${small!.id}/digital-product-files/${file.id}`,
    );
    expect(
      (await tenant.ctx.app.inject({ method: 'GET', url: kept.url.replace('http://nexus.test', '') }))
        .statusCode,
    ).toBe(200);
  });

  it("copies the course structure of a course's variants", async () => {
    const tenant = await createTenant('Dup course');
    const product = await insertProduct(tenant, {
      name: 'Kelas Menulis',
      itemType: 'course',
      variants: [{ option1_value: 'Dasar' }, { option1_value: 'Lanjut' }],
    });
    const [basic, advanced] = product.variants as [FixtureVariant, FixtureVariant];
    await ok(tenant, 'PATCH', `/v3/variants/${basic.id}/course`, {
      body: { course_settings: { is_sequential: true } },
    });
    const intro = await ok<{ uuid: string }>(tenant, 'POST', `/v3/variants/${basic.id}/course-sections`, {
      body: { title: 'Bab 1' },
    });
    await ok(tenant, 'POST', `/v3/course-sections/${intro.uuid}/course-contents`, {
      body: { title: 'Pengantar', text: 'Selamat datang', type: 'text' },
    });
    await ok(tenant, 'POST', `/v3/course-sections/${intro.uuid}/course-contents`, {
      body: { title: 'Video', type: 'video', video_url: 'https://v.example/1' },
    });
    await ok(tenant, 'POST', `/v3/variants/${advanced.id}/course-sections`, {
      body: { title: 'Bab Lanjut' },
    });

    const copy = await ok<CopiedProduct>(tenant, 'POST', `/v3/products/${product.id}/duplicate`);
    type Course = {
      course_settings: Record<string, unknown>;
      course_sections: Array<{
        uuid: string;
        title: string;
        variant_id: number;
        course_contents: Array<{ title: string; type: string; video_url: string | null }>;
      }>;
    };
    const outline = (course: Course) => ({
      settings: course.course_settings,
      sections: course.course_sections.map((section) => ({
        title: section.title,
        contents: section.course_contents.map(({ title, type, video_url }) => ({ title, type, video_url })),
      })),
    });
    for (const [index, original] of [basic, advanced].entries()) {
      const copied = copy.variants[index]!;
      const before = await ok<Course>(tenant, 'GET', `/v3/variants/${original.id}/course`);
      const after = await ok<Course>(tenant, 'GET', `/v3/variants/${copied.id}/course`);
      expect(outline(after)).toEqual(outline(before));
      for (const section of after.course_sections) expect(section.variant_id).toBe(copied.id);
      expect(after.course_sections.map((s) => s.uuid)).not.toEqual(before.course_sections.map((s) => s.uuid));
    }
    const first = await ok<Course>(tenant, 'GET', `/v3/variants/${copy.variants[0]!.id}/course`);
    expect(outline(first).sections).toEqual([
      {
        title: 'Bab 1',
        contents: [
          { title: 'Pengantar', type: 'text', video_url: null },
          { title: 'Video', type: 'video', video_url: 'https://v.example/1' },
        ],
      },
    ]);
    expect(first.course_settings).toMatchObject({ is_sequential: true });
  });

  it('answers 404 to another business, 422 to a bad id and checks the scope', async () => {
    const tenant = await createTenant('Dup');
    const other = await createTenant('Dup other');
    const product = await insertProduct(tenant);
    await expectError(other, 'POST', `/v3/products/${product.id}/duplicate`, 404);
    await expectError(tenant, 'POST', '/v3/products/999999999/duplicate', 404);
    expect((await expectError(tenant, 'POST', '/v3/products/abc/duplicate', 422)).errors.id).toBeDefined();
    const key = await tenant.restrictedKey(['product:update']);
    const res = await expectError(tenant, 'POST', `/v3/products/${product.id}/duplicate`, 403, { key });
    expect(res.error_code).toBe('insufficient_scope');
    const creator = await tenant.restrictedKey(['product:create']);
    await ok(tenant, 'POST', `/v3/products/${product.id}/duplicate`, { key: creator });
  });
});

describe('duplicateBundle', () => {
  it('copies the bundle with lines, price options and follow-up chats', async () => {
    const tenant = await createTenant('Dup bundle');
    const db = tenant.ctx.database.db;
    const product = await insertProduct(tenant, {
      name: 'Kopi',
      variants: [{ price: '50000', option1_value: '250 g' }],
    });
    const bundle = await insertBundle(
      tenant,
      [{ variantId: product.variants[0]!.id, quantity: 3 }],
      [
        { name: 'Paket 1', price: '140000' },
        { name: 'Paket 2', price: '270000' },
      ],
    );
    await db
      .updateTable('bundles')
      .set({ labels: ['hemat'], custom_id: 'BDL-1', is_bundle_sharing: true })
      .where('id', '=', bundle.id)
      .execute();
    await ok(tenant, 'POST', `/v3/bundles/${bundle.id}/follow-up-chats`, {
      body: { name: 'FU', provider: 'whatsapp' },
    });

    const copy = await ok<CopiedBundle>(tenant, 'POST', `/v3/bundles/${bundle.id}/duplicate`);
    await expectSameAsGet(tenant, copy, `/v3/bundles/${copy.id}`);
    const original = await db
      .selectFrom('bundles')
      .select('name')
      .where('id', '=', bundle.id)
      .executeTakeFirstOrThrow();
    expect(copy).toMatchObject({
      name: `${original.name} (Copy)`,
      labels: [{ name: 'hemat' }],
      custom_id: null,
      is_bundle_sharing: false,
      business: { id: tenant.business.id },
      created_by: { id: tenant.owner.id },
    });
    expect(copy.bundlelines).toHaveLength(1);
    expect(copy.bundlelines[0]!).toMatchObject({ quantity: 3, subtotal: '150000.00' });
    expect(copy.bundlelines[0]!.variant).toMatchObject({
      id: product.variants[0]!.id,
      name: 'Kopi - 250 g',
      product_name: 'Kopi',
    });
    expect(copy.bundle_price_options).toHaveLength(2);
    const [first, second] = copy.bundle_price_options as [
      CopiedBundle['bundle_price_options'][number],
      CopiedBundle['bundle_price_options'][number],
    ];
    expect(first).toMatchObject({
      name: 'Paket 1',
      price: '140000.00',
      slug: `${bundle.priceOptions[0]!.slug}-copy`,
      stores: [],
    });
    expect(second.slug).toBe(`${bundle.priceOptions[1]!.slug}-copy`);
    expect(first.unique_id).not.toBe(bundle.priceOptions[0]!.unique_id);
    expect(first.id).not.toBe(bundle.priceOptions[0]!.id);

    const chats = await ok<{ data: Array<{ bundle_id: number }> }>(
      tenant,
      'GET',
      `/v3/bundles/${copy.id}/follow-up-chats`,
    );
    expect(chats.data).toMatchObject([{ bundle_id: copy.id }]);

    const again = await ok<CopiedBundle>(tenant, 'POST', `/v3/bundles/${bundle.id}/duplicate`);
    expect(again.bundle_price_options[0]!.slug).toBe(`${bundle.priceOptions[0]!.slug}-copy-2`);
  });

  it('answers 404 to another business, 422 to a bad id and checks the scope', async () => {
    const tenant = await createTenant('Dup bundle');
    const other = await createTenant('Dup bundle other');
    const product = await insertProduct(tenant);
    const bundle = await insertBundle(tenant, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    await expectError(other, 'POST', `/v3/bundles/${bundle.id}/duplicate`, 404);
    expect((await expectError(tenant, 'POST', '/v3/bundles/x/duplicate', 422)).errors.id).toBeDefined();
    const key = await tenant.restrictedKey(['bundle:update']);
    const res = await expectError(tenant, 'POST', `/v3/bundles/${bundle.id}/duplicate`, 403, { key });
    expect(res.error_code).toBe('insufficient_scope');
  });
});
