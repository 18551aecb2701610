import type { Db } from '../../db/database.ts';
import { listConnectedInstallations } from '../../http/auth/queries.ts';
import { errors } from '../../http/errors.ts';
import { installationWebhookStatus, syncInstallationWebhooks } from './app-webhooks.ts';
import { oauthError } from './client-auth.ts';
import * as q from './queries.ts';
import * as t from './token-queries.ts';
import { digest, mint, secondsFromNow, TTL } from './tokens.ts';

export type TokenKind = 'access' | 'refresh';

/** `token_type` (contract) or `token_type_hint` (RFC 7009/7662): `access`/`access_token`, `refresh`/`refresh_token`. */
export function tokenKindOf(value: string | undefined): TokenKind | undefined {
  if (value === 'access' || value === 'access_token') return 'access';
  if (value === 'refresh' || value === 'refresh_token') return 'refresh';
  return undefined;
}

/** A token of this client by value, trying the hinted kind first (a wrong hint is only a hint). */
export async function findClientToken(
  db: Db,
  applicationId: number,
  token: string,
  hint: TokenKind | undefined,
) {
  const hash = digest(token);
  const order: TokenKind[] = hint === 'refresh' ? ['refresh', 'access'] : ['access', 'refresh'];
  for (const kind of order) {
    const row = kind === 'access' ? await t.findAccessToken(db, hash) : await t.findRefreshToken(db, hash);
    if (row && row.application_id === applicationId) return { kind, row };
  }
  return undefined;
}

/**
 * RFC 7009: revoking a refresh token ends its whole authorization (access tokens included);
 * revoking an access token ends that token. Unknown tokens and other clients' tokens are ignored
 * without saying so (§2.2), so revoke cannot probe for tokens.
 */
export async function revoke(db: Db, applicationId: number, token: string, hint: TokenKind | undefined) {
  const found = await findClientToken(db, applicationId, token, hint);
  if (!found) return;
  if (found.kind === 'refresh')
    await db.transaction().execute((trx) => t.revokeFamily(trx, found.row.family_id));
  else await t.revokeAccessToken(db, found.row.id);
}

/** RFC 7662: `{active:false}` for anything not usable right now by this client. */
export async function introspect(
  db: Db,
  app: q.ApplicationRecord,
  token: string,
  hint: TokenKind | undefined,
) {
  const found = await findClientToken(db, app.id, token, hint);
  if (!found) return { active: false };
  const { kind, row } = found;
  const dead =
    row.revoked_at !== null ||
    row.family_revoked_at !== null ||
    row.expires_at.getTime() <= Date.now() ||
    ('rotated_at' in row && row.rotated_at !== null);
  if (dead) return { active: false };
  const connected = await listConnectedInstallations(
    db,
    app.id,
    row.user_id,
    row.installation_ids.map(Number),
  );
  if (connected.length === 0) return { active: false };
  return {
    active: true,
    client_id: app.client_id,
    token_type: kind === 'access' ? 'Bearer' : 'refresh_token',
    scope: row.scopes.join(' '),
    sub: String(row.user_id),
    exp: Math.floor(row.expires_at.getTime() / 1000),
    iat: Math.floor(row.created_at.getTime() / 1000),
    business_unique_ids: connected.map((installation) => installation.business_unique_id),
  };
}

/** The installed-app snapshot app backends read (contract `getOAuthInstallationStatus`). */
export function snapshot(row: q.InstallationRow) {
  const active = row.status === 'active';
  return {
    authorized_business_id: row.business_id,
    client_id: row.client_id,
    is_active: active,
    is_enabled: row.is_enabled,
    granted_scopes: row.scopes,
    webhook_status: installationWebhookStatus(row),
    granted_webhook_events: row.granted_webhook_events,
    approved_billing_tags: row.approved_billing_tags,
    application: { name: row.application_name },
    manage_launch_available: row.manage_url !== null,
    updated_at: row.updated_at.toISOString(),
  };
}

/**
 * The installation a token refers to, whatever its state (the answer says whether it is still
 * active): the token is only a reference here, so an expired one still finds its installation.
 * A token connected to several businesses names no single installation.
 */
export async function installationStatus(db: Db, app: q.ApplicationRecord, token: string, kind: TokenKind) {
  const found = await findClientToken(db, app.id, token, kind);
  if (!found || found.kind !== kind) throw oauthError('invalid_grant', 'The token is unknown to this client');
  const ids = found.row.installation_ids.map(Number);
  if (ids.length !== 1)
    throw oauthError(
      'invalid_request',
      'This token is connected to several businesses; use a single-business token',
    );
  const [row] = await q.findInstallations(db, app.id, ids);
  if (!row) throw oauthError('invalid_grant', 'The token is unknown to this client');
  return snapshot(row);
}

/** A one-time Manage launch token for an installation (the dashboard's Manage link; `nexus oauth app launch`). */
export async function createLaunchToken(db: Db, businessId: number, clientId: string) {
  const app = await q.findApplicationByClientId(db, clientId);
  const installation = app ? await q.findInstallationForBusiness(db, app.id, businessId) : undefined;
  if (!app || !installation || installation.status !== 'active')
    throw errors.notFound('That application is not installed in this business');
  const token = mint.launchToken();
  await t.insertLaunchToken(db, {
    installation_id: installation.id,
    token_hash: digest(token),
    expires_at: secondsFromNow(TTL.launchSeconds),
  });
  const url = app.manage_url ? new URL(app.manage_url) : null;
  url?.searchParams.set('launch_token', token);
  return { launch_token: token, manage_url: url?.toString() ?? null, expires_in: TTL.launchSeconds };
}

/** Spends a launch token of this client's installation once and answers the installation's snapshot. */
export async function exchangeLaunchToken(db: Db, app: q.ApplicationRecord, launchToken: string) {
  const spent = await t.spendLaunchToken(db, digest(launchToken), app.id);
  if (!spent) throw oauthError('invalid_grant', 'The launch token is invalid, expired or already used');
  const [row] = await q.findInstallations(db, app.id, [Number(spent.installation_id)]);
  if (!row) throw oauthError('invalid_grant', 'The launch token is invalid, expired or already used');
  return snapshot(row);
}

export type InstallationChange = 'disable' | 'enable' | 'uninstall';

/**
 * The merchant's controls over an installed app. Tokens are checked against the installation on
 * every call (nothing is cached), so disabling or uninstalling ends API access at once, whatever
 * the token's age; enabling again restores it, an uninstall needs a new authorization. Its webhook
 * subscription follows in the same transaction: no event emitted after the change reaches the app.
 */
export async function changeInstallation(
  db: Db,
  businessId: number,
  clientId: string,
  change: InstallationChange,
) {
  const app = await q.findApplicationByClientId(db, clientId);
  const installation = app ? await q.findInstallationForBusiness(db, app.id, businessId) : undefined;
  if (!app || !installation || installation.status !== 'active')
    throw errors.notFound('That application is not installed in this business');
  await db.transaction().execute(async (trx) => {
    await q.setInstallationState(
      trx,
      installation.id,
      change === 'uninstall' ? { status: 'revoked' } : { is_enabled: change === 'enable' },
    );
    await syncInstallationWebhooks(trx, { installationIds: [installation.id] });
  });
  const [row] = await q.findInstallations(db, app.id, [installation.id]);
  return snapshot(row as q.InstallationRow);
}
