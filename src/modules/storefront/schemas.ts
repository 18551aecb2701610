import { Type } from '@sinclair/typebox';
import {
  Collection,
  Nullable,
  PageQuery,
  Paginated,
  StorefrontStoreParams,
  Timestamp,
} from '../../http/schemas.ts';

/** Buyer-facing catalog objects: prices, stock and presentation only (no costs, partner or internal data). */

const Money = Type.String({ description: 'Decimal amount, tax inclusive, e.g. "150000.00".' });

export const EntityType = Type.Union([Type.Literal('product'), Type.Literal('bundle_price_option')]);

const StockStatus = Type.Union(
  [Type.Literal('in_stock'), Type.Literal('low_stock'), Type.Literal('out_of_stock')],
  {
    description: '`low_stock` at 5 units or fewer; untracked items are always `in_stock`.',
  },
);

const PriceRange = Type.Object(
  { min: Money, max: Money },
  {
    title: 'StorefrontPriceRange',
    description: 'Lowest and highest variant price (equal for a price option).',
  },
);

const Taxonomy = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    full_path: Type.String({ examples: ['Apparel & Accessories > Clothing > Shirts & Tops'] }),
  },
  { title: 'StorefrontTaxonomy' },
);

/** Fields every storefront catalog entry shares, product or bundle price option. */
const itemFields = {
  id: Type.Integer({ description: 'Product id, or the bundle price option id.' }),
  slug: Type.String(),
  name: Type.String({ description: 'Public name; a price option reads "Bundle - Option".' }),
  description: Nullable(Type.String()),
  meta_thumbnail: Nullable(Type.String()),
  item_type: Type.String({
    description:
      'physical, digital, course, license or subscription; a price option is physical if any line is.',
  }),
  is_multiple: Type.Boolean({ description: 'The product has variants to choose from.' }),
  option1_name: Nullable(Type.String()),
  option2_name: Nullable(Type.String()),
  option3_name: Nullable(Type.String()),
  in_stock: Type.Boolean(),
  price_range: PriceRange,
  images: Type.Array(Type.String()),
  labels: Type.Array(Type.String()),
  taxonomy: Nullable(Taxonomy),
  created_at: Timestamp,
};

export const StorefrontVariant = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    unique_id: Type.String(),
    name: Type.String({ description: 'Product name and option values, e.g. "Kaos Polos - Hitam / M".' }),
    fullname: Type.String({ description: 'Same as `name`, under the older edition’s name clients read.' }),
    option1_value: Nullable(Type.String()),
    option2_value: Nullable(Type.String()),
    option3_value: Nullable(Type.String()),
    sku: Nullable(Type.String()),
    description: Nullable(Type.String()),
    rich_description: Nullable(Type.String()),
    price: Money,
    currency: Type.Literal('IDR'),
    weight: Type.Integer({ description: 'Grams.' }),
    pricing_type: Type.String(),
    interval: Nullable(Type.String()),
    interval_count: Nullable(Type.Integer()),
    validity_period: Nullable(Type.Integer()),
    validity_period_unit: Nullable(Type.String()),
    images: Type.Array(Type.String()),
    available: Type.Boolean(),
    available_qty: Nullable(Type.Integer({ description: 'Null when the product does not track inventory.' })),
    stock_status: StockStatus,
  },
  { title: 'StorefrontVariant' },
);

/** The card's variants: the detail route's variant without its texts, SKU, weight and validity. */
export const StorefrontItemVariant = Type.Pick(
  StorefrontVariant,
  [
    'id',
    'uuid',
    'unique_id',
    'name',
    'fullname',
    'option1_value',
    'option2_value',
    'option3_value',
    'price',
    'currency',
    'pricing_type',
    'interval',
    'interval_count',
    'images',
    'available',
    'available_qty',
    'stock_status',
  ],
  { title: 'StorefrontItemVariant' },
);

export const StorefrontItem = Type.Object(
  {
    ...itemFields,
    entity_type: EntityType,
    bundle_price_option_id: Nullable(Type.Integer({ description: 'Set on price options: use it in carts.' })),
    bundle_id: Nullable(Type.Integer()),
    variants: Type.Array(StorefrontItemVariant, {
      description:
        'A product’s variants in position order, so a card can add one to the cart (`variant_id`) without opening the product; empty for a price option, which is added by `bundle_price_option_id`.',
    }),
  },
  { title: 'StorefrontItem' },
);
export const StorefrontItemPage = Paginated(StorefrontItem, 'StorefrontItemListResponse');

export const StorefrontProduct = Type.Object(
  {
    ...itemFields,
    entity_type: Type.Literal('product'),
    rich_description: Nullable(Type.String()),
    variants: Type.Array(StorefrontVariant),
  },
  { title: 'StorefrontProduct' },
);

export const StorefrontBundleLine = Type.Object(
  {
    variant_id: Type.Integer(),
    variant_unique_id: Type.String(),
    product_id: Type.Integer(),
    product_name: Type.String(),
    name: Type.String(),
    option1_value: Nullable(Type.String()),
    option2_value: Nullable(Type.String()),
    option3_value: Nullable(Type.String()),
    quantity: Type.Integer(),
    item_type: Type.String(),
    price: Type.String({ description: 'The variant bought alone, for showing what the bundle saves.' }),
    weight: Type.Integer(),
    images: Type.Array(Type.String()),
    available: Type.Boolean({ description: 'The store holds at least `quantity` units.' }),
    stock_status: StockStatus,
  },
  { title: 'StorefrontBundleLine' },
);

