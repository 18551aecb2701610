import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Credentials Nexus must read back to use (pixel access tokens it presents, webhook secrets it signs
 * with) cannot be hashed, so they are sealed with AES-256-GCM under a purpose key derived from the
 * server secret (`ServerKeys`). With `NEXUS_SECRET_KEY` set outside the database, a dump alone does
 * not reveal them; GCM's tag also refuses a ciphertext that was altered.
 */

const VERSION = 'v1';

export function sealSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    sealed.toString('base64url'),
  ].join('.');
}

/** Null when the text was sealed with another key (the server secret changed) or was altered. */
export function openSecret(key: Buffer, stored: string): string | null {
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
