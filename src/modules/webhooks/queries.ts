import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { WebhookDeliveryStatus } from './tables.ts';
import './tables.ts';

const MAX_ERROR_LENGTH = 1000;

const ENDPOINT_COLUMNS = [
  'id',
  'url',
  'events',
  'is_active',
  'oauth_installation_id',
  'oauth_client_id',
  'created_at',
  'updated_at',
] as const;

export async function insertEndpoint(
  db: Db,
  row: {
    businessId: number;
    url: string;
    secretCiphertext: string;
    events: string[] | null;
    app?: { installationId: number; clientId: string };
  },
) {
  return db
    .insertInto('webhook_endpoints')
    .values({
      business_id: row.businessId,
      url: row.url,
      secret_ciphertext: row.secretCiphertext,
      events: row.events,
      oauth_installation_id: row.app?.installationId ?? null,
      oauth_client_id: row.app?.clientId ?? null,
    })
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function listEndpoints(db: Db, businessId: number) {
  return db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('business_id', '=', businessId)
    .orderBy('id')
    .execute();
}

export function findEndpoint(db: Db, businessId: number, endpointId: number) {
  return db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('business_id', '=', businessId)
    .where('id', '=', endpointId)
    .executeTakeFirst();
}

/** The business's own active endpoints (no app behind them), optionally only those with this URL. */
export async function countActiveEndpoints(db: Db, businessId: number, url?: string): Promise<number> {
  let query = db
    .selectFrom('webhook_endpoints')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('business_id', '=', businessId)
    .where('is_active', '=', true)
    .where('oauth_installation_id', 'is', null);
  if (url !== undefined) query = query.where('url', '=', url);
  return (await query.executeTakeFirstOrThrow()).n;
}

/** The endpoint row through which an installed app subscribes, if it ever did. */
export function findInstallationEndpoint(db: Db, businessId: number, installationId: number) {
  return db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('business_id', '=', businessId)
    .where('oauth_installation_id', '=', installationId)
    .executeTakeFirst();
}

/** Points an app's endpoint at the app's current URL, secret and events, or switches it off. */
export function updateAppEndpoint(
  db: Db,
  businessId: number,
  endpointId: number,
  change: { url: string; secretCiphertext: string; events: string[]; isActive: true } | { isActive: false },
) {
  return db
    .updateTable('webhook_endpoints')
    .set({
      ...(change.isActive
        ? { url: change.url, secret_ciphertext: change.secretCiphertext, events: change.events }
        : {}),
      is_active: change.isActive,
      updated_at: sql<Date>`now()`,
    })
    .where('business_id', '=', businessId)
    .where('id', '=', endpointId)
    .execute();
}

export function setEndpointActive(db: Db, businessId: number, endpointId: number, active: boolean) {
  return db
    .updateTable('webhook_endpoints')
    .set({ is_active: active, updated_at: sql<Date>`now()` })
    .where('business_id', '=', businessId)
    .where('id', '=', endpointId)
    .returning(ENDPOINT_COLUMNS)
    .executeTakeFirst();
}

/** The endpoints an event goes to: active, and subscribed to it (or to every event). */
export async function subscribedEndpointIds(trx: Db, businessId: number, event: string): Promise<number[]> {
  const rows = await trx
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('business_id', '=', businessId)
    .where('is_active', '=', true)
    .where(sql<boolean>`(events is null or ${event} = any(events))`)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** The business's active endpoints with what they subscribe to (`null`: every event), by id. */
export function activeSubscriptions(trx: Db, businessId: number) {
  return trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('business_id', '=', businessId)
    .where('is_active', '=', true)
    .orderBy('id')
    .execute();
}

export function insertEvent(
  trx: Db,
  row: { businessId: number; uniqueId: string; event: string; payload: unknown },
) {
  return trx
    .insertInto('webhook_events')
    .values({
      business_id: row.businessId,
      unique_id: row.uniqueId,
      event: row.event,
      payload: JSON.stringify(row.payload),
    })
    .returning(['id', 'unique_id'])
    .executeTakeFirstOrThrow();
}

export async function insertDeliveries(
  trx: Db,
  businessId: number,
  eventId: number,
  endpointIds: number[],
  redeliveryOf: number | null = null,
): Promise<number[]> {
  const rows = await trx
    .insertInto('webhook_deliveries')
    .values(
      endpointIds.map((endpointId) => ({
        business_id: businessId,
        endpoint_id: endpointId,
        event_id: eventId,
        redelivery_of: redeliveryOf,
        next_attempt_at: sql<Date>`now()`,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** A delivery with what sending it needs: its endpoint (secret sealed) and its event. */
export function deliveryToSend(db: Db, businessId: number, deliveryId: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', (join) =>
      join.onRef('e.id', '=', 'd.endpoint_id').onRef('e.business_id', '=', 'd.business_id'),
    )
    .innerJoin('webhook_events as ev', (join) =>
      join.onRef('ev.id', '=', 'd.event_id').onRef('ev.business_id', '=', 'd.business_id'),
    )
    .select([
      'd.id',
      'd.status',
      'd.attempts',
      'd.created_at',
      'e.url',
      'e.secret_ciphertext',
      'e.is_active',
      'e.oauth_client_id',
      'ev.event',
      'ev.unique_id',
      'ev.payload',
      'ev.created_at as event_created_at',
    ])
    .where('d.business_id', '=', businessId)
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
}

export interface AttemptRecord {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  status: number | null;
  body: string | null;
  error: string | null;
}

/**
 * Records attempt `attempt` and the delivery's new state, if the delivery is still pending at the
 * attempt before (a job run twice after a worker died records once). Returns whether it did.
 */
export async function recordAttempt(
  trx: Db,
  businessId: number,
  deliveryId: number,
  attempt: AttemptRecord,
  next: { status: WebhookDeliveryStatus; nextAttemptAt: Date | null },
): Promise<boolean> {
  const error = attempt.error?.slice(0, MAX_ERROR_LENGTH) ?? null;
  const updated = await trx
    .updateTable('webhook_deliveries')
    .set({
      status: next.status,
      attempts: attempt.attempt,
      next_attempt_at: next.nextAttemptAt,
      last_attempt_at: attempt.startedAt,
      response_status: attempt.status,
      response_body: attempt.body,
      error,
      duration_ms: attempt.durationMs,
      finished_at: next.status === 'pending' ? null : sql<Date>`now()`,
    })
    .where('business_id', '=', businessId)
    .where('id', '=', deliveryId)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempt.attempt - 1)
    .returning('id')
    .executeTakeFirst();
  if (!updated) return false;
  await trx
    .insertInto('webhook_delivery_attempts')
    .values({
      business_id: businessId,
      delivery_id: deliveryId,
      attempt: attempt.attempt,
      started_at: attempt.startedAt,
      duration_ms: attempt.durationMs,
      response_status: attempt.status,
      response_body: attempt.body,
      error,
    })
    .execute();
  return true;
}

/** Ends a pending delivery that will not be attempted (its endpoint was disabled, its secret unreadable). */
/**
 * Pending deliveries whose attempt was due before `dueBefore` and that no queued or running job of
 * `jobKind` will attempt (webhooks/sweep.ts), oldest first.
 */
export function strandedDeliveries(db: Db, jobKind: string, dueBefore: Date, limit: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .select(['d.id', 'd.business_id', 'd.attempts', 'd.created_at'])
    .where('d.status', '=', 'pending')
    .where(sql<Date>`coalesce(d.next_attempt_at, d.created_at)`, '<', dueBefore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('jobs as j')
            .select(sql`1`.as('one'))
            .where('j.kind', '=', jobKind)
            .where('j.status', 'in', ['queued', 'running'])
            .where(sql<string>`j.payload->>'delivery_id'`, '=', sql<string>`d.id::text`),
        ),
      ),
    )
    .orderBy(sql`coalesce(d.next_attempt_at, d.created_at)`)
    .limit(limit)
    .execute();
}

/** Locks a delivery still pending at `attempts` attempts; false when it has moved on. */
export async function lockPendingDelivery(trx: Db, businessId: number, id: number, attempts: number) {
  const row = await trx
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('business_id', '=', businessId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempts)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function abandonDelivery(db: Db, businessId: number, deliveryId: number, error: string) {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', error, next_attempt_at: null, finished_at: sql<Date>`now()` })
    .where('business_id', '=', businessId)
    .where('id', '=', deliveryId)
    .where('status', '=', 'pending')
    .execute();
}

export interface DeliveryFilter {
  endpointId?: number | undefined;
  status?: WebhookDeliveryStatus | undefined;
  limit: number;
}

/** The delivery log, newest first. */
export function listDeliveries(db: Db, businessId: number, filter: DeliveryFilter) {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as ev', (join) =>
      join.onRef('ev.id', '=', 'd.event_id').onRef('ev.business_id', '=', 'd.business_id'),
    )
    .select([
      'd.id',
      'd.endpoint_id',
      'ev.event',
      'ev.unique_id as event_unique_id',
      'd.redelivery_of',
      'd.status',
      'd.attempts',
      'd.response_status',
      'd.response_body',
      'd.error',
      'd.duration_ms',
      'd.created_at',
      'd.last_attempt_at',
      'd.next_attempt_at',
      'd.finished_at',
    ])
    .where('d.business_id', '=', businessId)
    .orderBy('d.id', 'desc')
    .limit(filter.limit);
  if (filter.endpointId !== undefined) query = query.where('d.endpoint_id', '=', filter.endpointId);
  if (filter.status !== undefined) query = query.where('d.status', '=', filter.status);
  return query.execute();
}

export function attemptsOf(db: Db, businessId: number, deliveryIds: number[]) {
  if (deliveryIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('webhook_delivery_attempts')
    .select([
      'delivery_id',
      'attempt',
      'started_at',
      'duration_ms',
      'response_status',
      'response_body',
      'error',
    ])
    .where('business_id', '=', businessId)
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
}

export function findDelivery(db: Db, businessId: number, deliveryId: number) {
  return db
    .selectFrom('webhook_deliveries')
    .select(['id', 'endpoint_id', 'event_id', 'status'])
    .where('business_id', '=', businessId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
}

/** Retention: one batch of deliveries that ended with `status` before `before` (attempts go with them). */
export async function deleteFinishedDeliveries(
  db: Db,
  status: 'succeeded' | 'failed',
  before: Date,
  limit: number,
): Promise<number> {
  const result = await sql`
    delete from webhook_deliveries where id in (
      select id from webhook_deliveries
      where status <> 'pending' and status = ${status} and finished_at < ${before}
      order by finished_at limit ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Retention: one batch of events older than `before` that no delivery refers to any more. */
export async function deleteDeliveredEvents(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from webhook_events where id in (
      select e.id from webhook_events e
      where e.created_at < ${before}
        and not exists (select 1 from webhook_deliveries d where d.event_id = e.id)
      order by e.created_at limit ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
