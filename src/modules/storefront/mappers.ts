import { toCents } from '../../lib/money.ts';
import { LOW_STOCK_THRESHOLD } from '../stores/catalog-service.ts';
import type * as lq from './listing-queries.ts';
import { priceOptionDisplayName, productDisplayName, variantDisplayName } from './naming.ts';
import type * as q from './queries.ts';

/** Rows become buyer-facing objects here; nothing else of a row (costs, partner data) reaches the wire. */

export type StockStatus = 'in_stock' | 'low_stock' | 'out_of_stock';

export interface Availability {
  available: boolean;
  available_qty: number | null;
  stock_status: StockStatus;
}

/** Untracked items are unlimited; tracked ones read their units (`needed` per item for bundle lines). */
export function availabilityOf(isInventory: boolean, stockQty: number | string, needed = 1): Availability {
  if (!isInventory) return { available: true, available_qty: null, stock_status: 'in_stock' };
  const qty = Number(stockQty);
  const items = Math.floor(qty / needed);
  return {
    available: items > 0,
    available_qty: qty,
    stock_status: items <= 0 ? 'out_of_stock' : items <= LOW_STOCK_THRESHOLD ? 'low_stock' : 'in_stock',
  };
}

function taxonomyOf(row: {
  taxonomy_id: number | null;
  taxonomy_name: string | null;
  taxonomy_full_path: string | null;
}) {
  return row.taxonomy_id === null
    ? null
    : { id: row.taxonomy_id, name: row.taxonomy_name ?? '', full_path: row.taxonomy_full_path ?? '' };
}

const NO_OPTIONS = { is_multiple: false, option1_name: null, option2_name: null, option3_name: null };

export function toProductItem(row: lq.ProductItemRow) {
  return {
    id: row.id,
    entity_type: 'product' as const,
    bundle_price_option_id: null,
    bundle_id: null,
    slug: row.slug,
    name: productDisplayName(row.name, row.public_name),
    description: row.description,
    meta_thumbnail: row.meta_thumbnail,
    item_type: row.item_type,
    is_multiple: row.is_multiple,
    option1_name: row.option1_name,
    option2_name: row.option2_name,
    option3_name: row.option3_name,
    in_stock: row.in_stock,
    price_range: { min: row.min_price ?? '0.00', max: row.max_price ?? '0.00' },
    images: row.images,
    labels: row.labels,
    taxonomy: taxonomyOf(row),
    created_at: row.created_at.toISOString(),
  };
}

export function toPriceOptionItem(row: lq.PriceOptionItemRow) {
  return {
    id: row.id,
    entity_type: 'bundle_price_option' as const,
    bundle_price_option_id: row.id,
    bundle_id: row.bundle_id,
    slug: row.slug,
    name: priceOptionDisplayName(row.bundle_name, row.bundle_public_name, row.name),
    description: row.description,
    meta_thumbnail: row.meta_thumbnail,
    item_type: row.item_type,
    ...NO_OPTIONS,
    in_stock: row.in_stock,
    price_range: { min: row.price, max: row.price },
    images: row.images,
    labels: row.labels,
    taxonomy: null,
    created_at: row.created_at.toISOString(),
  };
}

/**
 * A variant on an item card: what a client needs to add it to the cart straight from the grid
 * (ids, name, price, options, images, availability), a subset of the detail route's variant.
 */
export function toItemVariant(v: q.ListedVariantRow, productDisplay: string) {
  const name = variantDisplayName(productDisplay, v);
  return {
    id: v.id,
    uuid: v.uuid,
    unique_id: v.unique_id,
    name,
    fullname: name,
    option1_value: v.option1_value,
    option2_value: v.option2_value,
    option3_value: v.option3_value,
    price: v.price,
    currency: 'IDR' as const,
    pricing_type: v.pricing_type,
    interval: v.interval,
    interval_count: v.interval_count,
    images: v.images,
    ...availabilityOf(v.is_inventory, v.stock_qty),
  };
}

