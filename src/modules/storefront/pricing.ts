import type { Db } from '../../db/database.ts';
import { firstImage, priceOptionDisplayName, productDisplayName, variantDisplayName } from './naming.ts';
import * as q from './pricing-queries.ts';

/** What a cart line or checkout item names: a variant, or a bundle price option. */
export type StoreItemRef =
  | { type: 'variant'; variant_id: number }
  | { type: 'bundle_price_option'; bundle_price_option_id: number };

/** One sellable item as the store prices it: the one source carts, shipping, summary and checkout read. */
export interface PricedItem {
  type: 'variant' | 'bundle_price_option';
  variant_id: number | null;
  bundle_price_option_id: number | null;
  name: string;
  /**
   * The catalog entry bought, as the items list names it: the product's name for a variant, the
   * bundle and option for a price option (which is its own entry).
   */
  product_name: string;
  /** The variant's full name ("Kaos - Hitam / M"); null for a price option. */
  variant_name: string | null;
  image: string | null;
  /** Decimal string, tax inclusive. */
  unit_price: string;
  weight_grams: number;
  /** The product's item type; a bundle price option is `physical` if any line is, else `digital`. */
  item_type: string;
  requires_shipping: boolean;
  /**
   * The variants (and units per item) whose stock one unit of this item consumes, with the stock
   * rows read when the item was priced (every warehouse's of the variant; absent: not read).
   */
  lines: Array<{
    variant_id: number;
    quantity: number;
    is_inventory: boolean;
    stock?: readonly q.VariantStock[];
  }>;
}

/** The catalog fields an order line copies from its variant. */
export type VariantSnapshotFields = Pick<
  q.PricedVariantRow,
  | 'id'
  | 'unique_id'
  | 'sku'
  | 'option1_value'
  | 'option2_value'
  | 'option3_value'
  | 'cogs'
  | 'cogs_bt'
  | 'product_name'
>;

/** The map key of a ref: `variant:12`, `bundle_price_option:7`. */
export function storeItemKey(ref: StoreItemRef): string {
  return ref.type === 'variant'
    ? `variant:${ref.variant_id}`
    : `bundle_price_option:${ref.bundle_price_option_id}`;
}

function toPricedVariant(row: q.PricedVariantRow): PricedItem {
  const productName = productDisplayName(row.product_name, row.product_public_name);
  const name = variantDisplayName(productName, row);
  return {
    type: 'variant',
    variant_id: row.id,
    bundle_price_option_id: null,
    name,
    product_name: productName,
    variant_name: name,
    image: firstImage(row.images, row.product_images, row.meta_thumbnail),
    unit_price: row.price,
    weight_grams: row.weight,
    item_type: row.item_type,
    requires_shipping: row.item_type === 'physical',
    lines: [{ variant_id: row.id, quantity: 1, is_inventory: row.is_inventory, stock: row.stock }],
  };
}

function toPricedPriceOption(row: q.PricedPriceOptionRow): PricedItem {
  const physical = row.lines.some((line) => line.item_type === 'physical');
  const lineWeight = row.lines.reduce((sum, line) => sum + Number(line.weight) * Number(line.quantity), 0);
  const name = priceOptionDisplayName(row.bundle_name, row.bundle_public_name, row.name);
  return {
    type: 'bundle_price_option',
    variant_id: null,
    bundle_price_option_id: row.id,
    name,
    product_name: name,
    variant_name: null,
    image: firstImage(row.images, [], row.meta_thumbnail),
    unit_price: row.price,
    // Weight bumps (packaging) may be negative; a parcel never weighs less than nothing.
    weight_grams: Math.max(0, lineWeight + row.bundle_weight_bump + row.weight_bump),
    item_type: physical ? 'physical' : 'digital',
    requires_shipping: physical,
    lines: row.lines.map((line) => ({
      variant_id: Number(line.variant_id),
      quantity: Number(line.quantity),
      is_inventory: line.is_inventory,
      stock: line.stock,
    })),
  };
}

/**
 * Prices items as the store sells them, keyed by `storeItemKey`. An item the store does not sell
 * (a variant whose product is not listed there, a price option not attached) is absent from the
 * map; hidden-from-listing items are priced like any other, since carts and checkout accept them.
 * One query per kind, whatever the number of refs.
 */
export async function priceStoreItems(
  db: Db,
  storeId: number,
  refs: StoreItemRef[],
): Promise<Map<string, PricedItem>> {
  return (await priceStoreItemsWithSnapshots(db, storeId, refs)).priced;
}

/**
 * `priceStoreItems`, with what an order line snapshots of each priced variant item (by variant id),
 * read in the same query, for checkout's order creation.
 */
export async function priceStoreItemsWithSnapshots(
  db: Db,
  storeId: number,
  refs: StoreItemRef[],
): Promise<{ priced: Map<string, PricedItem>; snapshots: Map<number, VariantSnapshotFields> }> {
  const variantIds = new Set<number>();
  const priceOptionIds = new Set<number>();
  for (const ref of refs) {
    if (ref.type === 'variant') variantIds.add(ref.variant_id);
    else priceOptionIds.add(ref.bundle_price_option_id);
  }
  const [variants, priceOptions] = await Promise.all([
    q.pricedVariants(db, storeId, [...variantIds]),
    q.pricedPriceOptions(db, storeId, [...priceOptionIds]),
  ]);
  const priced = new Map<string, PricedItem>();
  const snapshots = new Map<number, VariantSnapshotFields>();
  for (const row of variants) {
    priced.set(`variant:${row.id}`, toPricedVariant(row));
    snapshots.set(row.id, {
      id: row.id,
      unique_id: row.unique_id,
      sku: row.sku,
      option1_value: row.option1_value,
      option2_value: row.option2_value,
      option3_value: row.option3_value,
      cogs: row.cogs,
      cogs_bt: row.cogs_bt,
      product_name: row.product_name,
    });
  }
  for (const row of priceOptions) priced.set(`bundle_price_option:${row.id}`, toPricedPriceOption(row));
  return { priced, snapshots };
}
