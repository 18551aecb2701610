import { createHmac } from 'node:crypto';
import { safeEqual } from './crypto.ts';

/**
 * Compact HS256 JSON Web Tokens for customer sessions. Only HS256 is produced or accepted, so the
 * `alg: none` and algorithm-confusion attacks have nothing to work with.
 */
export type JwtClaims = Record<string, unknown> & { exp: number; iat: number };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function signature(key: Buffer, signingInput: string): string {
  return createHmac('sha256', key).update(signingInput).digest('base64url');
}

export function signJwt(
  key: Buffer,
  claims: Record<string, unknown>,
  ttlSeconds: number,
  now = Date.now(),
): string {
  const iat = Math.floor(now / 1000);
  const body = Buffer.from(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds })).toString('base64url');
  const input = `${HEADER}.${body}`;
  return `${input}.${signature(key, input)}`;
}

/** The claims of a well-formed, correctly signed, unexpired token; otherwise `null`. */
export function verifyJwt(key: Buffer, token: string, now = Date.now()): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, body, sig] = parts as [string, string, string];
  if (header !== HEADER || !safeEqual(sig, signature(key, `${header}.${body}`))) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) return null;
  const { exp, iat } = claims as { exp?: unknown; iat?: unknown };
  if (typeof exp !== 'number' || typeof iat !== 'number' || exp * 1000 <= now) return null;
  return claims as JwtClaims;
}
