import { addWebhookEndpoint } from '../../../src/modules/webhooks/endpoints.ts';
import type { Tenant } from '../../helpers/tenants.ts';
import { BANDUNG, type CheckoutShop, JNE_REG } from '../checkout/fixtures.ts';

/** A physical createOrder body for `shop`: two shirts to Bandung by JNE REG, bank transfer. */
export function orderBody(shop: CheckoutShop, overrides: Record<string, unknown> = {}) {
  return {
    store_unique_id: shop.tenant.store.unique_id,
    customer_name: 'Siti Aminah',
    customer_phone: '081298765432',
    customer_email: 'siti@example.test',
    ordervariants: [{ variant_unique_id: shop.shirt.variants[0]!.unique_id, quantity: 2 }],
    address: 'Jl. Braga No. 10',
    location_id: BANDUNG,
    postal_code: '40111',
    courier_service_id: JNE_REG,
    warehouse_unique_id: shop.warehouse.unique_id,
    payment_method: 'bank_transfer',
    ...overrides,
  };
}

/** Subscribes the tenant to every event, so emitted events are stored (`webhook_events`). */
export async function subscribeAll(tenant: Tenant): Promise<void> {
  await addWebhookEndpoint(
    tenant.ctx.database.db,
    tenant.ctx.keys,
    { allowPrivateNetworks: true },
    tenant.business.id,
    { url: 'http://127.0.0.1:9/hooks' },
  );
}

/** The events emitted for an order, oldest first. */
export async function eventsOf(tenant: Tenant, orderId: string): Promise<string[]> {
  const rows = await tenant.ctx.database.db
    .selectFrom('webhook_events')
    .select(['event', 'payload'])
    .where('business_id', '=', tenant.business.id)
    .orderBy('id')
    .execute();
  return rows.filter((row) => (row.payload as { id?: string }).id === orderId).map((row) => row.event);
}
