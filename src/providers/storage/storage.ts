import type { Readable } from 'node:stream';

/**
 * Object storage for uploaded files. Clients either get a signed URL and PUT the bytes to it (the
 * local sandbox serves that URL itself, S3 serves its own), or send the bytes through the API,
 * which streams them on with `put` (the contract's multipart digital file upload).
 */
export interface SignedUrl {
  url: string;
  expiresAt: Date;
}

export interface UploadRequest {
  key: string;
  /** The Content-Type the client must send with the PUT. */
  contentType: string;
  /** Largest accepted body; the local driver enforces it, S3 presigned PUTs cannot (see s3.ts). */
  maxBytes: number;
}

export interface DownloadOptions {
  /** File name offered to the browser (`Content-Disposition: attachment`). */
  filename?: string;
}

export interface StoredObject {
  sizeInBytes: number;
}

export interface StorageProvider {
  readonly driver: 'local' | 's3';
  /**
   * Streams `body` into the object `key`. More than `maxBytes` fails with a 413 `ApiError` and
   * stores nothing; the rest of the body is drained, never destroyed mid-request.
   */
  put(key: string, body: Readable, contentType: string, maxBytes: number): Promise<StoredObject>;
  createUploadUrl(request: UploadRequest): SignedUrl;
  createDownloadUrl(key: string, options?: DownloadOptions): SignedUrl;
  /** Removes the object; a missing object is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are one URL path segment: letters, digits, dot, dash and underscore, never `.`/`..`. */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

export function isValidStorageKey(key: string): boolean {
  return KEY.test(key);
}

/** `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf` with non-ASCII safely encoded. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc3986(filename)}`;
}

/** encodeURIComponent plus the characters RFC 3986 reserves (`!'()*`), as SigV4 requires. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
