import { describe, expect, it } from 'vitest';
import {
  isTransferProofKeyOf,
  newTransferProofKey,
  transferProofKeyFromUrl,
} from '../../../src/modules/public-orders/transfer-proof.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { moveOrderThrough } from '../orders/fixtures.ts';
import { bankTransferOrder, type OrderClient, orderClient, type PlacedOrder, pathOf } from './helpers.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function requestUpload(
  client: OrderClient,
  order: PlacedOrder,
  body: Record<string, unknown> = {
    filename: 'bukti.png',
    content_type: 'image/png',
    content_length: PNG.length,
  },
) {
  return client.call('POST', order.secret_slug, '/transfer-proof-upload', body);
}

function put(tenant: Tenant, uploadUrl: string, body: Buffer, contentType: string) {
  return send(tenant.ctx, 'PUT', pathOf(uploadUrl), { body, headers: { 'content-type': contentType } });
}

describe('createStorefrontPublicOrderTransferProofUpload', () => {
  it('runs the whole flow: signed URL, PUT the bytes, attach with PATCH, read it back', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);

    const created = await requestUpload(client, order);
    expect(created.statusCode, created.body).toBe(200);
    const upload = created.json();
    expect(Object.keys(upload).sort()).toEqual(['expires_at', 'file_url', 'upload_url']);
    expect(upload.upload_url).toMatch(/^http:\/\/nexus\.test\/uploads\/tp_[A-Za-z0-9_-]+\.png\?/);
    expect(upload.file_url).toMatch(
      new RegExp(`^http://nexus\\.test/o/${order.secret_slug}/transfer-proof/tp_[A-Za-z0-9_-]+\\.png$`),
    );
    expect(new Date(upload.expires_at).getTime()).toBeGreaterThan(Date.now());

    const stored = await put(tenant, upload.upload_url, PNG, 'image/png');
    expect(stored.statusCode, stored.body).toBe(200);

    const patched = await client.call('PATCH', order.secret_slug, '', { transferproof_url: upload.file_url });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().transferproof_url).toBe(upload.file_url);
    // Attaching a proof without a time records when the buyer said they paid.
    expect(Date.now() - new Date(patched.json().transfer_time).getTime()).toBeLessThan(60_000);

    const read = await client.call('GET', order.secret_slug);
    expect(read.json().transferproof_url).toBe(upload.file_url);

    // The stable file_url re-signs on every visit and redirects to the stored bytes.
    const visit = await send(tenant.ctx, 'GET', pathOf(upload.file_url));
    expect(visit.statusCode, visit.body).toBe(302);
    expect(visit.headers['cache-control']).toBe('no-store');
    const download = await send(tenant.ctx, 'GET', pathOf(String(visit.headers.location)));
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toContain(`bukti-transfer-${order.order_id}.png`);
    expect(download.rawPayload.equals(PNG)).toBe(true);
  });

  it('enforces the declared type and size when the bytes are PUT', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);
    const upload = (await requestUpload(client, order)).json();

    const wrongType = await put(tenant, upload.upload_url, PNG, 'text/html');
    expect(wrongType.statusCode).toBe(415);
    const tooBig = await put(tenant, upload.upload_url, Buffer.concat([PNG, Buffer.alloc(10)]), 'image/png');
    expect(tooBig.statusCode).toBe(413);
    const tampered = upload.upload_url.replace(/max=\d+/, 'max=99999999');
    expect((await put(tenant, tampered, PNG, 'image/png')).statusCode).toBe(403);
  });

  it('validates the request', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ content_type: 'image/png', content_length: 10 }, 'filename'],
      [{ filename: '', content_type: 'image/png', content_length: 10 }, 'filename'],
      [{ filename: 'a\u0000.png', content_type: 'image/png', content_length: 10 }, 'filename'],
      [{ filename: 'proof.pdf', content_type: 'application/pdf', content_length: 10 }, 'content_type'],
      [{ filename: 'x.svg', content_type: 'image/svg+xml', content_length: 10 }, 'content_type'],
      [{ filename: 'x.png', content_type: 'image/png', content_length: 0 }, 'content_length'],
      [
        { filename: 'x.png', content_type: 'image/png', content_length: 10 * 1024 * 1024 + 1 },
        'content_length',
      ],
      [{ filename: 'x.png', content_type: 'image/png' }, 'content_length'],
    ];
    for (const [body, field] of cases) {
      const response = await requestUpload(client, order, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(Object.keys(response.json().errors), JSON.stringify(body)).toContain(field);
    }
  });

  it('is for open bank-transfer orders only', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const qris = await bankTransferOrder(tenant, { paymentMethod: 'qris' });
    const notBank = await requestUpload(client, qris);
    expect(notBank.statusCode).toBe(409);
    expect(notBank.json().message).toMatch(/bank-transfer/);

    const paid = await bankTransferOrder(tenant);
    await moveOrderThrough(tenant.ctx.database.db, tenant.business.id, paid.id, {
      paymentStatus: 'paid',
      actor: 'system',
    });
    expect((await requestUpload(client, paid)).statusCode).toBe(409);
  });

  it('is 404 for another store’s order and "Store not found" for another store’s key', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const otherClient = await orderClient(other);
    const order = await bankTransferOrder(tenant);
    const foreign = await requestUpload(otherClient, order);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().message).toBe('Order not found');
    const wrongKey = await otherClient.call(
      'POST',
      order.secret_slug,
      '/transfer-proof-upload',
      {
        filename: 'x.png',
        content_type: 'image/png',
        content_length: 10,
      },
      { storeUniqueId: tenant.store.unique_id },
    );
    expect(wrongKey.statusCode).toBe(404);
    expect(wrongKey.json().message).toBe('Store not found');
  });

  it('accepts as transferproof_url only a file_url issued for this very order', async () => {
    const tenant = await createTenant();
    const client = await orderClient(tenant);
    const order = await bankTransferOrder(tenant);
    const another = await bankTransferOrder(tenant);
    const own = (await requestUpload(client, order)).json().file_url as string;
    const theirs = (await requestUpload(client, another)).json().file_url as string;
    const key = own.slice(own.lastIndexOf('/') + 1);
    const attempts = [
      // Another order's proof, as it was issued, and moved under this order's slug.
      theirs,
      theirs.replace(another.secret_slug, order.secret_slug),
      // This order's proof with its MAC altered, on another host, or with something appended.
      own.replace(
        /_([A-Za-z0-9_-])([A-Za-z0-9_-]{21})\.png$/,
        (_m, first: string, rest: string) => `_${first === 'A' ? 'B' : 'A'}${rest}.png`,
      ),
      own.replace('http://nexus.test', 'https://evil.example'),
      `${own}?x=1`,
      `http://nexus.test/uploads/${key}`,
      'javascript:alert(1)',
    ];
    for (const url of attempts) {
      const response = await client.call('PATCH', order.secret_slug, '', { transferproof_url: url });
      expect(response.statusCode, url).toBe(422);
      expect(response.json().errors).toHaveProperty('transferproof_url');
    }
    const unknownProof = await send(
      tenant.ctx,
      'GET',
      pathOf(theirs.replace(another.secret_slug, order.secret_slug)),
    );
    expect(unknownProof.statusCode).toBe(404);
    expect(unknownProof.headers['content-type']).toMatch(/^text\/html/);

    const ok = await client.call('PATCH', order.secret_slug, '', { transferproof_url: own });
    expect(ok.statusCode).toBe(200);
    const removed = await client.call('PATCH', order.secret_slug, '', { transferproof_url: null });
    expect(removed.json().transferproof_url).toBeNull();
  });
});

