import { lockedOrder, moveOrder } from '../../src/modules/orders/status.ts';
import { multipart, type RecordingContext } from './recorder.ts';

/** Business orders: the orders the storefront and customer journeys placed, as the business reads them. */
export async function recordOrders(context: RecordingContext): Promise<void> {
  const { recorder: r, db, demo } = context;
  const page = (await r.call('listOrders', { query: { page_size: 2 } })).json();
  const placed = (await r.call('getOrder', { params: { id: page.data[0].id } })).json();

  // A merchant's own order of what the storefront order bought, to the same address.
  const variantId = placed.orderlines.find(
    (line: { variant: number | null }) => line.variant !== null,
  )?.variant;
  const variant = await db
    .selectFrom('variants')
    .select('unique_id')
    .where('business_id', '=', demo.business_id)
    .where('id', '=', variantId)
    .executeTakeFirstOrThrow();
  const destination = placed.destination_address;
  const created = (
    await r.call('createOrder', {
      body: {
        store_unique_id: demo.store_unique_id,
        customer_name: 'Rahmat Hidayat',
        customer_phone: '081377788899',
        customer_email: 'rahmat.hidayat@example.com',
        ordervariants: [{ variant_unique_id: variant.unique_id, quantity: 1 }],
        address: 'Jl. Cihampelas No. 160',
        location_id: destination?.location_id ?? undefined,
        postal_code: destination?.postal_code ?? undefined,
        courier_service_id: placed.courier_service?.id ?? undefined,
        shipping_cost: 18000,
        payment_method: 'bank_transfer',
        notes: 'Pesanan lewat WhatsApp',
        tags: ['whatsapp'],
        external_id: 'WA-20261201-01',
        agent_context: { app: 'crm-assistant', conversation: 'wa-8841' },
      },
    })
  ).json();
  await r.call('duplicateOrder', {
    params: { id: created.id },
    body: { payment_method: 'cod', metadata: { reason: 'Pembeli ganti ke COD' } },
  });
  const csv = [
    'external_id,store_unique_id,customer_name,customer_phone,variant_unique_id,quantity,payment_status,date',
    `ARSIP-0001,${demo.store_unique_id},Dewi Lestari,081255566677,${variant.unique_id},2,paid,2025-11-03 10:15`,
    `ARSIP-0002,${demo.store_unique_id},Agus Salim,081200011122,variant_sudah_dihapus,1,paid,2025-11-04 08:00`,
  ].join('\n');
  await r.call('uploadOrders', {
    multipart: {
      ...multipart([
        { name: 'create_type', data: 'archive' },
        { name: 'tz', data: 'Asia/Jakarta' },
        { name: 'file', filename: 'arsip-pesanan.csv', contentType: 'text/csv', data: csv },
      ]),
      example: { create_type: 'archive', tz: 'Asia/Jakarta', file: csv },
    },
  });

  await recordOrderPayments(context);
  await recordAirwayBills(context);

  // The status, label and customer routes on the journeys' two orders.
  const [newest, older] = page.data as Array<{ id: string }>;
  await r.call('changeOrderStatus', {
    body: { ids: [older!.id], status: 'closed', by: 'Rina Kusuma' },
  });
  await r.call('markOrdersNotSpam', { body: { ids: [older!.id] } });
  await r.call('updateOrderTags', { params: { id: older!.id }, body: { tags: ['grosir', 'prioritas'] } });
  await r.call('listOrderTags', { query: { search: 'gro' } });
  for (const operationId of [
    'listOrderUtmSources',
    'listOrderUtmMediums',
    'listOrderUtmCampaigns',
    'listOrderUtmContents',
    'listOrderUtmTerms',
  ]) {
    await r.call(operationId);
  }
  const customers = (await r.call('listBusinessCustomers', { query: { page_size: 1 }, quiet: true })).json();
  await r.call('updateOrderCustomer', {
    params: { id: older!.id },
    body: { customer_id: customers.data[0].id },
  });
  await r.call('getOrderStatistics', {
    query: { breakdown_date: 'day', is_breakdown_status: 'true', tz: 'Asia/Jakarta' },
  });
  await r.call('updateOrder', {
    params: { id: older!.id },
    body: { notes: 'Kirim sebelum jam 5 sore', customer_phone: '081234567899' },
  });
  await recordEngagement(context, older!.id);
  // Last: the customer journey's order, which nothing recorded later reads.
  await r.call('deleteOrders', { body: { ids: [newest!.id] } });
}

/** Chats, messages, e-mails and sending, on a merchant's order of the demo's e-book and course. */
async function recordEngagement(context: RecordingContext, orderId: string): Promise<void> {
  const { recorder: r, db, demo } = context;
  await r.call('getOrderActions', { params: { id: orderId } });
  const offers = await db
    .selectFrom('variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select(['v.unique_id', 'p.id as product_id', 'p.item_type'])
    .where('v.business_id', '=', demo.business_id)
    .where('p.item_type', 'in', ['digital', 'course'])
    .orderBy('p.id')
    .execute();
  const ebook = offers.find((offer) => offer.item_type === 'digital')!;
  const course = offers.find((offer) => offer.item_type === 'course')!;
  const chat = (
    await r.call('createProductFollowUpChat', {
      params: { product_id: ebook.product_id },
      body: {
        name: 'Kirim e-book',
        provider: 'whatsapp',
        trigger: 'after_payment',
        hours_after: 0,
        text_for_bank_transfer:
          'Halo kak {{customer_name}}, pembayaran {{order_total}} untuk pesanan {{order_id}} sudah kami terima. E-book segera kami kirim ke e-mail kakak 🙏',
      },
      quiet: true,
    })
  ).json();
  const order = (
    await r.call('createOrder', {
      body: {
        store_unique_id: demo.store_unique_id,
        customer_name: 'Sinta Maharani',
        customer_phone: '081398765432',
        customer_email: 'sinta.maharani@example.com',
        ordervariants: [
          { variant_unique_id: ebook.unique_id, quantity: 1 },
          { variant_unique_id: course.unique_id, quantity: 1 },
        ],
        payment_method: 'bank_transfer',
      },
      quiet: true,
    })
  ).json();
  const id = { id: order.id };
  await r.call('listOrderChats', { params: id });
  await r.call('getOrderChat', { params: { ...id, chat_id: chat.id } });
  await r.call('addOrderMessageHistory', { params: id, body: { follow_up_chat_id: chat.id } });
  await r.call('getOrderMessageHistory', { params: id });
  await r.call('sendDigitalProduct', { params: id });
  await r.call('sendLmsAccess', { params: id });
  await r.call('listOrderEmails', { params: id });
  await r.call('triggerOrderPurchase', { params: id });
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
