import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { hashPassword, hmac, safeEqual, sha256Hex, verifyPassword } from '../../lib/crypto.ts';
import { verifyOwnerLogin } from '../businesses/service.ts';
import { upsertCustomerByEmail } from '../customers/records.ts';
import { enqueueMail } from '../mail/service.ts';
import { loginOtpMail, passwordChangedMail } from './emails.ts';
import * as q from './queries.ts';
import {
  ACCESS_TTL_SECONDS,
  REFRESH_TTL_SECONDS,
  readCustomerToken,
  signAccessToken,
  signRefreshToken,
} from './tokens.ts';

export const OTP_SENT_MESSAGE = 'If this email exists in our system, an OTP has been sent to it.';
export const OTP_TTL_MINUTES = 10;
export const OTP_MAX_ATTEMPTS = 5;
export const RESET_TTL_MINUTES = 60;
/** Queued by startPasswordReset; the worker looks the customer up and sends the link. */
export const PASSWORD_RESET_JOB = 'customer_auth.password_reset';

export interface AuthDeps {
  db: Db;
  customerJwtKey: Buffer;
}

/** The store a storefront key opened (from the auth hook). */
export interface AuthStore {
  storeId: number;
  businessId: number;
  storeUniqueId: string;
}

export interface CustomerTokens {
  access: string;
  refresh: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
  store_unique_id: string;
}

const invalidCredentials = () =>
  new ApiError(401, 'invalid_token', 'Invalid email or password', {}, 'Invalid credentials');
const invalidOtp = () => new ApiError(401, 'invalid_token', 'Invalid or expired OTP', {}, 'Invalid OTP');
const invalidRefresh = (message = 'Invalid or expired refresh token') =>
  new ApiError(401, 'invalid_token', message, {}, 'Invalid refresh token');

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Who is signing in: a customer with their own password, or the business owner (`login_as: owner`). */
export type LoginAs = 'customer' | 'owner';

interface SignedInAccount {
  id: number;
  email: string | null;
}

/** The store's active customer whose own password this is. */
async function customerByPassword(
  db: Db,
  businessId: number,
  email: string,
  password: string,
): Promise<SignedInAccount | null> {
  const customer = await q.findCustomerByEmail(db, businessId, email);
  const matches = await verifyPassword(password, customer?.password_hash ?? null);
  return customer && matches && customer.status === 'active' ? customer : null;
}

/**
 * `login_as: owner`: the business owner signs in to their own store with their Nexus account's
 * password and becomes the business's customer with their e-mail (created on first sight, as a
 * checkout would), e.g. to try the storefront as a buyer. The tokens are ordinary customer tokens
 * of this store: they open nothing of the business. A customer the business deactivated stays out.
 */
async function ownerAsCustomer(
  db: Db,
  store: AuthStore,
  email: string,
  password: string,
): Promise<SignedInAccount | null> {
  const owner = await verifyOwnerLogin(db, store.businessId, email, password);
  if (!owner) return null;
  let customer = await q.findCustomerByEmail(db, store.businessId, owner.email);
  if (!customer) {
    await upsertCustomerByEmail(db, {
      businessId: store.businessId,
      storeId: store.storeId,
      name: owner.name,
      email: owner.email,
      phone: null,
    });
    customer = await q.findCustomerByEmail(db, store.businessId, owner.email);
  }
  return customer?.status === 'active' ? customer : null;
}

/**
 * Starts a session: a new refresh-token family (or the next token of `familyId` on rotation), its
 * refresh row and a matching access token. Runs in the caller's transaction. Other customer flows
 * that hand out tokens (e.g. after a password change) use this too.
 */
export async function issueCustomerTokens(
  trx: Db,
  customerJwtKey: Buffer,
  session: {
    businessId: number;
    storeId: number;
    storeUniqueId: string;
    customerId: number;
    familyId?: string;
  },
): Promise<CustomerTokens> {
  const subject = {
    customerId: session.customerId,
    storeId: session.storeId,
    familyId: session.familyId ?? randomUUID(),
  };
  const refresh = signRefreshToken(customerJwtKey, subject, randomUUID());
  await q.deleteExpiredRefreshTokens(trx, session.customerId);
  await q.insertRefreshToken(trx, {
    id: refresh.jti,
    family_id: subject.familyId,
    business_id: session.businessId,
    store_id: session.storeId,
    customer_id: session.customerId,
    expires_at: refresh.expiresAt,
  });
  return {
    access: signAccessToken(customerJwtKey, subject).token,
    refresh: refresh.token,
    token_type: 'Bearer',
    expires_in: ACCESS_TTL_SECONDS,
    refresh_expires_in: REFRESH_TTL_SECONDS,
    store_unique_id: session.storeUniqueId,
  };
}

function otpKey(customerJwtKey: Buffer): Buffer {
  return hmac(customerJwtKey, 'nexus:customer-otp:v1');
}