describe('transfer proof keys', () => {
  const signingKey = Buffer.from('k'.repeat(32));

  it('bind the order and the extension', () => {
    const key = newTransferProofKey(signingKey, 'order-1', 'image/webp');
    expect(key).toMatch(/^tp_[A-Za-z0-9]{22}_[A-Za-z0-9_-]{22}\.webp$/);
    expect(isTransferProofKeyOf(signingKey, 'order-1', key)).toBe(true);
    expect(isTransferProofKeyOf(signingKey, 'order-2', key)).toBe(false);
    expect(isTransferProofKeyOf(Buffer.from('other'), 'order-1', key)).toBe(false);
    expect(isTransferProofKeyOf(signingKey, 'order-1', key.replace('.webp', '.png'))).toBe(false);
    expect(isTransferProofKeyOf(signingKey, 'order-1', '../../etc/passwd')).toBe(false);
  });

  it('are read back only from this server’s URL for this slug', () => {
    const key = newTransferProofKey(signingKey, 'order-1', 'image/jpeg');
    const base = 'https://shop.example';
    expect(transferProofKeyFromUrl(base, 'slug', `${base}/o/slug/transfer-proof/${key}`)).toBe(key);
    expect(transferProofKeyFromUrl(base, 'slug', `${base}/o/other/transfer-proof/${key}`)).toBeNull();
    expect(transferProofKeyFromUrl(base, 'slug', `${base}/o/slug/transfer-proof/${key}/x`)).toBeNull();
    expect(
      transferProofKeyFromUrl(base, 'slug', `http://shop.example/o/slug/transfer-proof/${key}`),
    ).toBeNull();
  });
});
