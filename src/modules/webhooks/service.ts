import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { enqueueJobs } from '../../jobs/queue.ts';
import { randomString } from '../../lib/ids.ts';
import { isWebhookEvent, type WebhookEventName } from './events.ts';
import * as q from './queries.ts';
import type { WebhookDeliveryStatus } from './tables.ts';

export const WEBHOOK_JOB = 'webhooks.deliver';

/** One delivery job is one attempt: `attempt` is the attempt it makes (see delivery.ts). */
export interface WebhookJobPayload {
  business_id: number;
  delivery_id: number;
  attempt: number;
}

export interface EmittedEvent {
  unique_id: string;
  /** The deliveries queued, one per subscribed endpoint. */
  delivery_ids: number[];
}

// Infrastructure failures of a job (the database away) are retried by the worker; HTTP failures
// are not job failures (delivery.ts schedules the next attempt as a job of its own).
export const WEBHOOK_JOB_ATTEMPTS = 5;

async function queueDeliveries(
  trx: Db,
  businessId: number,
  eventId: number,
  endpointIds: number[],
  redeliveryOf: number | null = null,
): Promise<number[]> {
  const deliveryIds = await q.insertDeliveries(trx, businessId, eventId, endpointIds, redeliveryOf);
  await enqueueJobs(
    trx,
    deliveryIds.map((deliveryId) => ({
      kind: WEBHOOK_JOB,
      payload: { business_id: businessId, delivery_id: deliveryId, attempt: 1 } satisfies WebhookJobPayload,
      maxAttempts: WEBHOOK_JOB_ATTEMPTS,
    })),
  );
  return deliveryIds;
}

async function writeEvent(trx: Db, businessId: number, event: WebhookEventName, data: object) {
  return q.insertEvent(trx, {
    businessId,
    uniqueId: `event_${randomString(24)}`,
    event,
    payload: data,
  });
}

/**
 * Emits `event` for the business: call it with the transaction that makes the change the event
 * reports, so the event and its deliveries exist exactly when the change commits. Writes the
 * event and queues one delivery per active endpoint subscribed to it; an event nobody subscribes
 * to is not stored (null). `data` is the envelope's `data`, a JSON object (the order as the API
 * shows it), or a function making it, called only when someone subscribes (most businesses have no
 * endpoint, and building an order's view costs queries); it is sent as it was at emission, however
 * often it is delivered.
 */
export async function emitWebhookEvent(
  trx: Db,
  businessId: number,
  event: WebhookEventName,
  data: object | (() => Promise<object>),
): Promise<EmittedEvent | null> {
  if (!isWebhookEvent(event)) throw new Error(`unknown webhook event ${event}`);
  const endpointIds = await q.subscribedEndpointIds(trx, businessId, event);
  if (endpointIds.length === 0) return null;
  const stored = await writeEvent(trx, businessId, event, typeof data === 'function' ? await data() : data);
  return {
    unique_id: stored.unique_id,
    delivery_ids: await queueDeliveries(trx, businessId, stored.id, endpointIds),
  };
}

/**
 * Several events of one change (`order.created` and `order.spam_created`), their subscribers read in
 * one statement: what an order write costs when nobody subscribes. `data` as for `emitWebhookEvent`.
 */
export async function emitWebhookEvents(
  trx: Db,
  businessId: number,
  events: readonly WebhookEventName[],
  data: object | (() => Promise<object>),
): Promise<EmittedEvent[]> {
  if (events.length === 0) return [];
  for (const event of events) if (!isWebhookEvent(event)) throw new Error(`unknown webhook event ${event}`);
  const endpoints = await q.activeSubscriptions(trx, businessId);
  const emitted: EmittedEvent[] = [];
  let payload: object | undefined;
  for (const event of events) {
    const endpointIds = endpoints
      .filter((endpoint) => endpoint.events === null || endpoint.events.includes(event))
      .map((endpoint) => endpoint.id);
    if (endpointIds.length === 0) continue;
    payload ??= typeof data === 'function' ? await data() : data;
    const stored = await writeEvent(trx, businessId, event, payload!);
    emitted.push({
      unique_id: stored.unique_id,
      delivery_ids: await queueDeliveries(trx, businessId, stored.id, endpointIds),
    });
  }
  return emitted;
}

async function activeEndpoint(db: Db, businessId: number, endpointId: number) {
  const endpoint = await q.findEndpoint(db, businessId, endpointId);
  if (!endpoint) throw errors.notFound(`No webhook endpoint ${endpointId} in this business`);
  if (!endpoint.is_active)
    throw errors.conflict(`Webhook endpoint ${endpointId} is disabled; enable it first`);
  return endpoint;
}

/**
 * Sends `business.test_event` to one endpoint, whatever events it subscribes to: the operator asked
 * for this endpoint to be tried.
 */
export async function sendTestWebhook(db: Db, businessId: number, endpointId: number): Promise<EmittedEvent> {
  return db.transaction().execute(async (trx) => {
    const endpoint = await activeEndpoint(trx, businessId, endpointId);
    const stored = await writeEvent(trx, businessId, 'business.test_event', {
      endpoint_id: endpoint.id,
      message: 'A test event from Nexus: this endpoint receives webhooks.',
    });
    return {
      unique_id: stored.unique_id,
      delivery_ids: await queueDeliveries(trx, businessId, stored.id, [endpoint.id]),
    };
  });
}

/**
 * Sends a finished delivery's event to its endpoint again, as a new delivery with a new 24-hour
 * window (the original stays in the log as it ended). The same bytes go out: the receiver sees
 * the same `unique_id` and can tell it already has the event.
 */
export async function redeliverWebhook(db: Db, businessId: number, deliveryId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const delivery = await q.findDelivery(trx, businessId, deliveryId);
    if (!delivery) throw errors.notFound(`No webhook delivery ${deliveryId} in this business`);
    if (delivery.status === 'pending')
      throw errors.conflict(`Webhook delivery ${deliveryId} is still pending: it is retried on its own`);
    await activeEndpoint(trx, businessId, delivery.endpoint_id);
    const [id] = await queueDeliveries(
      trx,
      businessId,
      delivery.event_id,
      [delivery.endpoint_id],
      delivery.id,
    );
    return id!;
  });
}

const STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'succeeded', 'failed'];

export interface DeliveryListInput {
  endpointId?: number | undefined;
  status?: string | undefined;
  limit: number;
}

/** The delivery log, newest first, each delivery with its attempts. */
export async function listWebhookDeliveries(db: Db, businessId: number, input: DeliveryListInput) {
  const status = input.status?.trim().toLowerCase() || undefined;
  if (status !== undefined && !STATUSES.includes(status as WebhookDeliveryStatus))
    throw errors.invalidField('status', `must be one of ${STATUSES.join(', ')}`);
  const deliveries = await q.listDeliveries(db, businessId, {
    endpointId: input.endpointId,
    status: status as WebhookDeliveryStatus | undefined,
    limit: input.limit,
  });
  const attempts = await q.attemptsOf(
    db,
    businessId,
    deliveries.map((d) => d.id),
  );
  const byDelivery = new Map<number, Omit<(typeof attempts)[number], 'delivery_id'>[]>();
  for (const { delivery_id: id, ...attempt } of attempts) {
    byDelivery.set(id, [...(byDelivery.get(id) ?? []), attempt]);
  }
  return deliveries.map((delivery) => ({ ...delivery, attempt_log: byDelivery.get(delivery.id) ?? [] }));
}
export type WebhookDeliveryRecord = Awaited<ReturnType<typeof listWebhookDeliveries>>[number];
