import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import '../../../src/modules/stores/tables.ts';
import type { OrderDraft } from '../../../src/modules/orders/create.ts';
import { createPaymentAccount } from '../../../src/modules/stores/setup-admin.ts';
import { insertProduct } from '../../helpers/catalog.ts';
import { type Method, send, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, variantLine } from '../orders/fixtures.ts';

export interface OrderClient {
  key: string;
  /** Calls `/v3/stores/{store}/public/orders/{slug}{suffix}` with the storefront key. */
  call(
    method: Method,
    slug: string,
    suffix?: string,
    body?: unknown,
    options?: { storeUniqueId?: string; key?: string },
  ): Promise<LightMyRequestResponse>;
}

/** Mints a storefront key for the tenant's store through the business API, as a merchant would. */
export async function orderClient(tenant: Tenant): Promise<OrderClient> {
  const created = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  expect(created.statusCode, created.body).toBe(200);
  const key: string = created.json().token;
  return {
    key,
    call: (method, slug, suffix = '', body, options = {}) =>
      send(
        tenant.ctx,
        method,
        `/v3/stores/${options.storeUniqueId ?? tenant.store.unique_id}/public/orders/${encodeURIComponent(slug)}${suffix}`,
        {
          headers: { 'x-scalev-storefront-api-key': options.key ?? key },
          ...(body === undefined ? {} : { body }),
        },
      ),
  };
}

export interface PlacedOrder {
  id: string;
  order_id: string;
  secret_slug: string;
}

/**
 * A Rp150.000 bank-transfer order (a Rp276 unique code deducted) in a store whose business has a
 * BCA account, unless `overrides` say otherwise.
 */
export async function bankTransferOrder(
  tenant: Tenant,
  overrides: Partial<OrderDraft> = {},
): Promise<PlacedOrder> {
  const db = tenant.ctx.database.db;
  const existing = await db
    .selectFrom('payment_accounts')
    .select('id')
    .where('business_id', '=', tenant.business.id)
    .executeTakeFirst();
  if (!existing) {
    await createPaymentAccount(db, tenant.business.id, {
      bank: 'BCA',
      accountNumber: '8001234567',
      accountHolder: 'PT Toko Test',
    });
  }
  const product = await insertProduct(tenant, { name: 'Kaos Polos', variants: [{ price: '150000' }] });
  const draft = draftFor(tenant, [
    variantLine(product.variants[0]!, 1, { isInventory: false, name: 'Kaos Polos - L' }),
  ]);
  return placeOrder(db, {
    ...draft,
    totals: { ...draft.totals, unique_code_discount: '276', gross_revenue: '149724', net_revenue: '149724' },
    ...overrides,
  });
}

/**
 * A QRIS order as checkout prices it: the Rp150.000 shirt, Rp7.700 shipping and the Rp1.700
 * e-payment service fee, Rp159.400 in all.
 */
export function ePaymentOrderWithFee(tenant: Tenant): Promise<PlacedOrder> {
  return bankTransferOrder(tenant, {
    paymentMethod: 'qris',
    totals: {
      product_price: '150000',
      product_discount: '0',
      shipping_cost: '7700',
      shipping_discount: '0',
      discount_code_discount: '0',
      unique_code_discount: '0',
      other_income: '0',
      other_income_name: null,
      service_fee: '1700',
      gross_revenue: '159400',
      net_revenue: '157700',
    },
  });
}

/** Sets `pg_payment_info` as the payments module would after creating the payment. */
export async function setPaymentInfo(tenant: Tenant, orderId: string, info: Record<string, unknown>) {
  await tenant.ctx.database.db
    .updateTable('orders')
    .set({ pg_payment_info: JSON.stringify(info) })
    .where('id', '=', orderId)
    .execute();
}

/** The path and query of an absolute URL this server issued (app.inject takes paths). */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
