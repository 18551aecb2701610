import type { Db } from '../../db/database.ts';
import { GRANTABLE_SCOPES } from '../../http/auth/scopes.ts';
import { errors } from '../../http/errors.ts';
import { hashPassword, sha256Hex, verifyPassword } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import * as q from './queries.ts';

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
  const existing = await q.findUserByEmail(db, email);
  if (existing) return existing;
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return q.upsertUser(db, { email, name: input.name.trim(), passwordHash });
}

export async function createBusiness(db: Db, input: CreateBusinessInput): Promise<CreatedBusiness> {
  const owner = await ensureUser(db, input.owner);
  return db.transaction().execute(async (trx) => {
    let username = input.username?.trim().toLowerCase() || usernameFrom(input.accountHolder);
    if (await q.usernameTaken(trx, username)) {
      if (input.username) throw errors.invalidField('username', 'has already been taken');
      username = `${username}${newId.businessUniqueId().slice(0, 6).toLowerCase()}`;
    }
    const business = await q.insertBusiness(trx, {
      unique_id: newId.businessUniqueId(),
      username,
      account_holder: input.accountHolder.trim(),
      email: input.email ?? owner.email,
      phone: input.phone ?? null,
    });
    const { ownerRoleId } = await q.insertDefaultRoles(trx, business.id);
    const membership = await q.insertMembership(trx, {
      business_id: business.id,
      user_id: owner.id,
      role_id: ownerRoleId,
      is_verified: true,
      verified_at: new Date(),
    });
    return { business, owner, membershipId: membership!.id };
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
  const role = await q.findNonOwnerRole(db, businessId, roleName);
  if (!role) {
    throw errors.invalidField(
      'role',
      `must be an existing non-owner role of the business, got "${roleName}"`,
    );
  }
  const membership = await q.insertMembership(db, {
    business_id: businessId,
    user_id: user.id,
    role_id: role.id,
    is_verified: false,
  });
  if (!membership) throw errors.conflict('That user is already a member of or invited to this business');
  return { membershipId: membership.id, userId: user.id };
}

export function createStore(
  db: Db,
  businessId: number,
  input: { name: string; isPublic?: boolean },
): Promise<{ id: number; unique_id: string; name: string }> {
  return q.insertStore(db, {
    business_id: businessId,
    unique_id: newId.storeUniqueId(),
    name: input.name.trim(),
    is_public: input.isPublic ?? true,
  });
}

export interface CreateApiKeyInput {
  businessId: number;
  /** The member the key acts for; defaults to the business owner. */
  userId?: number;
  name: string;
  kind: 'secret' | 'restricted';
  scopes?: string[];
  expiresAt?: Date | null;
  /**
   * At the live-key limit, revoke the oldest live keys with this name to make room instead of
   * refusing (the demo seed rotates its own keys this way).
   */
  rotateName?: string;
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

function validateKeyInput(input: CreateApiKeyInput): string[] {
  const scopes = input.kind === 'secret' ? [] : [...new Set(input.scopes ?? [])].sort();
  if (input.kind === 'restricted') {
    if (scopes.length === 0)
      throw errors.invalidField('scopes', 'must list at least one scope for a restricted key');
    const unknown = scopes.filter((scope) => !GRANTABLE_SCOPES.has(scope));
    if (unknown.length) throw errors.invalidField('scopes', `contains unknown scopes: ${unknown.join(', ')}`);
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw errors.invalidField('expires_at', 'must be in the future');
  }
  return scopes;
}

export async function createApiKey(db: Db, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const scopes = validateKeyInput(input);
  return db.transaction().execute(async (trx) => {
    // Serialize key creation per business so two concurrent creations cannot both pass the limit.
    await q.lockBusiness(trx, input.businessId);
    const userId = input.userId ?? (await q.findOwnerUserId(trx, input.businessId));
    const live = await q.listLiveApiKeys(trx, input.businessId);
    const excess = live.length - (MAX_ACTIVE_API_KEYS - 1);
    if (excess > 0) {
      const rotatable = input.rotateName
        ? live.filter((key) => key.name === input.rotateName).slice(0, excess)
        : [];
      if (rotatable.length < excess) {
        throw errors.conflict(
          `A business can have at most ${MAX_ACTIVE_API_KEYS} active API keys; revoke one first`,
        );
      }
      await q.revokeApiKeys(
        trx,
        input.businessId,
        rotatable.map((key) => key.id),
      );
    }
    const token = newId.apiKey(input.kind);
    const row = await q.insertApiKey(trx, {
      business_id: input.businessId,
      created_by_user_id: userId ?? null,
      name: input.name.trim(),
      kind: input.kind,
      token_hash: sha256Hex(token),
      token_last4: token.slice(-4),
      scopes,
      expires_at: input.expiresAt ?? null,
    });
    return { ...row, token };
  });
}

/** Revokes a key; returns its token hash so the caller can drop it from credential caches. */
export async function revokeApiKey(db: Db, businessId: number, apiKeyId: number): Promise<string> {
  const [row] = await q.revokeApiKeys(db, businessId, [apiKeyId]);
  if (!row) throw errors.notFound('API key not found');
  return row.token_hash;
}

export const listApiKeys = q.listApiKeys;

export function findBusinessByUniqueId(db: Db, uniqueId: string) {
  return q.findBusinessByUniqueId(db, uniqueId.trim().toUpperCase());
}

/** A business named by its numeric id or its unique_id (operator commands take either). */
export function findBusinessByRef(db: Db, ref: string) {
  const text = ref.trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    return Number.isSafeInteger(id) ? q.findBusinessById(db, id) : Promise.resolve(undefined);
  }
  return findBusinessByUniqueId(db, text);
}

/** A store named by its numeric id or its unique_id (`store_…`), whatever its business. */
export function findStoreByRef(db: Db, ref: string) {
  const text = ref.trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    return Number.isSafeInteger(id) ? q.findStoreByRef(db, id) : Promise.resolve(undefined);
  }
  return q.findStoreByRef(db, text);
}

/** The member with this e-mail, for commands that act on behalf of a member. */
export function findMemberUserId(db: Db, businessId: number, email: string) {
  return q.findMemberUserId(db, businessId, email.trim().toLowerCase());
}

/**
 * The business owner, when `email` and `password` are theirs (a storefront's `login_as: owner`).
 * The password is hashed whether or not the e-mail is the owner's, so the answer's timing does
 * not tell who owns the business.
 */
export async function verifyOwnerLogin(
  db: Db,
  businessId: number,
  email: string,
  password: string,
): Promise<{ email: string; name: string } | null> {
  const owner = await q.findOwnerByEmail(db, businessId, email.trim().toLowerCase());
  const matches = await verifyPassword(password, owner?.password_hash ?? null);
  return owner && matches ? { email: owner.email, name: owner.name } : null;
}
