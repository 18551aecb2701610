import type { Db } from '../../db/database.ts';
import { enqueueJobs } from '../../jobs/queue.ts';
import type { ConversionPlatform } from '../../providers/conversions/provider.ts';
import { type PreparedEvents, pageKind } from './events.ts';
import { pixelTargets } from './queries.ts';

export const CONVERSION_JOB = 'conversions.deliver';

/** What a delivery job carries: everything but the pixel's token, which the job reads when it runs. */
export interface ConversionJobPayload {
  platform: ConversionPlatform;
  business_id: number;
  store_id: number;
  pixel: number;
  events: Record<string, unknown>[];
  items: PreparedEvents['items'];
}

/** Conversion events are attribution hints: a day of retries is plenty, then they are dropped. */
const MAX_ATTEMPTS = 8;

/**
 * Queues prepared events for every pixel of the platform the store has for the page they come from
 * (pixels placed on `all` pages always; `home`/`checkout` pixels by the page URL). A store without
 * such a pixel accepts the events and drops them: the storefront cannot tell, and need not care.
 * One job per pixel (SnackVideo: per pixel and event, its API takes one event per call), written
 * in one statement; nothing is sent while the buyer waits.
 */
export async function queueConversionEvents(
  db: Db,
  target: { businessId: number; storeId: number },
  prepared: PreparedEvents,
): Promise<number> {
  const kind = pageKind(prepared.pageUrl);
  const pixels = (await pixelTargets(db, target.businessId, target.storeId, prepared.platform)).filter(
    (pixel) => pixel.placement === 'all' || pixel.placement === kind,
  );
  const batches =
    prepared.platform === 'snackvideo' ? prepared.events.map((event) => [event]) : [prepared.events];
  const jobs = pixels.flatMap((pixel) =>
    batches.map((events) => ({
      kind: CONVERSION_JOB,
      maxAttempts: MAX_ATTEMPTS,
      payload: {
        platform: prepared.platform,
        business_id: target.businessId,
        store_id: target.storeId,
        pixel: pixel.id,
        events,
        items: prepared.items,
      } satisfies ConversionJobPayload,
    })),
  );
  return (await enqueueJobs(db, jobs)).length;
}
