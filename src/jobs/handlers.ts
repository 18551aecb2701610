import {
  messagingConfig,
  oauthBillingConfig,
  retentionConfig,
  shippingBookingConfig,
  webhooksConfig,
} from '../config.ts';
import type { ServerKeys } from '../lib/secrets.ts';
import { conversionJobHandlers } from '../modules/conversions/delivery.ts';
import { customerAuthJobHandlers } from '../modules/customer-auth/jobs.ts';
import { mailJobHandlers } from '../modules/mail/delivery.ts';
import {
  oauthBillingJobHandlers,
  PAYOUT_SYNC_JOB,
  PAYOUT_SYNC_MS,
  RESERVATION_EXPIRY_SWEEP_JOB,
  RESERVATION_EXPIRY_SWEEP_MS,
} from '../modules/oauth-billing/jobs.ts';
import { SHIPMENT_TRACKING_JOB, shipmentTrackingJobHandlers } from '../modules/orders/tracking.ts';
import {
  PAYMENT_EXPIRY_SWEEP_JOB,
  PAYMENT_EXPIRY_SWEEP_MS,
  paymentJobHandlers,
} from '../modules/payments/expiry.ts';
import { webhookJobHandlers } from '../modules/webhooks/delivery.ts';
import { WEBHOOK_SWEEP_JOB, WEBHOOK_SWEEP_MS, webhookSweepHandlers } from '../modules/webhooks/sweep.ts';
import { conversionsConfigFromEnv, createConversionsProvider } from '../providers/conversions/index.ts';
import { createMessagingProvider } from '../providers/messaging/index.ts';
import { createPayoutProvider, type PayoutProvider } from '../providers/payouts/index.ts';
import type { ShipmentBookingProvider } from '../providers/shipping/index.ts';
import { RETENTION_JOB, retentionJobHandlers } from './retention.ts';
import type { RecurringJob } from './schedule.ts';
import type { JobHandlers } from './worker.ts';

export interface JobRuntime {
  keys: ServerKeys;
  env: Record<string, string | undefined>;
  /** The server's booking provider, whose sandbox bookings the tracking sweep must see (`nexus worker` has none). */
  booking?: ShipmentBookingProvider;
  /** The server's payout provider (tests hand one pointed at a Xendit stub); else from `env`. */
  payouts?: PayoutProvider;
}

/** Every kind of background job this server runs; areas that queue work add their handlers here. */
export function defaultJobHandlers(runtime: JobRuntime): JobHandlers {
  return {
    ...conversionJobHandlers({
      provider: createConversionsProvider(conversionsConfigFromEnv(runtime.env)),
      keys: runtime.keys,
    }),
    ...paymentJobHandlers(runtime.env),
    ...mailJobHandlers({ provider: createMessagingProvider(messagingConfig(runtime.env)) }),
    ...customerAuthJobHandlers(),
    ...webhookJobHandlers({ keys: runtime.keys, config: webhooksConfig(runtime.env) }),
    ...webhookSweepHandlers(),
    ...retentionJobHandlers(retentionConfig(runtime.env)),
    ...shipmentTrackingJobHandlers(runtime),
    ...oauthBillingJobHandlers(
      runtime.payouts ?? createPayoutProvider(oauthBillingConfig(runtime.env).payouts),
    ),
  };
}

/**
 * The recurring jobs of `defaultJobHandlers`: the payment deadline and stranded-webhook sweeps,
 * retention, courier tracking, OAuth billing reservation expiry and payout sync (a worker queues only the kinds it has handlers for).
 */
export function defaultJobSchedules(env: Record<string, string | undefined>): RecurringJob[] {
  return [
    { kind: PAYMENT_EXPIRY_SWEEP_JOB, everyMs: PAYMENT_EXPIRY_SWEEP_MS },
    { kind: WEBHOOK_SWEEP_JOB, everyMs: WEBHOOK_SWEEP_MS },
    { kind: RETENTION_JOB, everyMs: retentionConfig(env).intervalMinutes * 60_000 },
    { kind: SHIPMENT_TRACKING_JOB, everyMs: shippingBookingConfig(env).trackingIntervalMinutes * 60_000 },
    { kind: RESERVATION_EXPIRY_SWEEP_JOB, everyMs: RESERVATION_EXPIRY_SWEEP_MS },
    { kind: PAYOUT_SYNC_JOB, everyMs: PAYOUT_SYNC_MS },
  ];
}
