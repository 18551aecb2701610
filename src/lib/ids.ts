import { randomBytes } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Uniform random string over `alphabet` (rejection sampling keeps every character equally likely). */
export function randomString(length: number, alphabet: string = ALNUM): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Identifier and credential shapes clients of this API already recognise (see domain notes). */
export const newId = {
  businessUniqueId: () => randomString(16, UPPER_ALNUM),
  storeUniqueId: () => `store_${randomString(24)}`,
  pageUniqueId: () => `page_${randomBytes(8).toString('hex')}`,
  storefrontKey: () => `sfpk_${randomString(64)}`,
  pageKey: () => `pgpk_${randomString(64)}`,
  apiKey: (kind: 'secret' | 'restricted') => `${kind === 'secret' ? 'sk' : 'rk'}_${randomString(64)}`,
  oauthAccessToken: () => `oat_${randomString(64)}`,
};

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits. Ids created later sort later, so
 * "sorted by id ascending" is creation order, and new rows land at the end of the primary key index.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
