import { loadConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { JobContext, JobHandler, JobHandlers } from '../../jobs/worker.ts';
import { isEPaymentMethod, type PaymentProvider, xenditFor } from '../../providers/payments/index.ts';
import { PAYMENT_EXPIRY_JOB, schedulePaymentExpiry } from '../orders/deadline.ts';
import { emitOrderEvents, moveEvents } from '../orders/events.ts';
import { lockedOrder, moveOrder } from '../orders/status.ts';
import type { OrderStatus } from '../orders/tables.ts';
import { applyPaymentOutcome } from './outcomes.ts';
import * as q from './queries.ts';

export { PAYMENT_EXPIRY_JOB, schedulePaymentExpiry };
/** The periodic sweep over the payment deadline index (see `sweepOverdueOrders`). */
export const PAYMENT_EXPIRY_SWEEP_JOB = 'payments.expire_overdue';
export const PAYMENT_EXPIRY_SWEEP_MS = 60_000;

/** Orders still waiting for the buyer's money; later statuses mean the merchant took over. */
const EXPIRABLE = new Set<OrderStatus>(['draft', 'pending', 'confirmed']);
/** Paid on delivery or never paid at all: nothing to wait for. */
const NEVER_EXPIRES = new Set(['cod', 'no_payment', 'marketplace']);

export type ExpiryResult = 'canceled' | 'paid' | 'not_due' | 'not_expirable';

/**
 * Cancels an order whose payment window closed without payment and gives back its stock and its
 * discount code use (the lifecycle's give-back), in one transaction with the order row locked (a payment
 * callback racing it either lands first, and the order is paid, or after, and becomes a `conflict`
 * for the merchant). The payment status stays
 * `unpaid`: nothing was paid. `force` is the operator's `simulate --expire`, ignoring the time.
 * With `publicUrl`, the cancellation emits its webhook events in the same transaction.
 */
export async function expireUnpaidOrder(
  db: Db,
  businessId: number,
  orderId: string,
  options: { now?: Date; force?: boolean; publicUrl?: string } = {},
): Promise<ExpiryResult> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const order = await q.lockOrder(trx, businessId, orderId);
    if (order?.payment_status !== 'unpaid' || !EXPIRABLE.has(order.status)) return 'not_expirable';
    if (NEVER_EXPIRES.has(order.payment_method)) return 'not_expirable';
    if (!options.force && (!order.payment_expiration_at || order.payment_expiration_at > now))
      return 'not_due';
    const moved = await moveOrder(trx, lockedOrder(order), { status: 'canceled', actor: 'system', at: now });
    await q.closeWaitingAttempts(trx, businessId, orderId, 'expired');
    if (options.publicUrl !== undefined) {
      await emitOrderEvents(
        trx,
        businessId,
        orderId,
        moveEvents(moved, order.payment_status),
        options.publicUrl,
      );
    }
    return 'canceled';
  });
}

/**
 * Before canceling, asks the gateway about a payment still waiting: a callback may have been lost,
 * and a buyer who paid must not find the order canceled. Only Xendit has such state; the sandbox
 * applies its outcomes immediately.
 */
export async function expireOrderPayment(
  db: Db,
  businessId: number,
  orderId: string,
  gateway: (name: 'xendit') => PaymentProvider,
  now: Date = new Date(),
  publicUrl?: string,
): Promise<ExpiryResult> {
  const attempt = await q.findActiveAttempt(db, businessId, orderId);
  if (attempt?.provider === 'xendit' && attempt.provider_reference && isEPaymentMethod(attempt.method)) {
    const state = await gateway('xendit').getPayment(attempt.provider_reference, attempt.method);
    if (state?.status === 'paid' || state?.status === 'settled') {
      await applyPaymentOutcome(db, attempt.id, state.status, {
        paidAmount: state.paid_amount,
        ...(publicUrl === undefined ? {} : { publicUrl }),
      });
      return 'paid';
    }
  }
  return expireUnpaidOrder(db, businessId, orderId, {
    now,
    ...(publicUrl === undefined ? {} : { publicUrl }),
  });
}

function payloadOf(payload: unknown): { businessId: number; orderId: string } | undefined {
  const value = payload as { business_id?: unknown; order_id?: unknown } | null;
  if (typeof value?.business_id !== 'number' || typeof value.order_id !== 'string') return undefined;
  return { businessId: value.business_id, orderId: value.order_id };
}

/**
 * The `payments.expire` job; `gateway` builds the Xendit adapter only when an attempt needs it, and
 * `publicUrl` (when given) names the server so the order's webhook events carry its links.
 */
export function paymentExpiryHandler(
  gateway: (name: 'xendit') => PaymentProvider,
  publicUrl?: () => string,
): JobHandler {
  return async (payload, context) => {
    const target = payloadOf(payload);
    if (!target) {
      context.logger.warn({ job_id: context.job.id }, 'payments.expire job without business_id/order_id');
      return;
    }
    const result = await expireOrderPayment(
      context.db,
      target.businessId,
      target.orderId,
      gateway,
      new Date(),
      publicUrl?.(),
    );
    if (result === 'canceled' || result === 'paid') {
      context.logger.info({ order_id: target.orderId, result }, 'payment expiry handled');
    }
  };
}

/**
 * The safety net under the per-order expiry jobs: every order past its payment deadline that is
 * still open and unpaid (read from the deadline index, oldest first, in pages) goes through the
 * same expiry as its own job would. One order's failure (a gateway outage) is logged and skipped.
 * Returns how many were canceled (or found paid).
 */
export async function sweepOverdueOrders(
  db: Db,
  gateway: (name: 'xendit') => PaymentProvider,
  logger: JobContext['logger'],
  options: { now?: Date; pageSize?: number; publicUrl?: string } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? 200;
  let handled = 0;
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const page = await q.findOverdueOrders(db, {
      now,
      after,
      limit: pageSize,
      statuses: [...EXPIRABLE],
      neverExpire: [...NEVER_EXPIRES],
    });
    for (const order of page) {
      try {
        const result = await expireOrderPayment(
          db,
          order.business_id,
          order.id,
          gateway,
          now,
          options.publicUrl,
        );
        if (result === 'canceled' || result === 'paid') handled += 1;
      } catch (err) {
        logger.warn(
          { err, order_id: order.id },
          'overdue order could not be expired; the next sweep retries',
        );
      }
    }
    if (page.length < pageSize) return handled;
    const last = page[page.length - 1]!;
    after = { at: last.payment_expiration_at, id: last.id };
  }
}

/**
 * The payments jobs for `defaultJobHandlers`. The Xendit adapter is built from the environment only
 * when an expiring order's payment was made with Xendit (the sandbox needs no gateway call).
 */
export function paymentJobHandlers(env: Record<string, string | undefined>): JobHandlers {
  let xendit: PaymentProvider | undefined;
  let config: ReturnType<typeof loadConfig> | undefined;
  const loaded = () => {
    config ??= loadConfig(env);
    return config;
  };
  const gateway = () => {
    xendit ??= xenditFor(loaded());
    return xendit;
  };
  const publicUrl = () => loaded().publicUrl;
  return {
    [PAYMENT_EXPIRY_JOB]: paymentExpiryHandler(gateway, publicUrl),
    [PAYMENT_EXPIRY_SWEEP_JOB]: async (_payload, context) => {
      const handled = await sweepOverdueOrders(context.db, gateway, context.logger, {
        publicUrl: publicUrl(),
      });
      if (handled > 0) context.logger.info({ handled }, 'overdue unpaid orders expired by the sweep');
    },
  };
}
