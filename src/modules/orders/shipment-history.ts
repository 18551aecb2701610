import type { Db } from '../../db/database.ts';
import type { WebhookEventName } from '../webhooks/events.ts';
import * as q from './awb-queries.ts';
import { moveEvents } from './events.ts';
import { canTransition } from './lifecycle.ts';
import { type LockedOrder, moveOrder } from './status.ts';
import type { OrderActor, OrderStatus, ShipmentStatusEntry } from './tables.ts';

export interface RecordedEntry {
  /** The webhook events the entry makes: `order.updated`, and the move's when the order moved. */
  events: WebhookEventName[];
  /** The status the entry asked for and the lifecycle refused (recorded only); null otherwise. */
  refused: OrderStatus | null;
}

/**
 * One entry of a parcel's journey, for the business's `createOrderShipmentStatusHistory` and the
 * courier tracking sweep alike: appended to `shipment_status_history`, and when it names the order
 * status it implies (`moveTo`), the locked order moves there if the lifecycle lets `actor` make that
 * move, stamped with the entry's time (never a future one). Asking for the status the order has is
 * no move; a move the lifecycle forbids (a late `shipped` scan of a completed order) is recorded
 * only and reported as `refused`: tracking reports what happened and must not cancel, close or rewind
 * an order. `order` is updated in place, so a caller's next entry sees the move.
 */
export async function recordShipmentEntry(
  trx: Db,
  order: LockedOrder,
  entry: ShipmentStatusEntry,
  moveTo: OrderStatus | null,
  who: { actor: OrderActor; actorUserId?: number | null },
): Promise<RecordedEntry> {
  await q.appendShipmentHistory(trx, order.businessId, order.orderId, entry);
  const events: WebhookEventName[] = ['order.updated'];
  if (moveTo === null || moveTo === order.status) return { events, refused: null };
  if (!canTransition('status', order.status, moveTo, who.actor)) return { events, refused: moveTo };
  const moved = await moveOrder(trx, order, {
    status: moveTo,
    actor: who.actor,
    actorUserId: who.actorUserId ?? null,
    at: new Date(Math.min(Date.parse(entry.timestamp), Date.now())),
  });
  events.push(...moveEvents(moved, order.paymentStatus));
  return { events, refused: null };
}
