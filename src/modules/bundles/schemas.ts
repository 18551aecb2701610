import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';
import { Business } from '../identity/schemas.ts';
import { DigitalProductFile } from '../product-content/schemas.ts';

/** Ids beyond this would lose precision in JSON and overflow nothing useful; larger is a 422. */
const RecordId = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

export const BundleParams = Type.Object({ id: RecordId('Bundle id.') });
export const BundleIdParams = Type.Object({ bundle_id: RecordId('Bundle id.') });
export const PriceOptionParams = Type.Object({
  bundle_id: RecordId('Bundle id.'),
  id: RecordId('Bundle price option id.'),
});

/** Decimal string, two decimals, as every amount on the wire. */
const Money = Type.String({ description: 'Decimal amount, e.g. "250000.00".' });

/**
 * Prices arrive as the reference's JSON number or as a decimal string; the coercing validator turns
 * numbers into their shortest decimal text, and the service checks it (so never a binary float).
 */
const PriceInput = Type.Union([Type.String({ maxLength: 32 }), Type.Number()], {
  description: 'Price including tax: a number or a decimal string with at most two decimals.',
});

/** At least one non-blank character. */
const Name = (description: string) => Type.String({ maxLength: 255, pattern: '\\S', description });
const Text = (maxLength: number, description: string) => Nullable(Type.String({ maxLength, description }));
const Url = Type.String({ format: 'uri', maxLength: 2048 });
const WeightBump = Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Extra weight in grams.' });

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

export const BundlePriceOptionRequest = Type.Object(
  {
    name: Name('Name'),
    price: PriceInput,
    slug: Type.Optional(
      Type.String({
        maxLength: 100,
        pattern: SLUG_PATTERN,
        description:
          'Lower-case letters, digits and hyphens; unique per business. Generated from the name when absent.',
      }),
    ),
    weight_bump: Type.Optional(WeightBump),
  },
  { title: 'BundlePriceOptionRequest' },
);

const BundleLineRequest = Type.Object(
  {
    variant_id: RecordId('Variant id (of this business).'),
    quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
  },
  { title: 'BundleLineCreateRequest' },
);

const Labels = Type.Array(Type.String({ maxLength: 50, pattern: '\\S' }), {
  maxItems: 20,
  description: 'Label names (replaces the bundle labels).',
});

/** Fields create and update share; create adds price options and makes the names required. */
const editable = {
  bundlelines: Type.Optional(
    Type.Array(BundleLineRequest, {
      maxItems: 100,
      description: 'Bundle lines; replaces all lines on update.',
    }),
  ),
  custom_id: Type.Optional(Text(100, 'Custom Identifier')),
  description: Type.Optional(Text(10_000, 'Description')),
  rich_description: Type.Optional(Text(200_000, 'Rich Description')),
  images: Type.Optional(Type.Array(Url, { maxItems: 20 })),
  meta_thumbnail: Type.Optional(Nullable(Url)),
  weight_bump: Type.Optional(WeightBump),
  labels: Type.Optional(Labels),
  is_bundle_sharing: Type.Optional(Type.Boolean()),
};

export const BundleCreateRequest = Type.Object(
  {
    ...editable,
    name: Name('Name'),
    public_name: Name('Public Name'),
    bundle_price_options: Type.Optional(Type.Array(BundlePriceOptionRequest, { maxItems: 50 })),
  },
  { title: 'BundleCreateRequest' },
);

export const BundleUpdateRequest = Type.Object(
  { ...editable, name: Type.Optional(Name('Name')), public_name: Type.Optional(Name('Public Name')) },
  { title: 'BundleUpdateRequest' },
);

const UserRef = Nullable(
  Type.Object(
    { id: Type.Integer(), name: Nullable(Type.String()), email: Nullable(Type.String()) },
    { title: 'UserRef' },
  ),
);

