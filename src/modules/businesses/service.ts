import { KNOWN_SCOPES } from '../../../contract/index.ts';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { hashPassword, sha256Hex } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';

/**
 * Tenancy administration: businesses with their owner, members, stores and business API keys.
 * v3 exposes none of this as routes; the `nexus` CLI, the demo seed and tests drive it.
 */

/** Domain notes: at most 10 live business API keys per business. */
export const MAX_ACTIVE_API_KEYS = 10;

export interface CreateBusinessInput {
  accountHolder: string;
  username?: string;
  email?: string;
  phone?: string;
  owner: { email: string; name: string; password?: string };
}

export interface CreatedBusiness {
  business: { id: number; unique_id: string; username: string; account_holder: string };
  owner: { id: number; email: string; name: string };
  membershipId: number;
}

function usernameFrom(text: string): string {
  const base = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 24);
  return base || 'business';
}

/** Finds the user with this e-mail or creates one; e-mail addresses are stored lower-cased. */
export async function ensureUser(
  db: Db,
  input: { email: string; name: string; password?: string },
): Promise<{ id: number; email: string; name: string }> {
  const email = input.email.trim().toLowerCase();
  const existing = await db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing) return existing;
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db
    .insertInto('users')
    .values({ email, name: input.name.trim(), password_hash: passwordHash })
    .onConflict((oc) => oc.column('email').doUpdateSet({ updated_at: new Date() }))
    .returning(['id', 'email', 'name'])
    .executeTakeFirstOrThrow();
}

export async function createBusiness(db: Db, input: CreateBusinessInput): Promise<CreatedBusiness> {
  const owner = await ensureUser(db, input.owner);
  return db.transaction().execute(async (trx) => {
    let username = input.username?.trim().toLowerCase() || usernameFrom(input.accountHolder);
    const taken = await trx
      .selectFrom('businesses')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (taken) {
      if (input.username) throw errors.invalidField('username', 'has already been taken');
      username = `${username}${newId.businessUniqueId().slice(0, 6).toLowerCase()}`;
    }
    const business = await trx
      .insertInto('businesses')
      .values({
        unique_id: newId.businessUniqueId(),
        username,
        account_holder: input.accountHolder.trim(),
        email: input.email ?? owner.email,
        phone: input.phone ?? null,
      })
      .returning(['id', 'unique_id', 'username', 'account_holder'])
      .executeTakeFirstOrThrow();
    const ownerRole = await trx
      .insertInto('business_roles')
      .values({ business_id: business.id, name: 'Owner', is_owner: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('business_roles')
      .values([
        { business_id: business.id, name: 'Admin' },
        { business_id: business.id, name: 'Staff' },
      ])
      .execute();
    const membership = await trx
      .insertInto('business_users')
      .values({
        business_id: business.id,
        user_id: owner.id,
        role_id: ownerRole.id,
        is_verified: true,
        verified_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { business, owner, membershipId: membership.id };
  });
}

/** Adds a pending membership (an invitation) the user accepts or denies through the Business Users routes. */
export async function inviteMember(
  db: Db,
  businessId: number,
  input: { email: string; name: string; role?: string; password?: string },
): Promise<{ membershipId: number; userId: number }> {
  const user = await ensureUser(db, input);
  const roleName = input.role ?? 'Staff';
  const role = await db
    .selectFrom('business_roles')
    .select('id')
    .where('business_id', '=', businessId)
    .where('name', '=', roleName)
    .where('is_owner', '=', false)
    .executeTakeFirst();
  if (!role)
    throw errors.invalidField(
      'role',
      `must be an existing non-owner role of the business, got "${roleName}"`,
    );
  const membership = await db
    .insertInto('business_users')
    .values({ business_id: businessId, user_id: user.id, role_id: role.id, is_verified: false })
    .onConflict((oc) => oc.columns(['business_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!membership) throw errors.conflict('That user is already a member of or invited to this business');
  return { membershipId: membership.id, userId: user.id };
}

export async function createStore(
  db: Db,
  businessId: number,
  input: { name: string; isPublic?: boolean },
): Promise<{ id: number; unique_id: string; name: string }> {
  return db
    .insertInto('stores')
    .values({
      business_id: businessId,
      unique_id: newId.storeUniqueId(),
      name: input.name.trim(),
      is_public: input.isPublic ?? true,
    })
    .returning(['id', 'unique_id', 'name'])
    .executeTakeFirstOrThrow();
}

export interface CreateApiKeyInput {
  businessId: number;
  /** The member the key acts for; defaults to the business owner. */
  userId?: number;
  name: string;
  kind: 'secret' | 'restricted';
  scopes?: string[];
  expiresAt?: Date | null;
}

export interface CreatedApiKey {
  id: number;
  name: string;
  kind: 'secret' | 'restricted';
  scopes: string[];
  expires_at: Date | null;
  /** The only time the secret exists outside the caller's hands; only its hash is stored. */
  token: string;
}

export async function createApiKey(db: Db, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const scopes = input.kind === 'secret' ? [] : [...new Set(input.scopes ?? [])].sort();
  if (input.kind === 'restricted') {
    if (scopes.length === 0)
      throw errors.invalidField('scopes', 'must list at least one scope for a restricted key');
    const unknown = scopes.filter((scope) => !KNOWN_SCOPES.has(scope));
    if (unknown.length) throw errors.invalidField('scopes', `contains unknown scopes: ${unknown.join(', ')}`);
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw errors.invalidField('expires_at', 'must be in the future');
  }
  return db.transaction().execute(async (trx) => {
    // Serialize key creation per business so two concurrent creations cannot both pass the limit.
    await trx
      .selectFrom('businesses')
      .select('id')
      .where('id', '=', input.businessId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let userId = input.userId;
    if (userId === undefined) {
      const owner = await trx
        .selectFrom('business_users as bu')
        .innerJoin('business_roles as r', 'r.id', 'bu.role_id')
        .select('bu.user_id')
        .where('bu.business_id', '=', input.businessId)
        .where('r.is_owner', '=', true)
        .orderBy('bu.id')
        .executeTakeFirst();
      userId = owner?.user_id;
    }
    const live = await trx
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('business_id', '=', input.businessId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
      .executeTakeFirstOrThrow();
    if (Number(live.count) >= MAX_ACTIVE_API_KEYS) {
      throw errors.conflict(
        `A business can have at most ${MAX_ACTIVE_API_KEYS} active API keys; revoke one first`,
      );
    }
    const token = newId.apiKey(input.kind);
    const row = await trx
      .insertInto('api_keys')
      .values({
        business_id: input.businessId,
        created_by_user_id: userId ?? null,
        name: input.name.trim(),
        kind: input.kind,
        token_hash: sha256Hex(token),
        token_last4: token.slice(-4),
        scopes,
        expires_at: input.expiresAt ?? null,
      })
      .returning(['id', 'name', 'kind', 'scopes', 'expires_at'])
      .executeTakeFirstOrThrow();
    return { ...row, token };
  });
}

/** Revokes a key; returns its token hash so the caller can drop it from credential caches. */
export async function revokeApiKey(db: Db, businessId: number, apiKeyId: number): Promise<string> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', apiKeyId)
    .where('business_id', '=', businessId)
    .returning('token_hash')
    .executeTakeFirst();
  if (!row) throw errors.notFound('API key not found');
  return row.token_hash;
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
    .where('unique_id', '=', uniqueId.toUpperCase())
    .executeTakeFirst();
}
