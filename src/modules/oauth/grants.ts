import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { listConnectedInstallations } from '../../http/auth/queries.ts';
import { safeEqual } from '../../lib/crypto.ts';
import { oauthError } from './client-auth.ts';
import type { ApplicationRecord } from './queries.ts';
import * as t from './token-queries.ts';
import { digest, mint, secondsFromNow, TTL } from './tokens.ts';

export interface TokenRequest {
  grant_type?: string | undefined;
  code?: string | undefined;
  redirect_uri?: string | undefined;
  code_verifier?: string | undefined;
  refresh_token?: string | undefined;
  resource?: string | undefined;
  scope?: string | undefined;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** Issues an access token and a refresh token in one family (one authorization). */
async function issuePair(
  db: Db,
  family: { id: number; application_id: number; user_id: number },
  scopes: string[],
): Promise<TokenResponse> {
  const access = mint.accessToken();
  const refresh = mint.refreshToken();
  await t.insertAccessToken(db, {
    application_id: family.application_id,
    user_id: family.user_id,
    family_id: family.id,
    token_hash: digest(access),
    scopes,
    expires_at: secondsFromNow(TTL.accessSeconds),
  });
  await t.insertRefreshToken(db, {
    family_id: family.id,
    token_hash: digest(refresh),
    expires_at: secondsFromNow(TTL.refreshSeconds),
  });
  return {
    access_token: access,
    token_type: 'Bearer',
    expires_in: TTL.accessSeconds,
    refresh_token: refresh,
    scope: scopes.join(' '),
  };
}

type Outcome = { tokens: TokenResponse } | { reused: string };

/** Runs a grant in one transaction; a detected replay commits its revocation before answering 400. */
async function settle(db: Db, work: (trx: Db) => Promise<Outcome>): Promise<TokenResponse> {
  const outcome = await db.transaction().execute((trx) => work(trx));
  if ('reused' in outcome) throw oauthError('invalid_grant', outcome.reused);
  return outcome.tokens;
}

/**
 * The authorization code grant with PKCE (RFC 7636, S256 only). A code works once, for the client
 * it was issued to, within 10 minutes, with the redirect URI of its request; presenting it a second
 * time revokes everything the first exchange issued (RFC 6749 §4.1.2).
 */
export function exchangeCode(db: Db, app: ApplicationRecord, body: TokenRequest): Promise<TokenResponse> {
  if (!body.code) throw oauthError('invalid_request', 'code is required');
  if (!body.code_verifier) throw oauthError('invalid_request', 'code_verifier is required (PKCE)');
  if (!VERIFIER.test(body.code_verifier))
    throw oauthError('invalid_request', 'code_verifier must be 43-128 characters of [A-Za-z0-9._~-]');
  const verifier = body.code_verifier;
  const codeHash = digest(body.code);
  return settle(db, async (trx) => {
    const code = await t.findCodeForUpdate(trx, codeHash);
    if (!code || code.application_id !== app.id)
      throw oauthError('invalid_grant', 'The authorization code is invalid');
    if (code.used_at) {
      if (code.family_id !== null) await t.revokeFamily(trx, code.family_id);
      return { reused: 'The authorization code was already used; the tokens it issued are revoked' };
    }
    if (code.expires_at.getTime() <= Date.now())
      throw oauthError('invalid_grant', 'The authorization code has expired');
    if (body.redirect_uri !== code.redirect_uri)
      throw oauthError('invalid_grant', 'redirect_uri does not match the authorization request');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!safeEqual(challenge, code.code_challenge))
      throw oauthError('invalid_grant', 'code_verifier does not match the code_challenge');
    if (body.resource !== undefined && body.resource !== code.resource)
      throw oauthError('invalid_target', 'resource does not match the authorization request');
    const family = await t.insertFamily(trx, {
      application_id: app.id,
      user_id: code.user_id,
      installation_ids: code.installation_ids.map(Number),
      scopes: code.scopes,
      resource: code.resource,
    });
    await t.markCodeUsed(trx, code.id, family.id);
    const tokens = await issuePair(
      trx,
      { id: family.id, application_id: app.id, user_id: code.user_id },
      code.scopes,
    );
    return { tokens };
  });
}

/**
 * Refresh tokens rotate: each works once and answers a new pair. Presenting a rotated one again
 * means two parties hold the family, so the whole family is revoked. The connected businesses are
 * read again: at least one must still be installed, enabled and reachable by the user.
 */
export function refresh(db: Db, app: ApplicationRecord, body: TokenRequest): Promise<TokenResponse> {
  if (!body.refresh_token) throw oauthError('invalid_request', 'refresh_token is required');
  const tokenHash = digest(body.refresh_token);
  return settle(db, async (trx) => {
    const row = await t.findRefreshTokenForUpdate(trx, tokenHash);
    if (!row || row.application_id !== app.id || row.revoked_at || row.family_revoked_at)
      throw oauthError('invalid_grant', 'The refresh token is invalid');
    if (row.rotated_at) {
      await t.revokeFamily(trx, row.family_id);
      return { reused: 'The refresh token was already used; every token of its authorization is revoked' };
    }
    if (row.expires_at.getTime() <= Date.now())
      throw oauthError('invalid_grant', 'The refresh token has expired');
    if (body.resource !== undefined && body.resource !== row.resource)
      throw oauthError('invalid_target', 'resource does not match the authorization request');
    let scopes = row.scopes;
    if (body.scope !== undefined) {
      const asked = [...new Set(body.scope.split(' ').filter(Boolean))];
      if (asked.some((scope) => !row.scopes.includes(scope)))
        throw oauthError('invalid_scope', 'A refresh may only narrow the scopes of the authorization');
      scopes = asked;
    }
    const connected = await listConnectedInstallations(
      trx,
      app.id,
      row.user_id,
      row.installation_ids.map(Number),
    );
    if (connected.length === 0)
      throw oauthError('invalid_grant', 'No connected business remains for this authorization');
    await t.markRefreshRotated(trx, row.id);
    const tokens = await issuePair(
      trx,
      { id: row.family_id, application_id: app.id, user_id: row.user_id },
      scopes,
    );
    return { tokens };
  });
}

export function grant(db: Db, app: ApplicationRecord, body: TokenRequest): Promise<TokenResponse> {
  if (body.grant_type === 'authorization_code') return exchangeCode(db, app, body);
  if (body.grant_type === 'refresh_token') {
    if (!app.grant_types.includes('refresh_token'))
      throw oauthError('unauthorized_client', 'This client is not registered for the refresh_token grant');
    return refresh(db, app, body);
  }
  if (!body.grant_type) throw oauthError('invalid_request', 'grant_type is required');
  throw oauthError('unsupported_grant_type', `grant_type ${body.grant_type} is not supported`);
}
