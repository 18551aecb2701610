import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attachProductToStore,
  type FixtureVariant,
  insertBundle,
  insertProduct,
} from '../../helpers/catalog.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { createProduct } from './helpers.ts';

interface DigitalFile {
  id: number;
  name: string;
  content_type: string;
  size_in_bytes: number;
  url: string;
}
type WithFiles = { id: number; digital_product_files: DigitalFile[] };

const local = (url: string) => url.replace(/^http:\/\/nexus\.test/, '');

/** Uploads through the contract's multipart route, so the stored object exists. */
async function uploadFile(
  tenant: Tenant,
  variantId: number,
  name: string,
  data: Buffer,
): Promise<DigitalFile> {
  const boundary = `b${randomBytes(6).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await tenant.request('POST', `/v3/variants/${variantId}/digital-product-files`, {
    body: payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function get<T>(tenant: Tenant, url: string, query: Record<string, string | number> = {}): Promise<T> {
  const res = await tenant.request('GET', url, { query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
}

const downloadStatus = async (tenant: Tenant, file: DigitalFile) =>
  (await send(tenant.ctx, 'GET', local(file.url))).statusCode;

/** The record as every product view shows it; the signed URL is checked by downloading it. */
const summary = (file: DigitalFile) => ({
  id: file.id,
  name: file.name,
  content_type: file.content_type,
  size_in_bytes: file.size_in_bytes,
});

describe('digital product files in product, variant and bundle responses', () => {
  it('shows each variant its own files in every product view', async () => {
    const tenant = await createTenant('Berkas');
    const ebook = await insertProduct(tenant, {
      itemType: 'digital',
      variants: [{ option1_value: 'PDF' }, { option1_value: 'Audio' }],
    });
    const other = await insertProduct(tenant, { itemType: 'digital' });
    const [pdf, audio] = ebook.variants as [FixtureVariant, FixtureVariant];
    const bab1 = await uploadFile(tenant, pdf.id, 'Bab 1.pdf', Buffer.from('%PDF bab 1'));
    const bab2 = await uploadFile(tenant, pdf.id, 'Bab 2.pdf', Buffer.from('%PDF bab 2'));
    const bonus = await uploadFile(tenant, other.variants[0]!.id, 'Bonus.pdf', Buffer.from('%PDF bonus'));
    const expected = new Map<number, DigitalFile[]>([
      [pdf.id, [bab1, bab2]],
      [audio.id, []],
      [other.variants[0]!.id, [bonus]],
    ]);
    const check = async (variants: WithFiles[]) => {
      for (const variant of variants) {
        const files = variant.digital_product_files;
        expect(files.map(summary)).toEqual((expected.get(variant.id) ?? []).map(summary));
        for (const file of files) {
          expect(Object.keys(file).sort()).toEqual(['content_type', 'id', 'name', 'size_in_bytes', 'url']);
          expect(await downloadStatus(tenant, file)).toBe(200);
        }
      }
    };

    const page = await get<{ data: Array<{ variants: WithFiles[] }> }>(tenant, '/v3/products');
    await check(page.data.flatMap((p) => p.variants));
    const simplified = await get<{ data: Array<{ variants: WithFiles[] }> }>(
      tenant,
      '/v3/products/simplified',
    );
    await check(simplified.data.flatMap((p) => p.variants));
    await check((await get<{ variants: WithFiles[] }>(tenant, `/v3/products/${ebook.id}`)).variants);
    await check([await get<WithFiles>(tenant, `/v3/variants/${pdf.id}`)]);
    await check([await get<WithFiles>(tenant, `/v3/variants/${audio.id}`)]);

    await attachProductToStore(tenant, ebook.id);
    await check([await get<WithFiles>(tenant, `/v3/stores/${tenant.store.id}/variants/${pdf.id}`)]);

    const bundle = await insertBundle(tenant, [
      { variantId: pdf.id, quantity: 1 },
      { variantId: audio.id, quantity: 1 },
      { variantId: other.variants[0]!.id, quantity: 2 },
    ]);
    const lines = await get<{ bundlelines: Array<{ variant: WithFiles }> }>(
      tenant,
      `/v3/bundles/${bundle.id}`,
    );
    expect(lines.bundlelines).toHaveLength(3);
    await check(lines.bundlelines.map((line) => line.variant));
  });

  it('removes stored objects with the product or the variant, unless a copy still uses them', async () => {
    const tenant = await createTenant('Berkas');
    const product = await createProduct(tenant, {
      name: 'Ebook Resep',
      item_type: 'digital',
      option1_name: 'Format',
      variants: [
        { price: '50000', weight: 0, option1_value: 'PDF' },
        { price: '60000', weight: 0, option1_value: 'EPUB' },
      ],
    });
    const [pdf, epub] = product.variants as [{ id: number }, { id: number }];
    const pdfFile = await uploadFile(tenant, pdf.id, 'resep.pdf', Buffer.from('%PDF resep'));
    const epubFile = await uploadFile(tenant, epub.id, 'resep.epub', Buffer.from('epub resep'));

    // Removing the EPUB variant removes its stored file.
    const updated = await tenant.request('PATCH', `/v3/products/${product.id}`, {
      body: {
        name: 'Ebook Resep',
        item_type: 'digital',
        variants: [{ id: pdf.id, price: '50000', weight: 0, option1_value: 'PDF' }],
      },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(await downloadStatus(tenant, epubFile)).toBe(404);
    expect(await downloadStatus(tenant, pdfFile)).toBe(200);

    // A copy shares the stored object: deleting the original keeps it for the copy.
    const copy = await tenant.request('POST', `/v3/products/${product.id}/duplicate`);
    expect(copy.statusCode, copy.body).toBe(200);
    expect((await tenant.request('DELETE', `/v3/products/${product.id}`)).statusCode).toBe(204);
    const copyFile = copy.json().variants[0].digital_product_files[0] as DigitalFile;
    expect(await downloadStatus(tenant, copyFile)).toBe(200);
    expect((await tenant.request('DELETE', `/v3/products/${copy.json().id}`)).statusCode).toBe(204);
    expect(await downloadStatus(tenant, copyFile)).toBe(404);
  });
});
