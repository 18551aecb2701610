import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { hmac, safeEqual } from '../../lib/crypto.ts';
import { spool } from './spool.ts';
import {
  type DownloadOptions,
  isValidStorageKey,
  type SignedUrl,
  type StorageProvider,
  type StoredObject,
  type UploadRequest,
} from './storage.ts';

export interface LocalOptions {
  /** Files live in `<dir>/files/<key>`, their content type in `<dir>/meta/<key>.json`. */
  dir: string;
  /** Base URL of this server, where `/uploads/<key>` is served. */
  publicUrl: string;
  signingKey: Buffer;
  ttlSeconds: number;
  now?: () => Date;
}

export interface VerifiedUpload {
  contentType: string;
  maxBytes: number;
}

export interface VerifiedDownload {
  filename: string | null;
}

type Query = Record<string, unknown>;

function text(query: Query, name: string): string | null {
  const value = query[name];
  return typeof value === 'string' ? value : null;
}

/**
 * The sandbox driver: files on local disk behind URLs this server signs (HMAC over the operation,
 * key, expiry and, for uploads, the declared content type and size limit) and serves itself.
 */
export class LocalStorage implements StorageProvider {
  readonly driver = 'local' as const;

  constructor(private readonly options: LocalOptions) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private signature(parts: string[]): string {
    return hmac(this.options.signingKey, parts.join('\n')).toString('base64url');
  }

  private expiry(): { exp: number; expiresAt: Date } {
    const exp = Math.floor(this.now().getTime() / 1000) + this.options.ttlSeconds;
    return { exp, expiresAt: new Date(exp * 1000) };
  }

  private url(key: string, query: Record<string, string>): string {
    return `${this.options.publicUrl}/uploads/${key}?${new URLSearchParams(query).toString()}`;
  }

  createUploadUrl(request: UploadRequest): SignedUrl {
    const { exp, expiresAt } = this.expiry();
    const max = String(request.maxBytes);
    const sig = this.signature(['put', request.key, request.contentType, max, String(exp)]);
    return { url: this.url(request.key, { ct: request.contentType, max, exp: String(exp), sig }), expiresAt };
  }

  createDownloadUrl(key: string, options: DownloadOptions = {}): SignedUrl {
    const { exp, expiresAt } = this.expiry();
    const name = options.filename ?? '';
    const sig = this.signature(['get', key, name, String(exp)]);
    return { url: this.url(key, { ...(name ? { name } : {}), exp: String(exp), sig }), expiresAt };
  }

  private fresh(exp: string | null): boolean {
    return exp !== null && /^\d{1,12}$/.test(exp) && Number(exp) * 1000 > this.now().getTime();
  }

  /** The upload terms the URL was signed with, or null when it is forged, altered or expired. */
  verifyUpload(key: string, query: Query): VerifiedUpload | null {
    const ct = text(query, 'ct');
    const max = text(query, 'max');
    const exp = text(query, 'exp');
    const sig = text(query, 'sig');
    if (!isValidStorageKey(key) || !ct || !max || !/^\d{1,15}$/.test(max) || !sig || !this.fresh(exp))
      return null;
    if (!safeEqual(sig, this.signature(['put', key, ct, max, exp!]))) return null;
    return { contentType: ct, maxBytes: Number(max) };
  }

  verifyDownload(key: string, query: Query): VerifiedDownload | null {
    const name = text(query, 'name');
    const exp = text(query, 'exp');
    const sig = text(query, 'sig');
    if (!isValidStorageKey(key) || !sig || !this.fresh(exp)) return null;
    if (!safeEqual(sig, this.signature(['get', key, name ?? '', exp!]))) return null;
    return { filename: name || null };
  }

  filePath(key: string): string {
    return path.join(this.options.dir, 'files', key);
  }

  metaPath(key: string): string {
    return path.join(this.options.dir, 'meta', `${key}.json`);
  }

  /** Written beside the target and renamed, so a reader never sees half a file. */
  async put(key: string, body: Readable, contentType: string, maxBytes: number): Promise<StoredObject> {
    if (!isValidStorageKey(key)) throw new Error(`Invalid storage key ${key}`);
    const target = this.filePath(key);
    const { file, sizeInBytes } = await spool(body, path.dirname(target), maxBytes);
    try {
      await fs.rename(file, target);
      await fs.mkdir(path.dirname(this.metaPath(key)), { recursive: true });
      await fs.writeFile(this.metaPath(key), JSON.stringify({ content_type: contentType }));
    } catch (error) {
      await fs.rm(file, { force: true });
      throw error;
    }
    return { sizeInBytes };
  }

  async delete(key: string): Promise<void> {
    if (!isValidStorageKey(key)) return;
    await fs.rm(this.filePath(key), { force: true });
    await fs.rm(this.metaPath(key), { force: true });
  }
}
