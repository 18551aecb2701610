import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';
import { Business } from '../identity/schemas.ts';
import { ProductPartner } from '../partners/schemas.ts';
import { DigitalProductFile } from '../product-content/schemas.ts';

export const ItemType = Type.Union(
  [
    Type.Literal('physical'),
    Type.Literal('digital'),
    Type.Literal('course'),
    Type.Literal('license'),
    Type.Literal('subscription'),
  ],
  { title: 'ItemType', description: 'Type of the product item' },
);
export const PricingType = Type.Union([Type.Literal('one_time'), Type.Literal('recurring')], {
  title: 'PricingType',
});
const PeriodUnit = Type.Union(
  [Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('year')],
  { title: 'PeriodUnit' },
);
const Currency = Type.Literal('IDR', { title: 'Currency' });

/** Money on the wire: a decimal string with two decimals (`"150000.00"`), never a float. */
const Money = (description: string) => Type.String({ description, examples: ['150000.00'] });

/**
 * A decimal amount as a string (`"150000"`, `"150000.50"`) or a JSON number. At most 15 whole
 * digits keeps every value inside numeric(20,2); more than two decimals round to the cent.
 */
const MoneyInput = (description: string) =>
  Type.Union(
    [
      Type.String({
        pattern: '^\\d{1,15}(\\.\\d{1,6})?$',
        maxLength: 22,
        description: 'A decimal number with up to 6 decimals, e.g. "150000.00"',
      }),
      Type.Number({ minimum: 0, maximum: 999_999_999_999_999 }),
    ],
    { description },
  );

const Url = Type.String({ format: 'uri', maxLength: 2048 });
const UrlList = (description: string) => Type.Array(Url, { maxItems: 20, description });
const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });
/** PostgreSQL `integer` ids: the bound turns an oversized id into a 422, not a database error. */
const IntId = (description: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, description });
/** `bigint` ids that still fit a JS number exactly. */
const BigId = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

const UserRef = Nullable(
  Type.Object(
    {
      id: Type.Integer(),
      name: Nullable(Type.String()),
      email: Nullable(Type.String()),
    },
    { title: 'UserRef' },
  ),
);

export const ProductTaxonomy = Type.Object(
  {
    id: Type.Integer(),
    full_path: Type.String({ examples: ['Apparel & Accessories > Clothing > Shirts & Tops'] }),
    level_1: Type.String(),
    level_2: Nullable(Type.String()),
    level_3: Nullable(Type.String()),
    level_4: Nullable(Type.String()),
    level_5: Nullable(Type.String()),
    level_6: Nullable(Type.String()),
    level_7: Nullable(Type.String()),
  },
  { title: 'ProductTaxonomy' },
);

const Label = Type.Object({ name: Type.String() }, { title: 'ItemLabel' });

