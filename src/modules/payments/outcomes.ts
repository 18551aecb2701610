import type { Db } from '../../db/database.ts';
import { toCents } from '../../lib/money.ts';
import { emitOrderEvents, moveEvents } from '../orders/events.ts';
import { lockedOrder, moveOrder } from '../orders/status.ts';
import type { PaymentStatus } from '../orders/tables.ts';
import * as q from './queries.ts';
import { ACTIVE_ATTEMPT_STATUSES, type PaymentAttemptStatus } from './tables.ts';

/** What the gateway (a callback, a status check, the sandbox operator) says happened to a payment. */
export type PaymentOutcome = 'paid' | 'settled' | 'failed' | 'expired';

export interface OutcomeResult {
  /** False when the event was already applied (gateways deliver callbacks more than once). */
  changed: boolean;
  attemptStatus: PaymentAttemptStatus;
  orderPaymentStatus: PaymentStatus | null;
}

const WAITING = new Set<PaymentAttemptStatus>(['creating', 'pending']);
const ACTIVE = new Set<PaymentAttemptStatus>(ACTIVE_ATTEMPT_STATUSES);

/**
 * Applies a gateway event to the attempt and its order in one transaction, rows locked (order,
 * then attempt) so concurrent deliveries of the same event serialize. Rules:
 * - paid: the order becomes `paid`; `conflict` instead when the money cannot simply be kept — the
 *   order was canceled (paid after expiry), less than the order's amount arrived, or another attempt
 *   had already been paid (a double payment). Merchants resolve conflicts (refund or reinstate).
 * - settled: as paid, then `settled` (the money reached the merchant's balance).
 * - failed / expired: only the attempt changes, so the buyer can ask for a new payment; the order's
 *   own expiry (its `payment_expiration_at` job) decides when the order is canceled.
 * With `publicUrl` (the base of the order's public links), each payment status move also emits its
 * webhook events (`moveEvents`) in the same transaction.
 */
export async function applyPaymentOutcome(
  db: Db,
  attemptId: string,
  outcome: PaymentOutcome,
  details: { paidAmount?: string | null; at?: Date; publicUrl?: string } = {},
): Promise<OutcomeResult | undefined> {
  return db.transaction().execute(async (trx) => {
    // The order row first, then the attempt: the order that expiry and status changes lock in (they
    // lock the order, then close its attempts), so a callback racing them waits instead of deadlocking.
    const owner = await q.findAttemptOwner(trx, attemptId);
    if (!owner) return undefined;
    const order = await q.lockOrder(trx, owner.business_id, owner.order_id);
    if (!order) return undefined;
    const attempt = await q.lockAttempt(trx, attemptId);
    if (!attempt) return undefined;
    const unchanged = (): OutcomeResult => ({
      changed: false,
      attemptStatus: attempt.status,
      orderPaymentStatus: order.payment_status,
    });

    if (outcome === 'failed' || outcome === 'expired') {
      if (!WAITING.has(attempt.status)) return unchanged();
      await q.setAttemptStatus(trx, attempt.id, outcome);
      // Stale instructions must not stay on the order page; a new call creates fresh ones.
      if (outcome === 'failed' && order.pg_reference_id === attempt.provider_reference) {
        await q.updateOrderPayment(trx, order.business_id, order.id, { pg_payment_info: '{}' });
      }
      return { changed: true, attemptStatus: outcome, orderPaymentStatus: order.payment_status };
    }

    if (attempt.status === 'settled' || attempt.status === 'conflict') return unchanged();
    if (attempt.status === 'paid' && outcome === 'paid') return unchanged();
    const paidAmount = details.paidAmount ?? attempt.paid_amount ?? attempt.amount;
    const at = details.at ?? new Date();
    const locked = lockedOrder(order);
    const change = async (status: PaymentStatus) => {
      const moved = await moveOrder(trx, locked, { paymentStatus: status, actor: 'system', at });
      if (details.publicUrl !== undefined) {
        await emitOrderEvents(trx, order.business_id, order.id, moveEvents(moved, status), details.publicUrl);
      }
      return moved.paymentStatus;
    };

    let attemptStatus: PaymentAttemptStatus = outcome;
    if (!ACTIVE.has(attempt.status)) {
      // A payment for an attempt that had already failed or expired: another attempt may hold the slot.
      const other = await q.findActiveAttempt(trx, order.business_id, order.id);
      if (other && (other.status === 'paid' || other.status === 'settled')) attemptStatus = 'conflict';
      else await q.closeWaitingAttempts(trx, order.business_id, order.id, 'failed', attempt.id);
    }
    await q.setAttemptStatus(trx, attempt.id, attemptStatus, { paid_amount: paidAmount });

    let changed = attemptStatus !== attempt.status;
    if (order.payment_status === 'unpaid') {
      const short = toCents(paidAmount) < toCents(attempt.amount);
      if (attemptStatus === 'conflict' || order.status === 'canceled' || short) {
        changed = (await change('conflict')) || changed;
        return { changed, attemptStatus, orderPaymentStatus: 'conflict' };
      }
      await change('paid');
      if (outcome === 'settled') await change('settled');
      return { changed: true, attemptStatus, orderPaymentStatus: outcome };
    }
    if (attemptStatus === 'conflict') {
      changed = (await change('conflict')) || changed;
      return { changed, attemptStatus, orderPaymentStatus: 'conflict' };
    }
    if (order.payment_status === 'paid' && outcome === 'settled') {
      await change('settled');
      return { changed: true, attemptStatus, orderPaymentStatus: 'settled' };
    }
    return { changed, attemptStatus, orderPaymentStatus: order.payment_status };
  });
}
