import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import '../customers/tables.ts';

/** The store a storefront auth call serves, with the setting that picks direct login or OTP. */
export function findAuthStore(db: Db, storeId: number) {
  return db
    .selectFrom('stores')
    .select(['id', 'unique_id', 'business_id', 'name', 'is_customer_otp_required'])
    .where('id', '=', storeId)
    .executeTakeFirst();
}
export type AuthStore = NonNullable<Awaited<ReturnType<typeof findAuthStore>>>;

export function findCustomerByEmail(db: Db, businessId: number, email: string) {
  return db
    .selectFrom('customers')
    .select(['id', 'email', 'name', 'status', 'password_hash'])
    .where('business_id', '=', businessId)
    .where('email', '=', email)
    .executeTakeFirst();
}

/**
 * What decides whether a customer access token is still good: the customer is active, belongs to
 * the store's business, changed no password after the token was issued (`stale`: issued in an
 * earlier second than `tokens_valid_after`), the token was not blacklisted and its session (refresh
 * family) was not revoked.
 */
export function customerTokenState(
  db: Db,
  token: { customerId: number; jti: string; familyId: string | null; issuedAt: number },
) {
  return db
    .selectFrom('customers as c')
    .select((eb) => [
      'c.business_id',
      'c.status',
      sql<boolean>`c.tokens_valid_after >= to_timestamp(${token.issuedAt + 1})`.as('stale'),
      eb
        .exists(eb.selectFrom('customer_revoked_tokens as r').select('r.jti').where('r.jti', '=', token.jti))
        .as('revoked'),
      token.familyId
        ? eb
            .exists(
              eb
                .selectFrom('customer_refresh_tokens as f')
                .select('f.id')
                .where('f.family_id', '=', token.familyId)
                .where('f.revoked_at', 'is not', null),
            )
            .as('family_revoked')
        : sql<boolean>`false`.as('family_revoked'),
    ])
    .where('c.id', '=', token.customerId)
    .executeTakeFirst();
}

// Refresh tokens -----------------------------------------------------------------------------

export async function insertRefreshToken(
  trx: Db,
  row: {
    id: string;
    family_id: string;
    business_id: number;
    store_id: number;
    customer_id: number;
    expires_at: Date;
  },
): Promise<void> {
  await trx.insertInto('customer_refresh_tokens').values(row).execute();
}

/** Rows of this customer that can no longer be used by anyone; keeps the table from growing forever. */
export async function deleteExpiredRefreshTokens(trx: Db, customerId: number): Promise<void> {
  await trx
    .deleteFrom('customer_refresh_tokens')
    .where('customer_id', '=', customerId)
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
}

/**
 * Spends a refresh token: only an unused, unrevoked, unexpired row of this store changes, so two
 * concurrent refreshes with one token cannot both succeed.
 */
