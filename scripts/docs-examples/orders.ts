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

  // The status, label and customer routes on the journeys' two orders.
  const [newest, older] = page.data as Array<{ id: string }>;
  await r.call('changeOrderStatus', {
    body: { ids: [older!.id], status: 'confirmed', payment_status: 'paid', by: 'Rina Kusuma' },
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
