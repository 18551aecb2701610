import { type Config, loadConfig, shippingBookingConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { JobHandlers, WorkerLogger } from '../../jobs/worker.ts';
import {
  type AwbStatus,
  createBookingProvider,
  ORDER_SHIPMENT_EFFECT,
  type ShipmentBookingProvider,
  ShipmentError,
  type ShipmentTracking,
} from '../../providers/shipping/index.ts';
import type { WebhookEventName } from '../webhooks/events.ts';
import { emitOrderEvents } from './events.ts';
import { recordShipmentEntry } from './shipment-history.ts';
import { lockedOrder } from './status.ts';
import * as q from './tracking-queries.ts';

export interface TrackingDeps {
  db: Db;
  booking: ShipmentBookingProvider;
  /** Names the server in the order's webhook events. */
  publicUrl: string;
  logger: WorkerLogger;
}

/** `timestamp_source` of the entries the courier reported, the ones tracking compares against. */
const COURIER = 'courier';
/** Orders asked about at a time: a provider answers in about a second, slower under load. */
const CONCURRENCY = 5;

const entryKey = (status: string, timestamp: string) => `${status}@${timestamp}`;

export type TrackingOutcome = 'updated' | 'unchanged' | 'untracked';

/**
 * Applies the courier's report on one order, in one transaction with the order row locked (a
 * business changing the order meanwhile goes first or after, never halfway): each event not yet in
 * `shipment_status_history` is recorded and moves the order as `ORDER_SHIPMENT_EFFECT` suggests when
 * the lifecycle lets the system make that move (`recordShipmentEntry`; a refused move is logged),
 * then `shipment_status`, the AWB statuses and the receipt follow the courier's current status.
 * An order canceled, rebooked or finished since it was picked is only stamped as checked.
 */
export async function applyShipmentTracking(
  deps: TrackingDeps,
  target: q.TrackedOrder,
  tracking: ShipmentTracking,
): Promise<TrackingOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await q.lockTrackedOrder(trx, target.business_id, target.id);
    if (!row) return 'untracked';
    const checkedAt = new Date();
    if (
      row.shipment_provider_order_id !== target.shipment_provider_order_id ||
      !q.TRACKED_STATUSES.includes(row.status) ||
      (row.awb_ca_status !== 'created' && row.awb_ca_status !== 'waiting')
    ) {
      await q.markShipmentChecked(trx, row.business_id, row.id, checkedAt);
      return 'untracked';
    }
    const events = new Set<WebhookEventName>();
    const order = lockedOrder(row);
    const recorded = new Set(
      row.shipment_status_history
        .filter((entry) => entry.timestamp_source === COURIER)
        .map((entry) => entryKey(entry.status, entry.timestamp)),
    );
    const history = [...tracking.history].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    for (const event of history) {
      const timestamp = event.timestamp.toISOString();
      if (recorded.has(entryKey(event.status, timestamp))) continue;
      recorded.add(entryKey(event.status, timestamp));
      const from = order.status;
      const outcome = await recordShipmentEntry(
        trx,
        order,
        { status: event.status, description: event.description, timestamp, timestamp_source: COURIER },
        ORDER_SHIPMENT_EFFECT[event.status].orderStatus,
        { actor: 'system' },
      );
      for (const name of outcome.events) events.add(name);
      if (outcome.refused) {
        deps.logger.info(
          {
            order_id: row.id,
            business_id: row.business_id,
            from,
            to: outcome.refused,
            shipment: event.status,
          },
          'courier tracking suggests a status the order lifecycle does not allow; recorded only',
        );
      }
    }
    const changes = shipmentChanges(row, tracking);
    if (Object.keys(changes).length > 0) events.add('order.updated');
    await q.markShipmentChecked(trx, row.business_id, row.id, checkedAt, changes);
    if (events.size === 0) return 'unchanged';
    await emitOrderEvents(trx, row.business_id, row.id, [...events], deps.publicUrl);
    return 'updated';
  });
}

/**
 * The order's shipment fields as the courier's current status reads them, only those that differ:
 * the AWB statuses per `ORDER_SHIPMENT_EFFECT` (`waiting` while no number is issued), the receipt
 * once the courier issues it, and cleared when the booking is canceled (a canceled AWB is void, as
 * `cancelOrderAwb` does).
 */