export function spendRefreshToken(trx: Db, id: string, storeId: number) {
  return trx
    .updateTable('customer_refresh_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('store_id', '=', storeId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['family_id', 'customer_id', 'business_id', 'issued_at'])
    .executeTakeFirst();
}

export function findRefreshToken(trx: Db, id: string, storeId: number) {
  return trx
    .selectFrom('customer_refresh_tokens')
    .select(['id', 'family_id', 'customer_id', 'used_at', 'revoked_at', 'expires_at'])
    .where('id', '=', id)
    .where('store_id', '=', storeId)
    .executeTakeFirst();
}

export async function revokeFamily(trx: Db, familyId: string): Promise<void> {
  await trx
    .updateTable('customer_refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Every session of the customer, in every store (a password change). */
export async function revokeCustomerRefreshTokens(trx: Db, customerId: number): Promise<void> {
  await trx
    .updateTable('customer_refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('customer_id', '=', customerId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The customer behind a refresh: still active, and no password change since the token was issued. */
export function refreshableCustomer(trx: Db, customerId: number, issuedAt: Date) {
  return trx
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .where('status', '=', 'active')
    .where('tokens_valid_after', '<=', issuedAt)
    .executeTakeFirst();
}

// Blacklisted access tokens ------------------------------------------------------------------

export async function revokeAccessToken(db: Db, jti: string, expiresAt: Date): Promise<void> {
  await db
    .insertInto('customer_revoked_tokens')
    .values({ jti, expires_at: expiresAt })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}

/** A blacklisted token that has expired anyway needs no row; a few are dropped per blacklist call. */
export async function deleteExpiredRevocations(db: Db): Promise<void> {
  await sql`
    delete from customer_revoked_tokens where jti in (
      select jti from customer_revoked_tokens where expires_at < now() limit 100
    )`.execute(db);
}

// One-time login codes -----------------------------------------------------------------------

/** A new code replaces every earlier one of this customer in this store. */
export async function replaceOtp(
  trx: Db,
  row: { business_id: number; store_id: number; customer_id: number; code_hash: string; expires_at: Date },
): Promise<void> {
  await trx
    .deleteFrom('customer_otps')
    .where('customer_id', '=', row.customer_id)
    .where('store_id', '=', row.store_id)
    .execute();
  await trx.insertInto('customer_otps').values(row).execute();
}

export function latestOtpForUpdate(trx: Db, customerId: number, storeId: number) {
  return trx
    .selectFrom('customer_otps')
    .select(['id', 'code_hash', 'attempts', 'expires_at', 'consumed_at'])
    .where('customer_id', '=', customerId)
    .where('store_id', '=', storeId)
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function recordOtpAttempt(trx: Db, id: number, consumed: boolean): Promise<void> {
  await trx
    .updateTable('customer_otps')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      ...(consumed ? { consumed_at: sql<Date>`now()` } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

export async function deleteCustomerOtps(trx: Db, customerId: number): Promise<void> {
  await trx.deleteFrom('customer_otps').where('customer_id', '=', customerId).execute();
}

// Password resets ----------------------------------------------------------------------------

export async function insertPasswordReset(
  trx: Db,
  row: { token_hash: string; business_id: number; store_id: number; customer_id: number; expires_at: Date },
): Promise<void> {
  await trx
    .deleteFrom('customer_password_resets')
    .where('customer_id', '=', row.customer_id)
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
  await trx.insertInto('customer_password_resets').values(row).execute();
}

/** Spends a reset token of this store: unused and unexpired, once. */
export function spendPasswordReset(trx: Db, tokenHash: string, storeId: number) {
  return trx
    .updateTable('customer_password_resets')
    .set({ used_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .where('store_id', '=', storeId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['customer_id', 'business_id'])
    .executeTakeFirst();
}

/** Other links sent before the password changed stop working too. */
export async function spendCustomerResets(trx: Db, customerId: number): Promise<void> {
  await trx
    .updateTable('customer_password_resets')
    .set({ used_at: sql<Date>`now()` })
    .where('customer_id', '=', customerId)
    .where('used_at', 'is', null)
    .execute();
}

/** Sets a password the customer chose; every token issued before now stops working. */
export function setCustomerPassword(trx: Db, customerId: number, businessId: number, passwordHash: string) {
  return trx
    .updateTable('customers')
    .set({
      password_hash: passwordHash,
      is_generated_password: false,
      tokens_valid_after: sql<Date>`now()`,
      confirmed_at: sql<Date>`coalesce(confirmed_at, now())`,
      last_updated_at: sql<Date>`now()`,
    })
    .where('id', '=', customerId)
    .where('business_id', '=', businessId)
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
}

/** Following an e-mailed code or link proves the customer reads that mailbox. */
export async function confirmCustomerEmail(trx: Db, customerId: number): Promise<void> {
  await trx
    .updateTable('customers')
    .set({ confirmed_at: sql<Date>`now()` })
    .where('id', '=', customerId)
    .where('confirmed_at', 'is', null)
    .execute();
}

export async function isRegisteredOrigin(db: Db, storeId: number, origin: string): Promise<boolean> {
  const row = await db
    .selectFrom('storefront_allowed_origins')
    .select('id')
    .where('store_id', '=', storeId)
    .where('origin', '=', origin)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

// Retention -----------------------------------------------------------------------------------

/** Tables of customer credentials that are worthless once `expires_at` has passed, by primary key. */
const EXPIRING_CREDENTIALS = {
  customer_otps: 'id',
  customer_password_resets: 'token_hash',
  customer_refresh_tokens: 'id',
  customer_revoked_tokens: 'jti',
} as const;

export type ExpiringCredentialTable = keyof typeof EXPIRING_CREDENTIALS;

/** Deletes up to `limit` rows of `table` that expired before `before` (by its expiry index); returns how many. */
export async function deleteExpiredBatch(
  db: Db,
  table: ExpiringCredentialTable,
  before: Date,
  limit: number,
): Promise<number> {
  const key = sql.ref(EXPIRING_CREDENTIALS[table]);
  const result = await sql`
    delete from ${sql.table(table)} where ${key} in (
      select ${key} from ${sql.table(table)} where expires_at < ${before} order by expires_at limit ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
