import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../helpers/multipart.ts';
import { expectResponsive, type SocketResponse } from '../helpers/server.ts';
import {
  finishJourney,
  type StorefrontClient,
  startJourneyServer,
  storefrontClient,
} from './demo-storefront.ts';

/**
 * Issue 10: every way file bytes reach the server, over a real socket to a server started like
 * `npm start`. On 695e416 a PUT of a valid PNG to a transfer-proof upload URL, or a 1-byte PUT to
 * `/uploads/…` with no signature at all, never answered, and the whole process stopped answering:
 * each step below must answer within the request timeout, and `/healthz` within a second after it.
 */

/** A valid 1×1 PNG (67 bytes). */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a4944415478da6360000000020001e527defc0000000049454e44ae426082',
  'hex',
);

let shop: StorefrontClient;
beforeAll(async () => {
  shop = storefrontClient(await startJourneyServer());
});
afterAll(async () => {
  await finishJourney(shop);
});

function ok(response: SocketResponse, status = 200) {
  expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(status);
  return response.json();
}

async function ebookVariantId(): Promise<number> {
  const items = ok(await shop.get('/items', { query: { page_size: 25, entity_type: 'product' } }));
  const ebook = items.data.find((item: { name: string }) => item.name === 'E-book Jualan Online');
  return ok(await shop.get(`/products/${encodeURIComponent(ebook.slug)}`)).variants[0].id;
}

/** A bank-transfer order of the demo e-book and a signed URL for its transfer proof. */
async function transferProofUpload(contentLength: number) {
  const order = ok(
    await shop.post('/checkout', {
      items: [{ type: 'variant', variant_id: await ebookVariantId(), quantity: 1 }],
      customer_name: 'Rina Kartika',
      customer_email: 'rina@example.test',
      payment_method: 'bank_transfer',
    }),
    201,
  );
  const upload = ok(
    await shop.post(`/orders/${order.secret_slug}/transfer-proof-upload`, {
      filename: 'bukti.png',
      content_type: 'image/png',
      content_length: contentLength,
    }),
  );
  return { order, upload };
}

describe('uploads over a real socket', () => {
  it('stores a transfer proof PUT to its signed URL, and keeps answering', async () => {
    const { order, upload } = await transferProofUpload(PNG.length);
    const put = ok(await shop.fetch('PUT', upload.upload_url, PNG, { 'content-type': 'image/png' }));
    expect(put.size_in_bytes).toBe(PNG.length);
    await expectResponsive(shop.server);

    const attached = ok(
      await shop.call('PATCH', `/orders/${order.secret_slug}`, { transferproof_url: upload.file_url }),
    );
    expect(attached.transferproof_url).toBe(upload.file_url);
    const visit = await shop.fetch('GET', upload.file_url);
    expect(visit.statusCode, visit.body).toBe(302);
    const download = await shop.fetch('GET', new URL(visit.headers.location!, upload.file_url).href);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);
  });

  it('refuses an unsigned, a tampered, a mistyped and an oversized PUT at once, and keeps answering', async () => {
    const unsigned = await shop.fetch('PUT', `${shop.server.url}/uploads/anything`, Buffer.from('x'), {
      'content-type': 'application/octet-stream',
    });
    expect(unsigned.statusCode).toBe(403);
    await expectResponsive(shop.server);

    const { upload } = await transferProofUpload(PNG.length);
    const tampered = new URL(upload.upload_url);
    tampered.pathname = `${tampered.pathname}x`;
    expect((await shop.fetch('PUT', tampered.href, PNG, { 'content-type': 'image/png' })).statusCode).toBe(
      403,
    );

    const mistyped = await shop.fetch('PUT', upload.upload_url, PNG, { 'content-type': 'text/html' });
    expect(mistyped.statusCode).toBe(415);

    const oversized = await shop.fetch('PUT', upload.upload_url, Buffer.concat([PNG, randomBytes(4096)]), {
      'content-type': 'image/png',
    });
    expect(oversized.statusCode).toBe(413);
    await expectResponsive(shop.server);

    // The URL still works for the file it was signed for.
    ok(await shop.fetch('PUT', upload.upload_url, PNG, { 'content-type': 'image/png' }));
  });

  it("streams a merchant's digital product file in multipart/form-data and serves it back", async () => {
    const ebook = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000), Buffer.from('\n%%EOF\n')]);
    const body = multipart([
      { name: 'file', filename: 'Panduan Jualan.pdf', contentType: 'application/pdf', data: ebook },
    ]);
    const created = ok(
      await shop.send('POST', `/v3/variants/${await ebookVariantId()}/digital-product-files`, {
        body: body.payload,
        headers: { authorization: `Bearer ${shop.demo.api_key}`, 'content-type': body.contentType },
      }),
    );
    expect(created).toMatchObject({ name: 'Panduan Jualan.pdf', size_in_bytes: ebook.length });
    const download = await shop.fetch('GET', created.url);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(ebook)).toBe(true);
    await expectResponsive(shop.server);
  });
});
