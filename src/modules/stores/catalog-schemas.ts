import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';
import { Business } from '../identity/schemas.ts';
import { StoreParams } from './schemas.ts';

const Money = Type.String({ description: 'Decimal amount, e.g. "150000.00".' });
const ItemType = Type.Union(
  ['physical', 'digital', 'course', 'license', 'subscription'].map((value) => Type.Literal(value)),
);
const PeriodUnit = Type.Union(['day', 'week', 'month', 'year'].map((value) => Type.Literal(value)));
const storeId = StoreParams.properties.store_id;

export const StoreCatalogQuery = Type.Object(PageQuery({ max: 25, default: 25 }));

const StoreProductVariant = Type.Object({
  id: Type.Integer(),
  uuid: Type.String(),
  unique_id: Type.String(),
  name: Type.String(),
  sku: Nullable(Type.String()),
  option1_value: Nullable(Type.String()),
  option2_value: Nullable(Type.String()),
  option3_value: Nullable(Type.String()),
  price: Money,
  price_bt: Money,
  weight: Type.Integer(),
  images: Type.Array(Type.String()),
});

export const StoreProduct = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String(),
    name: Type.String(),
    public_name: Nullable(Type.String()),
    display: Type.String(),
    slug: Type.String(),
    item_type: ItemType,
    is_inventory: Type.Boolean(),
    is_multiple: Type.Boolean(),
    images: Type.Array(Type.String()),
    labels: Type.Array(Type.String()),
    is_hidden_from_listing: Type.Boolean({ description: 'Sold in the store but left out of its listings.' }),
    variants: Type.Array(StoreProductVariant),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'StoreProduct' },
);
export const StoreProductList = Paginated(StoreProduct, 'StoreProductListResponse');

export const StoreBundlePriceOption = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    bundle_id: Type.Integer(),
    name: Type.String(),
    slug: Type.String(),
    price: Money,
    price_bt: Money,
    is_visible: Type.Boolean({ description: 'False when hidden from the store listings.' }),
  },
  { title: 'StoreBundlePriceOption' },
);

export const StoreBundle = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    public_name: Nullable(Type.String()),
    display: Type.String(),
    images: Type.Array(Type.String()),
    bundle_price_options: Type.Array(StoreBundlePriceOption, {
      description: "Only this store's price options.",
    }),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'StoreBundle' },
);
export const StoreBundleList = Paginated(StoreBundle, 'StoreBundleListResponse');

const PageRelation = Type.Object({
  id: Type.Integer(),
  unique_id: Type.String(),
  name: Type.String(),
  business: Business,
});

export const StoreBundlePriceOptionRelations = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    bundle_id: Type.Integer(),
    name: Type.String(),
    slug: Type.String(),
    price: Money,
    price_bt: Money,
    stores: Type.Array(
      Type.Object({ id: Type.Integer(), unique_id: Type.String(), name: Type.String(), business: Business }),
      { description: 'Every store of the business offering this price option.' },
    ),
    pages: Type.Object({
      all: Type.Array(PageRelation),
      will_unpublish: Type.Array(PageRelation),
    }),
  },
  { title: 'BundlePriceOptionExtendedRelation' },
);

export const VariantAvailability = Type.Object(
  {
    available: Type.Boolean(),
    available_qty: Nullable(Type.Integer({ description: 'Null: not inventory-tracked (unlimited).' })),
    stock_status: Type.Union([
      Type.Literal('in_stock'),
      Type.Literal('low_stock'),
      Type.Literal('out_of_stock'),
    ]),
    warehouse_unique_id: Nullable(Type.String({ description: "The store's warehouse, when it has one." })),
  },
  { title: 'StoreVariantAvailability' },
);

export const StoreVariant = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String(),
    unique_id: Type.String(),
    name: Type.String(),
    fullname: Type.String(),
    display: Type.String(),
    product_name: Type.String(),
    item_type: ItemType,
    sku: Nullable(Type.String()),
    option1_value: Nullable(Type.String()),
    option2_value: Nullable(Type.String()),
    option3_value: Nullable(Type.String()),
    price: Money,
    price_bt: Money,
    cogs: Money,
    cogs_bt: Money,
    reseller_price: Money,
    reseller_price_bt: Money,
    currency: Type.String(),
    weight: Type.Integer(),
    pricing_type: Type.Union([Type.Literal('one_time'), Type.Literal('recurring')]),
    interval: Nullable(PeriodUnit),
    interval_count: Nullable(Type.Integer()),
    validity_period: Nullable(Type.Integer()),
    validity_period_unit: Nullable(PeriodUnit),
    is_checked: Type.Boolean(),
    is_editable: Type.Boolean(),
    images: Type.Array(Type.String()),
    image_configs: Type.Record(Type.String(), Type.Unknown()),
    self_file_urls: Type.Array(Type.String()),
    digital_product_files: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    product: Type.Object({
      id: Type.Integer(),
      uuid: Type.String(),
      name: Type.String(),
      display: Type.String(),
      description: Nullable(Type.String()),
      item_type: ItemType,
      is_inventory: Type.Boolean(),
      is_multiple: Type.Boolean(),
      is_product_sharing: Type.Boolean(),
      option1_name: Nullable(Type.String()),
      option2_name: Nullable(Type.String()),
      option3_name: Nullable(Type.String()),
      business: Business,
    }),
    availability: VariantAvailability,
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'StoreVariant' },
);

/** Path ids the contract types as strings: a numeric id, or a public unique id where one exists. */
const PathId = Type.String({ minLength: 1, maxLength: 64 });

export const StoreBundleParams = Type.Object({ store_id: storeId, bundle_id: PathId });
export const StorePriceOptionParams = Type.Object({ store_id: storeId, id: PathId });
export const StoreVariantParams = Type.Object({ store_id: storeId, variant_id: PathId });

export const AttachPriceOptionsRequest = Type.Object(
  {
    bpo_ids: Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), {
      minItems: 1,
      maxItems: 100,
      description: 'Bundle price option ids of this business; already attached ones are left as they are.',
    }),
  },
  { title: 'AttachBundlePriceOptionsRequest' },
);