const DomainStore = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    custom_domain: Nullable(
      Type.Object({ id: Type.Integer(), full_url: Type.String(), is_verified: Type.Boolean() }),
    ),
  },
  { title: 'DomainStore' },
);

const StoreRelation = Type.Object(
  { id: Type.Integer(), name: Type.String(), unique_id: Type.String(), business: Business },
  { title: 'StoreRelation' },
);

const PageRelation = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    business: Business,
  },
  { title: 'PageRelation' },
);

/** Pages come with HTML Mode; until then no page can show a bundle, so both lists are empty. */
const PageRelations = Type.Object({
  all: Type.Array(PageRelation),
  will_unpublish: Type.Array(PageRelation),
});

const priceOptionFields = {
  id: Type.Integer(),
  unique_id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  price: Money,
  price_bt: Money,
  weight_bump: Type.Integer(),
};

export const BundlePriceOption = Type.Object(
  { ...priceOptionFields, bundle_id: Type.Integer(), stores: Type.Array(DomainStore) },
  { title: 'BundlePriceOption' },
);
export const BundlePriceOptionList = Paginated(BundlePriceOption, 'ListBundlePriceOptionsResponseBody');

export const BundlePriceOptionExtendedRelation = Type.Object(
  {
    ...priceOptionFields,
    bundle_id: Type.Integer(),
    stores: Type.Array(StoreRelation),
    pages: PageRelations,
  },
  { title: 'BundlePriceOptionExtendedRelation' },
);

const FormDisplay = Type.Object({ id: Type.Integer(), page_display: Type.Object({ id: Type.Integer() }) });

const BundlePriceOptionForBundle = Type.Object(
  {
    ...priceOptionFields,
    stores: Type.Array(DomainStore),
    form_displays: Type.Array(FormDisplay),
    upsell_form_displays: Type.Array(FormDisplay),
  },
  { title: 'BundlePriceOptionForBundle' },
);

const ItemType = Type.Union(
  ['physical', 'digital', 'course', 'license', 'subscription'].map((v) => Type.Literal(v)),
);
const PeriodUnit = Nullable(Type.Union(['day', 'week', 'month', 'year'].map((v) => Type.Literal(v))));

const LineProduct = Type.Object({
  id: Type.Integer(),
  uuid: Type.String(),
  name: Type.String(),
  public_name: Nullable(Type.String()),
  display: Type.String(),
  description: Nullable(Type.String()),
  item_type: ItemType,
  is_inventory: Type.Boolean(),
  is_multiple: Type.Boolean(),
  is_product_sharing: Type.Boolean(),
  option1_name: Nullable(Type.String()),
  option2_name: Nullable(Type.String()),
  option3_name: Nullable(Type.String()),
});

const LineVariant = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String(),
    unique_id: Type.String(),
    name: Type.String(),
    fullname: Type.String(),
    display: Type.String(),
    product_name: Type.String(),
    item_type: ItemType,
    option1_value: Nullable(Type.String()),
    option2_value: Nullable(Type.String()),
    option3_value: Nullable(Type.String()),
    sku: Nullable(Type.String()),
    price: Money,
    price_bt: Money,
    cogs: Money,
    cogs_bt: Money,
    reseller_price: Money,
    reseller_price_bt: Money,
    currency: Type.String(),
    weight: Type.Integer(),
    pricing_type: Type.Union([Type.Literal('one_time'), Type.Literal('recurring')]),
    interval: PeriodUnit,
    interval_count: Nullable(Type.Integer()),
    validity_period: Nullable(Type.Integer()),
    validity_period_unit: PeriodUnit,
    is_checked: Type.Boolean(),
    is_editable: Type.Boolean(),
    images: Type.Array(Type.String()),
    self_file_urls: Type.Array(Type.String()),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    digital_product_files: Type.Array(DigitalProductFile, {
      description: "The variant's files with signed download URLs.",
    }),
    created_at: Timestamp,
    last_updated_at: Timestamp,
    product: LineProduct,
  },
  { title: 'Variant' },
);

