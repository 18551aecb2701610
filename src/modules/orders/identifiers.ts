import { randomString } from '../../lib/ids.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
/** Asia/Jakarta is UTC+7 all year (no daylight saving), so a fixed offset is exact. */
const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;

/** `YYMMDD` of the Jakarta calendar day: merchants read order ids by their local date. */
export function jakartaDatePrefix(now: Date): string {
  const local = new Date(now.getTime() + JAKARTA_OFFSET_MS);
  const yy = String(local.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(local.getUTCDate()).padStart(2, '0');
  return `${yy}${mm}${dd}`;
}

/**
 * The business-facing order number, e.g. `250130JQHFZG`: the Jakarta date and six letters
 * (26^6 ≈ 309 million per business per day, so collisions are rare and retried on insert).
 */
export function newOrderNumber(now: Date = new Date()): string {
  return `${jakartaDatePrefix(now)}${randomString(6, LETTERS)}`;
}

/** 40 URL-safe characters (240 random bits): the order's bearer secret in public URLs. */
export function newSecretSlug(): string {
  return randomString(40, URL_SAFE);
}

export const ORDER_NUMBER_PATTERN = /^\d{6}[A-Z]{6}$/;
export const SECRET_SLUG_PATTERN = /^[A-Za-z0-9_-]{40}$/;