function shipmentChanges(row: q.TrackedOrderRow, tracking: ShipmentTracking): q.TrackingUpdate {
  const { awbStatus } = ORDER_SHIPMENT_EFFECT[tracking.status];
  const receipt = awbStatus === 'canceled' ? null : (tracking.waybill ?? row.shipment_receipt);
  const awb: AwbStatus = awbStatus === 'created' && receipt === null ? 'waiting' : awbStatus;
  const changes: q.TrackingUpdate = {};
  if (row.shipment_status !== tracking.status) changes.shipment_status = tracking.status;
  if (row.shipment_receipt !== receipt) changes.shipment_receipt = receipt;
  if (row.awb_status !== awb) changes.awb_status = awb;
  if (row.awb_ca_status !== awb) changes.awb_ca_status = awb;
  return changes;
}

export interface SweepOptions {
  /** Orders read per batch (default 100). */
  batchSize?: number;
  /** No order is started after this long into the run (default 40 s, inside the job's 60 s). */
  budgetMs?: number;
  /** Stops starting orders once aborted (the job's timeout). */
  signal?: AbortSignal;
}

export interface SweepResult {
  checked: number;
  updated: number;
  failed: number;
}

/**
 * The tracking sweep: the tracked orders of every business not checked since the run began, in
 * batches, oldest-checked first, a few at a time, each asked of the provider outside any transaction
 * and applied in its own (`applyShipmentTracking`). A provider or database failure is that order's
 * alone: logged, the order stamped as checked (so a failing order cannot hold the head of the queue),
 * and the batch goes on. Orders left when the budget runs out wait for the next run, first in line.
 */
export async function sweepShipmentTracking(
  deps: TrackingDeps,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 100;
  const startedAt = new Date();
  const stopAt = startedAt.getTime() + (options.budgetMs ?? 40_000);
  const stopped = () => options.signal?.aborted === true || Date.now() > stopAt;
  const result: SweepResult = { checked: 0, updated: 0, failed: 0 };
  while (!stopped()) {
    const batch = await q.findTrackedOrders(deps.db, { checkedBefore: startedAt, limit: batchSize });
    const queue = [...batch];
    const worker = async () => {
      for (let order = queue.shift(); order && !stopped(); order = queue.shift()) {
        const outcome = await trackOne(deps, order);
        result.checked += 1;
        if (outcome === 'updated') result.updated += 1;
        if (outcome === 'failed') result.failed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
    if (batch.length < batchSize) break;
  }
  return result;
}

async function trackOne(deps: TrackingDeps, order: q.TrackedOrder): Promise<TrackingOutcome | 'failed'> {
  try {
    const tracking = await deps.booking.tracking({ providerOrderId: order.shipment_provider_order_id! });
    return await applyShipmentTracking(deps, order, tracking);
  } catch (err) {
    const about = { order_id: order.id, business_id: order.business_id };
    if (err instanceof ShipmentError) {
      deps.logger.warn(
        { ...about, code: err.code, error: err.message },
        'courier tracking failed for an order',
      );
    } else {
      deps.logger.error({ ...about, err }, 'applying courier tracking failed for an order');
    }
    await q
      .markShipmentChecked(deps.db, order.business_id, order.id, new Date())
      .catch((stampErr: unknown) =>
        deps.logger.error({ ...about, err: stampErr }, 'stamping a tracked order failed'),
      );
    return 'failed';
  }
}

/** The recurring tracking sweep (`NEXUS_SHIPPING_TRACKING_INTERVAL_MINUTES`, 30 by default). */
export const SHIPMENT_TRACKING_JOB = 'orders.track_shipments';

/**
 * The tracking job for `defaultJobHandlers`. `booking` is the app's own provider when the worker
 * runs inside the server: the sandbox keeps its bookings in that instance's memory, so only it can
 * answer for them. A worker without it (`nexus worker`) tracks only with a real provider, built from
 * the environment; on the sandbox it leaves the job to the server's worker.
 */
export function shipmentTrackingJobHandlers(runtime: {
  env: Record<string, string | undefined>;
  booking?: ShipmentBookingProvider;
}): JobHandlers {
  if (!runtime.booking && shippingBookingConfig(runtime.env).driver === 'sandbox') return {};
  let config: Config | undefined;
  let booking = runtime.booking;
  const loaded = () => {
    config ??= loadConfig(runtime.env);
    return config;
  };
  return {
    [SHIPMENT_TRACKING_JOB]: async (_payload, context) => {
      booking ??= createBookingProvider(loaded());
      const result = await sweepShipmentTracking(
        { db: context.db, booking, publicUrl: loaded().publicUrl, logger: context.logger },
        { signal: context.signal },
      );
      if (result.checked > 0) context.logger.info({ ...result }, 'courier tracking sweep ran');
    },
  };
}
