import type { Db } from '../../db/database.ts';
import { prepareMetaEvents, prepareSnackVideoEvents, prepareTiktokEvents } from './events.ts';
import { queueConversionEvents } from './service.ts';

/** What a Purchase event says about an order (`triggerOrderPurchase`). */
export interface PurchaseFacts {
  businessId: number;
  storeId: number;
  orderId: string;
  /** The buyer's order page: the event's source URL. */
  orderUrl: string;
  grossRevenue: string;
  customer: { email: string | null; phone: string | null; name: string };
  clientIp: string | null;
  /** SnackVideo attributes only with the ad click's id; an order without one cannot be reported there. */
  snackVideoClickId: string | null;
  variants: Array<{ variant_id: number; quantity: number }>;
  bundlePriceOptions: Array<{ bundle_price_option_id: number; quantity: number }>;
}

export interface PurchaseOutcome {
  /** Delivery jobs queued: one per pixel of the platform on the order's store (0 without one). */
  queued: number;
  event_id: string;
  skipped?: string;
}

const list = (value: string | null) => (value ? [value] : null);

/**
 * Queues the order's Purchase event to every pixel of the store on Meta, TikTok and SnackVideo
 * (Kwai), through the same preparation (normalizing and hashing the buyer's details) and delivery
 * jobs as the storefront's relay. The event id is the order's, so platforms count a repeat once.
 */
export async function queuePurchaseEvents(db: Db, facts: PurchaseFacts) {
  const eventId = `purchase-${facts.orderId}`;
  const eventTime = Math.floor(Date.now() / 1000);
  const value = Number(facts.grossRevenue);
  const origin = { clientIp: facts.clientIp, userAgent: null };
  const items = {
    variants: facts.variants.slice(0, 100),
    bundle_price_options: facts.bundlePriceOptions.slice(0, 100),
  };
  const target = { businessId: facts.businessId, storeId: facts.storeId };
  const meta = await queueConversionEvents(
    db,
    target,
    prepareMetaEvents(
      {
        event_source_url: facts.orderUrl,
        user_data: {
          em: list(facts.customer.email),
          ph: list(facts.customer.phone),
          fn: list(facts.customer.name),
        },
        events: [
          {
            event_name: 'Purchase',
            event_id: eventId,
            event_time: eventTime,
            custom_data: { value, currency: 'IDR' },
          },
        ],
        ...items,
      },
      origin,
    ),
  );
  const tiktok = await queueConversionEvents(
    db,
    target,
    prepareTiktokEvents(
      {
        event_source_url: facts.orderUrl,
        user: { email: list(facts.customer.email), phone: list(facts.customer.phone) },
        events: [
          {
            event: 'CompletePayment',
            event_id: eventId,
            event_time: eventTime,
            properties: { value, currency: 'IDR' },
          },
        ],
        ...items,
      },
      origin,
    ),
  );
  const kwai: PurchaseOutcome = facts.snackVideoClickId
    ? {
        queued: await queueConversionEvents(
          db,
          target,
          prepareSnackVideoEvents(
            {
              click_id: facts.snackVideoClickId,
              event_source_url: facts.orderUrl,
              events: [
                { event_name: 'purchase', event_time: eventTime, properties: { value, currency: 'IDR' } },
              ],
              ...items,
            },
            origin,
          ),
        ),
        event_id: eventId,
      }
    : {
        queued: 0,
        event_id: eventId,
        skipped: 'The order has no SnackVideo click id (metadata.kwai_click_id)',
      };
  return {
    meta: { queued: meta, event_id: eventId } satisfies PurchaseOutcome,
    tiktok: { queued: tiktok, event_id: eventId } satisfies PurchaseOutcome,
    kwai,
  };
}