export const StorefrontBundlePriceOption = Type.Object(
  {
    ...itemFields,
    entity_type: Type.Literal('bundle_price_option'),
    bundle_price_option_id: Type.Integer({ description: 'Use it in cart and checkout items.' }),
    bundle_id: Type.Integer(),
    rich_description: Nullable(Type.String()),
    bundle_name: Type.String(),
    bundle_price_option_name: Type.String(),
    price: Money,
    weight_bump: Type.Integer({ description: 'Grams this price option adds to the parcel.' }),
    bundlelines: Type.Array(StorefrontBundleLine),
  },
  { title: 'StorefrontBundlePriceOption' },
);

export const StorefrontCategory = Type.Object(
  {
    id: Type.Integer({ description: 'Product taxonomy id; filter items with `taxonomy_id`.' }),
    name: Type.String(),
    full_path: Type.String(),
    product_count: Type.Integer({ description: 'Visible products in this category.' }),
  },
  { title: 'StorefrontCategory' },
);
export const StorefrontCategoryList = Collection(StorefrontCategory, 'StorefrontCategoryListResponse');

export const StorefrontPaymentMethod = Type.Object(
  {
    payment_method: Type.String({ description: 'Send it as `payment_method` at checkout.' }),
    name: Type.String(),
    is_epayment: Type.Boolean({ description: 'Paid online through the payment gateway.' }),
    code: Type.String({ description: 'Same as `payment_method`, under the name storefront clients read.' }),
    label: Type.String({ description: 'Same as `name`, under the name storefront clients read.' }),
    enabled: Type.Literal(true, {
      description: 'Always true: only the methods the store enabled are listed.',
    }),
    requires_redirect: Type.Boolean({
      description:
        "The buyer finishes paying on the gateway's page (card, payment link, DANA, ShopeePay, LinkAja) rather than from instructions the store shows.",
    }),
    description: Type.String({ description: 'One sentence on how paying this way works, for the buyer.' }),
    sub_payment_methods: Type.Array(
      Type.Object({ code: Type.String(), name: Type.String() }, { title: 'StorefrontSubPaymentMethod' }),
      { description: 'Choices sent as `sub_payment_method` (virtual account banks).' },
    ),
  },
  { title: 'StorefrontPaymentMethod' },
);
export const StorefrontPaymentMethodList = Collection(
  StorefrontPaymentMethod,
  'StorefrontPaymentMethodListResponse',
);

export const StorefrontVariantPrice = Type.Object(
  {
    variant_id: Type.Integer(),
    unique_id: Type.String(),
    uuid: Type.String({ format: 'uuid' }),
    product_id: Type.Integer(),
    name: Type.String(),
    price: Money,
    currency: Type.Literal('IDR'),
    pricing_type: Type.String(),
    interval: Nullable(Type.String()),
    interval_count: Nullable(Type.Integer()),
  },
  { title: 'StorefrontVariantPrice' },
);
export const StorefrontVariantPriceList = Collection(
  StorefrontVariantPrice,
  'StorefrontVariantPriceListResponse',
);

export const VariantAvailability = Type.Object(
  {
    variant_id: Type.Integer(),
    available: Type.Boolean(),
    available_qty: Nullable(
      Type.Integer({
        minimum: 0,
        description: 'Null for non-inventory variants with unlimited availability.',
      }),
    ),
    stock_status: StockStatus,
  },
  { title: 'VariantAvailability' },
);

export const ItemCount = Type.Object({ total: Type.Integer() }, { title: 'StorefrontItemCount' });

export const StorefrontParams = StorefrontStoreParams;

const storeId = StorefrontStoreParams.properties.store_id;

export const SlugParams = Type.Object({
  store_id: storeId,
  slug: Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[a-z0-9-]+$',
    description: 'Lower-case letters, digits and hyphens, as catalog slugs are written.',
  }),
});

export const VariantParams = Type.Object({
  store_id: storeId,
  variant_id: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'Numeric variant id, its uuid or its `variant_…` unique id.',
  }),
});

const itemFilters = {
  search: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'Words matched against product, bundle and price option names.',
    }),
  ),
  entity_type: Type.Optional(EntityType),
  label: Type.Optional(Type.String({ maxLength: 100, description: 'Exact label.' })),
  taxonomy_id: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Category id from /public/categories.' }),
  ),
};

export const ItemListQuery = Type.Object({ ...PageQuery({ max: 100, default: 25 }), ...itemFilters });
export const ItemCountQuery = Type.Object(itemFilters);

/** Most variants a pricing request names: a full cart page's worth and then some. */
export const MAX_PRICING_IDS = 100;

export const VariantPricingQuery = Type.Object({
  ids: Type.Optional(
    Type.String({
      maxLength: 8000,
      description: `Comma-separated variant ids (numeric, uuid or variant_…), at most ${MAX_PRICING_IDS}.`,
    }),
  ),
});
