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
