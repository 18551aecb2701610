import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { setPaymentMethods } from '../../../src/modules/stores/setup-admin.ts';
import type { TestContext } from '../../helpers/app.ts';
import {
  attachProductToStore,
  type FixtureProduct,
  insertBundle,
  insertProduct,
  insertWarehouse,
  setStock,
} from '../../helpers/catalog.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';

/** Kota Bandung: a destination on Java, so every sandbox courier serves it from Jakarta. */
export const BANDUNG = 327301;
/** JNE REG in the contract's courier service list. */
export const JNE_REG = 15;

export interface CallOptions {
  token?: string | undefined;
  idempotencyKey?: string;
  key?: string;
  storeUniqueId?: string;
  /** The client IP the request comes from (default: a random one). */
  remoteAddress?: string;
}

export interface CheckoutClient {
  key: string;
  /** POSTs to `/v3/stores/{store}/public{path}` with the storefront key. */
  post(path: string, body?: unknown, options?: CallOptions): Promise<LightMyRequestResponse>;
  /** Adds items to a new guest cart and returns its token. */
  cartWith(items: Array<Record<string, unknown>>): Promise<string>;
  cartLines(token: string): Promise<number>;
}

export async function checkoutClient(tenant: Tenant): Promise<CheckoutClient> {
  const created = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  expect(created.statusCode, created.body).toBe(200);
  const key: string = created.json().token;
  const call = (method: 'GET' | 'POST', path: string, body: unknown, options: CallOptions = {}) =>
    send(tenant.ctx, method, `/v3/stores/${options.storeUniqueId ?? tenant.store.unique_id}/public${path}`, {
      ...(body !== undefined ? { body } : {}),
      ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
      headers: {
        'x-scalev-storefront-api-key': options.key ?? key,
        ...(options.token ? { 'x-scalev-guest-token': options.token } : {}),
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
    });
  return {
    key,
    post: (path, body, options) => call('POST', path, body, options),
    async cartWith(items) {
      let token: string | undefined;
      for (const item of items) {
        const added = await call('POST', '/cart/items', item, { token });
        expect(added.statusCode, added.body).toBe(201);
        token = added.headers['x-scalev-guest-token'] as string;
      }
      return token!;
    },
    async cartLines(token) {
      const cart = await call('GET', '/cart', undefined, { token });
      return cart.json().items.length;
    },
  };
}

export interface CheckoutShop {
  tenant: Tenant;
  client: CheckoutClient;
  /** Physical, tracks stock (100 units in the Jakarta warehouse), Rp150,000, 500 g. */
  shirt: FixtureProduct;
  /** Digital, no stock, Rp99,000. */
  ebook: FixtureProduct;
  warehouse: { id: number; unique_id: string };
  /** Two shirts and the e-book for Rp275,000. */
  priceOption: { id: number; unique_id: string };
}

export async function checkoutShop(
  options: { stock?: number; methods?: string[]; name?: string; ctx?: TestContext } = {},
): Promise<CheckoutShop> {
  const tenant = await createTenant(options.name ?? 'Toko Checkout', options.ctx);
  const shirt = await insertProduct(tenant, {
    name: 'Kaos Polos',
    isInventory: true,
    variants: [{ price: '150000', weight: 500 }],
  });
  const ebook = await insertProduct(tenant, {
    name: 'E-book Jualan',
    itemType: 'digital',
    variants: [{ price: '99000', weight: 0 }],
  });
  await attachProductToStore(tenant, shirt.id);
  await attachProductToStore(tenant, ebook.id);
  const warehouse = await insertWarehouse(tenant);
  await setStock(tenant, warehouse.id, shirt.variants[0]!.id, options.stock ?? 100);
  const bundle = await insertBundle(
    tenant,
    [
      { variantId: shirt.variants[0]!.id, quantity: 2 },
      { variantId: ebook.variants[0]!.id, quantity: 1 },
    ],
    [{ name: 'Paket Hemat', price: '275000' }],
  );
  const priceOption = bundle.priceOptions[0]!;
  await tenant.ctx.database.db
    .insertInto('store_bundle_price_options')
    .values({
      store_id: tenant.store.id,
      bundle_price_option_id: priceOption.id,
      business_id: tenant.business.id,
    })
    .execute();
  await setPaymentMethods(tenant.ctx.database.db, tenant.business.id, {
    storeId: tenant.store.id,
    methods: options.methods ?? ['bank_transfer', 'cod', 'qris', 'va', 'card', 'no_payment'],
    vaBanks: ['BCA', 'BNI'],
  });
  const client = await checkoutClient(tenant);
  return { tenant, client, shirt, ebook, warehouse, priceOption };
}

export function buyer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customer_name: 'Budi Santoso',
    customer_email: 'budi@example.test',
    customer_phone: '081234567890',
    shipping_address: 'Jl. Asia Afrika No. 8',
    shipping_location_id: BANDUNG,
    shipping_postal_code: '40111',
    payment_method: 'bank_transfer',
    courier_service_id: JNE_REG,
    ...overrides,
  };
}

export const variantItem = (product: FixtureProduct, quantity = 1) => ({
  type: 'variant',
  variant_id: product.variants[0]!.id,
  quantity,
});

export async function setStoreColumns(tenant: Tenant, values: Record<string, unknown>): Promise<void> {
  await tenant.ctx.database.db
    .updateTable('stores')
    .set(values as never)
    .where('id', '=', tenant.store.id)
    .execute();
}

export async function orderCount(tenant: Tenant): Promise<number> {
  const row = await tenant.ctx.database.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('business_id', '=', tenant.business.id)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function stockOf(tenant: Tenant, warehouseId: number, variantId: number): Promise<number> {
  const row = await tenant.ctx.database.db
    .selectFrom('warehouse_stocks')
    .select('qty')
    .where('warehouse_id', '=', warehouseId)
    .where('variant_id', '=', variantId)
    .executeTakeFirst();
  return row?.qty ?? 0;
}

/** The totals fields a summary and an order share (the order carries `service_fee` only inside
 * `gross_revenue`: the contract's public order has no field for it). */
export const TOTAL_FIELDS = [
  'product_price',
  'product_discount',
  'shipping_cost',
  'shipping_discount',
  'discount_code_discount',
  'other_income',
  'other_income_name',
  'gross_revenue',
] as const;

export function totalsOf(body: Record<string, unknown>) {
  return Object.fromEntries(TOTAL_FIELDS.map((field) => [field, body[field]]));
}
