import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import { applyKeyset, type KeysetWindow, type SortOrder } from '../../http/pagination.ts';

export function findUser(db: Db, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'phone'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export function findUserPasswordHash(db: Db, userId: number) {
  return db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
}

export function findBusiness(db: Db, businessId: number) {
  return db
    .selectFrom('businesses')
    .select(['id', 'unique_id', 'username', 'account_holder', 'email', 'phone'])
    .where('id', '=', businessId)
    .executeTakeFirst();
}

/** The business and (when the credential has one) its acting user in one round trip: `/v3/me`'s hot path. */
export function findBusinessWithUser(db: Db, businessId: number, userId: number | null) {
  return db
    .selectFrom('businesses as b')
    .leftJoin('users as u', (join) => join.on('u.id', '=', userId ?? -1))
    .select([
      'b.id',
      'b.unique_id',
      'b.username',
      'b.account_holder',
      'b.email',
      'b.phone',
      'u.id as user_id',
      'u.email as user_email',
      'u.name as user_name',
      'u.phone as user_phone',
    ])
    .where('b.id', '=', businessId)
    .executeTakeFirst();
}

export function findApplication(db: Db, applicationId: number) {
  return db
    .selectFrom('oauth_applications')
    .select(['id', 'name', 'client_id'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
}

export function findBusinessesByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('businesses')
    .select(['id', 'unique_id', 'username', 'account_holder', 'email', 'phone'])
    .where('id', 'in', ids)
    .execute();
}

function membershipQuery(db: Db) {
  return db
    .selectFrom('business_users as bu')
    .innerJoin('businesses as b', 'b.id', 'bu.business_id')
    .innerJoin('business_roles as r', 'r.id', 'bu.role_id')
    .select([
      'bu.id',
      'bu.user_id',
      'bu.business_phone',
      'bu.is_verified',
      'bu.is_locked',
      'bu.metadata',
      'b.id as business_id',
      'b.unique_id as business_unique_id',
      'b.username as business_username',
      'b.account_holder as business_account_holder',
      'b.email as business_email',
      'b.phone as business_phone_number',
      'r.id as role_id',
      'r.name as role_name',
      'r.is_owner as role_is_owner',
    ]);
}
export type MembershipRow = NonNullable<Awaited<ReturnType<typeof findMembership>>>;

export function findMembership(db: Db, businessId: number, userId: number) {
  return membershipQuery(db)
    .where('bu.business_id', '=', businessId)
    .where('bu.user_id', '=', userId)
    .executeTakeFirst();
}

export interface MembershipFilters {
  search?: string;
  businessName?: string;
}

/** One page of a user's memberships, ordered by membership id (the `business_users_user_id_id` index). */
export function listMemberships(
  db: Db,
  userId: number,
  filters: MembershipFilters,
  order: SortOrder,
  window: KeysetWindow,
) {
  let query = membershipQuery(db).where('bu.user_id', '=', userId);
  if (filters.search) {
    const pattern = containsPattern(filters.search);
    query = query.where((eb) =>
      eb.or([eb('b.username', 'ilike', pattern), eb('b.account_holder', 'ilike', pattern)]),
    );
  }
  if (filters.businessName)
    query = query.where('b.account_holder', 'ilike', containsPattern(filters.businessName));
  return applyKeyset(query, ['bu.id'], order, window).execute();
}

export function countVerifiedMembers(db: Db, businessId: number) {
  return db
    .selectFrom('business_users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('business_id', '=', businessId)
    .where('is_verified', '=', true)
    .executeTakeFirstOrThrow();
}

/** Row lock on the business: serializes membership changes that must keep at least one member. */
export async function lockBusiness(db: Db, businessId: number): Promise<void> {
  await db.selectFrom('businesses').select('id').where('id', '=', businessId).forUpdate().execute();
}

export async function verifyPendingMembership(
  db: Db,
  membershipId: number,
  businessPhone: string | null | undefined,
) {
  const result = await db
    .updateTable('business_users')
    .set({
      is_verified: true,
      verified_at: new Date(),
      updated_at: new Date(),
      ...(businessPhone !== undefined ? { business_phone: businessPhone } : {}),
    })
    .where('id', '=', membershipId)
    .where('is_verified', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deletePendingMembership(db: Db, membershipId: number) {
  const result = await db
    .deleteFrom('business_users')
    .where('id', '=', membershipId)
    .where('is_verified', '=', false)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteMembership(db: Db, membershipId: number) {
  await db.deleteFrom('business_users').where('id', '=', membershipId).execute();
}

/** Revokes the API keys a user created for a business and the OAuth installations they authorized there. */
export async function revokeMemberCredentials(db: Db, businessId: number, userId: number) {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('business_id', '=', businessId)
    .where('created_by_user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('oauth_installations')
    .set({ status: 'revoked', updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('authorized_by_user_id', '=', userId)
    .execute();
}
