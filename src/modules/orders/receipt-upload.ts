import * as q from './awb-queries.ts';
import type { OrderCaller } from './business-service.ts';
import { emitOrderEvents } from './events.ts';
import { receiptIsBooked } from './shipment.ts';
import { orderLinks, type UploadDeps } from './status-upload.ts';
import {
  lockNamedOrders,
  readUploadBatches,
  type UploadOptions,
  UploadReport,
  type UploadRow,
} from './upload-common.ts';

/** One order's answer in `uploadOrderReceipt` (the reference's `UploadReceipt`). */
export interface ReceiptItem {
  id: string;
  order_id: string;
  public_order_url: string;
  payment_url: string;
  shipment_receipt: string | null;
}

const RECEIPT_MAX = 100;

/**
 * `uploadOrderReceipt`: each row (`order_id`, `shipment_receipt`) sets its order's receipt; the
 * status does not change. A blank receipt, an unknown order, or an order whose receipt was issued by
 * a courier booking is that row's error. Re-running a file changes nothing more.
 */
export async function uploadReceipts(
  deps: UploadDeps,
  caller: OrderCaller,
  input: NodeJS.ReadableStream,
  options: Pick<UploadOptions, 'onProgress'> = {},
) {
  const report = new UploadReport<ReceiptItem>();
  await readUploadBatches(
    input,
    ['order_id', 'shipment_receipt'],
    report,
    (rows) => writeBatch(deps, caller, rows, report),
    options.onProgress,
  );
  return report.result();
}

async function writeBatch(
  deps: UploadDeps,
  caller: OrderCaller,
  rows: UploadRow[],
  report: UploadReport<ReceiptItem>,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const orders = await lockNamedOrders(
      trx,
      caller.businessId,
      rows.map((row) => row.cell('order_id')),
    );
    for (const row of rows) {
      const reference = row.cell('order_id');
      const receipt = row.cell('shipment_receipt');
      const order = reference ? orders.get(reference) : undefined;
      const reasons: string[] = [];
      if (!reference) reasons.push('order_id is required');
      else if (!order) reasons.push(`order_id ${reference.slice(0, 64)} is not an order of this business`);
      if (!receipt) reasons.push('shipment_receipt is required');
      else if (receipt.length > RECEIPT_MAX) {
        reasons.push(`shipment_receipt is longer than ${RECEIPT_MAX} characters`);
      }
      if (order && receipt && receipt !== order.shipment_receipt && receiptIsBooked(order)) {
        reasons.push(
          'shipment_receipt: the receipt was issued by a courier booking; cancel the airway bill first',
        );
      }
      if (reasons.length > 0 || !order) {
        report.fail(row.line, reasons);
        continue;
      }
      const changed = receipt !== order.shipment_receipt;
      if (changed) {
        await q.updateOrderShipmentFields(trx, caller.businessId, order.id, {
          shipment_receipt: receipt,
          last_updated_by_user_id: caller.userId,
        });
        order.shipment_receipt = receipt;
        await emitOrderEvents(trx, caller.businessId, order.id, ['order.updated'], deps.publicUrl);
      }
      report.done(
        {
          id: order.id,
          order_id: order.order_id,
          ...orderLinks(deps.publicUrl, order.secret_slug),
          shipment_receipt: receipt,
        },
        changed,
      );
    }
  });
}
