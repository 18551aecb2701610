import type { ItemType } from '../../src/db/schema.ts';
import { randomString } from '../../src/lib/ids.ts';
import { beforeTax, normalizeMoney } from '../../src/lib/money.ts';
import type { Tenant } from './tenants.ts';

/**
 * Catalog rows inserted straight into the database, for tests of modules that need products,
 * bundles or stock to exist without depending on the routes that create them.
 */
export interface FixtureVariant {
  id: number;
  uuid: string;
  unique_id: string;
  price: string;
}

export interface FixtureProduct {
  id: number;
  uuid: string;
  slug: string;
  variants: FixtureVariant[];
}

export async function insertProduct(
  tenant: Tenant,
  options: {
    name?: string;
    itemType?: ItemType;
    isInventory?: boolean;
    variants?: Array<{ price?: string; weight?: number; sku?: string; option1_value?: string }>;
  } = {},
): Promise<FixtureProduct> {
  const db = tenant.ctx.database.db;
  const suffix = randomString(8).toLowerCase();
  const product = await db
    .insertInto('products')
    .values({
      business_id: tenant.business.id,
      name: options.name ?? `Produk ${suffix}`,
      slug: `produk-${suffix}`,
      item_type: options.itemType ?? 'physical',
      is_inventory: options.isInventory ?? false,
      created_by_user_id: tenant.owner.id,
      last_updated_by_user_id: tenant.owner.id,
    })
    .returning(['id', 'uuid', 'slug'])
    .executeTakeFirstOrThrow();
  const variants: FixtureVariant[] = [];
  for (const [position, variant] of (options.variants ?? [{}]).entries()) {
    const price = normalizeMoney(variant.price ?? '150000');
    const row = await db
      .insertInto('variants')
      .values({
        business_id: tenant.business.id,
        product_id: product.id,
        unique_id: `variant_${randomString(24)}`,
        position,
        price,
        price_bt: beforeTax(price, '0'),
        weight: variant.weight ?? 500,
        sku: variant.sku ?? null,
        option1_value: variant.option1_value ?? null,
      })
      .returning(['id', 'uuid', 'unique_id', 'price'])
      .executeTakeFirstOrThrow();
    variants.push(row);
  }
  return { ...product, variants };
}

export async function insertWarehouse(
  tenant: Tenant,
  name = 'Gudang Utama',
): Promise<{ id: number; unique_id: string }> {
  return tenant.ctx.database.db
    .insertInto('warehouses')
    .values({
      business_id: tenant.business.id,
      unique_id: `warehouse_${randomString(24)}`,
      name,
      location_id: 317105,
      postal_code: '10510',
    })
    .returning(['id', 'unique_id'])
    .executeTakeFirstOrThrow();
}

export async function setStock(
  tenant: Tenant,
  warehouseId: number,
  variantId: number,
  qty: number,
): Promise<void> {
  await tenant.ctx.database.db
    .insertInto('warehouse_stocks')
    .values({ warehouse_id: warehouseId, variant_id: variantId, business_id: tenant.business.id, qty })
    .onConflict((oc) => oc.columns(['warehouse_id', 'variant_id']).doUpdateSet({ qty }))
    .execute();
}

export interface FixtureBundle {
  id: number;
  priceOptions: Array<{ id: number; unique_id: string; slug: string }>;
}

export async function insertBundle(
  tenant: Tenant,
  lines: Array<{ variantId: number; quantity: number }>,
  priceOptions: Array<{ name?: string; price?: string }> = [{}],
): Promise<FixtureBundle> {
  const db = tenant.ctx.database.db;
  const bundle = await db
    .insertInto('bundles')
    .values({
      business_id: tenant.business.id,
      name: `Bundle ${randomString(6)}`,
      created_by_user_id: tenant.owner.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [position, line] of lines.entries()) {
    await db
      .insertInto('bundle_lines')
      .values({
        business_id: tenant.business.id,
        bundle_id: bundle.id,
        variant_id: line.variantId,
        quantity: line.quantity,
        position,
      })
      .execute();
  }
  const options = [];
  for (const [position, option] of priceOptions.entries()) {
    const price = normalizeMoney(option.price ?? '250000');
    const slug = `paket-${randomString(8).toLowerCase()}`;
    options.push(
      await db
        .insertInto('bundle_price_options')
        .values({
          business_id: tenant.business.id,
          bundle_id: bundle.id,
          unique_id: `bpo_${randomString(24)}`,
          name: option.name ?? `Paket ${position + 1}`,
          slug,
          price,
          price_bt: price,
          position,
        })
        .returning(['id', 'unique_id', 'slug'])
        .executeTakeFirstOrThrow(),
    );
  }
  return { id: bundle.id, priceOptions: options };
}

export async function attachProductToStore(
  tenant: Tenant,
  productId: number,
  storeId = tenant.store.id,
): Promise<void> {
  await tenant.ctx.database.db
    .insertInto('store_products')
    .values({ store_id: storeId, product_id: productId, business_id: tenant.business.id })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
