import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.ts';
import type { OrderRecord } from '../modules/orders/create.ts';
import { ensureOrderPayment } from '../modules/payments/service.ts';
import { isOpenForBuyer } from '../modules/public-orders/service.ts';
import { isEPaymentMethod } from '../providers/payments/index.ts';

/**
 * Whether the order page may offer "Bayar sekarang": an open, unpaid e-payment order. The button
 * posts to `/o/:secret_slug/pay`, which asks the payments module for the instructions.
 */
export function canCreatePayment(record: OrderRecord): boolean {
  const { order } = record;
  return isEPaymentMethod(order.payment_method) && order.payment_status === 'unpaid' && isOpenForBuyer(order);
}

/**
 * Creates (or finds: it is idempotent) the order's gateway payment. A refusal that only reflects
 * the order's state (409: payment window closed, nothing to pay) is not an error for the page: it
 * shows the order as it is. A gateway outage (503) reaches the error page, which says to retry.
 */
export async function createPayment(request: FastifyRequest, record: OrderRecord): Promise<void> {
  const { db, config } = request.server.deps;
  try {
    await ensureOrderPayment({ db, config }, record.order.store_id, record.order.secret_slug);
  } catch (error) {
    if (!(error instanceof ApiError) || error.statusCode !== 409) throw error;
  }
}
