import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { attachProductToStore, insertBundle, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Method, send, type Tenant } from '../../helpers/tenants.ts';

export interface CartClient {
  key: string;
  /** Calls `/v3/stores/{store}/public/cart{path}`; `token` is sent as X-Scalev-Guest-Token when given. */
  call(
    method: Method,
    path: string,
    options?: { body?: unknown; token?: string | undefined },
  ): Promise<LightMyRequestResponse>;
}

export async function cartClient(
  tenant: Tenant,
  storeUniqueId = tenant.store.unique_id,
): Promise<CartClient> {
  const created = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  expect(created.statusCode, created.body).toBe(200);
  const key: string = created.json().token;
  return {
    key,
    call: (method, path, options = {}) =>
      send(tenant.ctx, method, `/v3/stores/${storeUniqueId}/public/cart${path}`, {
        ...(options.body !== undefined ? { body: options.body } : {}),
        headers: {
          'x-scalev-storefront-api-key': key,
          ...(options.token ? { 'x-scalev-guest-token': options.token } : {}),
        },
      }),
  };
}

export function tokenOf(response: LightMyRequestResponse): string {
  const token = response.headers['x-scalev-guest-token'];
  expect(typeof token, 'guest token header').toBe('string');
  return token as string;
}

export async function attachPriceOptionToStore(
  tenant: Tenant,
  priceOptionId: number,
  options: { hidden?: boolean } = {},
): Promise<void> {
  await tenant.ctx.database.db
    .insertInto('store_bundle_price_options')
    .values({
      store_id: tenant.store.id,
      bundle_price_option_id: priceOptionId,
      business_id: tenant.business.id,
      is_hidden_from_listing: options.hidden ?? false,
    })
    .execute();
}

/** A tenant whose store sells a two-variant product and one bundle price option. */
export async function cartShop() {
  const tenant = await createTenant('Toko Keranjang');
  const product = await insertProduct(tenant, {
    name: 'Kopi Arabika',
    variants: [
      { price: '150000', weight: 500, option1_value: 'Biji' },
      { price: '99999.99', weight: 250, option1_value: 'Bubuk' },
    ],
  });
  await attachProductToStore(tenant, product.id);
  const bundle = await insertBundle(
    tenant,
    [{ variantId: product.variants[0]!.id, quantity: 2 }],
    [{ name: 'Paket Hemat', price: '275000' }],
  );
  const priceOption = bundle.priceOptions[0]!;
  await attachPriceOptionToStore(tenant, priceOption.id);
  const client = await cartClient(tenant);
  return { tenant, product, bundle, priceOption, client };
}
