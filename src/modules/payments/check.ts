import { ApiError } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import {
  isEPaymentMethod,
  type PaymentProvider,
  PaymentProviderError,
  type PaymentState,
  paymentProviderFor,
  SandboxPayments,
  xenditFor,
} from '../../providers/payments/index.ts';
import { applyPaymentOutcome } from './outcomes.ts';
import * as q from './queries.ts';
import type { PaymentServiceDeps } from './service.ts';

/** `payment`: did the buyer pay (or the attempt fail)? `settlement`: did the money reach the merchant? */
export type PaymentCheck = 'payment' | 'settlement';

export interface CheckDeps extends PaymentServiceDeps {
  /** The gateway an attempt was made with; defaults to the configured one, or Xendit's for its attempts. */
  gateway?: (name: 'sandbox' | 'xendit') => PaymentProvider;
}

/**
 * `checkOrderPayment` / `checkOrderSettlement`: asks the gateway that issued the order's payment
 * what became of it and applies what it says through `applyPaymentOutcome` (the lifecycle, as a
 * callback would), so a lost callback never leaves a paid order unpaid. The gateway is asked outside
 * any transaction. A settlement check applies only `settled`; a payment check applies paid, settled,
 * failed and expired. Orders without a gateway payment (bank transfer, COD, none created yet) are
 * left as they are. False when the business has no such order.
 */
export async function checkOrderPaymentWithGateway(
  deps: CheckDeps,
  businessId: number,
  orderId: string,
  check: PaymentCheck,
): Promise<boolean> {
  if (!isUuid(orderId)) return false;
  const id = orderId.toLowerCase();
  if (!(await q.findOrderSlug(deps.db, businessId, id))) return false;
  // The active attempt, else the latest: a payment may arrive after its attempt was given up.
  const attempt =
    (await q.findActiveAttempt(deps.db, businessId, id)) ??
    (await q.findLatestAttempt(deps.db, businessId, id));
  if (!attempt?.provider_reference || !isEPaymentMethod(attempt.method)) return true;

  let state: PaymentState | undefined;
  try {
    state = await gatewayFor(deps, attempt.provider).getPayment(attempt.provider_reference, attempt.method);
  } catch (error) {
    if (error instanceof PaymentProviderError) {
      throw new ApiError(
        503,
        'service_unavailable',
        'The payment provider could not be asked; try again shortly',
        {},
        'Payment provider error',
      );
    }
    throw error;
  }
  if (!state || state.status === 'pending') return true;
  if (check === 'settlement' && state.status !== 'settled') return true;
  await applyPaymentOutcome(deps.db, attempt.id, state.status, {
    paidAmount: state.paid_amount,
    publicUrl: deps.config.publicUrl,
  });
  return true;
}

function gatewayFor(deps: CheckDeps, name: 'sandbox' | 'xendit'): PaymentProvider {
  if (deps.gateway) return deps.gateway(name);
  const configured = deps.provider ?? paymentProviderFor(deps);
  if (configured.name === name) return configured;
  // Payments made before the driver was switched are asked of the gateway that made them.
  return name === 'xendit'
    ? xenditFor(deps.config)
    : new SandboxPayments(deps.db, deps.config.publicUrl.replace(/\/+$/, ''));
}
