import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { hmac } from './crypto.ts';

/**
 * Keys derived from one server secret, each for one purpose, so a leak of one derived key
 * (say, a cursor signature) tells nothing about the others.
 */
export interface ServerKeys {
  cursor: Buffer;
  customerJwt: Buffer;
  /** Signs the sandbox storage's upload and download URLs. */
  storage: Buffer;
  /** Encrypts the conversion pixels' access tokens at rest. */
  pixelTokens: Buffer;
  /** Encrypts the outgoing webhook endpoints' signing secrets at rest. */
  webhookSecrets: Buffer;
  /** Signs the hosted OAuth authorize page's CSRF tokens and sign-in sessions. */
  oauthPages: Buffer;
}

const SETTING = 'server_secret';

/**
 * `NEXUS_SECRET_KEY` when set; otherwise a random secret created once and kept in the database,
 * so every instance sharing the database signs and verifies with the same key.
 */
export async function loadServerKeys(db: Db, configured: string | undefined): Promise<ServerKeys> {
  let secret = configured;
  if (!secret) {
    await db
      .insertInto('nexus_settings')
      .values({ key: SETTING, value: randomBytes(32).toString('base64url') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await db
      .selectFrom('nexus_settings')
      .select('value')
      .where('key', '=', SETTING)
      .executeTakeFirstOrThrow();
    secret = row.value;
  }
  const root = Buffer.from(secret);
  return {
    cursor: hmac(root, 'nexus:cursor:v1'),
    customerJwt: hmac(root, 'nexus:customer-jwt:v1'),
    storage: hmac(root, 'nexus:storage-url:v1'),
    pixelTokens: hmac(root, 'nexus:conversion-pixel-token:v1'),
    webhookSecrets: hmac(root, 'nexus:webhook-secret:v1'),
    oauthPages: hmac(root, 'nexus:oauth-pages:v1'),
  };
}
