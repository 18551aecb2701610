import { randomUUID } from 'node:crypto';
import { isUuid } from '../../lib/ids.ts';
import { signJwt, verifyJwt } from '../../lib/jwt.ts';

/** Lifetimes the contract states in every token answer. */
export const ACCESS_TTL_SECONDS = 900;
export const REFRESH_TTL_SECONDS = 2_592_000;

export interface TokenSubject {
  customerId: number;
  storeId: number;
  /** The refresh-token family this session belongs to; revoking it also ends its access tokens. */
  familyId: string;
}

export interface SignedToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

function sign(key: Buffer, typ: 'access' | 'refresh', subject: TokenSubject, jti: string, ttl: number) {
  const now = Date.now();
  const token = signJwt(
    key,
    { typ, sub: String(subject.customerId), sid: subject.storeId, jti, fam: subject.familyId },
    ttl,
    now,
  );
  return { token, jti, expiresAt: new Date((Math.floor(now / 1000) + ttl) * 1000) };
}

/** Access JWT: `{typ: access, sub, sid, jti, fam, iat, exp}`, 15 minutes. */
export function signAccessToken(key: Buffer, subject: TokenSubject): SignedToken {
  return sign(key, 'access', subject, randomUUID(), ACCESS_TTL_SECONDS);
}

/** Refresh JWT: `{typ: refresh, …}`, 30 days; its `jti` is the `customer_refresh_tokens` row id. */
export function signRefreshToken(key: Buffer, subject: TokenSubject, jti: string): SignedToken {
  return sign(key, 'refresh', subject, jti, REFRESH_TTL_SECONDS);
}

export interface CustomerTokenClaims {
  typ: 'access' | 'refresh';
  customerId: number;
  storeId: number;
  jti: string;
  familyId: string | null;
  issuedAt: number;
  expiresAt: Date;
}

const CUSTOMER_ID = /^[1-9][0-9]{0,15}$/;

/**
 * The claims of a correctly signed, unexpired customer token of either kind, or null. Ids are
 * checked for shape here so nothing malformed ever reaches a query.
 */
export function readCustomerToken(key: Buffer, token: string): CustomerTokenClaims | null {
  const claims = verifyJwt(key, token);
  if (!claims) return null;
  const { typ, sub, sid, jti, fam } = claims;
  if (typ !== 'access' && typ !== 'refresh') return null;
  if (typeof sub !== 'string' || !CUSTOMER_ID.test(sub) || !Number.isSafeInteger(Number(sub))) return null;
  if (typeof sid !== 'number' || !Number.isSafeInteger(sid) || sid < 1) return null;
  if (typeof jti !== 'string' || !isUuid(jti)) return null;
  if (fam !== undefined && (typeof fam !== 'string' || !isUuid(fam))) return null;
  return {
    typ,
    customerId: Number(sub),
    storeId: sid,
    jti: jti.toLowerCase(),
    familyId: typeof fam === 'string' ? fam.toLowerCase() : null,
    issuedAt: claims.iat,
    expiresAt: new Date(claims.exp * 1000),
  };
}
