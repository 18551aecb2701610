import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LocalStorage } from '../../../src/providers/storage/local.ts';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { expectCursorPaging, expectError, expectPageSizeBounds, ISO, ok } from './helpers.ts';

interface DigitalFile {
  id: number;
  name: string;
  content_type: string;
  size_in_bytes: number;
  url: string;
}
interface Upload extends DigitalFile {
  upload_url: string;
  upload_expires_at: string;
}

const filesUrl = (variantId: number | string) => `/v3/variants/${variantId}/digital-product-files`;
const PDF = Buffer.from('%PDF-1.7\n% Nexus test e-book\n');

/** The signed URL's path and query, for app.inject. */
const local = (url: string) => url.replace(/^http:\/\/nexus\.test/, '');

async function createFile(tenant: Tenant, variantId: number, body: Partial<Upload> = {}) {
  return ok<Upload>(tenant, 'POST', filesUrl(variantId), {
    body: { name: 'E-book Resep.pdf', content_type: 'application/pdf', size_in_bytes: PDF.length, ...body },
  });
}

function put(tenant: Tenant, url: string, payload: Buffer, contentType = 'application/pdf') {
  return tenant.ctx.app.inject({
    method: 'PUT',
    url: local(url),
    payload,
    headers: { 'content-type': contentType },
  });
}

