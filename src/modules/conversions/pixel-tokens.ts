import { openSecret, sealSecret } from '../../lib/sealed.ts';
import type { ServerKeys } from '../../lib/secrets.ts';

/**
 * Pixel access tokens are credentials for the merchant's ad accounts, so they are sealed at rest
 * (lib/sealed.ts) with a purpose key of their own.
 */
export function pixelTokenKey(keys: ServerKeys): Buffer {
  return keys.pixelTokens;
}

export function encryptPixelToken(key: Buffer, token: string): string {
  return sealSecret(key, token);
}

/** Null when the text was sealed with another key (the server secret changed) or was altered. */
export function decryptPixelToken(key: Buffer, stored: string): string | null {
  return openSecret(key, stored);
}
