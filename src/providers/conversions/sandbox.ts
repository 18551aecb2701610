import './tables.ts';
import type { ConversionDelivery, ConversionsProvider, DeliveryContext } from './provider.ts';
import { buildProviderRequest, redactedBody } from './wire.ts';

/**
 * The default provider: sends nothing and records, per delivery, the request body the live adapter
 * would have sent (credentials removed) in `conversion_sandbox_events`, which `nexus store pixel
 * events` lists.
 */
export class SandboxConversions implements ConversionsProvider {
  readonly name = 'sandbox' as const;

  async deliver(delivery: ConversionDelivery, context: DeliveryContext): Promise<void> {
    await context.db
      .insertInto('conversion_sandbox_events')
      .values({
        business_id: delivery.businessId,
        store_id: delivery.storeId,
        platform: delivery.platform,
        pixel_id: delivery.pixelId,
        test_event_code: delivery.testEventCode,
        request_body: JSON.stringify(redactedBody(buildProviderRequest(delivery))),
        job_id: delivery.jobId ?? null,
      })
      .execute();
  }
}