export function toStorefrontVariant(v: q.StoreVariantRow, product: q.StoreProductRow) {
  const name = variantDisplayName(productDisplayName(product.name, product.public_name), v);
  return {
    id: v.id,
    uuid: v.uuid,
    unique_id: v.unique_id,
    name,
    fullname: name,
    option1_value: v.option1_value,
    option2_value: v.option2_value,
    option3_value: v.option3_value,
    sku: v.sku,
    description: v.description,
    rich_description: v.rich_description,
    price: v.price,
    currency: 'IDR' as const,
    weight: v.weight,
    pricing_type: v.pricing_type,
    interval: v.interval,
    interval_count: v.interval_count,
    validity_period: v.validity_period,
    validity_period_unit: v.validity_period_unit,
    images: v.images,
    ...availabilityOf(product.is_inventory, v.stock_qty),
  };
}

/** The lowest and highest price of a list of decimal strings (compared exactly, as cents). */
function priceRange(prices: string[]): { min: string; max: string } {
  if (prices.length === 0) return { min: '0.00', max: '0.00' };
  const sorted = [...prices].sort((a, b) => {
    const diff = toCents(a) - toCents(b);
    return diff < 0n ? -1 : diff > 0n ? 1 : 0;
  });
  return { min: sorted[0] as string, max: sorted[sorted.length - 1] as string };
}

export function toStorefrontProduct(product: q.StoreProductRow, variantRows: q.StoreVariantRow[]) {
  const variants = variantRows.map((v) => toStorefrontVariant(v, product));
  return {
    id: product.id,
    entity_type: 'product' as const,
    slug: product.slug,
    name: productDisplayName(product.name, product.public_name),
    description: product.description,
    rich_description: product.rich_description,
    meta_thumbnail: product.meta_thumbnail,
    item_type: product.item_type,
    is_multiple: product.is_multiple,
    option1_name: product.option1_name,
    option2_name: product.option2_name,
    option3_name: product.option3_name,
    in_stock: variants.some((variant) => variant.available),
    price_range: priceRange(variantRows.map((v) => v.price)),
    images: product.images,
    labels: product.labels,
    taxonomy: taxonomyOf(product),
    created_at: product.created_at.toISOString(),
    variants,
  };
}

function toBundleLine(line: q.StoreBundleLineRow) {
  const availability = availabilityOf(line.is_inventory, line.stock_qty, line.quantity);
  return {
    variant_id: line.variant_id,
    variant_unique_id: line.variant_unique_id,
    product_id: line.product_id,
    product_name: productDisplayName(line.product_name, line.product_public_name),
    name: variantDisplayName(productDisplayName(line.product_name, line.product_public_name), line),
    option1_value: line.option1_value,
    option2_value: line.option2_value,
    option3_value: line.option3_value,
    quantity: line.quantity,
    item_type: line.item_type,
    price: line.price,
    weight: line.weight,
    images: line.images.length ? line.images : line.product_images,
    available: availability.available,
    stock_status: availability.stock_status,
  };
}

export function toStorefrontPriceOption(option: q.StorePriceOptionRow, lines: q.StoreBundleLineRow[]) {
  const bundlelines = lines.map(toBundleLine);
  return {
    id: option.id,
    bundle_price_option_id: option.id,
    bundle_id: option.bundle_id,
    entity_type: 'bundle_price_option' as const,
    slug: option.slug,
    name: priceOptionDisplayName(option.bundle_name, option.bundle_public_name, option.name),
    description: option.description,
    rich_description: option.rich_description,
    meta_thumbnail: option.meta_thumbnail,
    item_type: option.item_type,
    ...NO_OPTIONS,
    in_stock: bundlelines.every((line) => line.available),
    price_range: { min: option.price, max: option.price },
    images: option.images,
    labels: option.labels,
    taxonomy: null,
    created_at: option.created_at.toISOString(),
    bundle_name: productDisplayName(option.bundle_name, option.bundle_public_name),
    bundle_price_option_name: option.name,
    price: option.price,
    weight_bump: option.weight_bump,
    bundlelines,
  };
}