/** Codes have only a million values, so they are stored as a keyed hash, useless without the server key. */
function otpHash(key: Buffer, customerId: number, storeId: number, code: string): string {
  return hmac(key, `${customerId}:${storeId}:${code}`).toString('hex');
}

async function loadStore(db: Db, storeId: number): Promise<q.AuthStore> {
  const store = await q.findAuthStore(db, storeId);
  if (!store) throw errors.storeNotFound();
  return store;
}

/**
 * loginCustomer: checks the password, the customer's own or with `login_as: owner` the business
 * owner's (spending the same scrypt time when the e-mail is unknown, so neither the answer nor its
 * timing tells whether the account exists), then either answers tokens or, when the store requires
 * OTP, e-mails a 6-digit code and answers the OTP message.
 */
export async function login(
  deps: AuthDeps,
  store: AuthStore,
  input: { email: string; password: string; login_as?: LoginAs | undefined },
): Promise<CustomerTokens | { message: string }> {
  const { db } = deps;
  const settings = await loadStore(db, store.storeId);
  const email = normalizeEmail(input.email);
  const customer =
    input.login_as === 'owner'
      ? await ownerAsCustomer(db, store, email, input.password)
      : await customerByPassword(db, store.businessId, email, input.password);
  if (!customer) throw invalidCredentials();
  const customerId = customer.id;

  if (settings.is_customer_otp_required) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const mail = loginOtpMail({ storeName: settings.name, code, validMinutes: OTP_TTL_MINUTES });
    await db.transaction().execute(async (trx) => {
      await q.replaceOtp(trx, {
        business_id: store.businessId,
        store_id: store.storeId,
        customer_id: customerId,
        code_hash: otpHash(otpKey(deps.customerJwtKey), customerId, store.storeId, code),
        expires_at: new Date(Date.now() + OTP_TTL_MINUTES * 60_000),
      });
      // A code that arrives after it expired is useless: give up after a few quick retries.
      await enqueueMail(trx, {
        businessId: store.businessId,
        to: customer.email ?? input.email,
        kind: 'customer_login_otp',
        maxAttempts: 4,
        ...mail,
      });
    });
    return { message: OTP_SENT_MESSAGE };
  }
  return db
    .transaction()
    .execute((trx) => issueCustomerTokens(trx, deps.customerJwtKey, { ...store, customerId }));
}

/**
 * verifyCustomerOtp: the latest code of this customer in this store, unexpired, unused, with fewer
 * than five attempts. Every try counts (committed even when it fails); the fifth wrong one leaves
 * the code unusable, so a new login is needed. `login_as` changes nothing here: the password (the
 * customer's or the owner's) was checked when the code was sent, and the code belongs to the one
 * customer account both logins end in.
 */
export async function verifyOtp(
  deps: AuthDeps,
  store: AuthStore,
  input: { email: string; otp: string; login_as?: LoginAs | undefined },
): Promise<CustomerTokens> {
  const { db } = deps;
  const customer = await q.findCustomerByEmail(db, store.businessId, normalizeEmail(input.email));
  if (customer?.status !== 'active') throw invalidOtp();
  const key = otpKey(deps.customerJwtKey);
  const tokens = await db.transaction().execute(async (trx) => {
    const otp = await q.latestOtpForUpdate(trx, customer.id, store.storeId);
    if (!otp || otp.consumed_at || otp.expires_at.getTime() <= Date.now()) return null;
    if (otp.attempts >= OTP_MAX_ATTEMPTS) return null;
    const matches = safeEqual(otp.code_hash, otpHash(key, customer.id, store.storeId, input.otp));
    await q.recordOtpAttempt(trx, otp.id, matches);
    if (!matches) return null;
    // Entering the code proves the customer reads this mailbox.
    await q.confirmCustomerEmail(trx, customer.id);
    return issueCustomerTokens(trx, deps.customerJwtKey, { ...store, customerId: customer.id });
  });
  if (!tokens) throw invalidOtp();
  return tokens;
}

type RefreshOutcome = { tokens: CustomerTokens } | { error: string };

/**
 * refreshCustomerJwt: spends the refresh token and issues the next of its family. A token already
 * spent means it was copied: its whole family is revoked (committed) before the 401, so neither
 * the thief nor the customer can continue that session.
 */
