import type { Db } from '../../db/database.ts';
import { isUuid } from '../../lib/ids.ts';
import {
  type CreatedShipment,
  type CreateShipmentRequest,
  type ShipmentBookingProvider,
  ShipmentError,
} from '../../providers/shipping/index.ts';
import * as q from './awb-queries.ts';
import type { OrderCaller } from './business-service.ts';
import { emitOrderEvents } from './events.ts';
import type { OrderStatus } from './tables.ts';

export interface AwbDeps {
  db: Db;
  booking: ShipmentBookingProvider;
  publicUrl: string;
  /** Told about an order's unforeseen failure (reported for that order only, never the request's). */
  onError: (orderId: string, error: unknown) => void;
}

/** `{successes: {id: receipt or message}, failures: {id: error}}`, keyed by the ids as sent. */
export interface AwbResults {
  successes: Record<string, string>;
  failures: Record<string, string>;
}

/** Orders the merchant has accepted and not yet handed over: the ones a courier is booked for. */
const BOOKABLE = new Set<OrderStatus>(['confirmed', 'in_process', 'ready']);
/** Bookings run this many at a time: a provider answers in about a second, slower under load. */
const CONCURRENCY = 5;
/**
 * No booking starts after this long into the request, so a bulk of slow answers ends well inside a
 * client's timeout; the orders left are reported as not attempted and a repeat books them.
 */
const START_BUDGET_MS = 20_000;
/** A booking still `pending` after this long lost its process: its outcome is unknown. */
const STALE_BOOKING_MS = 2 * 60_000;

const NOT_ATTEMPTED =
  'Not attempted: the courier answered slowly and the request ran out of time; send it again';
const WAITING_MESSAGE = 'Booked; the courier has not issued the airway bill number yet';

/**
 * `generateOrderAwb`: books a courier for each order through the booking provider, inline, a few at
 * a time. Per order: claim (row lock; the order must be confirmed, in process or ready, have a courier
 * service and a warehouse, and no airway bill yet), book outside any transaction, then store what the
 * provider answered, its order id first of all. An order with an airway bill is reported with it and
 * never booked again; one whose booking may have gone through (`outcomeUnknown`, or a booking whose
 * process died) is held until the merchant checks the provider and clears it (`updateOrderShipment`).
 */
export function generateOrderAwbs(deps: AwbDeps, caller: OrderCaller, ids: readonly string[]) {
  return forEachOrder(deps, ids, (id) => generateOne(deps, caller, id));
}

/** `cancelOrderAwb`: cancels each order's booking before pickup; a repeat reports it canceled. */
export function cancelOrderAwbs(deps: AwbDeps, caller: OrderCaller, ids: readonly string[]) {
  return forEachOrder(deps, ids, (id) => cancelOne(deps, caller, id));
}

type Outcome = { ok: true; message: string } | { ok: false; error: string };

async function forEachOrder(
  deps: AwbDeps,
  ids: readonly string[],
  work: (id: string) => Promise<Outcome>,
): Promise<AwbResults> {
  const results: AwbResults = { successes: {}, failures: {} };
  const queue = [...new Set(ids)];
  const startBy = Date.now() + START_BUDGET_MS;
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const outcome: Outcome =
        Date.now() > startBy
          ? { ok: false, error: NOT_ATTEMPTED }
          : await work(id).catch((error: unknown) => unexpected(deps, id, error));
      if (outcome.ok) results.successes[id] = outcome.message;
      else results.failures[id] = outcome.error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return results;
}

/** One order's unforeseen failure (a database error) is that order's, never the whole request's. */
function unexpected(deps: AwbDeps, id: string, error: unknown): Outcome {
  if (error instanceof ShipmentError) return { ok: false, error: `${error.code}: ${error.message}` };
  deps.onError(id, error);
  return { ok: false, error: 'The order could not be processed; try again' };
}

const fail = (error: string): Outcome => ({ ok: false, error });
const NOT_FOUND = fail('Order not found');

