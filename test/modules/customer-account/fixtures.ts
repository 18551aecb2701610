import { randomUUID } from 'node:crypto';
import { signJwt } from '../../../src/lib/jwt.ts';
import { upsertCustomerByEmail } from '../../../src/modules/customers/records.ts';
import type { TestContext } from '../../helpers/app.ts';
import { type Method, type RequestOptions, send, type Tenant } from '../../helpers/tenants.ts';

/** A delivery location every test database has (Bandung, from the imported postal-code data). */
export const BANDUNG = 327301;
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A customer access token as customer auth issues it: `{typ, sub, jti, sid}`, 15 minutes. */
export function accessToken(ctx: TestContext, customerId: number, storeId: number, now = Date.now()): string {
  return signJwt(
    ctx.keys.customerJwt,
    { typ: 'access', sub: String(customerId), sid: storeId, jti: randomUUID() },
    900,
    now,
  );
}

export interface SignedInCustomer {
  id: number;
  email: string;
  token: string;
  /** Sends a request to `/v3/stores/{store unique_id}/customers/me{path}` with the customer's token. */
  request(
    method: Method,
    path: string,
    options?: RequestOptions & { token?: string },
  ): ReturnType<typeof send>;
}

/** A customer of the tenant's business (as checkout creates them) signed in to the tenant's store. */
export async function signedInCustomer(tenant: Tenant, name = 'Siti Buyer'): Promise<SignedInCustomer> {
  const ctx = tenant.ctx;
  const email = `buyer-${randomUUID()}@example.test`;
  const id = await upsertCustomerByEmail(ctx.database.db, {
    businessId: tenant.business.id,
    storeId: tenant.store.id,
    name,
    email,
    phone: '0812-3456-7890',
  });
  const token = accessToken(ctx, id, tenant.store.id);
  return {
    id,
    email,
    token,
    request: (method, path, options = {}) =>
      send(ctx, method, `/v3/stores/${tenant.store.unique_id}/customers/me${path}`, {
        ...options,
        headers: { authorization: `Bearer ${options.token ?? token}`, ...options.headers },
      }),
  };
}

/** The location object an address shows for `locationId`, read from the reference data. */
export async function locationObject(ctx: TestContext, locationId: number) {
  const row = await ctx.database.db
    .selectFrom('locations')
    .select(['id', 'subdistrict_name', 'city_name', 'province_name'])
    .where('id', '=', locationId)
    .executeTakeFirstOrThrow();
  return row;
}
