import { randomBytes } from 'node:crypto';
import { hmac, safeEqual } from '../../lib/crypto.ts';

/**
 * The authorize page keeps no server-side session. A random nonce lives in an HttpOnly,
 * SameSite=Strict cookie; forms carry an HMAC of it (the CSRF token), so a page on another site can
 * neither read nor forge the pair. After the password is checked, the consent form carries a signed,
 * 10-minute sign-in bound to that same nonce, so it is worthless in any other browser.
 */
export const CSRF_COOKIE = 'nexus_oauth_csrf';
const NONCE = /^[A-Za-z0-9_-]{43}$/;
const SIGN_IN_SECONDS = 600;

export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

export function nonceFromCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === CSRF_COOKIE && value && NONCE.test(value)) return value;
  }
  return undefined;
}

export function csrfToken(key: Buffer, nonce: string): string {
  return hmac(key, `csrf:${nonce}`).toString('base64url');
}

export function csrfValid(key: Buffer, nonce: string | undefined, token: unknown): boolean {
  return nonce !== undefined && typeof token === 'string' && safeEqual(token, csrfToken(key, nonce));
}

export function signIn(key: Buffer, nonce: string, userId: number, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + SIGN_IN_SECONDS;
  return `${userId}.${expires}.${hmac(key, `sign-in:${userId}:${expires}:${nonce}`).toString('base64url')}`;
}

/** The signed-in user id, or undefined when the value is forged, expired or from another browser. */
export function signedInUser(key: Buffer, nonce: string | undefined, value: unknown, now = Date.now()) {
  if (nonce === undefined || typeof value !== 'string') return undefined;
  const match = value.match(/^(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/);
  if (!match) return undefined;
  const [, userId, expires, mac] = match as unknown as [string, string, string, string];
  if (!safeEqual(mac, hmac(key, `sign-in:${userId}:${expires}:${nonce}`).toString('base64url')))
    return undefined;
  if (Number(expires) * 1000 <= now) return undefined;
  return Number(userId);
}
