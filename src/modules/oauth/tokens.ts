import { sha256Hex } from '../../lib/crypto.ts';
import { randomString } from '../../lib/ids.ts';

/**
 * Lifetimes the issue fixes: codes 10 minutes (RFC 6749 §4.1.2 recommends at most 10), access
 * tokens 1 hour, refresh tokens 30 days. Launch tokens are not specified: 5 minutes, enough to follow
 * the dashboard's Manage link.
 */
export const TTL = {
  codeSeconds: 600,
  accessSeconds: 3600,
  refreshSeconds: 30 * 86_400,
  launchSeconds: 300,
} as const;

/**
 * Every OAuth credential is 64 random characters (~380 bits) behind a prefix that says what it is,
 * so a token pasted in the wrong place is recognised; only its SHA-256 digest is stored, and lookups
 * go by that digest, so no stored secret is ever compared byte by byte.
 */
export const mint = {
  clientId: () => `nxc_${randomString(24)}`,
  clientSecret: () => `nxs_${randomString(64)}`,
  code: () => `nxcode_${randomString(64)}`,
  accessToken: () => `oat_${randomString(64)}`,
  refreshToken: () => `ort_${randomString(64)}`,
  launchToken: () => `olt_${randomString(64)}`,
};

export const digest = sha256Hex;

export function secondsFromNow(seconds: number, now = Date.now()): Date {
  return new Date(now + seconds * 1000);
}
