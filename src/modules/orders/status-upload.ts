import type { Db } from '../../db/database.ts';
import type { WebhookEventName } from '../webhooks/events.ts';
import type { AwbOrderRow } from './awb-queries.ts';
import * as q from './awb-queries.ts';
import type { OrderCaller } from './business-service.ts';
import { emitOrderEvents, moveEvents } from './events.ts';
import { canTransition } from './lifecycle.ts';
import { receiptIsBooked } from './shipment.ts';
import { WRITABLE_STATUSES } from './shipment-schemas.ts';
import { type LockedOrder, lockedOrder, moveOrder } from './status.ts';
import type { OrderStatus } from './tables.ts';
import {
  lockNamedOrders,
  readUploadBatches,
  rowDate,
  type UploadOptions,
  UploadReport,
  type UploadRow,
} from './upload-common.ts';

export interface UploadDeps {
  db: Db;
  publicUrl: string;
}

/** One order's answer in `uploadOrderStatusChanges` (the reference's `OrderChangeStatus`). */
export interface StatusChangeItem {
  id: string;
  order_id: string;
  status: string;
  payment_status: string;
  public_order_url: string;
  payment_url: string;
}

const WRITABLE = new Set<string>(WRITABLE_STATUSES);
const RECEIPT_MAX = 100;

export const orderLinks = (publicUrl: string, secretSlug: string) => {
  const url = `${publicUrl}/o/${secretSlug}`;
  return { public_order_url: url, payment_url: `${url}/pay` };
};

/**
 * `uploadOrderStatusChanges`: each row (`order_id`, `status`, `shipment_receipt`, `day`, `month`,
 * `year`) moves its order through the lifecycle as the business, stamped with the row's date in `tz`
 * (blank: the upload time), and sets its receipt unless blank or issued by a courier booking. Rows are
 * checked against the lifecycle before anything of theirs is written, so a forbidden move is that
 * row's error; the others go on. Re-running a file changes nothing more: an order already in the
 * row's status with the row's receipt is left alone (and listed). Batches of rows commit together.
 */
export async function uploadStatusChanges(
  deps: UploadDeps,
  caller: OrderCaller,
  input: NodeJS.ReadableStream,
  tz: string,
  options: UploadOptions = {},
) {
  const report = new UploadReport<StatusChangeItem>();
  const now = options.now ?? new Date();
  await readUploadBatches(
    input,
    ['order_id', 'status'],
    report,
    (rows) => writeBatch(deps, caller, rows, tz, now, report),
    options.onProgress,
  );
  return report.result();
}

interface Planned {
  row: UploadRow;
  order: AwbOrderRow;
  locked: LockedOrder;
  status: OrderStatus;
  receipt: string | null;
  at: Date;
}

async function writeBatch(
  deps: UploadDeps,
  caller: OrderCaller,
  rows: UploadRow[],
  tz: string,
  now: Date,
  report: UploadReport<StatusChangeItem>,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const orders = await lockNamedOrders(
      trx,
      caller.businessId,
      rows.map((row) => row.cell('order_id')),
    );
    const states = new Map<string, LockedOrder>();
    for (const row of rows) {
      const planned = plan(row, orders, states, tz, now, report);
      if (!planned) continue;
      const events: WebhookEventName[] = [];
      const { order, locked } = planned;
      if (planned.receipt !== null && planned.receipt !== order.shipment_receipt) {
        await q.updateOrderShipmentFields(trx, caller.businessId, order.id, {
          shipment_receipt: planned.receipt,
          last_updated_by_user_id: caller.userId,
        });
        order.shipment_receipt = planned.receipt;
        events.push('order.updated');
      }
      const moved = await moveOrder(trx, locked, {
        status: planned.status,
        actor: 'business',
        actorUserId: caller.userId,
        at: planned.at,
      });
      events.push(...moveEvents(moved, locked.paymentStatus));
      if (events.length > 0) await emitOrderEvents(trx, caller.businessId, order.id, events, deps.publicUrl);
      report.done(
        {
          id: order.id,
          order_id: order.order_id,
          status: locked.status,
          payment_status: locked.paymentStatus,
          ...orderLinks(deps.publicUrl, order.secret_slug),
        },
        events.length > 0,
      );
    }
  });
}

/** The row's change, or undefined after reporting why the row cannot be applied. */
function plan(
  row: UploadRow,
  orders: Map<string, AwbOrderRow>,
  states: Map<string, LockedOrder>,
  tz: string,
  now: Date,
  report: UploadReport<StatusChangeItem>,
): Planned | undefined {
  const reasons: string[] = [];
  const reference = row.cell('order_id');
  const order = reference ? orders.get(reference) : undefined;
  if (!reference) reasons.push('order_id is required');
  else if (!order) reasons.push(`order_id ${reference.slice(0, 64)} is not an order of this business`);
  const status = row.cell('status').toLowerCase().replace(/\s+/g, '_');
  if (!WRITABLE.has(status)) reasons.push(`status must be one of ${WRITABLE_STATUSES.join(', ')}`);
  const receipt = row.cell('shipment_receipt');
  if (receipt.length > RECEIPT_MAX) reasons.push(`shipment_receipt is longer than ${RECEIPT_MAX} characters`);
  const at = rowDate(row, tz, now);
  if (typeof at === 'string') reasons.push(at);
  if (reasons.length > 0 || !order || typeof at === 'string') {
    report.fail(row.line, reasons);
    return undefined;
  }
  // Rows of one file for the same order see the earlier rows' moves.
  const locked = states.get(order.id) ?? lockedOrder(order);
  states.set(order.id, locked);
  const target = status as OrderStatus;
  if (locked.status !== target && !canTransition('status', locked.status, target, 'business')) {
    report.fail(row.line, [`status: the order's status is ${locked.status} and cannot change to ${target}`]);
    return undefined;
  }
  // Blank keeps the receipt; one issued by a courier booking ("Request Pickup") never changes.
  const keepReceipt = receipt.length === 0 || receiptIsBooked(order);
  return { row, order, locked, status: target, receipt: keepReceipt ? null : receipt, at };
}
