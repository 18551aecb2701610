import type { Db } from '../../db/database.ts';
import { enqueueJob } from '../../jobs/queue.ts';

/** The job that cancels an order still unpaid at its payment deadline (handled by payments/expiry). */
export const PAYMENT_EXPIRY_JOB = 'payments.expire';

/**
 * Queues the order's payment expiry in the caller's transaction, so an order with a deadline never
 * exists without its expiry (order creation for every order that has one; payment creation when it
 * sets the deadline). The handler re-checks everything, so an extra job is harmless; the periodic
 * sweep over the deadline index is the safety net for one that went missing.
 */
export async function schedulePaymentExpiry(
  trx: Db,
  order: { businessId: number; orderId: string; at: Date },
): Promise<void> {
  await enqueueJob(
    trx,
    PAYMENT_EXPIRY_JOB,
    { business_id: order.businessId, order_id: order.orderId },
    order.at,
  );
}
