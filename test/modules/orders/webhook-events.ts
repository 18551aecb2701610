import { sql } from 'kysely';
import { insertEndpoint } from '../../../src/modules/webhooks/queries.ts';
import type { Tenant } from '../../helpers/tenants.ts';

/** Subscribes an endpoint of the tenant to every event, so order changes store their events. */
export async function subscribeToEverything(tenant: Tenant): Promise<void> {
  await insertEndpoint(tenant.ctx.database.db, {
    businessId: tenant.business.id,
    url: 'https://hooks.example.test/nexus',
    secretCiphertext: 'not-used-by-these-tests',
    events: null,
  });
}

/** The events stored for one order of the tenant, oldest first, with the status the order had. */
export async function orderEvents(tenant: Tenant, orderId: string) {
  const rows = await tenant.ctx.database.db
    .selectFrom('webhook_events')
    .select(['event', 'payload'])
    .where('business_id', '=', tenant.business.id)
    .where(sql<string>`payload->>'id'`, '=', orderId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    event: row.event,
    data: row.payload as Record<string, unknown>,
  }));
}

export const eventNames = async (tenant: Tenant, orderId: string) =>
  (await orderEvents(tenant, orderId)).map((entry) => entry.event);
