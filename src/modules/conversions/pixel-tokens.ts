import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ServerKeys } from '../../lib/secrets.ts';

/**
 * Pixel access tokens are credentials for the merchant's ad accounts, so they are encrypted at
 * rest with a purpose key of their own. With `NEXUS_SECRET_KEY` set outside the database, a
 * database dump alone does not reveal them.
 */
export function pixelTokenKey(keys: ServerKeys): Buffer {
  return keys.pixelTokens;
}

const VERSION = 'v1';

export function encryptPixelToken(key: Buffer, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    sealed.toString('base64url'),
  ].join('.');
}

/** Null when the text was sealed with another key (the server secret changed) or was altered. */
export function decryptPixelToken(key: Buffer, stored: string): string | null {
  const [version, iv, tag, sealed] = stored.split('.');
  if (version !== VERSION || !iv || !tag || sealed === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}
