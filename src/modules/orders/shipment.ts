import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import type { WebhookEventName } from '../webhooks/events.ts';
import * as q from './awb-queries.ts';
import type { BusinessOrderObject } from './business-schemas.ts';
import { getOrder, type OrderCaller } from './business-service.ts';
import { emitOrderEvents, moveEvents } from './events.ts';
import { recordShipmentEntry } from './shipment-history.ts';
import { lockedOrder, moveOrder } from './status.ts';
import type { OrderStatus } from './tables.ts';

export interface ShipmentDeps {
  db: Db;
  publicUrl: string;
}

const orderNotFound = () => errors.notFound('Order not found');

/** True when the order's receipt is the airway bill of a courier booking ("Request Pickup"). */
export function receiptIsBooked(order: Pick<q.AwbOrderRow, 'shipment_provider_order_id' | 'awb_ca_status'>) {
  return (
    order.shipment_provider_order_id !== null &&
    (order.awb_ca_status === 'created' || order.awb_ca_status === 'waiting')
  );
}

/** Runs `change` on the business's order, row locked, and emits what it reports in the same transaction. */
async function withLockedOrder(
  deps: ShipmentDeps,
  caller: OrderCaller,
  id: string,
  change: (trx: Db, order: q.AwbOrderRow) => Promise<WebhookEventName[]>,
): Promise<void> {
  if (!isUuid(id)) throw orderNotFound();
  await deps.db.transaction().execute(async (trx) => {
    const order = await q.lockOrderForAwb(trx, caller.businessId, id.toLowerCase());
    if (!order) throw orderNotFound();
    const events = await change(trx, order);
    if (events.length > 0) await emitOrderEvents(trx, caller.businessId, order.id, events, deps.publicUrl);
  });
}

export interface ShipmentPatch {
  awb_ca_status?: 'unavailable' | 'pending' | 'waiting' | 'failed' | 'created' | 'canceled';
  courier_additional_info?: string | null;
  is_shipment_completed?: boolean;
  shipment_provider_code?: 'mengantar' | 'lincah' | 'ninja' | null;
  shipment_receipt?: string | null;
}

/**
 * `updateOrderShipment`: the raw shipment fields, as given. `awb_ca_status` sets both AWB statuses
 * (one airway bill per order here) and clears a held booking, which is how a merchant who checked the
 * courier's dashboard releases it; `is_shipment_completed: true` completes the order through the
 * lifecycle (409 unless it may move to `completed`); `false` changes nothing (completion is not undone).
 */
export async function updateOrderShipment(
  deps: ShipmentDeps,
  caller: OrderCaller,
  id: string,
  patch: ShipmentPatch,
): Promise<BusinessOrderObject> {
  await withLockedOrder(deps, caller, id, async (trx, order) => {
    const events: WebhookEventName[] = [];
    const values: q.AwbUpdate & {
      courier_additional_info?: string | null;
      shipment_provider_code?: string | null;
    } = {};
    if (patch.awb_ca_status !== undefined) {
      values.awb_ca_status = patch.awb_ca_status;
      values.awb_status = patch.awb_ca_status;
      values.awb_outcome_unknown = false;
    }
    if (patch.shipment_receipt !== undefined) values.shipment_receipt = trimmed(patch.shipment_receipt);
    if (patch.courier_additional_info !== undefined) {
      values.courier_additional_info = trimmed(patch.courier_additional_info);
    }
    if (patch.shipment_provider_code !== undefined)
      values.shipment_provider_code = patch.shipment_provider_code;
    if (Object.keys(values).length > 0) {
      await q.updateOrderShipmentFields(trx, caller.businessId, order.id, {
        ...values,
        last_updated_by_user_id: caller.userId,
      });
      events.push('order.updated');
    }
    if (patch.is_shipment_completed === true) {
      const moved = await moveOrder(trx, lockedOrder(order), {
        status: 'completed',
        actor: 'business',
        actorUserId: caller.userId,
      });
      events.push(...moveEvents(moved, order.payment_status));
    }
    return events;
  });
  return getOrder(deps.db, caller, id, deps.publicUrl);
}

const trimmed = (value: string | null) => {
  const text = value?.trim() ?? '';
  return text.length > 0 ? text : null;
};

/**
 * `updateOrderShipmentReceipt`: sets the receipt (tracking number) the merchant got from the
 * courier. A receipt issued by a courier booking belongs to that booking: 409, cancel it first.
 */
export async function updateOrderShipmentReceipt(
  deps: ShipmentDeps,
  caller: OrderCaller,
  id: string,
  receipt: string,
): Promise<Record<string, never>> {
  await withLockedOrder(deps, caller, id, async (trx, order) => {
    const value = trimmed(receipt);
    if (value === null) throw errors.invalidField('shipment_receipt', 'must not be blank');
    if (value === order.shipment_receipt) return [];
    if (receiptIsBooked(order)) throw bookedReceipt();
    await q.updateOrderShipmentFields(trx, caller.businessId, order.id, {
      shipment_receipt: value,
      last_updated_by_user_id: caller.userId,
    });
    return ['order.updated'];
  });
  return {};
}

export const bookedReceipt = () =>
  errors.conflict(
    'The receipt was issued by a courier booking (generate-awb) and cannot be replaced; cancel the airway bill first',
  );

/** Shipment history statuses that move the order when the lifecycle allows it: the parcel's journey. */
const MOVING_ENTRIES = new Set<OrderStatus>(['shipped', 'completed', 'rts']);

export interface ShipmentHistoryEntry {
  description: string;
  status: Exclude<OrderStatus, 'shipped_rts'>;
  timestamp: string;
}

/**
 * `createOrderShipmentStatusHistory`: appends the entry to `shipment_status_history` and, for the
 * parcel's journey (`shipped`, `completed`, `rts`), moves the order there through the lifecycle
 * when the business may (`recordShipmentEntry`, the rule courier tracking follows too). Other
 * statuses, and journey entries the order cannot take, are recorded only.
 */
export async function createOrderShipmentStatusHistory(
  deps: ShipmentDeps,
  caller: OrderCaller,
  id: string,
  entry: ShipmentHistoryEntry,
): Promise<BusinessOrderObject> {
  await withLockedOrder(deps, caller, id, async (trx, order) => {
    const recorded = await recordShipmentEntry(
      trx,
      lockedOrder(order),
      {
        status: entry.status,
        description: entry.description.trim(),
        timestamp: new Date(entry.timestamp).toISOString(),
        timestamp_source: 'business',
      },
      MOVING_ENTRIES.has(entry.status) ? entry.status : null,
      { actor: 'business', actorUserId: caller.userId },
    );
    return recorded.events;
  });
  return getOrder(deps.db, caller, id, deps.publicUrl);
}
