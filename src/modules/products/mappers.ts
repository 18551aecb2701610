import type { ItemType } from '../../db/schema.ts';
import { normalizeNullableRate } from '../partners/rates.ts';
import type { toProductPartner } from '../partners/service.ts';
import type { toDigitalProductFile } from '../product-content/digital-files.ts';
import type * as q from './queries.ts';

/** Row shapes stop here: everything below turns rows into the contract's objects. */

export type DigitalProductFile = ReturnType<typeof toDigitalProductFile>;
export type ProductPartner = ReturnType<typeof toProductPartner>;
/** A page's digital product files by variant id, already mapped (their URLs are signed per response). */
export type FilesByVariant = ReadonlyMap<number, DigitalProductFile[]>;

const ITEM_TYPE_NAMES: Record<ItemType, string> = {
  physical: 'Physical',
  digital: 'Digital',
  course: 'Course',
  license: 'License',
  subscription: 'Subscription',
};

export function toBusiness(row: q.BusinessRow) {
  return {
    id: row.id,
    unique_id: row.unique_id,
    username: row.username,
    account_holder: row.account_holder,
    email: row.email,
    phone: row.phone,
  };
}
export type BusinessObject = ReturnType<typeof toBusiness>;

function userRef(id: number | null, name: string | null, email: string | null) {
  return id === null ? null : { id, name, email };
}

/** Option values in option order, skipping the options the product does not use. */
function optionValues(v: {
  option1_value: string | null;
  option2_value: string | null;
  option3_value: string | null;
}) {
  return [v.option1_value, v.option2_value, v.option3_value].filter(
    (value): value is string => value !== null,
  );
}

/** "Kaos Polos - Merah / XL", or just the product name for a product without options. */
export function variantFullName(productName: string, variant: Parameters<typeof optionValues>[0]): string {
  const values = optionValues(variant);
  return values.length ? `${productName} - ${values.join(' / ')}` : productName;
}

const displayOf = (product: { name: string; public_name: string | null }) =>
  product.public_name || product.name;

interface ProductContext {
  name: string;
  public_name: string | null;
  item_type: ItemType;
  is_inventory: boolean;
}

export function toVariantListItem(v: q.VariantRow, product: ProductContext, files: FilesByVariant) {
  return {
    id: v.id,
    uuid: v.uuid,
    unique_id: v.unique_id,
    name: variantFullName(product.name, v),
    product_name: product.name,
    item_type: product.item_type,
    option1_value: v.option1_value,
    option2_value: v.option2_value,
    option3_value: v.option3_value,
    sku: v.sku,
    price: v.price,
    currency: 'IDR' as const,
    weight: v.weight,
    pricing_type: v.pricing_type,
    interval: v.interval,
    interval_count: v.interval_count,
    validity_period: v.validity_period,
    validity_period_unit: v.validity_period_unit,
    is_checked: v.is_checked,
    is_editable: v.is_editable,
    images: v.images,
    self_file_urls: v.self_file_urls,
    metadata: v.metadata,
    // Stock only means something for products that track inventory; others are unlimited.
    available_qty: product.is_inventory ? (v.stock_qty ?? 0) : null,
    digital_product_files: files.get(v.id) ?? [],
  };
}

export function toProductVariant(v: q.VariantRow, product: ProductContext, files: FilesByVariant) {
  const base = toVariantListItem(v, product, files);
  return {
    ...base,
    product_id: v.product_id,
    fullname: base.name,
    description: v.description,
    rich_description: v.rich_description,
    price_bt: v.price_bt,
    cogs: v.cogs,
    cogs_bt: v.cogs_bt,
    reseller_price: v.reseller_price,
    reseller_price_bt: v.reseller_price_bt,
    form_displays: [],
    upsell_form_displays: [],
    created_at: v.created_at.toISOString(),
    last_updated_at: v.last_updated_at.toISOString(),
  };
}

export function toProductSummary(p: q.ProductRow, business: BusinessObject) {
  return {
    id: p.id,
    uuid: p.uuid,
    name: p.name,
    display: displayOf(p),
    item_type: p.item_type,
    item_type_name: ITEM_TYPE_NAMES[p.item_type],
    is_inventory: p.is_inventory,
    is_multiple: p.is_multiple,
    is_product_sharing: p.is_product_sharing,
    option1_name: p.option1_name,
    option2_name: p.option2_name,
    option3_name: p.option3_name,
    description: p.description,
    business,
  };
}

