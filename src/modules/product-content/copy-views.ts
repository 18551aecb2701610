import type { ItemType } from '../../db/schema.ts';
import { formatCents, toCents } from '../../lib/money.ts';
import type { StorageProvider } from '../../providers/storage/index.ts';
import type * as c from './copy-queries.ts';
import { toDigitalProductFile } from './digital-files.ts';
import type * as q from './queries.ts';

/** Maps catalog rows to the Product and Bundle objects (see copy-schemas.ts). */

const ITEM_TYPE_NAMES: Record<ItemType, string> = {
  physical: 'Physical',
  digital: 'Digital',
  course: 'Course',
  license: 'License',
  subscription: 'Subscription',
};

function userRef(id: number | null, name: string | null, email: string | null) {
  return id === null ? null : { id, name, email };
}

function business(row: c.ProductHeaderRow | c.BundleHeaderRow) {
  return {
    id: row.business_id,
    unique_id: row.business_unique_id,
    username: row.business_username,
    account_holder: row.business_account_holder,
    email: row.business_email,
    phone: row.business_phone,
  };
}

/** `Merah / XL`, or the product's name for a product without options. */
function variantName(variant: c.VariantRow, productName: string): string {
  const options = [variant.option1_value, variant.option2_value, variant.option3_value].filter((v) => v);
  return options.length ? options.join(' / ') : productName;
}

export function toProductVariant(
  variant: c.VariantRow,
  product: { name: string; item_type: ItemType },
  files: q.DigitalProductFileRow[],
  storage: StorageProvider,
) {
  const name = variantName(variant, product.name);
  return {
    id: variant.id,
    uuid: variant.uuid,
    unique_id: variant.unique_id,
    product_id: variant.product_id,
    name,
    fullname: name === product.name ? name : `${product.name} - ${name}`,
    product_name: product.name,
    option1_value: variant.option1_value,
    option2_value: variant.option2_value,
    option3_value: variant.option3_value,
    sku: variant.sku,
    description: variant.description,
    rich_description: variant.rich_description,
    price: variant.price,
    price_bt: variant.price_bt,
    cogs: variant.cogs,
    cogs_bt: variant.cogs_bt,
    reseller_price: variant.reseller_price,
    reseller_price_bt: variant.reseller_price_bt,
    currency: variant.currency,
    weight: variant.weight,
    item_type: product.item_type,
    pricing_type: variant.pricing_type,
    interval: variant.interval,
    interval_count: variant.interval_count,
    validity_period: variant.validity_period,
    validity_period_unit: variant.validity_period_unit,
    is_checked: variant.is_checked,
    is_editable: variant.is_editable,
    images: variant.images,
    self_file_urls: variant.self_file_urls,
    metadata: variant.metadata,
    digital_product_files: files.map((file) => toDigitalProductFile(file, storage)),
    created_at: variant.created_at.toISOString(),
    last_updated_at: variant.last_updated_at.toISOString(),
  };
}

function filesByVariant(files: q.DigitalProductFileRow[]) {
  const map = new Map<number, q.DigitalProductFileRow[]>();
  for (const file of files) map.set(file.variant_id, [...(map.get(file.variant_id) ?? []), file]);
  return map;
}

export function toProduct(
  row: c.ProductHeaderRow,
  variants: c.VariantRow[],
  files: q.DigitalProductFileRow[],
  storage: StorageProvider,
) {
  const byVariant = filesByVariant(files);
  return {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    public_name: row.public_name,
    display: row.public_name || row.name,
    slug: row.slug,
    description: row.description,
    rich_description: row.rich_description,
    item_type: row.item_type,
    item_type_name: ITEM_TYPE_NAMES[row.item_type],
    is_inventory: row.is_inventory,
    is_multiple: row.is_multiple,
    is_product_sharing: row.is_product_sharing,
    option1_name: row.option1_name,
    option2_name: row.option2_name,
    option3_name: row.option3_name,
    meta_thumbnail: row.meta_thumbnail,
    partnership_sales_letter: row.partnership_sales_letter,
    images: row.images,
    labels: row.labels.map((name) => ({ name })),
    is_affiliate_enabled: row.is_affiliate_enabled,
    is_affiliate_auto_accept: row.is_affiliate_auto_accept,
    is_affiliate_pro_enabled: row.is_affiliate_pro_enabled,
    affiliate_commission_rate: row.affiliate_commission_rate,
    affiliate_pro_commission_rate: row.affiliate_pro_commission_rate,
    taxonomy:
      row.taxonomy_id === null || row.taxonomy_full_path === null || row.taxonomy_level_1 === null
        ? null
        : {
            id: row.taxonomy_id,
            full_path: row.taxonomy_full_path,
            level_1: row.taxonomy_level_1,
            level_2: row.taxonomy_level_2,
            level_3: row.taxonomy_level_3,
            level_4: row.taxonomy_level_4,
            level_5: row.taxonomy_level_5,
            level_6: row.taxonomy_level_6,
            level_7: row.taxonomy_level_7,
          },
    business: business(row),
    created_by: userRef(row.created_by_id, row.created_by_name, row.created_by_email),
    last_updated_by: userRef(row.last_updated_by_id, row.last_updated_by_name, row.last_updated_by_email),
    variants_count: variants.length,
    variants: variants.map((variant) =>
      toProductVariant(variant, row, byVariant.get(variant.id) ?? [], storage),
    ),
    stores: [],
    warehouses: [],
    product_mailketing_lists: [],
    product_birdsend_sequences: [],
    created_at: row.created_at.toISOString(),
    last_updated_at: row.last_updated_at.toISOString(),
  };
}

export function toBundle(
  row: c.BundleHeaderRow,
  lines: c.BundleLineViewRow[],
  options: c.PriceOptionRow[],
  files: q.DigitalProductFileRow[],
  storage: StorageProvider,
) {
  const byVariant = filesByVariant(files);
  return {
    id: row.id,
    custom_id: row.custom_id,
    name: row.name,
    public_name: row.public_name,
    description: row.description,
    rich_description: row.rich_description,
    meta_thumbnail: row.meta_thumbnail,
    images: row.images,
    labels: row.labels.map((name) => ({ name })),
    weight_bump: row.weight_bump,
    is_bundle_sharing: row.is_bundle_sharing,
    business: business(row),
    created_by: userRef(row.created_by_id, row.created_by_name, row.created_by_email),
    last_updated_by: userRef(row.last_updated_by_id, row.last_updated_by_name, row.last_updated_by_email),
    bundlelines: lines.map((line) => ({
      id: line.line_id,
      quantity: line.line_quantity,
      subtotal: formatCents(toCents(line.price) * BigInt(line.line_quantity)),
      variant: toProductVariant(
        line,
        { name: line.product_name, item_type: line.product_item_type },
        byVariant.get(line.id) ?? [],
        storage,
      ),
    })),
    bundle_price_options: options.map((option) => ({
      id: option.id,
      unique_id: option.unique_id,
      name: option.name,
      slug: option.slug,
      price: option.price,
      price_bt: option.price_bt,
      weight_bump: option.weight_bump,
      stores: [],
      form_displays: [],
      upsell_form_displays: [],
    })),
    created_at: row.created_at.toISOString(),
    last_updated_at: row.last_updated_at.toISOString(),
  };
}
