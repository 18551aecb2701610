import { randomString } from '../../../src/lib/ids.ts';
import type { Tenant } from '../../helpers/tenants.ts';

/** Pages are created by the HTML Mode area later; a row is all a discount code needs to point at. */
export async function insertPage(tenant: Tenant, name = 'Landing') {
  return tenant.ctx.database.db
    .insertInto('pages')
    .values({
      business_id: tenant.business.id,
      store_id: tenant.store.id,
      unique_id: `page_${randomString(16).toLowerCase()}`,
      name,
    })
    .returning(['id', 'unique_id', 'name'])
    .executeTakeFirstOrThrow();
}

/** Creates a code through the API and returns its JSON. */
export async function createCode(tenant: Tenant, body: Record<string, unknown>) {
  const response = await tenant.request('POST', '/v3/discount-codes', { body });
  if (response.statusCode !== 200) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  return response.json();
}