/** Fields every variant representation shares (VariantList in the contract). */
const variantListFields = {
  id: Type.Integer(),
  uuid: Type.String({ format: 'uuid' }),
  unique_id: Type.String({ description: '`variant_` followed by 24 letters and digits.' }),
  name: Type.String({ description: 'Full name: the product name and the option values.' }),
  product_name: Type.String(),
  item_type: ItemType,
  option1_value: Nullable(Type.String()),
  option2_value: Nullable(Type.String()),
  option3_value: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  price: Money('Price with tax'),
  currency: Currency,
  weight: Type.Integer({ description: 'Grams' }),
  pricing_type: PricingType,
  interval: Nullable(PeriodUnit),
  interval_count: Nullable(Type.Integer()),
  validity_period: Nullable(Type.Integer()),
  validity_period_unit: Nullable(PeriodUnit),
  is_checked: Type.Boolean({ description: 'Sellable' }),
  is_editable: Type.Boolean(),
  images: Type.Array(Type.String()),
  self_file_urls: Type.Array(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  available_qty: Nullable(
    Type.Integer({
      description: 'Stock summed over warehouses; null when the product does not track inventory.',
    }),
  ),
  digital_product_files: Type.Array(DigitalProductFile, {
    description: "The variant's files with signed download URLs; empty on products shared with the caller.",
  }),
};

export const VariantListItem = Type.Object(variantListFields, { title: 'VariantList' });

/** The variant embedded in a full Product (ProductVariant in the contract). */
const variantFields = {
  ...variantListFields,
  product_id: Type.Integer(),
  fullname: Type.String(),
  description: Nullable(Type.String()),
  rich_description: Nullable(Type.String()),
  price_bt: Money('Price before tax'),
  cogs: Money('Cost of goods sold'),
  cogs_bt: Money('Cost of goods sold before tax'),
  reseller_price: Money('Reseller price'),
  reseller_price_bt: Money('Reseller price before tax'),
  form_displays: Type.Array(Type.Object({ id: Type.Integer() })),
  upsell_form_displays: Type.Array(Type.Object({ id: Type.Integer() })),
  created_at: Timestamp,
  last_updated_at: Timestamp,
};
export const ProductVariant = Type.Object(variantFields, { title: 'ProductVariant' });

const productSummaryFields = {
  id: Type.Integer(),
  uuid: Type.String({ format: 'uuid' }),
  name: Type.String(),
  display: Type.String({ description: 'The public name when set, else the name.' }),
  item_type: ItemType,
  item_type_name: Type.String(),
  is_inventory: Type.Boolean(),
  is_multiple: Type.Boolean(),
  is_product_sharing: Type.Boolean(),
  option1_name: Nullable(Type.String()),
  option2_name: Nullable(Type.String()),
  option3_name: Nullable(Type.String()),
  description: Nullable(Type.String()),
  business: Business,
};

const productListFields = {
  ...productSummaryFields,
  public_name: Nullable(Type.String()),
  slug: Type.String(),
  images: Type.Array(Type.String()),
  labels: Type.Array(Label),
  taxonomy_id: Nullable(Type.Integer()),
  is_affiliate_enabled: Type.Boolean(),
  is_affiliate_auto_accept: Type.Boolean(),
  is_affiliate_pro_enabled: Type.Boolean(),
  affiliate_commission_rate: Nullable(Type.String({ description: 'Percent, e.g. "12.50".' })),
  affiliate_pro_commission_rate: Nullable(Type.String({ description: 'Percent, e.g. "12.50".' })),
  custom_domains: Type.Array(
    Type.Object({ id: Type.Integer(), business_id: Type.Integer(), full_url: Type.String() }),
  ),
  product_partners: Type.Union([Type.Array(ProductPartner), Type.Null()], {
    description:
      "The caller's partnerships on a product another business shares with it; null for the caller's own products.",
  }),
  variants_count: Type.Integer(),
  created_by: UserRef,
  last_updated_by: UserRef,
  created_at: Timestamp,
  last_updated_at: Timestamp,
};

export const ProductListItem = Type.Object(
  { ...productListFields, variants: Type.Array(VariantListItem) },
  { title: 'ProductList' },
);

export const Product = Type.Object(
  {
    ...productListFields,
    rich_description: Nullable(Type.String()),
    meta_thumbnail: Nullable(Type.String()),
    partnership_sales_letter: Nullable(Type.String()),
    taxonomy: Nullable(ProductTaxonomy),
    variants: Type.Array(ProductVariant),
    stores: Type.Array(
      Type.Object(
        { id: Type.Integer(), name: Type.String(), unique_id: Type.String(), custom_domain: Type.Null() },
        { title: 'DomainStore' },
      ),
    ),
    warehouses: Type.Array(
      Type.Object(
        { id: Type.Integer(), unique_id: Type.String(), name: Type.String() },
        { title: 'NameOnlyWarehouse' },
      ),
      { description: 'Warehouses with a stock record for any of the variants.' },
    ),
    product_mailketing_lists: Type.Array(Type.Object({})),
    product_birdsend_sequences: Type.Array(Type.Object({})),
  },
  { title: 'Product' },
);

export const SimplifiedProduct = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    name: Type.String(),
    display: Type.String(),
    item_type: ItemType,
    item_type_name: Type.String(),
    images: Type.Array(Type.String()),
    labels: Type.Array(Label),
    variants: Type.Array(VariantListItem),
    is_owned_by_store: Type.Optional(
      Type.Boolean({ description: 'Present when for_store_id is sent: the store sells this product.' }),
    ),
  },
  { title: 'SimplifiedProductList' },
);