async function generateOne(deps: AwbDeps, caller: OrderCaller, id: string): Promise<Outcome> {
  if (!isUuid(id)) return NOT_FOUND;
  const orderId = id.toLowerCase();
  const claim = await deps.db.transaction().execute(async (trx) => {
    const order = await q.lockOrderForAwb(trx, caller.businessId, orderId);
    if (!order) return NOT_FOUND;
    if (order.awb_ca_status === 'created' || order.awb_ca_status === 'waiting') {
      return { ok: true as const, message: order.shipment_receipt ?? WAITING_MESSAGE };
    }
    if (order.awb_ca_status === 'pending') {
      const started = order.awb_booking_started_at?.getTime() ?? 0;
      if (!order.awb_outcome_unknown && Date.now() - started < STALE_BOOKING_MS) {
        return fail('An airway bill is being generated for this order');
      }
      return fail(
        `A booking of this order may have gone through (provider reference ${order.order_id}, key ` +
          `${order.awb_booking_key}); check the courier's dashboard, then record its receipt or mark the ` +
          'airway bill failed (updateOrderShipment) before generating again',
      );
    }
    if (!BOOKABLE.has(order.status)) {
      return fail(
        `The order's status is ${order.status}; airway bills are generated for confirmed, in_process or ready orders`,
      );
    }
    const service = order.courier_service;
    if (!service || order.warehouse_id === null) {
      return fail('The order has no courier service or warehouse to ship from');
    }
    const request = await shipmentRequest(trx, order, service, order.warehouse_id);
    if (typeof request === 'string') return fail(request);
    const attempts = order.awb_booking_attempts + 1;
    const key = `${order.id}:${attempts}`;
    await q.updateOrderAwb(trx, caller.businessId, order.id, {
      awb_status: 'pending',
      awb_ca_status: 'pending',
      awb_booking_key: key,
      awb_booking_attempts: attempts,
      awb_booking_started_at: new Date(),
      awb_outcome_unknown: false,
    });
    return { request: { ...request, idempotencyKey: key } };
  });
  if ('ok' in claim) return claim;

  const key = claim.request.idempotencyKey;
  let booked: CreatedShipment;
  try {
    booked = await deps.booking.createShipment(claim.request);
  } catch (error) {
    if (!(error instanceof ShipmentError)) throw error;
    await finish(deps, caller, orderId, key, {
      awb_status: error.outcomeUnknown ? 'pending' : 'failed',
      awb_ca_status: error.outcomeUnknown ? 'pending' : 'failed',
      awb_outcome_unknown: error.outcomeUnknown,
    });
    return fail(
      error.outcomeUnknown
        ? `${error.message}; the booking may have gone through, so it is held: check the courier's dashboard for ${claim.request.reference} before generating again`
        : `${error.code}: ${error.message}`,
    );
  }
  const awbStatus = booked.waybill ? 'created' : 'waiting';
  const stored = await finish(deps, caller, orderId, key, {
    shipment_provider_order_id: booked.providerOrderId,
    shipment_receipt: booked.waybill,
    shipment_status: booked.status,
    awb_status: awbStatus,
    awb_ca_status: awbStatus,
    // The provider is an aggregator (or the sandbox), not one of the contract's shipment providers.
    courier_aggregator_code: deps.booking.code,
    awb_outcome_unknown: false,
  });
  if (!stored) {
    // The merchant released the claim and a newer booking took the order meanwhile: say what to undo.
    return fail(
      `Booked as ${booked.providerOrderId} (${booked.waybill ?? 'no airway bill yet'}) while another booking ` +
        'took the order; cancel this one in the courier’s dashboard',
    );
  }
  return { ok: true, message: booked.waybill ?? WAITING_MESSAGE };
}

/**
 * Stores a booking's outcome while the attempt is still the order's, with its `order.updated` event;
 * false when a newer attempt has taken the order.
 */
