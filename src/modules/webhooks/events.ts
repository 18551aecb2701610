import { createHmac } from 'node:crypto';

/** Every event a subscriber can receive (domain notes, "Webhooks"). */
export const WEBHOOK_EVENTS = [
  'order.created',
  'order.epayment_created',
  'order.updated',
  'order.deleted',
  'order.status_changed',
  'order.payment_status_changed',
  'order.spam_created',
  'payment.received',
  'payment.failed',
  'business.test_event',
] as const;

export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(name: string): name is WebhookEventName {
  return (WEBHOOK_EVENTS as readonly string[]).includes(name);
}

export const SIGNATURE_HEADER = 'X-Scalev-Hmac-Sha256';
/** On an installed app's deliveries: the app's `client_id`, so one receiver can serve several apps. */
export const APP_ID_HEADER = 'X-Scalev-App-Id';
export const USER_AGENT = 'Nexus-Webhooks/1.0';

export interface StoredEvent {
  event: string;
  unique_id: string;
  created_at: Date;
  payload: unknown;
}

/**
 * The bytes sent for an event: `{event, unique_id, timestamp, data}`. Built from the stored row, so
 * every attempt and every redelivery sends the same bytes (and the receiver can dedupe on
 * `unique_id`); the signature is computed over exactly these bytes.
 */
export function envelopeBody(stored: StoredEvent): Buffer {
  return Buffer.from(
    JSON.stringify({
      event: stored.event,
      unique_id: stored.unique_id,
      timestamp: stored.created_at.toISOString(),
      data: stored.payload,
    }),
    'utf8',
  );
}

/** `X-Scalev-Hmac-Sha256`: Base64(HMAC-SHA256(secret, raw body bytes)), as Scalev's receivers verify it. */
export function signWebhookBody(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * The headers of one delivery (`appId`: the client_id of the app it goes to, if any); the signature
 * is a credential's output and is never logged.
 */
export function deliveryHeaders(
  secret: string,
  body: Buffer,
  appId: string | null = null,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    [SIGNATURE_HEADER.toLowerCase()]: signWebhookBody(secret, body),
    ...(appId === null ? {} : { [APP_ID_HEADER.toLowerCase()]: appId }),
  };
}
