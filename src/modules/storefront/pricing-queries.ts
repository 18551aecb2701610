import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ItemType } from '../../db/schema.ts';

/**
 * Variants whose product is listed in the store (hidden or not), with what pricing needs and what an
 * order line snapshots of them (SKU, cost, options), so checkout does not read them again.
 */
export async function pricedVariants(db: Db, storeId: number, variantIds: number[]) {
  if (variantIds.length === 0) return [];
  return db
    .selectFrom('variants as v')
    .innerJoin('store_products as sp', (join) =>
      join.onRef('sp.product_id', '=', 'v.product_id').on('sp.store_id', '=', storeId),
    )
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'v.id',
      'v.price',
      'v.weight',
      'v.images',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'v.unique_id',
      'v.sku',
      'v.cogs',
      'v.cogs_bt',
      'p.name as product_name',
      'p.public_name as product_public_name',
      'p.item_type',
      'p.is_inventory',
      'p.images as product_images',
      'p.meta_thumbnail',
      // Its stock rows (a missing row holds nothing), so shipping need not read them again.
      sql<VariantStock[]>`coalesce((
        select json_agg(json_build_object('warehouse_id', ws.warehouse_id, 'qty', ws.qty))
        from warehouse_stocks ws where ws.variant_id = v.id
      ), '[]'::json)`.as('stock'),
    ])
    .where('v.id', 'in', variantIds)
    .execute();
}
export type PricedVariantRow = Awaited<ReturnType<typeof pricedVariants>>[number];

/** Units a warehouse holds of a variant. */
export interface VariantStock {
  warehouse_id: number;
  qty: number;
}

export interface PricedBundleLine {
  variant_id: number;
  quantity: number;
  weight: number;
  is_inventory: boolean;
  item_type: ItemType;
  stock: VariantStock[];
}

/** Price options attached to the store (hidden or not), each with its bundle's lines in one query. */
export async function pricedPriceOptions(db: Db, storeId: number, priceOptionIds: number[]) {
  if (priceOptionIds.length === 0) return [];
  return db
    .selectFrom('store_bundle_price_options as sb')
    .innerJoin('bundle_price_options as bpo', 'bpo.id', 'sb.bundle_price_option_id')
    .innerJoin('bundles as b', 'b.id', 'bpo.bundle_id')
    .select([
      'bpo.id',
      'bpo.name',
      'bpo.price',
      'bpo.weight_bump',
      'b.name as bundle_name',
      'b.public_name as bundle_public_name',
      'b.weight_bump as bundle_weight_bump',
      'b.images',
      'b.meta_thumbnail',
      sql<PricedBundleLine[]>`(
        select coalesce(json_agg(json_build_object(
          'variant_id', bl.variant_id,
          'quantity', bl.quantity,
          'weight', lv.weight,
          'is_inventory', lp.is_inventory,
          'item_type', lp.item_type,
          'stock', coalesce((
            select json_agg(json_build_object('warehouse_id', ws.warehouse_id, 'qty', ws.qty))
            from warehouse_stocks ws where ws.variant_id = bl.variant_id
          ), '[]'::json)
        ) order by bl.position, bl.id), '[]'::json)
        from bundle_lines bl
        inner join variants lv on lv.id = bl.variant_id
        inner join products lp on lp.id = lv.product_id
        where bl.bundle_id = b.id
      )`.as('lines'),
    ])
    .where('sb.store_id', '=', storeId)
    .where('sb.bundle_price_option_id', 'in', priceOptionIds)
    .execute();
}
export type PricedPriceOptionRow = Awaited<ReturnType<typeof pricedPriceOptions>>[number];
