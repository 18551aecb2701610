import type { WebhooksConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { JobHandlers, WorkerLogger } from '../../jobs/worker.ts';
import { openSecret } from '../../lib/sealed.ts';
import type { ServerKeys } from '../../lib/secrets.ts';
import { nextAttemptAt } from './backoff.ts';
import { deliveryHeaders, envelopeBody } from './events.ts';
import * as q from './queries.ts';
import { WEBHOOK_JOB, WEBHOOK_JOB_ATTEMPTS, type WebhookJobPayload } from './service.ts';
import type { WebhookDeliveryStatus } from './tables.ts';
import { type AttemptOutcome, postWebhook } from './transport.ts';

export interface WebhookJobDeps {
  keys: ServerKeys;
  config: WebhooksConfig;
}

/**
 * Where a delivery goes after an attempt: any 2xx acknowledges; a refusal by the SSRF guard ends
 * it (retrying cannot change the URL or the configuration); anything else is tried again on the
 * backoff schedule while its 24-hour window lasts.
 */
function nextState(
  createdAt: Date,
  attempt: number,
  outcome: AttemptOutcome,
): { status: WebhookDeliveryStatus; nextAttemptAt: Date | null } {
  if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300)
    return { status: 'succeeded', nextAttemptAt: null };
  if (outcome.refused) return { status: 'failed', nextAttemptAt: null };
  const next = nextAttemptAt(createdAt, attempt, new Date());
  return next ? { status: 'pending', nextAttemptAt: next } : { status: 'failed', nextAttemptAt: null };
}

async function record(
  db: Db,
  job: WebhookJobPayload,
  createdAt: Date,
  outcome: AttemptOutcome,
  logger: WorkerLogger,
): Promise<void> {
  const next = nextState(createdAt, job.attempt, outcome);
  const recorded = await db.transaction().execute(async (trx) => {
    const done = await q.recordAttempt(
      trx,
      job.business_id,
      job.delivery_id,
      { attempt: job.attempt, ...outcome },
      next,
    );
    // The next attempt is a job of its own, written with the attempt that calls for it.
    if (done && next.nextAttemptAt) {
      const payload: WebhookJobPayload = { ...job, attempt: job.attempt + 1 };
      await enqueueJob(trx, WEBHOOK_JOB, payload, next.nextAttemptAt, { maxAttempts: WEBHOOK_JOB_ATTEMPTS });
    }
    return done;
  });
  if (recorded && next.status === 'failed') {
    // Ids only: the URL may carry a receiver's token, and the error may quote the receiver.
    logger.warn(
      { delivery_id: job.delivery_id, business_id: job.business_id, attempts: job.attempt },
      'webhook delivery failed for good',
    );
  }
}

/**
 * The worker side of webhooks: one job is one attempt of one delivery. A job whose attempt was
 * already recorded (its worker died before marking the job done) does nothing, so a delivery is
 * attempted at least once per scheduled attempt and recorded exactly once.
 */
export function webhookJobHandlers(deps: WebhookJobDeps): JobHandlers {
  const timeoutMs = deps.config.timeoutSeconds * 1000;
  return {
    [WEBHOOK_JOB]: async (raw, { db, signal, logger }) => {
      const job = raw as WebhookJobPayload;
      const delivery = await q.deliveryToSend(db, job.business_id, job.delivery_id);
      if (delivery?.status !== 'pending' || delivery.attempts !== job.attempt - 1) return;
      if (!delivery.is_active) {
        const why =
          delivery.oauth_client_id === null
            ? 'the endpoint was disabled'
            : "the app's installation was disabled or uninstalled, or the app stopped subscribing";
        await q.abandonDelivery(db, job.business_id, delivery.id, why);
        return;
      }
      const secret = openSecret(deps.keys.webhookSecrets, delivery.secret_ciphertext);
      if (secret === null) {
        await q.abandonDelivery(
          db,
          job.business_id,
          delivery.id,
          "the endpoint's secret cannot be read (was the server secret changed?); add the endpoint again",
        );
        return;
      }
      const body = envelopeBody({
        event: delivery.event,
        unique_id: delivery.unique_id,
        created_at: delivery.event_created_at,
        payload: delivery.payload,
      });
      const outcome = await postWebhook(
        delivery.url,
        body,
        deliveryHeaders(secret, body, delivery.oauth_client_id),
        {
          policy: deps.config,
          timeoutMs,
          signal,
        },
      );
      await record(db, job, delivery.created_at, outcome, logger);
    },
  };
}
