import type { RetentionConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { trimCatalogChanges } from '../db/read-model.ts';
import { deleteExpiredCarts } from '../modules/carts/service.ts';
import { purgeExpiredCustomerCredentials } from '../modules/customer-auth/retention.ts';
import { purgeIdempotencyKeys } from '../modules/orders/idempotency.ts';
import { purgeWebhookLog } from '../modules/webhooks/retention.ts';
import { purgeFinishedJobs } from './queue.ts';
import type { JobHandlers } from './worker.ts';

export const RETENTION_JOB = 'maintenance.retention';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type RetentionReport = Record<string, number>;

/**
 * Deletes what only served a moment, each after its configured period (`NEXUS_RETENTION_*`):
 * idempotency keys with the buyer data of their stored answers, finished and failed jobs, expired
 * guest carts, expired login codes, password-reset tokens and refresh tokens, and the webhook
 * delivery log's finished deliveries and the events left without any. Each kind goes
 * in bounded batches through its own module. The log of catalog changes behind the stored cards
 * (db/read-model.ts) is trimmed to its last hour: an older change only makes the cards it touched
 * render once more.
 * Returns the rows deleted per kind.
 */
export async function applyRetention(
  db: Db,
  retention: RetentionConfig,
  now: Date = new Date(),
): Promise<RetentionReport> {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const credentials = await purgeExpiredCustomerCredentials(
    db,
    ago(retention.expiredCredentialsHours * HOUR_MS),
    now,
  );
  return {
    idempotency_keys: await purgeIdempotencyKeys(db, ago(retention.idempotencyHours * HOUR_MS)),
    jobs: await purgeFinishedJobs(db, {
      doneBefore: ago(retention.finishedJobsDays * DAY_MS),
      failedBefore: ago(retention.failedJobsDays * DAY_MS),
    }),
    ...(await purgeWebhookLog(db, {
      succeededBefore: ago(retention.webhookDeliveriesDays * DAY_MS),
      failedBefore: ago(retention.failedWebhookDeliveriesDays * DAY_MS),
    })),
    carts: await deleteExpiredCarts(db, now),
    catalog_changes: await trimCatalogChanges(db, ago(HOUR_MS)),
    ...credentials,
  };
}

export function retentionJobHandlers(retention: RetentionConfig): JobHandlers {
  return {
    [RETENTION_JOB]: async (_payload, context) => {
      const report = await applyRetention(context.db, retention);
      if (Object.values(report).some((n) => n > 0)) context.logger.info(report, 'retention deleted old rows');
    },
  };
}