const BundleLine = Type.Object(
  {
    id: Type.Integer(),
    quantity: Type.Integer(),
    subtotal: Type.String({ description: 'Variant price times quantity.' }),
    variant: LineVariant,
  },
  { title: 'BundleLine' },
);

const bundleFields = {
  id: Type.Integer(),
  business: Business,
  custom_id: Nullable(Type.String()),
  name: Type.String(),
  public_name: Nullable(Type.String()),
  description: Nullable(Type.String()),
  images: Type.Array(Type.String()),
  is_bundle_sharing: Type.Boolean(),
  weight_bump: Type.Integer(),
  created_at: Timestamp,
  created_by: UserRef,
  last_updated_at: Timestamp,
  last_updated_by: UserRef,
};

export const Bundle = Type.Object(
  {
    ...bundleFields,
    rich_description: Nullable(Type.String()),
    meta_thumbnail: Nullable(Type.String()),
    labels: Type.Array(Type.Object({ name: Type.String() }, { title: 'ItemLabel' })),
    bundlelines: Type.Array(BundleLine),
    bundle_price_options: Type.Array(BundlePriceOptionForBundle),
  },
  { title: 'Bundle' },
);

export const BundleListItem = Type.Object(
  {
    ...bundleFields,
    display: Type.String(),
    variants_count: Type.Integer({ description: 'Number of bundle lines (distinct variants).' }),
  },
  { title: 'BundleList' },
);
export const BundleListResponse = Paginated(BundleListItem, 'ListBundlesResponseBody');

export const BundleListSimplified = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    public_name: Nullable(Type.String()),
    display: Type.String(),
    custom_id: Nullable(Type.String()),
    images: Type.Array(Type.String()),
    is_bundle_sharing: Type.Boolean(),
    weight_bump: Type.Integer(),
    bundle_price_options: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          unique_id: Type.String(),
          name: Type.String(),
          slug: Type.String(),
          price: Money,
          price_bt: Money,
          is_owned_by_store: Type.Optional(
            Type.Boolean({ description: 'Present when for_store_id is sent.' }),
          ),
        },
        { title: 'BundlePriceOptionSimple' },
      ),
    ),
  },
  { title: 'BundleListSimplified' },
);
export const BundleListSimplifiedResponse = Paginated(
  BundleListSimplified,
  'ListBundlesSimplifiedResponseBody',
);

export const BundleCount = Type.Object({ count: Type.Integer() }, { title: 'BundleCount' });

export const BundleRelation = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    business: Business,
    bundle_price_options: Type.Array(
      Type.Object(
        { id: Type.Integer(), name: Type.String(), unique_id: Type.String() },
        { title: 'BundlePriceOptionRelation' },
      ),
    ),
    stores: Type.Array(StoreRelation),
    pages: PageRelations,
  },
  { title: 'BundleRelation' },
);

const StoreFilter = Type.Integer({
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'Only bundles with a price option in this store (numeric store id).',
});

const listFilters = {
  search: Type.Optional(
    Type.String({ maxLength: 200, description: 'Case-insensitive partial match on the bundle name.' }),
  ),
  is_bundle_sharing: Type.Optional(Type.Boolean()),
  store_id: Type.Optional(StoreFilter),
  label: Type.Optional(Type.String({ maxLength: 50, description: 'Exact label name.' })),
};

export const ListBundlesQuery = Type.Object({ ...PageQuery({ max: 25, default: 25 }), ...listFilters });

export const ListBundlesSimplifiedQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  ...listFilters,
  for_store_id: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Adds is_owned_by_store to each price option for this store.',
    }),
  ),
});

/** The reference lists the paging parameters here too; they are accepted and ignored. */
export const CountBundlesQuery = ListBundlesQuery;

export const ListPriceOptionsQuery = Type.Object(PageQuery({ max: 25, default: 25 }));
