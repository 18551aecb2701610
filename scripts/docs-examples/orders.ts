import type { RecordingContext } from './recorder.ts';

/** Business orders: the orders the storefront and customer journeys placed, as the business reads them. */
export async function recordOrders(context: RecordingContext): Promise<void> {
  const { recorder: r } = context;
  const page = (await r.call('listOrders', { query: { page_size: 2 } })).json();
  await r.call('getOrder', { params: { id: page.data[0].id } });
  await r.call('getOrderStatistics', {
    query: { breakdown_date: 'day', is_breakdown_status: 'true', tz: 'Asia/Jakarta' },
  });
}
