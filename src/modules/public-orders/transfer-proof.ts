import { hmac, safeEqual } from '../../lib/crypto.ts';
import { randomString } from '../../lib/ids.ts';

/** The image types the reference accepts for a transfer proof, with the extension each is stored under. */
export const TRANSFER_PROOF_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;
export type TransferProofType = keyof typeof TRANSFER_PROOF_TYPES;

/** The reference's ceiling: `content_length` 1..10485760 (10 MB). */
export const MAX_TRANSFER_PROOF_BYTES = 10 * 1024 * 1024;

const EXTENSIONS = new Set<string>(Object.values(TRANSFER_PROOF_TYPES));
const KEY = /^tp_([A-Za-z0-9]{22})_([A-Za-z0-9_-]{22})\.([a-z]{3,4})$/;

/**
 * Transfer proofs need no table: the storage key carries a MAC of the order id, so the key itself
 * proves that this API issued it for that order. The MAC key is derived from the storage signing
 * key for this one purpose.
 */
function mac(signingKey: Buffer, orderId: string, nonce: string, extension: string): string {
  const purposeKey = hmac(signingKey, 'nexus:transfer-proof:v1');
  return hmac(purposeKey, `${orderId}\n${nonce}\n${extension}`).toString('base64url').slice(0, 22);
}

/** A fresh storage key for one proof of one order, e.g. `tp_<nonce>_<mac>.jpg`. */
export function newTransferProofKey(
  signingKey: Buffer,
  orderId: string,
  contentType: TransferProofType,
): string {
  const nonce = randomString(22);
  const extension = TRANSFER_PROOF_TYPES[contentType];
  return `tp_${nonce}_${mac(signingKey, orderId, nonce, extension)}.${extension}`;
}

/** True when `key` was issued by `newTransferProofKey` for this order. */
export function isTransferProofKeyOf(signingKey: Buffer, orderId: string, key: string): boolean {
  const match = KEY.exec(key);
  if (!match) return false;
  const [, nonce, sent, extension] = match as unknown as [string, string, string, string];
  if (!EXTENSIONS.has(extension)) return false;
  return safeEqual(sent, mac(signingKey, orderId, nonce, extension));
}

/**
 * The proof's stable address, stored on the order as `transferproof_url`. It never expires: the
 * hosted route behind it re-checks the key and redirects to a fresh short-lived signed download,
 * so a merchant can open it months later while the storage URLs themselves stay short-lived.
 */
export function transferProofFileUrl(publicUrl: string, secretSlug: string, key: string): string {
  return `${publicUrl}/o/${encodeURIComponent(secretSlug)}/transfer-proof/${key}`;
}

/** The storage key inside a `file_url` this server issued for the order behind `secretSlug`, else null. */
export function transferProofKeyFromUrl(publicUrl: string, secretSlug: string, url: string): string | null {
  const prefix = transferProofFileUrl(publicUrl, secretSlug, '');
  if (!url.startsWith(prefix)) return null;
  const key = url.slice(prefix.length);
  return KEY.test(key) ? key : null;
}

/** `bukti-transfer-250130JQHFZG.jpg`: the name a download is offered under. */
export function transferProofFilename(orderNumber: string, key: string): string {
  const extension = key.slice(key.lastIndexOf('.') + 1);
  return `bukti-transfer-${orderNumber}.${extension}`;
}
