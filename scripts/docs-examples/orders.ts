import { lockedOrder, moveOrder } from '../../src/modules/orders/status.ts';
import { multipart, type RecordingContext } from './recorder.ts';

/** Business orders: the orders the storefront and customer journeys placed, as the business reads them. */
export async function recordOrders(context: RecordingContext): Promise<void> {
  const { recorder: r } = context;
  const page = (await r.call('listOrders', { query: { page_size: 2 } })).json();
  await r.call('getOrder', { params: { id: page.data[0].id } });
  await recordOrderPayments(context);
  await recordAirwayBills(context);
}

/**
 * The storefront journey's bank-transfer order, confirmed as its merchant would once paid (the
 * change-status route is another group's), booked with the sandbox courier and canceled again.
 */
async function recordAirwayBills(context: RecordingContext): Promise<void> {
  const { recorder: r, db } = context;
  const all = (
    await r.call('listOrders', { query: { payment_method: 'bank_transfer' }, quiet: true })
  ).json();
  const order = all.data.find(
    (entry: { courier_service: unknown; warehouse: unknown; status: string }) =>
      entry.courier_service && entry.warehouse && entry.status === 'pending',
  );
  if (!order) throw new Error('the storefront journey placed no pending bank-transfer order to ship');
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('orders')
      .select(['id', 'business_id', 'status', 'payment_status', 'discount_code_id'])
      .where('id', '=', order.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await moveOrder(trx, lockedOrder(row), { status: 'confirmed', actor: 'business' });
  });
  await r.call('generateOrderAwb', { body: { ids: [order.id, '0192f3a0-0000-7000-8000-000000000000'] } });
  await r.call('cancelOrderAwb', { body: { ids: [order.id] } });
  await recordShipment(context, order.id);
}

/** The merchant ships the order with its own courier: receipt, raw fields, tracking entries. */
async function recordShipment(context: RecordingContext, id: string): Promise<void> {
  const { recorder: r } = context;
  await r.call('updateOrderShipmentReceipt', { params: { id }, body: { shipment_receipt: 'JP8123456789' } });
  await r.call('updateOrderShipment', {
    params: { id },
    body: { shipment_provider_code: 'ninja', courier_additional_info: 'Titip di pos satpam' },
  });
  await r.call('createOrderShipmentStatusHistory', {
    params: { id },
    body: { description: 'Paket diserahkan ke kurir', status: 'shipped', timestamp: '2026-05-04T03:00:00Z' },
  });
  await recordUploads(context, id);
}

/** The CSV uploads: the shipped order completed by a status file, then its receipt corrected. */
async function recordUploads(context: RecordingContext, id: string): Promise<void> {
  const { recorder: r } = context;
  const order = (await r.call('getOrder', { params: { id }, quiet: true })).json();
  const statusCsv = `order_id,status,shipment_receipt,day,month,year\n${order.order_id},completed,,,,\nTIDAK-ADA,completed,,,,\n`;
  await r.call('uploadOrderStatusChanges', {
    multipart: {
      ...multipart([
        { name: 'tz', data: 'Asia/Jakarta' },
        { name: 'file', filename: 'status.csv', contentType: 'text/csv', data: statusCsv },
      ]),
      example: { tz: 'Asia/Jakarta', file: statusCsv },
    },
  });
  const receiptCsv = `order_id,shipment_receipt\n${order.order_id},JP8123456790\n`;
  await r.call('uploadOrderReceipt', {
    multipart: {
      ...multipart([{ name: 'file', filename: 'resi.csv', contentType: 'text/csv', data: receiptCsv }]),
      example: { file: receiptCsv },
    },
  });
}

/** The storefront journey's virtual-account order: its payment, checks and gateway reference. */
async function recordOrderPayments(context: RecordingContext): Promise<void> {
  const { recorder: r } = context;
  const all = (await r.call('listOrders', { query: { payment_method: 'va' }, quiet: true })).json();
  const order = all.data.find((entry: { pg_reference_id: string | null }) => entry.pg_reference_id);
  if (!order) throw new Error('the storefront journey placed no virtual-account order with a payment');
  await r.call('createOrderPayment', { params: { id: order.id } });
  await r.call('checkOrderPayment', { params: { id: order.id } });
  await r.call('checkOrderSettlement', { params: { id: order.id } });
  await r.call('getOrderByPgReferenceId', { params: { pg_reference_id: order.pg_reference_id } });
  await r.call('listOrdersByPgReferenceIds', {
    query: { pg_reference_ids: `${order.pg_reference_id},pr-unknown` },
  });
}
