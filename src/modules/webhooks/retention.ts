import { deleteInBatches } from '../../db/batches.ts';
import type { Db } from '../../db/database.ts';
import * as q from './queries.ts';

/**
 * The delivery log's retention: deliveries that succeeded before `succeededBefore` and those that
 * failed before `failedBefore` (kept longer, since they may be redelivered), with their attempts;
 * then events older than `succeededBefore` that no delivery refers to any more.
 */
export async function purgeWebhookLog(
  db: Db,
  cutoffs: { succeededBefore: Date; failedBefore: Date },
): Promise<{ webhook_deliveries: number; webhook_events: number }> {
  let deliveries = 0;
  for (const [status, before] of [
    ['succeeded', cutoffs.succeededBefore],
    ['failed', cutoffs.failedBefore],
  ] as const) {
    deliveries += await deleteInBatches((limit) => q.deleteFinishedDeliveries(db, status, before, limit));
  }
  const events = await deleteInBatches((limit) =>
    q.deleteDeliveredEvents(db, cutoffs.succeededBefore, limit),
  );
  return { webhook_deliveries: deliveries, webhook_events: events };
}
