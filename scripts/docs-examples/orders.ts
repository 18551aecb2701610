import type { RecordingContext } from './recorder.ts';

/** Business orders: the orders the storefront and customer journeys placed, as the business reads them. */
export async function recordOrders(context: RecordingContext): Promise<void> {
  const { recorder: r } = context;
  const page = (await r.call('listOrders', { query: { page_size: 2 } })).json();
  await r.call('getOrder', { params: { id: page.data[0].id } });
  await recordOrderPayments(context);
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
