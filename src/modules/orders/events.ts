import type { Db } from '../../db/database.ts';
import type { WebhookEventName } from '../webhooks/events.ts';
import { emitWebhookEvents } from '../webhooks/service.ts';
import { findBusinessOrders } from './business-order.ts';
import type { BusinessOrderObject } from './business-schemas.ts';
import type { MoveResult } from './status.ts';
import type { PaymentStatus } from './tables.ts';

/**
 * Emits an order change's webhook events in the transaction making the change, each carrying the
 * order as its business sees it after the change (read once, and only when an endpoint subscribes;
 * one statement when none does).
 */
export async function emitOrderEvents(
  trx: Db,
  businessId: number,
  orderId: string,
  events: readonly WebhookEventName[],
  publicUrl: string,
): Promise<void> {
  await emitWebhookEvents(trx, businessId, events, async (): Promise<BusinessOrderObject> => {
    const [found] = await findBusinessOrders(trx, businessId, [orderId], publicUrl);
    if (!found) throw new Error(`order ${orderId} vanished inside its own transaction`);
    return found;
  });
}

/**
 * The events a lifecycle move makes: its status and payment status changes, and for the payment,
 * `payment.received` when money arrived (paid or settled; it may fire twice) and `payment.failed` on
 * a conflict, as domain-notes "Webhooks" lists them.
 */
export function moveEvents(moved: MoveResult, paymentStatus: PaymentStatus): WebhookEventName[] {
  const events: WebhookEventName[] = [];
  if (moved.status) events.push('order.status_changed');
  if (moved.paymentStatus) {
    events.push('order.payment_status_changed');
    if (paymentStatus === 'paid' || paymentStatus === 'settled') events.push('payment.received');
    if (paymentStatus === 'conflict') events.push('payment.failed');
  }
  return events;
}
