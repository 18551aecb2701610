import type { Db } from '../../db/database.ts';
import type { Credentials } from '../../http/auth/credentials.ts';
import type { BusinessPrincipal, OAuthTokenPrincipal, RequestAuth } from '../../http/auth/principal.ts';
import { errors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { verifyPassword } from '../../lib/crypto.ts';
import * as q from './queries.ts';

type BusinessRow = NonNullable<Awaited<ReturnType<typeof q.findBusiness>>>;

function toBusiness(row: BusinessRow) {
  return {
    id: row.id,
    unique_id: row.unique_id,
    username: row.username,
    account_holder: row.account_holder,
    email: row.email,
    phone: row.phone,
  };
}

type BusinessWithUserRow = NonNullable<Awaited<ReturnType<typeof q.findBusinessWithUser>>>;

export function toBusinessAndUser(row: BusinessWithUserRow) {
  const user =
    row.user_id === null
      ? null
      : { id: row.user_id, email: row.user_email ?? '', name: row.user_name ?? '', phone: row.user_phone };
  return { business: toBusiness(row), user };
}

export function toBusinessUser(row: q.MembershipRow) {
  return {
    id: row.id,
    business: {
      id: row.business_id,
      unique_id: row.business_unique_id,
      username: row.business_username,
      account_holder: row.business_account_holder,
      email: row.business_email,
      phone: row.business_phone_number,
    },
    user_id: row.user_id,
    business_phone: row.business_phone,
    is_verified: row.is_verified,
    is_locked: row.is_locked,
    role: { id: row.role_id, name: row.role_name, is_owner: row.role_is_owner },
    metadata: row.metadata,
  };
}

/** Token-level identity: who the credential acts for, and which businesses it reaches. */
export async function describeIdentity(db: Db, credentials: Credentials, auth: RequestAuth) {
  if (auth.oauthToken) return describeOAuthIdentity(db, credentials, auth.oauthToken);
  const principal = auth.business as BusinessPrincipal;
  const row = await q.findBusinessWithUser(db, principal.businessId, principal.userId);
  if (!row) throw errors.unauthorized('Invalid API key');
  const { business: summary, user } = toBusinessAndUser(row);
  const apiKey = principal.apiKey;
  return {
    auth_method: 'api_key' as const,
    user,
    oauth_application: null,
    business: summary,
    connected_businesses: [{ ...summary, scopes: scopeList(principal) }],
    api_key: apiKey
      ? {
          id: apiKey.id,
          name: apiKey.name,
          type: apiKey.kind,
          scopes: scopeList(principal),
          expires_at: apiKey.expiresAt ? apiKey.expiresAt.toISOString() : null,
        }
      : null,
  };
}

/** `*` stands for "every scope" on secret keys rather than listing the whole vocabulary. */
function scopeList(principal: BusinessPrincipal): string[] {
  return principal.scopes === 'all' ? ['*'] : [...principal.scopes].sort();
}

async function describeOAuthIdentity(db: Db, credentials: Credentials, token: OAuthTokenPrincipal) {
  const installations = await credentials.connectedInstallations(token);
  const [user, application, businesses] = await Promise.all([
    q.findUser(db, token.userId),
    q.findApplication(db, token.applicationId),
    q.findBusinessesByIds(
      db,
      installations.map((i) => i.business_id),
    ),
  ]);
  const byId = new Map(businesses.map((b) => [b.id, b]));
  return {
    auth_method: 'oauth' as const,
    user: user ?? null,
    oauth_application: application ?? null,
    business: null,
    connected_businesses: installations.flatMap((installation) => {
      const business = byId.get(installation.business_id);
      if (!business) return [];
      const granted = new Set(installation.scopes);
      return [{ ...toBusiness(business), scopes: token.scopes.filter((scope) => granted.has(scope)).sort() }];
    }),
    api_key: null,
  };
}

/** The member a credential acts for: the key's creator, or the user who authorized the OAuth app. */
export function actingUserId(auth: RequestAuth): number {
  const userId = auth.business?.userId ?? auth.oauthToken?.userId ?? null;
  if (userId === null) throw errors.notFound('Business user not found');
  return userId;
}

export interface MembershipListQuery extends PageParams {
  sort_direction?: 'asc' | 'desc';
  search?: string;
  business_name?: string;
}

export async function listMemberships(
  db: Db,
  cursors: CursorCodec,
  userId: number,
  query: MembershipListQuery,
) {
  const order = query.sort_direction ?? 'desc';
  const filters = {
    search: query.search?.trim() || undefined,
    businessName: query.business_name?.trim() || undefined,
  };
  return paginate({
    codec: cursors,
    scope: cursorScope('listBusinessUsers', {
      user: userId,
      order,
      search: filters.search,
      business_name: filters.businessName,
    }),
    page: query,
    defaultPageSize: 25,
    fetch: (window) => q.listMemberships(db, userId, filters, order, window),
    keyOf: (row) => [row.id],
    map: toBusinessUser,
  });
}

async function requireMembership(db: Db, businessId: number, userId: number) {
  const membership = await q.findMembership(db, businessId, userId);
  if (!membership) throw errors.notFound('Business user not found');
  return membership;
}

export async function currentMembership(db: Db, businessId: number, userId: number) {
  return toBusinessUser(await requireMembership(db, businessId, userId));
}

/**
 * Leaving removes the membership and every credential the member holds for the business
 * (their API keys and the OAuth installations they authorized): whoever left keeps no access.
 */
export async function leaveBusiness(
  db: Db,
  credentials: Credentials,
  businessId: number,
  userId: number,
  password: string,
): Promise<void> {
  const membership = await requireMembership(db, businessId, userId);
  if (!membership.is_verified) {
    throw errors.conflict('This invitation has not been accepted; deny it instead of leaving');
  }
  const stored = await q.findUserPasswordHash(db, userId);
  if (!(await verifyPassword(password, stored?.password_hash ?? null))) {
    throw errors.invalidField('password', 'is incorrect');
  }
  if (membership.role_is_owner) throw errors.forbidden('The business owner cannot leave the business');
  await db.transaction().execute(async (trx) => {
    await q.lockBusiness(trx, businessId);
    const { count } = await q.countVerifiedMembers(trx, businessId);
    if (Number(count) <= 1) throw errors.conflict('The last member of a business cannot leave it');
    await q.deleteMembership(trx, membership.id);
    await q.revokeMemberCredentials(trx, businessId, userId);
  });
  credentials.forgetAllApiKeys();
}

export async function acceptInvitation(
  db: Db,
  businessId: number,
  userId: number,
  businessPhone: string | null | undefined,
) {
  const membership = await requireMembership(db, businessId, userId);
  if (membership.is_verified) throw errors.conflict('This invitation has already been accepted');
  const phone = businessPhone === undefined ? undefined : businessPhone?.trim() || null;
  if (!(await q.verifyPendingMembership(db, membership.id, phone))) {
    throw errors.conflict('This invitation has already been accepted');
  }
  return currentMembership(db, businessId, userId);
}

/** Denying drops the invitation and, like leaving, any credential the invitee was given for the business. */
export async function denyInvitation(
  db: Db,
  credentials: Credentials,
  businessId: number,
  userId: number,
): Promise<void> {
  const membership = await requireMembership(db, businessId, userId);
  if (membership.is_verified)
    throw errors.conflict('An accepted membership cannot be denied; leave the business instead');
  await db.transaction().execute(async (trx) => {
    if (!(await q.deletePendingMembership(trx, membership.id))) {
      throw errors.conflict('This invitation has already been accepted');
    }
    await q.revokeMemberCredentials(trx, businessId, userId);
  });
  credentials.forgetAllApiKeys();
}