export async function refresh(deps: AuthDeps, store: AuthStore, token: string): Promise<CustomerTokens> {
  const claims = readCustomerToken(deps.customerJwtKey, token);
  if (claims?.typ !== 'refresh' || claims.storeId !== store.storeId) throw invalidRefresh();
  const outcome = await deps.db.transaction().execute(async (trx): Promise<RefreshOutcome> => {
    const spent = await q.spendRefreshToken(trx, claims.jti, store.storeId);
    if (!spent) {
      const row = await q.findRefreshToken(trx, claims.jti, store.storeId);
      if (row?.used_at && !row.revoked_at) {
        await q.revokeFamily(trx, row.family_id);
        return { error: 'This refresh token was already used; the session has been revoked' };
      }
      return { error: 'Invalid or expired refresh token' };
    }
    if (!(await q.refreshableCustomer(trx, spent.customer_id, spent.issued_at))) {
      await q.revokeFamily(trx, spent.family_id);
      return { error: 'Invalid or expired refresh token' };
    }
    const tokens = await issueCustomerTokens(trx, deps.customerJwtKey, {
      ...store,
      customerId: spent.customer_id,
      familyId: spent.family_id,
    });
    return { tokens };
  });
  if ('error' in outcome) throw invalidRefresh(outcome.error);
  return outcome.tokens;
}

/**
 * blacklistCustomerJwt: access tokens are revoked by `jti` until they expire; a tracked refresh
 * token revokes its family (and with it the family's access tokens). Tokens that are malformed,
 * expired or another store's change nothing: the answer is 204 either way.
 */
export async function blacklist(deps: AuthDeps, store: AuthStore, tokens: readonly string[]): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    for (const token of new Set(tokens)) {
      const claims = readCustomerToken(deps.customerJwtKey, token);
      if (!claims || claims.storeId !== store.storeId) continue;
      if (claims.typ === 'access') {
        await q.revokeAccessToken(trx, claims.jti, claims.expiresAt);
      } else {
        const row = await q.findRefreshToken(trx, claims.jti, store.storeId);
        if (row) await q.revokeFamily(trx, row.family_id);
      }
    }
    await q.deleteExpiredRevocations(trx);
  });
}

/**
 * Tells the customer, in the transaction that changes it, that their password changed through
 * `setCustomerPassword`. A customer access token may change the password without the old one (the
 * reference sends only `password`), so this e-mail is how the owner of the mailbox notices a change
 * they did not make; a customer token cannot change the e-mail, so a reset link still reaches them.
 */
export async function queuePasswordChangedMail(
  trx: Db,
  input: { businessId: number; storeName: string; to: string },
): Promise<void> {
  await enqueueMail(trx, {
    businessId: input.businessId,
    to: input.to,
    kind: 'customer_password_changed',
    ...passwordChangedMail({ storeName: input.storeName }),
  });
}

/** Where reset links point without a registered storefront origin: the store's page on this server. */
export function hostedStoreUrl(publicUrl: string, storeUniqueId: string): string {
  return `${publicUrl}/s/${encodeURIComponent(storeUniqueId)}`;
}

export interface PasswordResetJobPayload {
  business_id: number;
  store_id: number;
  email: string;
  /** `<origin or hosted store URL>`; the link is `<link_base>/reset-password?token=…`. */
  link_base: string;
}

/**
 * startCustomerPasswordReset: only queues the work. Whether the e-mail belongs to a customer is
 * decided by the worker, so the request does exactly the same thing (and takes the same time) for
 * known and unknown addresses.
 */
export async function startPasswordReset(
  deps: AuthDeps & { publicUrl: string },
  store: AuthStore,
  input: { email: string; origin: string | undefined },
): Promise<void> {
  const { db } = deps;
  const origin = input.origin?.trim();
  const linkBase =
    origin && (await q.isRegisteredOrigin(db, store.storeId, origin))
      ? origin
      : hostedStoreUrl(deps.publicUrl, store.storeUniqueId);
  const payload: PasswordResetJobPayload = {
    business_id: store.businessId,
    store_id: store.storeId,
    email: normalizeEmail(input.email),
    link_base: linkBase,
  };
  await enqueueJob(db, PASSWORD_RESET_JOB, payload, undefined, { maxAttempts: 5 });
}

/** A reset token: 256 random bits, URL-safe; only its SHA-256 is stored. */
export function newResetToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

/**
 * saveCustomerPassword: spends the reset token (this store's, unexpired, once), sets the password,
 * and ends every session: refresh families revoked, access tokens issued before now refused, other
 * reset links and login codes voided.
 */
export async function savePassword(
  deps: AuthDeps,
  store: AuthStore,
  input: { token: string; password: string },
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const tokenHash = sha256Hex(input.token);
  const saved = await deps.db.transaction().execute(async (trx) => {
    const reset = await q.spendPasswordReset(trx, tokenHash, store.storeId);
    if (!reset || reset.business_id !== store.businessId) return false;
    const updated = await q.setCustomerPassword(trx, reset.customer_id, reset.business_id, passwordHash);
    if (!updated) return false;
    await q.revokeCustomerRefreshTokens(trx, reset.customer_id);
    await q.spendCustomerResets(trx, reset.customer_id);
    await q.deleteCustomerOtps(trx, reset.customer_id);
    return true;
  });
  if (!saved) throw errors.notFound('This password reset link is invalid, expired or already used');
}