export const Variant = Type.Object(
  {
    ...variantFields,
    display: Type.String(),
    image_configs: Type.Record(Type.String(), Type.Unknown()),
    product: Type.Object(productSummaryFields, { title: 'VariantProduct' }),
  },
  { title: 'Variant' },
);

const BusinessRelation = Business;
const StoreRelation = Type.Object(
  { id: Type.Integer(), name: Type.String(), unique_id: Type.String(), business: BusinessRelation },
  { title: 'StoreRelation' },
);
const PageRelations = Type.Object(
  {
    all: Type.Array(
      Type.Object({ id: Type.Integer(), unique_id: Type.String(), name: Type.String(), slug: Type.String() }),
    ),
    will_unpublish: Type.Array(
      Type.Object({ id: Type.Integer(), unique_id: Type.String(), name: Type.String(), slug: Type.String() }),
    ),
  },
  { title: 'PageRelations' },
);

export const ProductRelations = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    variants: Type.Array(
      Type.Object(
        { id: Type.Integer(), name: Type.String(), product_name: Type.String(), item_type: ItemType },
        { title: 'VariantRelation' },
      ),
    ),
    stores: Type.Array(StoreRelation),
    bundles: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          name: Type.String(),
          business: BusinessRelation,
          bundle_price_options: Type.Array(
            Type.Object(
              { id: Type.Integer(), unique_id: Type.String(), name: Type.String() },
              { title: 'BundlePriceOptionRelation' },
            ),
          ),
          stores: Type.Array(StoreRelation),
          pages: PageRelations,
        },
        { title: 'BundleRelation' },
      ),
    ),
    pages: PageRelations,
  },
  { title: 'ProductRelations' },
);

export const ProductPage = Paginated(ProductListItem, 'ListProductsResponseBody');
export const SimplifiedProductPage = Paginated(SimplifiedProduct, 'ListProductsSimplifiedResponseBody');
export const ProductTaxonomyPage = Paginated(ProductTaxonomy, 'ListProductTaxonomiesResponseBody');
export const ProductCount = Type.Object(
  { count: Type.Integer({ description: 'Number of products matching the filters' }) },
  { title: 'CountProductsResponseBody' },
);

// ---- requests ----

const filterFields = {
  search: Type.Optional(Text(200, 'Case-insensitive partial match on the product name')),
  is_inventory: Type.Optional(Type.Boolean()),
  is_product_sharing: Type.Optional(Type.Boolean()),
  warehouse_id: Type.Optional(BigId('Products with a stock record in this warehouse')),
  qty_type: Type.Optional(
    Type.Literal('available_qty', {
      description:
        'Only products with a variant in stock (in warehouse_id when given); products that do not track inventory always qualify.',
    }),
  ),
  store_id: Type.Optional(BigId('Products sold in this store')),
  is_checked: Type.Optional(
    Type.Boolean({ description: 'Products with variants of this is_checked value; only those are shown' }),
  ),
  is_owned: Type.Optional(
    Type.Boolean({
      description:
        'true: only the business’s own products; false: only products other businesses share with it through an active partnership; absent: both.',
    }),
  ),
  item_type: Type.Optional(ItemType),
  label: Type.Optional(Text(64)),
  pricing_type: Type.Optional(PricingType),
};

export const ProductListQuery = Type.Object({ ...PageQuery({ max: 25, default: 25 }), ...filterFields });
export const SimplifiedProductListQuery = Type.Object({
  for_store_id: Type.Optional(BigId('Adds is_owned_by_store for this store')),
  ...PageQuery({ max: 25, default: 25 }),
  ...filterFields,
});
/** The contract lists the page parameters on count too; they are accepted and have no effect. */
export const ProductCountQuery = ProductListQuery;