describe('variant digital product files', () => {
  it('creates an upload record, accepts the upload and serves the signed download', async () => {
    const tenant = await createTenant('Files');
    const product = await insertProduct(tenant, { itemType: 'digital' });
    const variantId = product.variants[0]!.id;
    const created = await createFile(tenant, variantId);
    expect(Object.keys(created).sort()).toEqual(
      ['content_type', 'id', 'name', 'size_in_bytes', 'upload_expires_at', 'upload_url', 'url'].sort(),
    );
    expect(created).toMatchObject({
      name: 'E-book Resep.pdf',
      content_type: 'application/pdf',
      size_in_bytes: PDF.length,
    });
    expect(created.upload_url).toMatch(/^http:\/\/nexus\.test\/uploads\/b\d+-dpf-[A-Za-z0-9]{32}\?/);
    expect(created.url).toMatch(/^http:\/\/nexus\.test\/uploads\//);
    expect(created.upload_expires_at).toMatch(ISO);

    const uploaded = await put(tenant, created.upload_url, PDF);
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    expect(uploaded.json()).toMatchObject({ size_in_bytes: PDF.length });

    const fetched = await ok<DigitalFile>(tenant, 'GET', `${filesUrl(variantId)}/${created.id}`);
    expect(Object.keys(fetched).sort()).toEqual(['content_type', 'id', 'name', 'size_in_bytes', 'url']);
    const download = await send(tenant.ctx, 'GET', local(fetched.url));
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('filename="E-book Resep.pdf"');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses altered, expired, mistyped and oversized uploads', async () => {
    const tenant = await createTenant('Files');
    const product = await insertProduct(tenant);
    const created = await createFile(tenant, product.variants[0]!.id);

    const tampered = created.upload_url.replace(/max=\d+/, 'max=999999');
    expect((await put(tenant, tampered, PDF)).statusCode).toBe(403);
    const otherKey = created.upload_url.replace(/uploads\/[^?]+/, 'uploads/b1-dpf-forged');
    expect((await put(tenant, otherKey, PDF)).statusCode).toBe(403);

    const { config, keys } = tenant.ctx;
    const past = new LocalStorage({
      dir: config.storage.localDir,
      publicUrl: config.publicUrl,
      signingKey: keys.storage,
      ttlSeconds: 60,
      now: () => new Date(Date.now() - 3_600_000),
    });
    const key = created.upload_url.match(/uploads\/([^?]+)/)![1]!;
    const expired = past.createUploadUrl({ key, contentType: 'application/pdf', maxBytes: PDF.length });
    expect((await put(tenant, expired.url, PDF)).statusCode).toBe(403);

    const wrongType = await put(tenant, created.upload_url, PDF, 'text/html');
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error_code).toBe('unsupported_media_type');

    const untyped = await tenant.ctx.app.inject({
      method: 'PUT',
      url: local(created.upload_url),
      payload: PDF,
    });
    expect(untyped.statusCode, untyped.body).toBe(415);

    const tooBig = await put(tenant, created.upload_url, Buffer.concat([PDF, Buffer.from('more bytes')]));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error_code).toBe('payload_too_large');

    // Without a Content-Length the body is counted while it streams and cut off at the limit.
    const chunked = await tenant.ctx.app.inject({
      method: 'PUT',
      url: local(created.upload_url),
      payload: Readable.from([PDF, Buffer.alloc(64)]),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(chunked.statusCode, chunked.body).toBe(413);

    // JSON bodies are streamed like any other type, not parsed by the API's JSON parser.
    const json = await createFile(tenant, product.variants[0]!.id, {
      content_type: 'application/json',
      size_in_bytes: 11,
    });
    const res = await put(tenant, json.upload_url, Buffer.from('{"a":"b"}  '), 'application/json');
    expect(res.statusCode, res.body).toBe(200);

    const forgedDownload = created.url.replace(/sig=[^&]+/, 'sig=AAAA');
    expect((await send(tenant.ctx, 'GET', local(forgedDownload))).statusCode).toBe(403);
  });

  it('pages by id ascending and bounds page_size', async () => {
    const tenant = await createTenant('Files');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createFile(tenant, variantId, { name: `Bab ${i}.pdf` })).id);
    await expectCursorPaging(tenant, filesUrl(variantId), ids);
    await expectPageSizeBounds(tenant, filesUrl(variantId));
    const page = await ok<{ data: DigitalFile[] }>(tenant, 'GET', filesUrl(variantId));
    expect(Object.keys(page.data[0]!).sort()).toEqual(['content_type', 'id', 'name', 'size_in_bytes', 'url']);
  });

  it('deletes the record, answers it and removes the stored file', async () => {
    const tenant = await createTenant('Files');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;
    const created = await createFile(tenant, variantId);
    expect((await put(tenant, created.upload_url, PDF)).statusCode).toBe(200);
    const deleted = await ok<DigitalFile>(tenant, 'DELETE', `${filesUrl(variantId)}/${created.id}`);
    expect(deleted).toMatchObject({ id: created.id, name: created.name, size_in_bytes: PDF.length });
    await expectError(tenant, 'GET', `${filesUrl(variantId)}/${created.id}`, 404);
    expect((await send(tenant.ctx, 'GET', local(created.url))).statusCode).toBe(404);
  });

  it('validates the body', async () => {
    const tenant = await createTenant('Files');
    const product = await insertProduct(tenant);
    const url = filesUrl(product.variants[0]!.id);
    const missing = await expectError(tenant, 'POST', url, 422, { body: {} });
    expect(Object.keys(missing.errors).sort()).toEqual(['content_type', 'name', 'size_in_bytes']);
    const bad = await expectError(tenant, 'POST', url, 422, {
      body: { name: 'x', content_type: 'not a type', size_in_bytes: 0 },
    });
    expect(Object.keys(bad.errors).sort()).toEqual(['content_type', 'size_in_bytes']);
    const tooLarge = await expectError(tenant, 'POST', url, 422, {
      body: {
        name: 'x',
        content_type: 'video/mp4',
        size_in_bytes: tenant.ctx.config.storage.maxUploadBytes + 1,
      },
    });
    expect(tooLarge.errors.size_in_bytes).toBeDefined();
    expect((await expectError(tenant, 'GET', `${url}/abc`, 422)).errors.id).toBeDefined();
  });

  it('answers 404 to another business and checks scopes', async () => {
    const tenant = await createTenant('Files');
    const other = await createTenant('Files other');
    const product = await insertProduct(tenant);
    const variantId = product.variants[0]!.id;
    const created = await createFile(tenant, variantId);
    const body = { name: 'a.pdf', content_type: 'application/pdf', size_in_bytes: 10 };
    await expectError(other, 'GET', filesUrl(variantId), 404);
    await expectError(other, 'POST', filesUrl(variantId), 404, { body });
    await expectError(other, 'GET', `${filesUrl(variantId)}/${created.id}`, 404);
    await expectError(other, 'DELETE', `${filesUrl(variantId)}/${created.id}`, 404);
    const sibling = await insertProduct(tenant);
    await expectError(tenant, 'GET', `${filesUrl(sibling.variants[0]!.id)}/${created.id}`, 404);

    const key = await tenant.restrictedKey(['order:list']);
    for (const [method, url, payload] of [
      ['GET', filesUrl(variantId), undefined],
      ['POST', filesUrl(variantId), body],
      ['GET', `${filesUrl(variantId)}/${created.id}`, undefined],
      ['DELETE', `${filesUrl(variantId)}/${created.id}`, undefined],
    ] as const) {
      const res = await expectError(tenant, method, url, 403, { key, ...(payload ? { body: payload } : {}) });
      expect(res.error_code).toBe('insufficient_scope');
    }
  });

  it('keeps the upload routes out of the OpenAPI document', async () => {
    const tenant = await createTenant('Files');
    const document = (await send(tenant.ctx, 'GET', '/v3/openapi.json')).json();
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/uploads'))).toEqual([]);
  });
});
