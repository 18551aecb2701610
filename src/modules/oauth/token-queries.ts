import type { Db } from '../../db/database.ts';

/** Authorization codes, token families and the tokens they issue, looked up by digest. */

export function insertCode(
  db: Db,
  values: {
    application_id: number;
    user_id: number;
    code_hash: string;
    redirect_uri: string;
    code_challenge: string;
    scopes: string[];
    installation_ids: number[];
    resource: string | null;
    expires_at: Date;
  },
) {
  return db.insertInto('oauth_authorization_codes').values(values).execute();
}

/** Locks the code row so two concurrent exchanges cannot both spend it. */
export function findCodeForUpdate(db: Db, codeHash: string) {
  return db
    .selectFrom('oauth_authorization_codes')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .forUpdate()
    .executeTakeFirst();
}

export function markCodeUsed(db: Db, id: number, familyId: number) {
  return db
    .updateTable('oauth_authorization_codes')
    .set({ used_at: new Date(), family_id: familyId })
    .where('id', '=', id)
    .execute();
}

export function insertFamily(
  db: Db,
  values: {
    application_id: number;
    user_id: number;
    installation_ids: number[];
    scopes: string[];
    resource: string | null;
  },
) {
  return db.insertInto('oauth_token_families').values(values).returning('id').executeTakeFirstOrThrow();
}

export function findFamily(db: Db, id: number) {
  return db.selectFrom('oauth_token_families').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Ends a whole authorization: every access and refresh token it issued dies with it. */
export async function revokeFamily(db: Db, id: number) {
  const now = new Date();
  await db
    .updateTable('oauth_token_families')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('oauth_access_tokens')
    .set({ revoked_at: now })
    .where('family_id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('oauth_refresh_tokens')
    .set({ revoked_at: now })
    .where('family_id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export function insertAccessToken(
  db: Db,
  values: {
    application_id: number;
    user_id: number;
    family_id: number;
    token_hash: string;
    scopes: string[];
    expires_at: Date;
  },
) {
  return db.insertInto('oauth_access_tokens').values(values).execute();
}

export function insertRefreshToken(
  db: Db,
  values: { family_id: number; token_hash: string; expires_at: Date },
) {
  return db.insertInto('oauth_refresh_tokens').values(values).execute();
}

export function findRefreshTokenForUpdate(db: Db, tokenHash: string) {
  return db
    .selectFrom('oauth_refresh_tokens as r')
    .innerJoin('oauth_token_families as f', 'f.id', 'r.family_id')
    .select([
      'r.id',
      'r.family_id',
      'r.expires_at',
      'r.rotated_at',
      'r.revoked_at',
      'f.application_id',
      'f.user_id',
      'f.installation_ids',
      'f.scopes',
      'f.resource',
      'f.revoked_at as family_revoked_at',
      'f.created_at as family_created_at',
    ])
    .where('r.token_hash', '=', tokenHash)
    .forUpdate('r')
    .executeTakeFirst();
}

export function markRefreshRotated(db: Db, id: number) {
  return db
    .updateTable('oauth_refresh_tokens')
    .set({ rotated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** A token of either kind by digest, with what revoke, introspect and status need to know. */
export function findAccessToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('oauth_access_tokens as t')
    .innerJoin('oauth_token_families as f', 'f.id', 't.family_id')
    .select([
      't.id',
      't.family_id',
      't.application_id',
      't.user_id',
      't.scopes',
      't.expires_at',
      't.revoked_at',
      't.created_at',
      'f.installation_ids',
      'f.revoked_at as family_revoked_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function findRefreshToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('oauth_refresh_tokens as r')
    .innerJoin('oauth_token_families as f', 'f.id', 'r.family_id')
    .select([
      'r.id',
      'r.family_id',
      'f.application_id',
      'f.user_id',
      'f.scopes',
      'r.expires_at',
      'r.rotated_at',
      'r.revoked_at',
      'r.created_at',
      'f.installation_ids',
      'f.revoked_at as family_revoked_at',
    ])
    .where('r.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function revokeAccessToken(db: Db, id: number) {
  return db
    .updateTable('oauth_access_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export function insertLaunchToken(
  db: Db,
  values: { installation_id: number; token_hash: string; expires_at: Date },
) {
  return db.insertInto('oauth_launch_tokens').values(values).execute();
}

/**
 * Spends a launch token of one application's installation: one conditional update, so it works
 * exactly once even under races, and another client's token stays unspent.
 */
export function spendLaunchToken(db: Db, tokenHash: string, applicationId: number) {
  return db
    .updateTable('oauth_launch_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('installation_id', 'in', (eb) =>
      eb.selectFrom('oauth_installations').select('id').where('application_id', '=', applicationId),
    )
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('installation_id')
    .executeTakeFirst();
}
