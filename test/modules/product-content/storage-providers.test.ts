import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { S3Storage } from '../../../src/providers/storage/s3.ts';
import { presignUrl } from '../../../src/providers/storage/sigv4.ts';

// The example of AWS's "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)".
const AWS_EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  date: new Date('2013-05-24T00:00:00Z'),
};

describe('SigV4 presigned URLs', () => {
  it("reproduces AWS's documented presigned GET example", () => {
    const url = presignUrl({
      ...AWS_EXAMPLE,
      method: 'GET',
      origin: 'https://examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      expiresSeconds: 86400,
    });
    expect(url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt' +
        '?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('signs the content type of uploads and the file name of downloads', () => {
    const storage = new S3Storage({
      ...AWS_EXAMPLE,
      bucket: 'nexus-files',
      endpoint: undefined,
      ttlSeconds: 900,
      now: () => AWS_EXAMPLE.date,
    });
    const upload = storage.createUploadUrl({
      key: 'b1-dpf-abc',
      contentType: 'application/pdf',
      maxBytes: 10,
    });
    const url = new URL(upload.url);
    expect(url.origin).toBe('https://nexus-files.s3.us-east-1.amazonaws.com');
    expect(url.pathname).toBe('/b1-dpf-abc');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(upload.expiresAt.toISOString()).toBe('2013-05-24T00:15:00.000Z');

    const download = new URL(storage.createDownloadUrl('b1-dpf-abc', { filename: 'Resep (1).pdf' }).url);
    expect(download.searchParams.get('response-content-disposition')).toContain('filename="Resep (1).pdf"');
    // Reserved characters are percent-encoded as SigV4 requires.
    expect(download.search).toContain('%28');
  });

  it('deletes through a presigned DELETE against an S3-compatible endpoint', async () => {
    const seen: Array<{ method: string | undefined; url: string | undefined }> = [];
    const server = http.createServer((req, res) => {
      seen.push({ method: req.method, url: req.url });
      res.statusCode = 204;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const storage = new S3Storage({
        ...AWS_EXAMPLE,
        bucket: 'nexus-files',
        endpoint: `http://127.0.0.1:${port}`,
        ttlSeconds: 60,
      });
      await storage.delete('b1-dpf-abc');
      expect(seen).toHaveLength(1);
      expect(seen[0]!.method).toBe('DELETE');
      const url = new URL(seen[0]!.url!, 'http://stub');
      expect(url.pathname).toBe('/nexus-files/b1-dpf-abc');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      server.close();
    }
  });

  it('puts a streamed body with its exact Content-Length through a presigned PUT', async () => {
    const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: Buffer }> =
      [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.statusCode = 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const storage = new S3Storage({
        ...AWS_EXAMPLE,
        bucket: 'nexus-files',
        endpoint: `http://127.0.0.1:${port}`,
        ttlSeconds: 60,
      });
      const bytes = Buffer.alloc(70_000, 7);
      // Arrives in chunks, without a known length, like a multipart file part.
      const body = Readable.from([bytes.subarray(0, 30_000), bytes.subarray(30_000)]);
      expect(await storage.put('b1-dpf-abc', body, 'application/pdf', 70_000)).toEqual({
        sizeInBytes: 70_000,
      });
      expect(seen).toHaveLength(1);
      const [put] = seen;
      expect(put!.method).toBe('PUT');
      expect(put!.headers['content-length']).toBe('70000');
      expect(put!.headers['transfer-encoding']).toBeUndefined();
      expect(put!.headers['content-type']).toBe('application/pdf');
      expect(put!.body.equals(bytes)).toBe(true);
      const url = new URL(put!.url!, 'http://stub');
      expect(url.pathname).toBe('/nexus-files/b1-dpf-abc');
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');

      // Past the limit nothing is sent at all.
      const tooBig = storage.put('b1-dpf-big', Readable.from([Buffer.alloc(11)]), 'text/plain', 10);
      await expect(tooBig).rejects.toMatchObject({ statusCode: 413, code: 'payload_too_large' });
      expect(seen).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('reports a failed put', async () => {
    const storage = new S3Storage({
      ...AWS_EXAMPLE,
      bucket: 'b',
      endpoint: 'http://s3.invalid',
      ttlSeconds: 60,
      fetch: async () => new Response('denied', { status: 403 }),
    });
    await expect(storage.put('k', Readable.from([Buffer.from('abc')]), 'text/plain', 10)).rejects.toThrow(
      /HTTP 403/,
    );
  });

  it('reports a failed delete', async () => {
    const storage = new S3Storage({
      ...AWS_EXAMPLE,
      bucket: 'b',
      endpoint: 'http://s3.invalid',
      ttlSeconds: 60,
      fetch: async () => new Response('denied', { status: 403 }),
    });
    await expect(storage.delete('k')).rejects.toThrow(/HTTP 403/);
  });
});
