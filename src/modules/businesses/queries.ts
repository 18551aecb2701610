import type { Db } from '../../db/database.ts';
import type { NewRow } from '../../db/schema.ts';

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').select(['id', 'email', 'name']).where('email', '=', email).executeTakeFirst();
}

/** Inserts the user, or returns the existing one when a concurrent insert won the race. */
export function upsertUser(db: Db, values: { email: string; name: string; passwordHash: string | null }) {
  return db
    .insertInto('users')
    .values({ email: values.email, name: values.name, password_hash: values.passwordHash })
    .onConflict((oc) => oc.column('email').doUpdateSet({ updated_at: new Date() }))
    .returning(['id', 'email', 'name'])
    .executeTakeFirstOrThrow();
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('businesses').select('id').where('username', '=', username).executeTakeFirst(),
  );
}

export function insertBusiness(db: Db, values: NewRow<'businesses'>) {
  return db
    .insertInto('businesses')
    .values(values)
    .returning(['id', 'unique_id', 'username', 'account_holder'])
    .executeTakeFirstOrThrow();
}

/** Every business starts with these roles; only the Owner role is marked as the owner. */
export async function insertDefaultRoles(db: Db, businessId: number): Promise<{ ownerRoleId: number }> {
  const roles = await db
    .insertInto('business_roles')
    .values([
      { business_id: businessId, name: 'Owner', is_owner: true },
      { business_id: businessId, name: 'Admin' },
      { business_id: businessId, name: 'Staff' },
    ])
    .returning(['id', 'is_owner'])
    .execute();
  return { ownerRoleId: roles.find((role) => role.is_owner)!.id };
}

export function findNonOwnerRole(db: Db, businessId: number, name: string) {
  return db
    .selectFrom('business_roles')
    .select('id')
    .where('business_id', '=', businessId)
    .where('name', '=', name)
    .where('is_owner', '=', false)
    .executeTakeFirst();
}

/** Inserts a membership unless the user already has one in the business (then undefined). */
export function insertMembership(db: Db, values: NewRow<'business_users'>) {
  return db
    .insertInto('business_users')
    .values(values)
    .onConflict((oc) => oc.columns(['business_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function findOwnerUserId(db: Db, businessId: number): Promise<number | undefined> {
  const owner = await db
    .selectFrom('business_users as bu')
    .innerJoin('business_roles as r', 'r.id', 'bu.role_id')
    .select('bu.user_id')
    .where('bu.business_id', '=', businessId)
    .where('r.is_owner', '=', true)
    .orderBy('bu.id')
    .executeTakeFirst();
  return owner?.user_id;
}

/**
 * The business owner's sign-in details when `email` is theirs: a verified, unlocked membership
 * with the Owner role.
 */
export function findOwnerByEmail(db: Db, businessId: number, email: string) {
  return db
    .selectFrom('business_users as bu')
    .innerJoin('business_roles as r', 'r.id', 'bu.role_id')
    .innerJoin('users as u', 'u.id', 'bu.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.password_hash'])
    .where('bu.business_id', '=', businessId)
    .where('r.is_owner', '=', true)
    .where('bu.is_verified', '=', true)
    .where('bu.is_locked', '=', false)
    .where('u.email', '=', email)
    .executeTakeFirst();
}

export async function findMemberUserId(
  db: Db,
  businessId: number,
  email: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('business_users as bu')
    .innerJoin('users as u', 'u.id', 'bu.user_id')
    .select('u.id')
    .where('bu.business_id', '=', businessId)
    .where('u.email', '=', email)
    .executeTakeFirst();
  return row?.id;
}

export function insertStore(db: Db, values: NewRow<'stores'>) {
  return db
    .insertInto('stores')
    .values(values)
    .returning(['id', 'unique_id', 'name'])
    .executeTakeFirstOrThrow();
}

export function findStoreByName(db: Db, businessId: number, name: string) {
  return db
    .selectFrom('stores')
    .select(['id', 'unique_id', 'name'])
    .where('business_id', '=', businessId)
    .where('name', '=', name)
    .orderBy('id')
    .executeTakeFirst();
}

/**
 * A store by numeric id or unique_id, with its business: for operator commands that name a store
 * alone (ids and unique_ids are unique across businesses).
 */
export function findStoreByRef(db: Db, ref: number | string) {
  return db
    .selectFrom('stores')
    .select(['id', 'unique_id', 'name', 'business_id'])
    .where(typeof ref === 'number' ? 'id' : 'unique_id', '=', ref)
    .executeTakeFirst();
}

/** Row lock on the business: serializes changes that must respect a per-business limit. */
export async function lockBusiness(db: Db, businessId: number): Promise<void> {
  await db
    .selectFrom('businesses')
    .select('id')
    .where('id', '=', businessId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Keys that still open the API: neither revoked nor expired. */
export function listLiveApiKeys(db: Db, businessId: number) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name'])
    .where('business_id', '=', businessId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .orderBy('id')
    .execute();
}

export function insertApiKey(db: Db, values: NewRow<'api_keys'>) {
  return db
    .insertInto('api_keys')
    .values(values)
    .returning(['id', 'name', 'kind', 'scopes', 'expires_at'])
    .executeTakeFirstOrThrow();
}

export function revokeApiKeys(db: Db, businessId: number, ids: number[]) {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('business_id', '=', businessId)
    .where('id', 'in', ids)
    .returning('token_hash')
    .execute();
}

export function listApiKeys(db: Db, businessId: number) {
  return db
    .selectFrom('api_keys')
    .select([
      'id',
      'name',
      'kind',
      'scopes',
      'token_last4',
      'expires_at',
      'revoked_at',
      'last_used_at',
      'created_at',
    ])
    .where('business_id', '=', businessId)
    .orderBy('id')
    .execute();
}

export function findBusinessByUniqueId(db: Db, uniqueId: string) {
  return db
    .selectFrom('businesses')
    .select(['id', 'unique_id', 'username', 'account_holder'])
    .where('unique_id', '=', uniqueId)
    .executeTakeFirst();
}

export function findBusinessById(db: Db, id: number) {
  return db
    .selectFrom('businesses')
    .select(['id', 'unique_id', 'username', 'account_holder'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findBusinessByUsername(db: Db, username: string) {
  return db
    .selectFrom('businesses')
    .select(['id', 'unique_id'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export async function anyBusinessExists(db: Db): Promise<boolean> {
  return Boolean(await db.selectFrom('businesses').select('id').limit(1).executeTakeFirst());
}
