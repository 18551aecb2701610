import { sql } from 'kysely';
import type { RowUpdate } from '../../../src/db/schema.ts';
import { createStore } from '../../../src/modules/businesses/service.ts';
import type { Tenant } from '../../helpers/tenants.ts';

/** Catalog tweaks the shared fixtures do not cover: listing visibility, product presentation. */

export async function attachPriceOption(
  tenant: Tenant,
  priceOptionId: number,
  options: { hidden?: boolean; storeId?: number; listedAt?: string } = {},
): Promise<void> {
  await tenant.ctx.database.db
    .insertInto('store_bundle_price_options')
    .values({
      store_id: options.storeId ?? tenant.store.id,
      bundle_price_option_id: priceOptionId,
      business_id: tenant.business.id,
      is_hidden_from_listing: options.hidden ?? false,
      ...(options.listedAt ? { created_at: sql<Date>`${options.listedAt}::timestamptz` } : {}),
    })
    .execute();
}

export async function setProductListing(
  tenant: Tenant,
  productId: number,
  values: { hidden?: boolean; listedAt?: string },
  storeId = tenant.store.id,
): Promise<void> {
  await tenant.ctx.database.db
    .updateTable('store_products')
    .set({
      ...(values.hidden !== undefined ? { is_hidden_from_listing: values.hidden } : {}),
      ...(values.listedAt ? { created_at: sql<Date>`${values.listedAt}::timestamptz` } : {}),
    })
    .where('store_id', '=', storeId)
    .where('product_id', '=', productId)
    .execute();
}

export async function updateProduct(tenant: Tenant, productId: number, values: RowUpdate<'products'>) {
  await tenant.ctx.database.db.updateTable('products').set(values).where('id', '=', productId).execute();
}

export async function updateBundle(tenant: Tenant, bundleId: number, values: RowUpdate<'bundles'>) {
  await tenant.ctx.database.db.updateTable('bundles').set(values).where('id', '=', bundleId).execute();
}

/** A leaf taxonomy category to file products under. */
export async function someTaxonomies(tenant: Tenant, count: number) {
  return tenant.ctx.database.db
    .selectFrom('product_taxonomies')
    .select(['id', 'name', 'full_path'])
    .where('level', '=', 3)
    .orderBy('id')
    .limit(count)
    .execute();
}

export async function setStorePaymentMethods(tenant: Tenant, methods: string[], vaBanks: string[] = []) {
  await tenant.ctx.database.db
    .updateTable('stores')
    .set({ payment_methods: methods, va_bank_codes: vaBanks })
    .where('id', '=', tenant.store.id)
    .execute();
}

export async function setStoreWarehouse(tenant: Tenant, warehouseId: number | null) {
  await tenant.ctx.database.db
    .updateTable('stores')
    .set({ warehouse_id: warehouseId })
    .where('id', '=', tenant.store.id)
    .execute();
}

/** A second store of the tenant's business (same catalog, its own listings). */
export function insertStore(tenant: Tenant): Promise<{ id: number; unique_id: string }> {
  return createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Toko Kedua' });
}
