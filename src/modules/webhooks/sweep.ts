import type { Db } from '../../db/database.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { JobHandlers } from '../../jobs/worker.ts';
import { RETRY_WINDOW_MS } from './backoff.ts';
import * as q from './queries.ts';
import { WEBHOOK_JOB, WEBHOOK_JOB_ATTEMPTS, type WebhookJobPayload } from './service.ts';

export const WEBHOOK_SWEEP_JOB = 'webhooks.sweep';
export const WEBHOOK_SWEEP_MS = 15 * 60_000;
/** A pending delivery whose attempt is this overdue, with no job left to make it, is stranded. */
export const STRANDED_AFTER_MS = 60 * 60_000;
const BATCH = 500;

export const STRANDED_ERROR =
  'its attempts could not be made (the worker kept failing) and its 24-hour window is over; redeliver it';

/**
 * Deliveries whose attempt job failed for good (its five infrastructure retries spent while the
 * database or the worker was away) would stay `pending` forever. The sweep gives each such delivery
 * its attempt again while the 24-hour window lasts, and ends it as failed after. A delivery that
 * still has a queued or running job is not stranded, and the attempt number guard in delivery.ts
 * records an attempt once even if an old job and the sweep's both run.
 */
export async function sweepStrandedDeliveries(db: Db, now: Date = new Date()): Promise<number> {
  const stranded = await q.strandedDeliveries(
    db,
    WEBHOOK_JOB,
    new Date(now.getTime() - STRANDED_AFTER_MS),
    BATCH,
  );
  for (const delivery of stranded) {
    await db.transaction().execute(async (trx) => {
      if (!(await q.lockPendingDelivery(trx, delivery.business_id, delivery.id, delivery.attempts))) return;
      // Its attempt is long overdue: made at once while the window lasts, never after it.
      if (now.getTime() > delivery.created_at.getTime() + RETRY_WINDOW_MS) {
        await q.abandonDelivery(trx, delivery.business_id, delivery.id, STRANDED_ERROR);
        return;
      }
      const payload: WebhookJobPayload = {
        business_id: delivery.business_id,
        delivery_id: delivery.id,
        attempt: delivery.attempts + 1,
      };
      await enqueueJob(trx, WEBHOOK_JOB, payload, now, { maxAttempts: WEBHOOK_JOB_ATTEMPTS });
    });
  }
  return stranded.length;
}

export function webhookSweepHandlers(): JobHandlers {
  return {
    [WEBHOOK_SWEEP_JOB]: async (_payload, { db }) => {
      await sweepStrandedDeliveries(db);
    },
  };
}
