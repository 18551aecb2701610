import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { toCents } from '../../lib/money.ts';
import {
  type CreatedPayment,
  type EPaymentMethod,
  isEPaymentMethod,
  type PaymentProvider,
  PaymentProviderError,
  paymentProviderFor,
} from '../../providers/payments/index.ts';
import { emitOrderEvents } from '../orders/events.ts';
import { findOrderBySecretSlug, type OrderRecord } from '../orders/record.ts';
import { schedulePaymentExpiry } from './expiry.ts';
import * as q from './queries.ts';

export interface PaymentServiceDeps {
  db: Db;
  config: Pick<Config, 'payments' | 'publicUrl'>;
  /** Defaults to the configured gateway. */
  provider?: PaymentProvider;
}

/** How long an e-payment stays payable when the order itself has no payment deadline. */
export const DEFAULT_PAYMENT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A concurrent call waits this long for the first caller's gateway answer (above the gateway timeout). */
const CONCURRENT_WAIT_MS = 25_000;
/** An attempt still `creating` after this long belongs to a caller that died; the next call takes over. */
const STALE_CREATING_MS = 60_000;
const POLL_MS = 100;

const orderNotFound = () => errors.notFound('Order not found');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * `POST /public/orders/{secret_slug}/payment`, and what the hosted pay page calls: makes sure an
 * e-payment order has payment instructions and returns the order with them. Idempotent: while an
 * attempt is waiting for the buyer (or paid), the same instructions come back; concurrent calls
 * create one gateway payment (the active-attempt unique index decides who creates, the others wait).
 * Orders without a gateway (bank transfer, COD) and orders no longer unpaid come back unchanged.
 * Refused (409): a canceled order, a closed payment window, an order with nothing to pay.
 */
export async function ensureOrderPayment(
  deps: PaymentServiceDeps,
  storeId: number,
  secretSlug: string,
): Promise<OrderRecord> {
  const record = await findOrderBySecretSlug(deps.db, storeId, secretSlug);
  if (!record) throw orderNotFound();
  const { order } = record;
  if (!isEPaymentMethod(order.payment_method)) return record;

  const deadline = Date.now() + CONCURRENT_WAIT_MS;
  for (;;) {
    const active = await q.findActiveAttempt(deps.db, order.business_id, order.id);
    if (active && active.status !== 'creating') return reload(deps.db, storeId, secretSlug);
    if (active) {
      const staleBefore = new Date(Date.now() - STALE_CREATING_MS);
      if (await q.takeOverStaleAttempt(deps.db, active.id, staleBefore)) {
        await createWithGateway(deps, record, active.id, active.expires_at);
        return reload(deps.db, storeId, secretSlug);
      }
      if (Date.now() > deadline)
        throw errors.conflict('The payment is still being created; try again shortly');
      await sleep(POLL_MS);
      continue;
    }

    if (order.payment_status !== 'unpaid') return record;
    if (order.status === 'canceled') throw errors.conflict('The order is canceled');
    const expiresAt = paymentDeadline(order.payment_expiration_at);
    if (!expiresAt) throw errors.conflict('The payment window of this order has closed');
    if (toCents(order.gross_revenue) <= 0n) throw errors.conflict('This order has nothing to pay');
    if (order.payment_method === 'va' && !order.sub_payment_method) {
      throw errors.conflict('The order does not name a virtual account bank');
    }

    const attemptId = randomUUID();
    const claimed = await q.insertAttempt(deps.db, {
      id: attemptId,
      business_id: order.business_id,
      order_id: order.id,
      provider: provider(deps).name,
      method: order.payment_method,
      sub_method: order.sub_payment_method,
      amount: order.gross_revenue,
      status: 'creating',
      expires_at: expiresAt,
      updated_at: new Date(),
    });
    // Lost the race to a concurrent call: go round and wait for its instructions.
    if (!claimed) continue;
    await createWithGateway(deps, record, attemptId, expiresAt);
    return reload(deps.db, storeId, secretSlug);
  }
}

