import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import { Readable } from 'node:stream';
import { presignUrl } from './sigv4.ts';
import { spool } from './spool.ts';
import {
  attachmentDisposition,
  type DownloadOptions,
  type SignedUrl,
  type StorageProvider,
  type StoredObject,
  type UploadRequest,
} from './storage.ts';

export interface S3Options {
  bucket: string;
  region: string;
  /** S3-compatible endpoint (MinIO, R2, ...): addressed path-style. Absent: AWS virtual-hosted style. */
  endpoint: string | undefined;
  accessKeyId: string;
  secretAccessKey: string;
  ttlSeconds: number;
  /** Injected by tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Where `put` spools a body before sending it; defaults to the system temporary directory. */
  spoolDir?: string;
  now?: () => Date;
}

/**
 * Presigned S3 URLs. A presigned PUT signs the Content-Type, so a different type is refused by
 * S3; it cannot cap the size (that needs a POST policy), so `maxBytes` is checked by the API
 * before signing and the signed URL lives only `ttlSeconds`.
 */
export class S3Storage implements StorageProvider {
  readonly driver = 's3' as const;

  constructor(private readonly options: S3Options) {}

  private target(key: string): { origin: string; path: string } {
    const { endpoint, bucket, region } = this.options;
    if (endpoint) return { origin: endpoint, path: `/${bucket}/${key}` };
    return { origin: `https://${bucket}.s3.${region}.amazonaws.com`, path: `/${key}` };
  }

  private sign(
    method: 'GET' | 'PUT' | 'DELETE',
    key: string,
    extra: { headers?: Record<string, string>; query?: Record<string, string> } = {},
  ): SignedUrl {
    const date = this.options.now?.() ?? new Date();
    const url = presignUrl({
      method,
      ...this.target(key),
      region: this.options.region,
      accessKeyId: this.options.accessKeyId,
      secretAccessKey: this.options.secretAccessKey,
      date,
      expiresSeconds: this.options.ttlSeconds,
      ...extra,
    });
    return { url, expiresAt: new Date(date.getTime() + this.options.ttlSeconds * 1000) };
  }

  /**
   * S3 refuses a PUT without Content-Length (chunked uploads need a signed streaming payload), so
   * the body is first spooled to a temporary file (enforcing `maxBytes` as it streams, never held
   * in memory), then streamed from that file with its exact length through a presigned PUT.
   */
  async put(key: string, body: Readable, contentType: string, maxBytes: number): Promise<StoredObject> {
    const { file, sizeInBytes } = await spool(body, this.options.spoolDir ?? os.tmpdir(), maxBytes);
    try {
      const { url } = this.sign('PUT', key, { headers: { 'content-type': contentType } });
      const response = await (this.options.fetch ?? fetch)(url, {
        method: 'PUT',
        headers: { 'content-type': contentType, 'content-length': String(sizeInBytes) },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      if (!response.ok) throw new Error(`S3 upload of ${key} failed with HTTP ${response.status}`);
    } finally {
      await fs.rm(file, { force: true });
    }
    return { sizeInBytes };
  }

  createUploadUrl(request: UploadRequest): SignedUrl {
    return this.sign('PUT', request.key, { headers: { 'content-type': request.contentType } });
  }

  createDownloadUrl(key: string, options: DownloadOptions = {}): SignedUrl {
    return this.sign(
      'GET',
      key,
      options.filename
        ? { query: { 'response-content-disposition': attachmentDisposition(options.filename) } }
        : {},
    );
  }

  async delete(key: string): Promise<void> {
    const { url } = this.sign('DELETE', key);
    const response = await (this.options.fetch ?? fetch)(url, { method: 'DELETE' });
    // S3 answers 204 whether or not the object existed; 404 only from some compatible stores.
    if (!response.ok && response.status !== 404) {
      throw new Error(`S3 delete of ${key} failed with HTTP ${response.status}`);
    }
  }
}
