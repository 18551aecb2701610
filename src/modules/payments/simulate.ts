import type { Db } from '../../db/database.ts';
import { SandboxPayments } from '../../providers/payments/sandbox.ts';
import { expireUnpaidOrder } from './expiry.ts';
import { applyPaymentOutcome } from './outcomes.ts';
import * as q from './queries.ts';

export type SimulatedEvent = 'paid' | 'settle' | 'expire';

export class SimulationError extends Error {}

export interface SimulationResult {
  order: { id: string; order_id: string; status: string; payment_status: string };
  payment: { reference_id: string; status: string } | null;
  changed: boolean;
}

/**
 * The sandbox operator's lever (`nexus payments simulate`): what a buyer paying, the gateway
 * settling, or the payment window closing would do to an order, through the same code the Xendit
 * callbacks and the expiry job use. Paying and settling need the order's sandbox payment (created
 * by the payment route); expiring works for any unpaid order and cancels it, releasing its stock.
 */
export async function simulatePayment(
  db: Db,
  publicUrl: string,
  input: { order: string; businessId: number | null; event: SimulatedEvent },
): Promise<SimulationResult> {
  const reference = input.order.trim();
  if (reference.length === 0 || reference.length > 100) throw new SimulationError('Give an order reference');
  const orders = await q.findOrdersForOperator(db, reference, input.businessId);
  if (orders.length === 0) throw new SimulationError(`No order ${reference}`);
  if (orders.length > 1) {
    throw new SimulationError(`Several businesses have an order ${reference}; add --business <unique_id>`);
  }
  const order = orders[0]!;
  const sandbox = new SandboxPayments(db, publicUrl);
  const attempt = await q.findLatestAttempt(db, order.business_id, order.id);
  if (attempt && attempt.provider !== 'sandbox') {
    throw new SimulationError(
      `The payment of order ${order.order_id} was made with ${attempt.provider}, not the sandbox`,
    );
  }

  let changed = false;
  if (input.event === 'expire') {
    if (attempt?.provider_reference) await sandbox.setStatus(attempt.provider_reference, 'EXPIRED');
    if (attempt)
      changed = (await applyPaymentOutcome(db, attempt.id, 'expired', { publicUrl }))?.changed ?? false;
    changed =
      (await expireUnpaidOrder(db, order.business_id, order.id, { force: true, publicUrl })) === 'canceled' ||
      changed;
  } else {
    if (!attempt?.provider_reference) {
      throw new SimulationError(
        `Order ${order.order_id} has no sandbox payment; create it first (POST …/public/orders/{secret_slug}/payment)`,
      );
    }
    const settle = input.event === 'settle';
    await sandbox.setStatus(attempt.provider_reference, settle ? 'SETTLED' : 'SUCCEEDED');
    const result = await applyPaymentOutcome(db, attempt.id, settle ? 'settled' : 'paid', {
      paidAmount: attempt.amount,
      publicUrl,
    });
    changed = result?.changed ?? false;
  }

  const after = await db
    .selectFrom('orders')
    .select(['id', 'order_id', 'status', 'payment_status'])
    .where('business_id', '=', order.business_id)
    .where('id', '=', order.id)
    .executeTakeFirstOrThrow();
  const latest = await q.findLatestAttempt(db, order.business_id, order.id);
  return {
    order: after,
    payment: latest?.provider_reference
      ? { reference_id: latest.provider_reference, status: latest.status }
      : null,
    changed,
  };
}
