import { presignUrl } from './sigv4.ts';
import {
  attachmentDisposition,
  type DownloadOptions,
  type SignedUrl,
  type StorageProvider,
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
