import type { Static } from '@sinclair/typebox';
import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import type { WebhookEventName } from '../webhooks/events.ts';
import * as q from './bulk-queries.ts';
import type * as schemas from './bulk-schemas.ts';
import type { OrderCaller } from './business-service.ts';
import { emitOrderEvents, moveEvents } from './events.ts';
import { HOLDS_STOCK } from './lifecycle.ts';
import { giveBackHoldings, lockedOrder, moveOrder } from './status.ts';
import type { OrdersTable } from './tables.ts';

type Failure = { error_code: string; message: string };

/**
 * Runs `work` for each id in a transaction of its own, so one id's failure (not found, a move the
 * lifecycle forbids) never undoes or stops the others; the same id twice is done once. Each order's
 * row is locked by its transaction, so two bulk requests on the same orders serialize per order.
 */
async function eachOrder<T>(
  db: Db,
  ids: ReadonlyArray<string | number>,
  work: (trx: Db, id: string) => Promise<T>,
): Promise<{ done: T[]; errors: Record<string, Failure> }> {
  const done: T[] = [];
  const failures: Record<string, Failure> = {};
  const seen = new Set<string>();
  for (const given of ids) {
    const key = String(given);
    const id = key.toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    try {
      if (!isUuid(id)) throw orderNotFound();
      done.push(await db.transaction().execute((trx) => work(trx, id)));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      failures[key] = { error_code: error.code, message: error.message };
    }
  }
  return { done, errors: failures };
}

const orderNotFound = () => errors.notFound('Order not found');

async function locked(trx: Db, caller: OrderCaller, id: string): Promise<q.LockedBusinessOrder> {
  const row = await q.lockBusinessOrder(trx, caller.businessId, id);
  if (!row) throw orderNotFound();
  return row;
}

function slim(row: q.LockedBusinessOrder, publicUrl: string) {
  const orderUrl = `${publicUrl}/o/${row.secret_slug}`;
  return {
    id: row.id,
    order_id: row.order_id,
    status: row.status,
    payment_status: row.payment_status,
    is_probably_spam: row.is_probably_spam,
    public_order_url: orderUrl,
    payment_url: `${orderUrl}/pay`,
  };
}

type ChangeBody = Static<typeof schemas.ChangeOrderStatusBody>;

/** The payment details a status change may carry, as order columns; only those sent. */
function paymentDetails(body: ChangeBody): Updateable<OrdersTable> {
  const values: Updateable<OrdersTable> = {};
  if (body.transfer_time !== undefined) values.transfer_time = body.transfer_time;
  if (body.transferproof_url !== undefined) values.transferproof_url = body.transferproof_url;
  if (body.rtsproof_url !== undefined) values.rtsproof_url = body.rtsproof_url;
  if (body.payment_method !== undefined) values.payment_method = body.payment_method;
  if (body.financial_entity_id !== undefined) values.financial_entity_id = body.financial_entity_id;
  if (body.payment_account_holder !== undefined) values.payment_account_holder = body.payment_account_holder;
  if (body.payment_account_number !== undefined) values.payment_account_number = body.payment_account_number;
  return values;
}

/**
 * `changeOrderStatus`: moves each order through the lifecycle as the business (the acting member
 * and `by` recorded), with the payment details sent. An order already in the requested status is
 * reported as it is, unchanged, so a repeated request changes nothing.
 */
export async function changeOrderStatus(db: Db, caller: OrderCaller, body: ChangeBody, publicUrl: string) {
  if (body.status === undefined && body.payment_status === undefined) {
    throw errors.validation(
      { status: ['status or payment_status is required'] },
      'Send status, payment_status or both',
    );
  }
  const details = paymentDetails(body);
  const result = await eachOrder(db, body.ids, async (trx, id) => {
    const row = await locked(trx, caller, id);
    const order = lockedOrder(row);
    const moved = await moveOrder(trx, order, {
      status: body.status,
      paymentStatus: body.payment_status,
      actor: 'business',
      actorUserId: caller.userId,
      by: body.by ?? null,
    });
    const events: WebhookEventName[] = moveEvents(moved, order.paymentStatus);
    if (moved.status || moved.paymentStatus || Object.keys(details).length > 0) {
      await q.updateBusinessOrder(trx, caller.businessId, id, {
        ...details,
        last_updated_by_user_id: caller.userId,
        last_updated_at: new Date(),
      });
      if (Object.keys(details).length > 0) events.push('order.updated');
    }
    await emitOrderEvents(trx, caller.businessId, id, events, publicUrl);
    return slim({ ...row, status: order.status, payment_status: order.paymentStatus }, publicUrl);
  });
  return { data: result.done, is_paginated: false as const, errors: result.errors };
}

/** `markOrdersNotSpam`: clears the spam mark (and who set it); repeating it changes nothing. */
export async function markOrdersNotSpam(
  db: Db,
  caller: OrderCaller,
  ids: Array<string | number>,
  publicUrl: string,
) {
  const result = await eachOrder(db, ids, async (trx, id) => {
    const row = await locked(trx, caller, id);
    if (row.is_probably_spam) {
      await q.updateBusinessOrder(trx, caller.businessId, id, {
        is_probably_spam: false,
        mark_as_spam_by: null,
        last_updated_by_user_id: caller.userId,
        last_updated_at: new Date(),
      });
      await emitOrderEvents(trx, caller.businessId, id, ['order.updated'], publicUrl);
    }
    return slim({ ...row, is_probably_spam: false }, publicUrl);
  });
  return { data: result.done, is_paginated: false as const, errors: result.errors };
}

/**
 * `deleteOrders`: removes each order with its lines, history and payment attempts. An order that
 * still holds stock and a discount use (not shipped, canceled or returned) gives them back first;
 * `order.deleted` carries the order as it was. Deleting it again is "not found" for that id.
 */
export async function deleteOrders(
  db: Db,
  caller: OrderCaller,
  ids: Array<string | number>,
  publicUrl: string,
) {
  const result = await eachOrder(db, ids, async (trx, id) => {
    const row = await locked(trx, caller, id);
    await emitOrderEvents(trx, caller.businessId, id, ['order.deleted'], publicUrl);
    if (HOLDS_STOCK.has(row.status)) await giveBackHoldings(trx, lockedOrder(row));
    await q.deleteBusinessOrder(trx, caller.businessId, id);
    return { id: row.id, order_id: row.order_id };
  });
  return { data: result.done, is_paginated: false as const, errors: result.errors };
}