/**
 * `createOrderPayment` (business): the same payment creation as the buyer's route, for the business's
 * order by its UUIDv7 id. False when the business has no such order.
 */
export async function ensureBusinessOrderPayment(
  deps: PaymentServiceDeps,
  businessId: number,
  orderId: string,
): Promise<boolean> {
  if (!isUuid(orderId)) return false;
  const order = await q.findOrderSlug(deps.db, businessId, orderId.toLowerCase());
  if (!order) return false;
  await ensureOrderPayment(deps, order.store_id, order.secret_slug);
  return true;
}

function provider(deps: PaymentServiceDeps): PaymentProvider {
  return deps.provider ?? paymentProviderFor(deps);
}

/** The order's own deadline when it has one in the future, else the default window; null if passed. */
function paymentDeadline(orderDeadline: Date | null, now = Date.now()): Date | null {
  if (!orderDeadline) return new Date(now + DEFAULT_PAYMENT_WINDOW_MS);
  return orderDeadline.getTime() > now + 60_000 ? orderDeadline : null;
}

async function reload(db: Db, storeId: number, secretSlug: string): Promise<OrderRecord> {
  const record = await findOrderBySecretSlug(db, storeId, secretSlug);
  if (!record) throw orderNotFound();
  return record;
}

/**
 * Calls the gateway outside any transaction (no row lock or pooled connection is held while it
 * answers), then stores the instructions on the attempt and the order and queues the expiry, in one
 * transaction. A gateway failure frees the order's slot so the buyer can simply try again.
 */
async function createWithGateway(
  deps: PaymentServiceDeps,
  record: OrderRecord,
  attemptId: string,
  expiresAt: Date,
): Promise<void> {
  const { order } = record;
  const orderUrl = `${deps.config.publicUrl.replace(/\/+$/, '')}/o/${order.secret_slug}`;
  let created: CreatedPayment;
  try {
    created = await provider(deps).createPayment({
      referenceId: attemptId,
      orderId: order.id,
      orderNumber: order.order_id,
      businessId: order.business_id,
      amount: order.gross_revenue,
      currency: 'IDR',
      method: order.payment_method as EPaymentMethod,
      subMethod: order.sub_payment_method,
      customer: { name: order.customer_name, email: order.customer_email, phone: order.customer_phone },
      merchantName: order.store_name,
      description: `Pesanan ${order.order_id} di ${order.store_name}`.slice(0, 255),
      expiresAt,
      successUrl: order.redirect_url ?? `${orderUrl}/success`,
      failureUrl: orderUrl,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await q.markAttemptError(deps.db, attemptId, message);
    if (error instanceof PaymentProviderError) {
      throw new ApiError(
        503,
        'service_unavailable',
        error.retryable
          ? 'The payment provider is unavailable; try again shortly'
          : 'The payment provider refused this payment',
        {},
        'Payment provider error',
      );
    }
    throw error;
  }

  await deps.db.transaction().execute(async (trx) => {
    await q.completeAttempt(trx, attemptId, {
      provider_reference: created.reference_id,
      pg_payment_info: created.pg_payment_info,
      request: created.request,
      response: created.response,
      expires_at: created.expires_at,
    });
    await q.updateOrderPayment(trx, order.business_id, order.id, {
      pg_payment_info: JSON.stringify(created.pg_payment_info),
      pg_reference_id: created.reference_id,
      epayment_provider: created.provider,
      ...(order.payment_expiration_at ? {} : { payment_expiration_at: created.expires_at }),
    });
    // An order created with a deadline has its expiry queued already; this payment sets the first one.
    if (!order.payment_expiration_at) {
      await schedulePaymentExpiry(trx, {
        businessId: order.business_id,
        orderId: order.id,
        at: created.expires_at,
      });
    }
    await emitOrderEvents(
      trx,
      order.business_id,
      order.id,
      ['order.epayment_created'],
      deps.config.publicUrl,
    );
  });
}
