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
}