export const TaxonomyListQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  search: Type.Optional(Text(200, 'Case-insensitive partial match on the full path')),
});

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const ProductIdParams = Type.Object({ product_id: Type.String({ maxLength: 64 }) });

const variantRequestFields = {
  price: MoneyInput('Price with tax'),
  weight: Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Weight in grams' }),
  cogs: Type.Optional(MoneyInput('Cost of goods sold')),
  reseller_price: Type.Optional(MoneyInput('Reseller price')),
  sku: Type.Optional(Nullable(Text(100))),
  description: Type.Optional(Nullable(Text(20_000))),
  rich_description: Type.Optional(Nullable(Text(200_000))),
  option1_value: Type.Optional(Nullable(Text(100))),
  option2_value: Type.Optional(Nullable(Text(100))),
  option3_value: Type.Optional(Nullable(Text(100))),
  images: Type.Optional(UrlList('Image URLs')),
  self_file_urls: Type.Optional(UrlList('Self-hosted file URLs')),
  is_checked: Type.Optional(Type.Boolean()),
  metadata: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 })),
  currency: Type.Optional(Currency),
  pricing_type: Type.Optional(PricingType),
  interval: Type.Optional(Nullable(PeriodUnit)),
  interval_count: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  validity_period: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 36_500 }))),
  validity_period_unit: Type.Optional(Nullable(PeriodUnit)),
};

const MAX_VARIANTS = 100;

const productRequestFields = {
  name: Type.String({ minLength: 1, maxLength: 255 }),
  item_type: ItemType,
  public_name: Type.Optional(Nullable(Text(255))),
  slug: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 120,
      pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
      description: 'Lower-case letters, digits and single hyphens; generated from the name when absent.',
    }),
  ),
  description: Type.Optional(Nullable(Text(20_000))),
  rich_description: Type.Optional(Nullable(Text(200_000))),
  is_inventory: Type.Optional(Type.Boolean()),
  is_multiple: Type.Optional(Type.Boolean()),
  is_product_sharing: Type.Optional(Type.Boolean()),
  meta_thumbnail: Type.Optional(Nullable(Url)),
  option1_name: Type.Optional(Nullable(Text(64))),
  option2_name: Type.Optional(Nullable(Text(64))),
  option3_name: Type.Optional(Nullable(Text(64))),
  partnership_sales_letter: Type.Optional(Nullable(Text(20_000))),
  taxonomy_id: Type.Optional(Nullable(IntId('Product taxonomy id'))),
  images: Type.Optional(UrlList('Product image URLs')),
  labels: Type.Optional(
    Type.Array(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Label]), {
      maxItems: 30,
      description: 'Label names (strings or {name} objects)',
    }),
  ),
};

export const CreateProductRequest = Type.Object(
  {
    ...productRequestFields,
    variants: Type.Optional(
      Type.Array(Type.Object(variantRequestFields, { title: 'RequestVariant' }), {
        minItems: 1,
        maxItems: MAX_VARIANTS,
        description:
          'Leave out for one variant without options at price 0 and weight 0 (monthly recurring for a subscription), to price later; required when the product names options.',
      }),
    ),
  },
  { title: 'CreateRequestProduct' },
);

export const UpdateProductRequest = Type.Object(
  {
    ...productRequestFields,
    variants: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.Optional(BigId('Variant to update; leave out to create one')),
            variant_id: Type.Optional(BigId('Same as id (the contract name)')),
            is_deleted: Type.Optional(Type.Boolean({ description: 'Remove this variant' })),
            ...variantRequestFields,
          },
          { title: 'RequestVariant' },
        ),
        {
          maxItems: MAX_VARIANTS,
          description:
            'The complete variant list: entries with an id update that variant, entries without one are created, and variants left out are removed.',
        },
      ),
    ),
  },
  { title: 'UpdateRequestProduct' },
);
