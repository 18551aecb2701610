/**
 * The store's anti-spam settings, applied by checkout (docs/decisions.md, "Anti-spam settings"):
 *
 * - Form rules (`is_advanced_validation`): a customer name and a shipping address shorter than the
 *   store's minimums are 422s on those fields, which the buyer can correct.
 * - Suspicion: more orders than `max_per_phone` / `max_per_ip` from one phone / client IP within
 *   the last hour, a buyer (e-mail or phone) with an earlier probable-spam order
 *   (`is_customer_spam_filter`), or an IP with one in the last day (`is_ip_spam_filter`).
 * - What a suspicion does: `is_order_hard_filter` refuses the order (403 `order_blocked` with the
 *   store's `blocked_message`); otherwise `is_spam_filter` keeps it marked `is_probably_spam`. With
 *   neither on a suspicion would change nothing, so nothing is read.
 */
import type { Db } from '../../db/database.ts';
import { ApiError, type FieldErrors } from '../../http/errors.ts';
import * as q from './queries.ts';

export type AntiSpamSettings = Pick<
  q.CheckoutStoreRow,
  | 'is_advanced_validation'
  | 'min_name_length'
  | 'min_address_length'
  | 'max_per_phone'
  | 'max_per_ip'
  | 'blocked_message'
  | 'is_order_hard_filter'
  | 'is_customer_spam_filter'
  | 'is_ip_spam_filter'
  | 'is_spam_filter'
>;

/** The buyer as the anti-spam rules see them. */
export interface SpamBuyer {
  email: string;
  phone: string | null;
  ip: string | null;
}

/** `max_per_phone` and `max_per_ip` are per hour, as the platform's own documentation of them says. */
export const ORDER_LIMIT_WINDOW_MS = 60 * 60 * 1000;
/**
 * An IP is suspect for a day after a probable-spam order: mobile carriers share and reassign
 * addresses, so a longer memory would catch the next buyers behind it.
 */
export const SPAM_IP_WINDOW_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_BLOCKED_MESSAGE =
  'This order cannot be accepted. Please contact the store if you believe this is a mistake.';

/** Characters as a buyer sees them: trimmed, inner runs of whitespace as one, by code point. */
function visibleLength(text: string): number {
  return Array.from(text.trim().replace(/\s+/g, ' ')).length;
}

function checkMinimum(field: string, value: string | null, minimum: number, fieldErrors: FieldErrors) {
  // A blank value already has its own error; 0 means no minimum.
  if (value === null || minimum <= 0 || fieldErrors[field]) return;
  if (visibleLength(value) < minimum)
    fieldErrors[field] = [`is too short (minimum is ${minimum} characters)`];
}

/** `customer_name` must be at least `min_name_length` characters when advanced validation is on. */
export function checkNameLength(settings: AntiSpamSettings, name: string | null, fieldErrors: FieldErrors) {
  if (settings.is_advanced_validation)
    checkMinimum('customer_name', name, settings.min_name_length, fieldErrors);
}

/** The same for `shipping_address` and `min_address_length`; the caller asks only when the order ships. */
export function checkAddressLength(
  settings: AntiSpamSettings,
  address: string | null,
  fieldErrors: FieldErrors,
) {
  if (settings.is_advanced_validation)
    checkMinimum('shipping_address', address, settings.min_address_length, fieldErrors);
}

/**
 * What the database must answer for this buyer, or null when no setting needs an answer: a store
 * with the filters off (or nothing to compare) runs no extra statement.
 */
export function spamQuestion(settings: AntiSpamSettings, buyer: SpamBuyer, now: Date): q.SpamQuestion | null {
  if (!settings.is_order_hard_filter && !settings.is_spam_filter) return null;
  // A phone without digits has no key to match on.
  const phone = buyer.phone && /\d/.test(buyer.phone) ? buyer.phone : null;
  const { ip } = buyer;
  const limitSince = new Date(now.getTime() - ORDER_LIMIT_WINDOW_MS);
  const question: q.SpamQuestion = {
    phoneOrders:
      settings.max_per_phone > 0 && phone
        ? { phone, since: limitSince, limit: settings.max_per_phone }
        : null,
    ipOrders: settings.max_per_ip > 0 && ip ? { ip, since: limitSince, limit: settings.max_per_ip } : null,
    // As `createOrder` stores it.
    flaggedBuyer: settings.is_customer_spam_filter
      ? { email: buyer.email.trim().toLowerCase(), phone }
      : null,
    flaggedIp:
      settings.is_ip_spam_filter && ip ? { ip, since: new Date(now.getTime() - SPAM_IP_WINDOW_MS) } : null,
  };
  return Object.values(question).some((part) => part !== null) ? question : null;
}

/** True when the new order would pass a limit or meets an earlier probable-spam order. */
export function isSuspicious(question: q.SpamQuestion, evidence: q.SpamEvidence): boolean {
  return (
    (question.phoneOrders !== null && evidence.phoneOrders >= question.phoneOrders.limit) ||
    (question.ipOrders !== null && evidence.ipOrders >= question.ipOrders.limit) ||
    evidence.flaggedBuyer ||
    evidence.flaggedIp
  );
}

export type SpamVerdict = 'accept' | 'mark' | 'block';

export function spamVerdict(settings: AntiSpamSettings, suspicious: boolean): SpamVerdict {
  if (!suspicious) return 'accept';
  if (settings.is_order_hard_filter) return 'block';
  return settings.is_spam_filter ? 'mark' : 'accept';
}

/**
 * 403: the store will not take this order, and retrying will not change that soon. Which rule
 * matched is not said, so a spammer cannot probe the store's settings.
 */
export function orderBlockedError(settings: Pick<AntiSpamSettings, 'blocked_message'>): ApiError {
  const message = settings.blocked_message.trim() || DEFAULT_BLOCKED_MESSAGE;
  return new ApiError(403, 'order_blocked', message, {}, 'Order blocked');
}

/**
 * Screens the order inside its transaction, just before it is written, so the counts include every
 * order committed until then. Throws `orderBlockedError`; answers whether to mark it probable spam.
 */
export async function screenOrder(
  trx: Db,
  store: { businessId: number; storeId: number },
  settings: AntiSpamSettings,
  buyer: SpamBuyer,
  now = new Date(),
): Promise<boolean> {
  const question = spamQuestion(settings, buyer, now);
  if (!question) return false;
  const evidence = await q.spamEvidence(trx, store, question);
  const verdict = spamVerdict(settings, isSuspicious(question, evidence));
  if (verdict === 'block') throw orderBlockedError(settings);
  return verdict === 'mark';
}
