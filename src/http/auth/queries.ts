import type { Db } from '../../db/database.ts';

/** Lookups behind credential resolution; every one reads by a unique, indexed column. */

export function findApiKeyByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_keys as k')
    .innerJoin('businesses as b', 'b.id', 'k.business_id')
    .select([
      'k.id',
      'k.business_id',
      'b.unique_id as business_unique_id',
      'b.is_active as business_active',
      'k.created_by_user_id',
      'k.name',
      'k.kind',
      'k.scopes',
      'k.expires_at',
      'k.revoked_at',
      'k.last_used_at',
    ])
    .where('k.token_hash', '=', tokenHash)
    .executeTakeFirst();
}
export type ApiKeyRecord = NonNullable<Awaited<ReturnType<typeof findApiKeyByHash>>>;

/** Records use once a minute at most: the timestamp is for humans, not an audit log. */
export function touchApiKey(db: Db, id: number) {
  return db
    .updateTable('api_keys')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(Date.now() - 60_000))]),
    )
    .execute();
}

export function findOAuthTokenByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('oauth_access_tokens as t')
    .innerJoin('oauth_applications as a', 'a.id', 't.application_id')
    .innerJoin('oauth_token_families as f', 'f.id', 't.family_id')
    .select([
      't.id',
      't.application_id',
      't.user_id',
      't.family_id',
      't.scopes',
      't.expires_at',
      't.revoked_at',
      'f.revoked_at as family_revoked_at',
      'f.installation_ids',
      'a.is_active as application_active',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}
export type OAuthTokenRecord = NonNullable<Awaited<ReturnType<typeof findOAuthTokenByHash>>>;

/**
 * The businesses a token reaches: the installations its authorization connected, while each is
 * installed and enabled, its business active, and the authorizing user still a member there
 * (leaving or denying an invitation deletes the membership). Read
 * on every call, so an uninstall, a disable or leaving the business ends access at once.
 */
export function listConnectedInstallations(
  db: Db,
  applicationId: number,
  userId: number,
  installationIds: readonly number[],
) {
  if (installationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('oauth_installations as i')
    .innerJoin('businesses as b', 'b.id', 'i.business_id')
    .innerJoin('business_users as bu', (join) =>
      join.onRef('bu.business_id', '=', 'i.business_id').on('bu.user_id', '=', userId),
    )
    .select(['i.id', 'i.business_id', 'b.unique_id as business_unique_id', 'i.scopes'])
    .where('i.id', 'in', [...installationIds])
    .where('i.application_id', '=', applicationId)
    .where('i.status', '=', 'active')
    .where('i.is_enabled', '=', true)
    .where('b.is_active', '=', true)
    .orderBy('i.id')
    .execute();
}
export type InstallationRecord = Awaited<ReturnType<typeof listConnectedInstallations>>[number];

export function businessExists(db: Db, uniqueId: string) {
  return db.selectFrom('businesses').select('id').where('unique_id', '=', uniqueId).executeTakeFirst();
}

export function findStorefrontKey(db: Db, token: string) {
  return db
    .selectFrom('storefront_public_api_keys as k')
    .innerJoin('stores as s', 's.id', 'k.store_id')
    .innerJoin('businesses as b', 'b.id', 's.business_id')
    .select(['k.id', 'k.status', 's.id as store_id', 's.unique_id as store_unique_id', 's.business_id'])
    .where('k.token', '=', token)
    .where('k.status', '=', 'active')
    .where('s.is_active', '=', true)
    .where('b.is_active', '=', true)
    .executeTakeFirst();
}
export type StorefrontKeyRecord = NonNullable<Awaited<ReturnType<typeof findStorefrontKey>>>;

export function findPageKey(db: Db, token: string) {
  return db
    .selectFrom('page_public_api_keys as k')
    .innerJoin('pages as p', 'p.id', 'k.page_id')
    .innerJoin('businesses as b', 'b.id', 'p.business_id')
    .select(['k.id', 'p.id as page_id', 'p.unique_id as page_unique_id', 'p.store_id', 'p.business_id'])
    .where('k.token', '=', token)
    .where('k.status', '=', 'active')
    .where('b.is_active', '=', true)
    .executeTakeFirst();
}
export type PageKeyRecord = NonNullable<Awaited<ReturnType<typeof findPageKey>>>;

export function findActiveStoreByUniqueId(db: Db, uniqueId: string) {
  return db
    .selectFrom('stores as s')
    .innerJoin('businesses as b', 'b.id', 's.business_id')
    .select(['s.id', 's.business_id'])
    .where('s.unique_id', '=', uniqueId)
    .where('s.is_active', '=', true)
    .where('b.is_active', '=', true)
    .executeTakeFirst();
}

export async function listActiveOrigins(db: Db, storeId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('storefront_allowed_origins')
    .select('origin')
    .where('store_id', '=', storeId)
    .where('status', '=', 'active')
    .execute();
  return rows.map((row) => row.origin);
}
