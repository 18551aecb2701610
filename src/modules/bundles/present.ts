import { formatCents, toCents } from '../../lib/money.ts';
import type { toDigitalProductFile } from '../product-content/digital-files.ts';
import type { BundleListRow, BundleRow, BusinessRow, LineRow, OptionRow, OptionStoreRow } from './queries.ts';

/** Maps database rows to the contract's objects, so row shapes never reach the wire. */

export type BusinessSummary = ReturnType<typeof toBusiness>;

export function toBusiness(row: BusinessRow) {
  return {
    id: row.id,
    unique_id: row.unique_id,
    username: row.username,
    account_holder: row.account_holder,
    email: row.email,
    phone: row.phone,
  };
}

function userRef(id: number | null, name: string | null, email: string | null) {
  return id === null ? null : { id, name, email };
}

/** The name shown to buyers: the public name when the merchant set one. */
function displayName(name: string, publicName: string | null): string {
  return publicName?.trim() ? publicName : name;
}

function bundleFields(row: BundleRow, business: BusinessSummary) {
  return {
    id: row.id,
    business,
    custom_id: row.custom_id,
    name: row.name,
    public_name: row.public_name,
    description: row.description,
    images: row.images,
    is_bundle_sharing: row.is_bundle_sharing,
    weight_bump: row.weight_bump,
    created_at: row.created_at.toISOString(),
    created_by: userRef(row.created_by_id, row.created_by_name, row.created_by_email),
    last_updated_at: row.last_updated_at.toISOString(),
    last_updated_by: userRef(row.last_updated_by_id, row.last_updated_by_name, row.last_updated_by_email),
  };
}

export function toBundleListItem(row: BundleListRow, business: BusinessSummary) {
  return {
    ...bundleFields(row, business),
    display: displayName(row.name, row.public_name),
    variants_count: Number(row.variants_count),
  };
}

/** `Kaos - Merah / XL`: the product name followed by the variant's option values. */
function variantNames(row: LineRow) {
  const options = [row.option1_value, row.option2_value, row.option3_value]
    .filter((v) => v?.trim())
    .join(' / ');
  const productDisplay = displayName(row.product_name, row.product_public_name);
  return {
    fullname: options ? `${row.product_name} - ${options}` : row.product_name,
    display: options ? `${productDisplay} - ${options}` : productDisplay,
  };
}

type DigitalProductFile = ReturnType<typeof toDigitalProductFile>;

function toLine(row: LineRow, files: DigitalProductFile[]) {
  const names = variantNames(row);
  return {
    id: row.id,
    quantity: row.quantity,
    subtotal: formatCents(toCents(row.price) * BigInt(row.quantity)),
    variant: {
      id: row.variant_id,
      uuid: row.variant_uuid,
      unique_id: row.variant_unique_id,
      name: names.fullname,
      fullname: names.fullname,
      display: names.display,
      product_name: row.product_name,
      item_type: row.item_type,
      option1_value: row.option1_value,
      option2_value: row.option2_value,
      option3_value: row.option3_value,
      sku: row.sku,
      price: row.price,
      price_bt: row.price_bt,
      cogs: row.cogs,
      cogs_bt: row.cogs_bt,
      reseller_price: row.reseller_price,
      reseller_price_bt: row.reseller_price_bt,
      currency: row.currency,
      weight: row.weight,
      pricing_type: row.pricing_type,
      interval: row.interval,
      interval_count: row.interval_count,
      validity_period: row.validity_period,
      validity_period_unit: row.validity_period_unit,
      is_checked: row.is_checked,
      is_editable: row.is_editable,
      images: row.images,
      self_file_urls: row.self_file_urls,
      metadata: row.metadata,
      digital_product_files: files,
      created_at: row.created_at.toISOString(),
      last_updated_at: row.last_updated_at.toISOString(),
      product: {
        id: row.product_id,
        uuid: row.product_uuid,
        name: row.product_name,
        public_name: row.product_public_name,
        display: displayName(row.product_name, row.product_public_name),
        description: row.product_description,
        item_type: row.item_type,
        is_inventory: row.is_inventory,
        is_multiple: row.is_multiple,
        is_product_sharing: row.is_product_sharing,
        option1_name: row.option1_name,
        option2_name: row.option2_name,
        option3_name: row.option3_name,
      },
    },
  };
}

/** Custom domains arrive with the stores area; until then every store answers on its hosted domain. */
export function toDomainStore(row: OptionStoreRow) {
  return { id: row.id, name: row.name, custom_domain: null };
}

export function toStoreRelation(row: OptionStoreRow, business: BusinessSummary) {
  return { id: row.id, name: row.name, unique_id: row.unique_id, business };
}

export function toOptionFields(row: OptionRow) {
  return {
    id: row.id,
    unique_id: row.unique_id,
    name: row.name,
    slug: row.slug,
    price: row.price,
    price_bt: row.price_bt,
    weight_bump: row.weight_bump,
  };
}

/** BundleListSimplified; `owned` (options sold by the for_store_id store) adds is_owned_by_store. */
export function toSimplifiedBundle(
  row: BundleListRow,
  options: OptionRow[],
  owned: ReadonlySet<number> | null,
) {
  return {
    id: row.id,
    name: row.name,
    public_name: row.public_name,
    display: displayName(row.name, row.public_name),
    custom_id: row.custom_id,
    images: row.images,
    is_bundle_sharing: row.is_bundle_sharing,
    weight_bump: row.weight_bump,
    bundle_price_options: options.map((option) => ({
      id: option.id,
      unique_id: option.unique_id,
      name: option.name,
      slug: option.slug,
      price: option.price,
      price_bt: option.price_bt,
      ...(owned ? { is_owned_by_store: owned.has(option.id) } : {}),
    })),
  };
}

export function toPriceOption(row: OptionRow, stores: OptionStoreRow[]) {
  return { ...toOptionFields(row), bundle_id: row.bundle_id, stores: stores.map(toDomainStore) };
}

export const noPages = () => ({ all: [], will_unpublish: [] });

/** Groups rows by a numeric key, keeping their order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

export function toBundle(
  row: BundleRow,
  business: BusinessSummary,
  lines: LineRow[],
  options: OptionRow[],
  storesByOption: Map<number, OptionStoreRow[]>,
  filesOf: (variantId: number) => DigitalProductFile[],
) {
  return {
    ...bundleFields(row, business),
    rich_description: row.rich_description,
    meta_thumbnail: row.meta_thumbnail,
    labels: row.labels.map((name) => ({ name })),
    bundlelines: lines.map((line) => toLine(line, filesOf(line.variant_id))),
    bundle_price_options: options.map((option) => ({
      ...toOptionFields(option),
      stores: (storesByOption.get(option.id) ?? []).map(toDomainStore),
      // Form displays belong to pages (HTML Mode), which cannot reference bundles yet.
      form_displays: [],
      upsell_form_displays: [],
    })),
  };
}