async function finish(
  deps: AwbDeps,
  caller: OrderCaller,
  orderId: string,
  key: string,
  values: q.AwbUpdate,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const stored = await q.updateOrderAwb(
      trx,
      caller.businessId,
      orderId,
      { ...values, last_updated_by_user_id: caller.userId },
      key,
    );
    if (stored) await emitOrderEvents(trx, caller.businessId, orderId, ['order.updated'], deps.publicUrl);
    return stored;
  });
}

/** What the provider needs to book the order: pickup, recipient, the parcel's items, the service. */
async function shipmentRequest(
  trx: Db,
  order: q.AwbOrderRow,
  service: NonNullable<q.AwbOrderRow['courier_service']>,
  warehouseId: number,
): Promise<Omit<CreateShipmentRequest, 'idempotencyKey'> | string> {
  const warehouse = await q.findOrderWarehouse(trx, order.business_id, warehouseId);
  if (!warehouse) return 'The order’s warehouse no longer exists';
  const lines = (await q.findShippableLines(trx, order.business_id, order.id)).filter(
    (line) => line.item_type === 'physical',
  );
  if (lines.length === 0) return 'The order has nothing to ship';
  return {
    reference: order.order_id,
    origin: {
      name: warehouse.contact_name ?? warehouse.name,
      phone: warehouse.contact_phone ?? '',
      address: warehouse.address ?? '',
      postalCode: warehouse.postal_code ?? '',
    },
    destination: {
      name: order.customer_name,
      phone: order.customer_phone ?? '',
      email: order.customer_email,
      address: order.shipping_address ?? '',
      postalCode: order.shipping_postal_code ?? '',
    },
    items: lines.map((line) => ({
      name: line.name,
      value: Math.ceil(Number(line.unit_price)),
      quantity: line.quantity,
      weightGrams: Math.max(1, line.weight),
      sku: line.sku,
    })),
    service: { courierCode: service.courier.code, serviceCode: service.code },
    codAmount: order.payment_method === 'cod' ? Math.ceil(Number(order.gross_revenue)) : null,
    note: order.notes,
  };
}

async function cancelOne(deps: AwbDeps, caller: OrderCaller, id: string): Promise<Outcome> {
  if (!isUuid(id)) return NOT_FOUND;
  const orderId = id.toLowerCase();
  const order = await deps.db
    .transaction()
    .execute((trx) => q.lockOrderForAwb(trx, caller.businessId, orderId));
  if (!order) return NOT_FOUND;
  if (order.awb_ca_status === 'canceled') return { ok: true, message: 'The airway bill is canceled' };
  if (
    !order.shipment_provider_order_id ||
    (order.awb_ca_status !== 'created' && order.awb_ca_status !== 'waiting')
  ) {
    return fail('The order has no airway bill to cancel');
  }
  try {
    await deps.booking.cancelShipment(order.shipment_provider_order_id, 'Canceled by the merchant');
  } catch (error) {
    if (!(error instanceof ShipmentError) || error.code !== 'already_cancelled') {
      if (error instanceof ShipmentError) return fail(`${error.code}: ${error.message}`);
      throw error;
    }
  }
  // The receipt of a canceled booking is void: the order may be booked again under a new key.
  await finishCancel(deps, caller, order);
  return { ok: true, message: 'The airway bill is canceled' };
}

async function finishCancel(deps: AwbDeps, caller: OrderCaller, order: q.AwbOrderRow): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const locked = await q.lockOrderForAwb(trx, caller.businessId, order.id);
    // Another request canceled (or rebooked) it meanwhile: that request reported its own change.
    if (locked?.shipment_provider_order_id !== order.shipment_provider_order_id) return;
    if (locked.awb_ca_status === 'canceled') return;
    await q.updateOrderAwb(trx, caller.businessId, order.id, {
      awb_status: 'canceled',
      awb_ca_status: 'canceled',
      shipment_receipt: null,
      shipment_status: 'canceled',
      last_updated_by_user_id: caller.userId,
    });
    await emitOrderEvents(trx, caller.businessId, order.id, ['order.updated'], deps.publicUrl);
  });
}
