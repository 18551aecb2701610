import type { RecordingContext } from './recorder.ts';

/** Business orders: the orders the storefront and customer journeys placed, as the business reads them. */
export async function recordOrders(context: RecordingContext): Promise<void> {
  const { recorder: r } = context;
  const page = (await r.call('listOrders', { query: { page_size: 2 } })).json();
  const [newest, older] = page.data as Array<{ id: string }>;
  await r.call('getOrder', { params: { id: older!.id } });
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
  // Last: the customer journey's order, which nothing recorded later reads.
  await r.call('deleteOrders', { body: { ids: [newest!.id] } });
}
