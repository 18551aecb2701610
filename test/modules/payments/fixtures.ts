import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { OrderDraft } from '../../../src/modules/orders/create.ts';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { type Method, send, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, variantLine } from '../orders/fixtures.ts';

export interface PaymentFixture {
  tenant: Tenant;
  key: string;
  warehouseId: number;
  variantId: number;
  /** POSTs `/public/orders/{slug}/payment` with the store's key (or `options.key`). */
  pay(
    slug: string,
    options?: { key?: string; storeUniqueId?: string; app?: Tenant['ctx']['app'] },
  ): Promise<LightMyRequestResponse>;
  /** Places an order of one stocked unit with the given payment method. */
  order(
    paymentMethod: string,
    overrides?: Partial<OrderDraft>,
  ): Promise<{ id: string; order_id: string; secret_slug: string }>;
}

export async function storefrontKey(tenant: Tenant): Promise<string> {
  const created = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  expect(created.statusCode, created.body).toBe(200);
  return created.json().token;
}

/** A store with a storefront key and a stocked variant (10 units of Rp150.000) to order. */
export async function paymentFixture(tenant: Tenant): Promise<PaymentFixture> {
  const key = await storefrontKey(tenant);
  const product = await insertProduct(tenant, { isInventory: true });
  const warehouse = await insertWarehouse(tenant);
  const variant = product.variants[0]!;
  await setStock(tenant, warehouse.id, variant.id, 10);
  return {
    tenant,
    key,
    warehouseId: warehouse.id,
    variantId: variant.id,
    pay: (slug, options = {}) => {
      const ctx = options.app ? { ...tenant.ctx, app: options.app } : tenant.ctx;
      const method: Method = 'POST';
      return send(
        ctx,
        method,
        `/v3/stores/${options.storeUniqueId ?? tenant.store.unique_id}/public/orders/${slug}/payment`,
        { headers: { 'x-scalev-storefront-api-key': options.key ?? key } },
      );
    },
    order: (paymentMethod, overrides = {}) =>
      placeOrder(
        tenant.ctx.database.db,
        draftFor(tenant, [variantLine(variant, 1)], {
          paymentMethod,
          subPaymentMethod: paymentMethod === 'va' ? 'BCA' : null,
          ...overrides,
        }),
      ),
  };
}
