import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { signJwt } from '../../../src/lib/jwt.ts';
import { upsertCustomerByEmail } from '../../../src/modules/customers/records.ts';
import type { TestContext } from '../../helpers/app.ts';
import { type Method, send, type Tenant } from '../../helpers/tenants.ts';
import { BANDUNG } from '../checkout/fixtures.ts';

/** A customer access token as customer auth issues it: `{typ, sub, jti, sid}`, 15 minutes. */
export function accessToken(ctx: TestContext, customerId: number, storeId: number): string {
  return signJwt(
    ctx.keys.customerJwt,
    { typ: 'access', sub: String(customerId), sid: storeId, jti: randomUUID() },
    900,
  );
}

export interface ShopperCall {
  body?: unknown;
  token?: string;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
}

export interface Shopper {
  id: number;
  email: string;
  token: string;
  /** `/v3/stores/{store}/customers/me{path}` with the customer's token. */
  me(method: Method, path: string, options?: ShopperCall): Promise<LightMyRequestResponse>;
}

/** A customer of the tenant's business, signed in to `store` (default: the tenant's store). */
export async function shopper(
  tenant: Tenant,
  options: { name?: string; phone?: string | null; store?: { id: number; unique_id: string } } = {},
): Promise<Shopper> {
  const ctx = tenant.ctx;
  const store = options.store ?? tenant.store;
  const email = `shopper-${randomUUID()}@example.test`;
  const id = await upsertCustomerByEmail(ctx.database.db, {
    businessId: tenant.business.id,
    storeId: store.id,
    name: options.name ?? 'Siti Pembeli',
    email,
    phone: options.phone === undefined ? '081298765432' : options.phone,
  });
  const token = accessToken(ctx, id, store.id);
  return {
    id,
    email,
    token,
    me: (method, path, call = {}) =>
      send(ctx, method, `/v3/stores/${store.unique_id}/customers/me${path}`, {
        ...(call.body !== undefined ? { body: call.body } : {}),
        ...(call.query ? { query: call.query } : {}),
        headers: { authorization: `Bearer ${call.token ?? token}`, ...call.headers },
      }),
  };
}

/** Saves an address for the customer straight into the table (the account routes are another area). */
export async function saveAddress(
  tenant: Tenant,
  customerId: number,
  values: { address?: string; postal_code?: string; phone?: string | null; is_default?: boolean } = {},
): Promise<number> {
  const row = await tenant.ctx.database.db
    .insertInto('customer_addresses')
    .values({
      business_id: tenant.business.id,
      customer_id: customerId,
      name: 'Rumah',
      phone: values.phone === undefined ? '082211112222' : values.phone,
      email: null,
      location_id: BANDUNG,
      address: values.address ?? 'Jl. Braga No. 10',
      postal_code: values.postal_code ?? '40111',
      notes: null,
      is_default: values.is_default ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The checkout body part a customer sends: payment and courier; the destination comes per test. */
export function customerCheckout(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    address: 'Jl. Asia Afrika No. 8',
    location_id: BANDUNG,
    postal_code: '40111',
    payment_method: 'bank_transfer',
    courier_service_id: 15,
    ...overrides,
  };
}

export async function orderRow(tenant: Tenant, id: string) {
  return tenant.ctx.database.db
    .selectFrom('orders')
    .select(['id', 'customer_id', 'source', 'customer_email', 'customer_name', 'customer_phone', 'store_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function cartRow(tenant: Tenant, customerId: number) {
  return tenant.ctx.database.db
    .selectFrom('carts')
    .select(['id', 'guest_token', 'customer_id', 'expires_at', 'store_id'])
    .where('customer_id', '=', customerId)
    .execute();
}
