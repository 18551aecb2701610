import type { ColumnType, Generated } from 'kysely';

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** A subscriber: a business's receiver URL, or an installed OAuth app's. */
export interface WebhookEndpointsTable {
  id: Generated<number>;
  business_id: number;
  url: string;
  /** Sealed with `keys.webhookSecrets` (lib/sealed.ts); never logged, shown once when created. */
  secret_ciphertext: string;
  /** The events it receives; null: every event, including ones added later. */
  events: string[] | null;
  is_active: Generated<boolean>;
  /** An installed app's subscription (webhooks/app-subscriptions.ts): its installation and client_id. */
  oauth_installation_id: number | null;
  oauth_client_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One emitted event; its `created_at` is the envelope's `timestamp`. */
export interface WebhookEventsTable {
  id: Generated<number>;
  unique_id: string;
  business_id: number;
  event: string;
  payload: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
}

/** One event to one endpoint: its status and its latest attempt's outcome (the delivery log). */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  business_id: number;
  endpoint_id: number;
  event_id: number;
  /** The delivery this one sends again (`nexus webhooks redeliver`). */
  redelivery_of: number | null;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

/** Every HTTP attempt of a delivery, as it went. */
export interface WebhookDeliveryAttemptsTable {
  id: Generated<number>;
  business_id: number;
  delivery_id: number;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
}

declare module '../../db/schema.ts' {
  interface DB {
    webhook_endpoints: WebhookEndpointsTable;
    webhook_events: WebhookEventsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  }
}
