import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { getCustomer } from '../customers/service.ts';
import * as q from './bulk-queries.ts';
import { findBusinessOrders } from './business-order.ts';
import type { BusinessOrderObject } from './business-schemas.ts';
import type { OrderCaller } from './business-service.ts';
import { emitOrderEvents } from './events.ts';

const orderNotFound = () => errors.notFound('Order not found');

/**
 * One change to one of the business's orders: its row locked, `change` applied, `order.updated`
 * emitted and who changed it stamped, all in one transaction; answers the order's business view.
 * A change that leaves the order's row as it was (the same tags again, a body naming the current
 * values) is not an update: no stamp, no event, so receivers are not woken for nothing.
 */
export async function editOrder(
  db: Db,
  caller: OrderCaller,
  id: string,
  publicUrl: string,
  change: (trx: Db, order: q.LockedBusinessOrder) => Promise<void>,
): Promise<BusinessOrderObject> {
  const order = await db.transaction().execute(async (trx) => {
    const found = isUuid(id)
      ? await q.lockBusinessOrder(trx, caller.businessId, id.toLowerCase())
      : undefined;
    if (!found) throw orderNotFound();
    const before = await q.orderSnapshot(trx, caller.businessId, found.id);
    await change(trx, found);
    if ((await q.orderSnapshot(trx, caller.businessId, found.id)) === before) {
      return (await findBusinessOrders(trx, caller.businessId, [found.id], publicUrl))[0];
    }
    await q.updateBusinessOrder(trx, caller.businessId, found.id, {
      last_updated_by_user_id: caller.userId,
      last_updated_at: new Date(),
    });
    await emitOrderEvents(trx, caller.businessId, found.id, ['order.updated'], publicUrl);
    const [view] = await findBusinessOrders(trx, caller.businessId, [found.id], publicUrl);
    return view;
  });
  if (!order) throw orderNotFound();
  return order;
}

/** Tags as stored: trimmed, empty ones dropped, each once (first spelling kept). */
export function cleanTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const tag of tags.map((text) => text.trim())) {
    if (tag.length === 0 || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    kept.push(tag);
  }
  return kept;
}

/** `updateOrderTags`: replaces the order's tags. */
export function updateOrderTags(db: Db, caller: OrderCaller, id: string, tags: string[], publicUrl: string) {
  return editOrder(db, caller, id, publicUrl, (trx, order) =>
    q.updateBusinessOrder(trx, caller.businessId, order.id, { tags: cleanTags(tags) }),
  );
}

/**
 * `updateOrderCustomer`: links the order to one of the business's customers and takes the
 * customer's name, e-mail and phone as the order's contact (an empty one keeps the order's).
 */
export function updateOrderCustomer(
  db: Db,
  caller: OrderCaller,
  id: string,
  customerId: number,
  publicUrl: string,
) {
  return editOrder(db, caller, id, publicUrl, async (trx, order) => {
    const customer = await getCustomer(trx, { businessId: caller.businessId }, String(customerId)).catch(
      (error: unknown) => {
        if (error instanceof ApiError && error.statusCode === 404) {
          throw errors.invalidField('customer_id', 'is not a customer of this business');
        }
        throw error;
      },
    );
    await q.updateBusinessOrder(trx, caller.businessId, order.id, {
      customer_id: customer.id,
      customer_name: customer.name,
      ...(customer.email ? { customer_email: customer.email } : {}),
      ...(customer.phone ? { customer_phone: customer.phone } : {}),
    });
  });
}