export function toSimplifiedProduct(p: q.ProductRow, shownVariants: q.VariantRow[], files: FilesByVariant) {
  return {
    id: p.id,
    uuid: p.uuid,
    name: p.name,
    display: displayOf(p),
    item_type: p.item_type,
    item_type_name: ITEM_TYPE_NAMES[p.item_type],
    images: p.images,
    labels: p.labels.map((name) => ({ name })),
    variants: shownVariants.map((v) => toVariantListItem(v, p, files)),
  };
}

/** What a list item shows besides the product row: its owner, variant files and partnerships. */
export interface ListContext {
  business: BusinessObject;
  files: FilesByVariant;
  /** The caller's partnerships on a product shared with it; null for the caller's own products. */
  partners: ProductPartner[] | null;
}

/**
 * The list representation. `shownVariants` may be a subset (the is_checked filter narrows what is
 * shown); `variantsCount` always counts every variant of the product.
 */
export function toProductListItem(
  p: q.ProductRow,
  context: ListContext,
  shownVariants: q.VariantRow[],
  variantsCount: number,
) {
  return {
    ...toProductSummary(p, context.business),
    public_name: p.public_name,
    slug: p.slug,
    images: p.images,
    labels: p.labels.map((name) => ({ name })),
    taxonomy_id: p.taxonomy_id,
    is_affiliate_enabled: p.is_affiliate_enabled,
    is_affiliate_auto_accept: p.is_affiliate_auto_accept,
    is_affiliate_pro_enabled: p.is_affiliate_pro_enabled,
    affiliate_commission_rate: normalizeNullableRate(p.affiliate_commission_rate),
    affiliate_pro_commission_rate: normalizeNullableRate(p.affiliate_pro_commission_rate),
    // Custom domains do not exist on this server yet.
    custom_domains: [],
    product_partners: context.partners,
    variants_count: variantsCount,
    created_by: userRef(p.created_by_user_id, p.created_by_name, p.created_by_email),
    last_updated_by: userRef(p.last_updated_by_user_id, p.last_updated_by_name, p.last_updated_by_email),
    created_at: p.created_at.toISOString(),
    last_updated_at: p.last_updated_at.toISOString(),
    variants: shownVariants.map((v) => toVariantListItem(v, p, context.files)),
  };
}

export function toTaxonomy(row: q.TaxonomyRow) {
  return {
    id: row.id,
    full_path: row.full_path,
    level_1: row.level_1,
    level_2: row.level_2,
    level_3: row.level_3,
    level_4: row.level_4,
    level_5: row.level_5,
    level_6: row.level_6,
    level_7: row.level_7,
  };
}

export interface ProductDetails {
  variants: q.VariantRow[];
  taxonomy: q.TaxonomyRow | undefined;
  stores: Array<{ id: number; name: string; unique_id: string }>;
  warehouses: Array<{ id: number; unique_id: string; name: string }>;
}

export function toProduct(p: q.ProductRow, context: ListContext, details: ProductDetails) {
  const list = toProductListItem(p, context, [], details.variants.length);
  return {
    ...list,
    rich_description: p.rich_description,
    meta_thumbnail: p.meta_thumbnail,
    partnership_sales_letter: p.partnership_sales_letter,
    taxonomy: details.taxonomy ? toTaxonomy(details.taxonomy) : null,
    variants: details.variants.map((v) => toProductVariant(v, p, context.files)),
    stores: details.stores.map((s) => ({
      id: s.id,
      name: s.name,
      unique_id: s.unique_id,
      custom_domain: null,
    })),
    warehouses: details.warehouses,
    // Mailketing and Birdsend integrations do not exist in Nexus; the lists are always empty.
    product_mailketing_lists: [],
    product_birdsend_sequences: [],
  };
}

export function toVariant(v: q.VariantRow, p: q.ProductRow, business: BusinessObject, files: FilesByVariant) {
  const variant = toProductVariant(v, p, files);
  const values = optionValues(v);
  return {
    ...variant,
    display: values.length ? `${displayOf(p)} - ${values.join(' / ')}` : displayOf(p),
    image_configs: {},
    product: toProductSummary(p, business),
  };
}
