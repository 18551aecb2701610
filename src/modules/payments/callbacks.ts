import { createHash, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { isUuid } from '../../lib/ids.ts';
import { applyPaymentOutcome, type OutcomeResult, type PaymentOutcome } from './outcomes.ts';
import * as q from './queries.ts';

/**
 * Compares the `x-callback-token` Xendit sends with the configured one in constant time (hashing
 * both first, so neither the content nor the length leaks through timing).
 */
export function callbackTokenMatches(sent: string | undefined, expected: string | undefined): boolean {
  if (!sent || !expected) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

export interface CallbackResult {
  matched: boolean;
  outcome: PaymentOutcome | null;
  result?: OutcomeResult;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
const asAmount = (value: unknown): string | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value.toFixed(2) : null;

/** Our attempt by the `reference_id` we sent, else by Xendit's own id for the payment. */
async function findXenditAttempt(
  db: Db,
  ourReference: string | undefined,
  theirReference: string | undefined,
) {
  if (ourReference && isUuid(ourReference)) {
    const attempt = await q.findAttemptById(db, ourReference.toLowerCase());
    if (attempt?.provider === 'xendit') return attempt;
  }
  return theirReference ? q.findAttemptByProviderReference(db, 'xendit', theirReference) : undefined;
}

/** Maps, not object literals: an event named `constructor` must not find `Object.prototype`'s. */
const PAYMENT_EVENTS = new Map<unknown, PaymentOutcome>([
  ['payment.succeeded', 'paid'],
  ['payment.failed', 'failed'],
]);

/**
 * A Payment Request API callback: `{event, business_id, created, data: {id, payment_request_id,
 * reference_id, status, amount, ...}}`. `payment.succeeded` pays the order, `payment.failed` ends
 * the attempt; other events (pending, awaiting capture) change nothing.
 */
export async function handlePaymentCallback(
  db: Db,
  body: unknown,
  publicUrl?: string,
): Promise<CallbackResult> {
  const event = asObject(body);
  const data = asObject(event.data);
  const outcome = PAYMENT_EVENTS.get(event.event) ?? (data.status === 'SUCCEEDED' ? 'paid' : undefined);
  const attempt = await findXenditAttempt(db, asString(data.reference_id), asString(data.payment_request_id));
  if (!attempt) return { matched: false, outcome: outcome ?? null };
  if (!outcome) return { matched: true, outcome: null };
  const result = await applyPaymentOutcome(db, attempt.id, outcome, {
    paidAmount: asAmount(data.amount),
    ...(publicUrl === undefined ? {} : { publicUrl }),
  });
  return { matched: true, outcome, ...(result ? { result } : {}) };
}

const INVOICE_STATUSES = new Map<unknown, PaymentOutcome>([
  ['PAID', 'paid'],
  ['SETTLED', 'settled'],
  ['EXPIRED', 'expired'],
]);

/** An Invoice callback (cards, payment links): `{id, external_id, status: PAID|SETTLED|EXPIRED, paid_amount}`. */
export async function handleInvoiceCallback(
  db: Db,
  body: unknown,
  publicUrl?: string,
): Promise<CallbackResult> {
  const invoice = asObject(body);
  const outcome = INVOICE_STATUSES.get(invoice.status);
  const attempt = await findXenditAttempt(db, asString(invoice.external_id), asString(invoice.id));
  if (!attempt) return { matched: false, outcome: outcome ?? null };
  if (!outcome) return { matched: true, outcome: null };
  const paid = asAmount(invoice.paid_amount) ?? asAmount(invoice.amount);
  const result = await applyPaymentOutcome(db, attempt.id, outcome, {
    paidAmount: paid,
    ...(publicUrl === undefined ? {} : { publicUrl }),
  });
  return { matched: true, outcome, ...(result ? { result } : {}) };
}
