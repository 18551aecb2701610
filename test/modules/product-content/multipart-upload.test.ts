import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../helpers/app.ts';
import { insertProduct } from '../../helpers/catalog.ts';
import { multipart, type Part } from '../../helpers/multipart.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { expectError, ok } from './helpers.ts';

interface DigitalFile {
  id: number;
  name: string;
  content_type: string;
  size_in_bytes: number;
  url: string;
}

const filesUrl = (variantId: number | string) => `/v3/variants/${variantId}/digital-product-files`;
const local = (url: string) => url.replace(/^http:\/\/nexus\.test/, '');
const EBOOK = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000), Buffer.from('\n%%EOF\n')]);

function upload(tenant: Tenant, variantId: number | string, parts: Part[], key?: string) {
  const body = multipart(parts);
  return tenant.request('POST', filesUrl(variantId), {
    body: body.payload,
    headers: { 'content-type': body.contentType },
    ...(key ? { key } : {}),
  });
}

const ebookPart = (data: Buffer = EBOOK): Part => ({
  name: 'file',
  filename: 'Resep Kue Lebaran.pdf',
  contentType: 'application/pdf',
  data,
});

describe('createVariantDigitalProductFile with multipart/form-data (the contract)', () => {
  it('streams the file to storage and records what was received', async () => {
    const tenant = await createTenant('Upload');
    const product = await insertProduct(tenant, { itemType: 'digital' });
    const variantId = product.variants[0]!.id;

    const res = await upload(tenant, variantId, [
      { name: 'note', data: 'fields before the file are skipped' },
      ebookPart(),
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json() as DigitalFile;
    expect(Object.keys(created).sort()).toEqual(['content_type', 'id', 'name', 'size_in_bytes', 'url']);
    expect(created).toMatchObject({
      id: expect.any(Number),
      name: 'Resep Kue Lebaran.pdf',
      content_type: 'application/pdf',
      size_in_bytes: EBOOK.length,
    });
    expect(created.url).toMatch(/^http:\/\/nexus\.test\/uploads\/b\d+-dpf-[A-Za-z0-9]{32}\?/);

    const page = await ok<{ data: DigitalFile[] }>(tenant, 'GET', filesUrl(variantId));
    expect(page.data.map((file) => file.id)).toEqual([created.id]);
    const download = await send(tenant.ctx, 'GET', local(page.data[0]!.url));
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(EBOOK)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('filename="Resep Kue Lebaran.pdf"');

    // The product and the variant show the same record.
    const fetched = await ok<{ variants: Array<{ digital_product_files: DigitalFile[] }> }>(
      tenant,
      'GET',
      `/v3/products/${product.id}`,
    );
    expect(fetched.variants[0]!.digital_product_files).toMatchObject([
      { id: created.id, name: created.name, size_in_bytes: EBOOK.length },
    ]);
  });

  it('accepts files larger than the JSON body limit, up to the upload limit', async () => {
    const tenant = await createTenant('Upload');
    const product = await insertProduct(tenant);
    const big = randomBytes(tenant.ctx.config.bodyLimit + 512 * 1024);
    const res = await upload(tenant, product.variants[0]!.id, [ebookPart(big)]);
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json() as DigitalFile;
    expect(created.size_in_bytes).toBe(big.length);
    const download = await send(tenant.ctx, 'GET', local(created.url));
    expect(download.rawPayload.equals(big)).toBe(true);
  });

  it("records the part's media type: text/plain when absent (RFC 7578), octet-stream when unusable", async () => {
    const tenant = await createTenant('Upload');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;
    const untyped = await upload(tenant, variantId, [{ name: 'file', filename: 'data.txt', data: 'abc' }]);
    expect(untyped.statusCode, untyped.body).toBe(200);
    expect(untyped.json()).toMatchObject({ content_type: 'text/plain', size_in_bytes: 3 });
    const odd = await upload(tenant, variantId, [
      { name: 'file', filename: 'data.bin', contentType: 'binary stuff', data: 'abc' },
    ]);
    expect(odd.json()).toMatchObject({ content_type: 'application/octet-stream', size_in_bytes: 3 });
    const typed = await upload(tenant, variantId, [
      { name: 'file', filename: 'a.txt', contentType: 'Text/Plain; charset=utf-8', data: 'halo' },
    ]);
    expect(typed.json()).toMatchObject({ content_type: 'text/plain', size_in_bytes: 4 });
  });

  it('answers 422 errors.file without a file part, an empty file or another field name', async () => {
    const tenant = await createTenant('Upload');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;
    const cases: Part[][] = [
      [{ name: 'name', data: 'ebook.pdf' }],
      [{ name: 'file', data: 'just text, no file name' }],
      [{ name: 'document', filename: 'ebook.pdf', contentType: 'application/pdf', data: EBOOK }],
      [{ name: 'file', filename: 'kosong.pdf', contentType: 'application/pdf', data: Buffer.alloc(0) }],
      [{ name: 'file', filename: `${'x'.repeat(256)}.pdf`, data: 'abc' }],
    ];
    for (const parts of cases) {
      const res = await upload(tenant, variantId, parts);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error_code).toBe('validation_failed');
      expect(res.json().errors.file, res.body).toBeDefined();
    }
    const body = await ok<{ data: unknown[] }>(tenant, 'GET', filesUrl(variantId));
    expect(body.data).toEqual([]);

    const broken = await tenant.request('POST', filesUrl(variantId), {
      body: 'not multipart at all',
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(broken.statusCode, broken.body).toBe(400);
  });

  it('answers 413 past the upload limit and stores nothing', async () => {
    const tenant = await createTenant('Upload');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;
    const { config, database } = tenant.ctx;
    const small = await buildTestApp(database, {
      ...config,
      storage: { ...config.storage, maxUploadBytes: 1024 },
    });
    try {
      const inject = (data: Buffer) => {
        const body = multipart([{ name: 'file', filename: 'big.pdf', contentType: 'application/pdf', data }]);
        return small.app.inject({
          method: 'POST',
          url: filesUrl(variantId),
          payload: body.payload,
          headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': body.contentType },
        });
      };
      const tooBig = await inject(randomBytes(1025));
      expect(tooBig.statusCode, tooBig.body).toBe(413);
      expect(tooBig.json().error_code).toBe('payload_too_large');
      const exact = await inject(randomBytes(1024));
      expect(exact.statusCode, exact.body).toBe(200);
      expect(exact.json().size_in_bytes).toBe(1024);
    } finally {
      await small.app.close();
    }
    const page = await ok<{ data: DigitalFile[] }>(tenant, 'GET', filesUrl(variantId));
    expect(page.data.map((file) => file.size_in_bytes)).toEqual([1024]);
  });

  it('checks the scope and answers 404 for another business or an unknown variant', async () => {
    const tenant = await createTenant('Upload');
    const other = await createTenant('Upload other');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;

    const reader = await tenant.restrictedKey(['product:read']);
    const denied = await upload(tenant, variantId, [ebookPart()], reader);
    expect(denied.statusCode, denied.body).toBe(403);
    expect(denied.json().error_code).toBe('insufficient_scope');

    const foreign = await upload(other, variantId, [ebookPart()]);
    expect(foreign.statusCode, foreign.body).toBe(404);
    expect(foreign.json().error_code).toBe('not_found');
    expect((await upload(tenant, 999_999_999, [ebookPart()])).statusCode).toBe(404);
    expect((await upload(tenant, 'abc', [ebookPart()])).statusCode).toBe(422);

    const writer = await tenant.restrictedKey(['product:update']);
    expect((await upload(tenant, variantId, [ebookPart()], writer)).statusCode).toBe(200);
  });

  it('keeps the JSON upload request and refuses other body types', async () => {
    const tenant = await createTenant('Upload');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;
    const json = await ok<DigitalFile & { upload_url: string }>(tenant, 'POST', filesUrl(variantId), {
      body: { name: 'ebook.pdf', content_type: 'application/pdf', size_in_bytes: 10 },
    });
    expect(json.upload_url).toMatch(/^http:\/\/nexus\.test\/uploads\//);
    const invalid = await expectError(tenant, 'POST', filesUrl(variantId), 422, {
      body: { name: 'ebook.pdf', content_type: 'application/pdf' },
    });
    expect(invalid.errors.size_in_bytes).toBeDefined();
    const text = await tenant.request('POST', filesUrl(variantId), {
      body: 'ebook.pdf',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode, text.body).toBe(415);
    expect(text.json().error_code).toBe('unsupported_media_type');
  });

  it('leaves every other route refusing multipart bodies', async () => {
    const tenant = await createTenant('Upload');
    const body = multipart([{ name: 'name', data: 'Kopi' }]);
    for (const url of ['/v3/products', '/v3/bundles']) {
      const res = await tenant.request('POST', url, {
        body: body.payload,
        headers: { 'content-type': body.contentType },
      });
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error_code).toBe('unsupported_media_type');
    }
    const unknown = await tenant.request('POST', '/v3/no-such-route', {
      body: body.payload,
      headers: { 'content-type': body.contentType },
    });
    expect(unknown.statusCode).toBe(404);

    // The signed upload URL stores any body as raw bytes, a multipart one included.
    const product = await insertProduct(tenant);
    const record = await ok<{ upload_url: string }>(tenant, 'POST', filesUrl(product.variants[0]!.id), {
      body: { name: 'form.bin', content_type: 'multipart/form-data', size_in_bytes: body.payload.length },
    });
    const put = await tenant.ctx.app.inject({
      method: 'PUT',
      url: local(record.upload_url),
      payload: body.payload,
      headers: { 'content-type': body.contentType },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().size_in_bytes).toBe(body.payload.length);
  });
});
