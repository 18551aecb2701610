import { type JobHandlers, PermanentJobError } from '../../jobs/worker.ts';
import type { ServerKeys } from '../../lib/secrets.ts';
import { ConversionDeliveryError, type ConversionsProvider } from '../../providers/conversions/provider.ts';
import { withItemDetails } from './items.ts';
import { decryptPixelToken, pixelTokenKey } from './pixel-tokens.ts';
import { pixelForDelivery } from './queries.ts';
import { CONVERSION_JOB, type ConversionJobPayload } from './service.ts';

export interface ConversionJobDeps {
  provider: ConversionsProvider;
  keys: ServerKeys;
}

/**
 * The worker side of the relays: reads the pixel (a pixel removed since the event was queued drops
 * it), adds catalog details, and hands the events to the conversions provider. Refusals that
 * retrying cannot fix fail the job at once; throttling and outages retry with backoff.
 */
export function conversionJobHandlers(deps: ConversionJobDeps): JobHandlers {
  const tokenKey = pixelTokenKey(deps.keys);
  return {
    [CONVERSION_JOB]: async (raw, { db, job, signal }) => {
      const payload = raw as ConversionJobPayload;
      const pixel = await pixelForDelivery(db, payload.business_id, payload.store_id, payload.pixel);
      if (!pixel) return;
      const accessToken = decryptPixelToken(tokenKey, pixel.access_token_ciphertext);
      if (accessToken === null) {
        throw new PermanentJobError(
          `the access token of ${pixel.platform} pixel ${pixel.pixel_id} cannot be read (was the server secret changed?); set it again with nexus store pixel set`,
        );
      }
      const events = await withItemDetails(
        db,
        payload.business_id,
        pixel.platform,
        payload.events,
        payload.items,
      );
      try {
        await deps.provider.deliver(
          {
            platform: pixel.platform,
            businessId: payload.business_id,
            storeId: payload.store_id,
            pixelId: pixel.pixel_id,
            accessToken,
            testEventCode: pixel.test_event_code,
            events,
            jobId: job.id,
          },
          { db, signal },
        );
      } catch (error) {
        if (error instanceof ConversionDeliveryError && !error.retryable)
          throw new PermanentJobError(error.message);
        throw error;
      }
    },
  };
}
