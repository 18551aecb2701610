import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../http/schemas.ts';
import { Business } from '../identity/schemas.ts';
import { DigitalProductFile } from './schemas.ts';

/**
 * The Product and Bundle objects duplication answers with. Money is a decimal string like
 * everywhere in this API; relations a copy never carries (stores, form displays, e-mail
 * automation lists) are present and empty.
 */
const Money = Type.String({ description: 'Decimal amount, e.g. "150000.00".' });
const Period = Type.Union([
  Type.Literal('day'),
  Type.Literal('week'),
  Type.Literal('month'),
  Type.Literal('year'),
]);
const ItemType = Type.Union([
  Type.Literal('physical'),
  Type.Literal('digital'),
  Type.Literal('course'),
  Type.Literal('license'),
  Type.Literal('subscription'),
]);

const UserRef = Nullable(
  Type.Object({ id: Type.Integer(), name: Nullable(Type.String()), email: Nullable(Type.String()) }),
);
const Label = Type.Object({ name: Type.String() }, { title: 'ItemLabel' });
const Empty = (description: string) => Type.Array(Type.Object({}), { maxItems: 0, description });

export const ProductVariant = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String(),
    unique_id: Type.String(),
    product_id: Type.Integer(),
    name: Type.String(),
    fullname: Type.String(),
    product_name: Type.String(),
    option1_value: Nullable(Type.String()),
    option2_value: Nullable(Type.String()),
    option3_value: Nullable(Type.String()),
    sku: Nullable(Type.String()),
    description: Nullable(Type.String()),
    rich_description: Nullable(Type.String()),
    price: Money,
    price_bt: Money,
    cogs: Money,
    cogs_bt: Money,
    reseller_price: Money,
    reseller_price_bt: Money,
    currency: Type.String(),
    weight: Type.Integer(),
    item_type: ItemType,
    pricing_type: Type.Union([Type.Literal('one_time'), Type.Literal('recurring')]),
    interval: Nullable(Period),
    interval_count: Nullable(Type.Integer()),
    validity_period: Nullable(Type.Integer()),
    validity_period_unit: Nullable(Period),
    is_checked: Type.Boolean(),
    is_editable: Type.Boolean(),
    images: Type.Array(Type.String()),
    self_file_urls: Type.Array(Type.String()),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    digital_product_files: Type.Array(DigitalProductFile),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'ProductVariant' },
);

const Taxonomy = Type.Object(
  {
    id: Type.Integer(),
    full_path: Type.String(),
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

export const Product = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String(),
    name: Type.String(),
    public_name: Nullable(Type.String()),
    display: Type.String(),
    slug: Type.String(),
    description: Nullable(Type.String()),
    rich_description: Nullable(Type.String()),
    item_type: ItemType,
    item_type_name: Type.String(),
    is_inventory: Type.Boolean(),
    is_multiple: Type.Boolean(),
    is_product_sharing: Type.Boolean(),
    option1_name: Nullable(Type.String()),
    option2_name: Nullable(Type.String()),
    option3_name: Nullable(Type.String()),
    meta_thumbnail: Nullable(Type.String()),
    partnership_sales_letter: Nullable(Type.String()),
    images: Type.Array(Type.String()),
    labels: Type.Array(Label),
    is_affiliate_enabled: Type.Boolean(),
    is_affiliate_auto_accept: Type.Boolean(),
    is_affiliate_pro_enabled: Type.Boolean(),
    affiliate_commission_rate: Nullable(Type.String()),
    affiliate_pro_commission_rate: Nullable(Type.String()),
    taxonomy: Nullable(Taxonomy),
    business: Business,
    created_by: UserRef,
    last_updated_by: UserRef,
    variants_count: Type.Integer(),
    variants: Type.Array(ProductVariant),
    stores: Empty('Store associations are not copied.'),
    warehouses: Empty('Stock is not copied: a copy starts with no stock in any warehouse.'),
    product_mailketing_lists: Empty('Not stored by this server.'),
    product_birdsend_sequences: Empty('Not stored by this server.'),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'Product' },
);

const BundleLine = Type.Object(
  {
    id: Type.Integer(),
    quantity: Type.Integer(),
    subtotal: Type.String({ description: 'Variant price times quantity.' }),
    variant: ProductVariant,
  },
  { title: 'BundleLine' },
);

const BundlePriceOptionForBundle = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    price: Money,
    price_bt: Money,
    weight_bump: Type.Integer(),
    stores: Empty('Store placements are not copied.'),
    form_displays: Empty('Form displays are not copied.'),
    upsell_form_displays: Empty('Form displays are not copied.'),
  },
  { title: 'BundlePriceOptionForBundle' },
);

export const Bundle = Type.Object(
  {
    id: Type.Integer(),
    custom_id: Nullable(Type.String()),
    name: Type.String(),
    public_name: Nullable(Type.String()),
    description: Nullable(Type.String()),
    rich_description: Nullable(Type.String()),
    meta_thumbnail: Nullable(Type.String()),
    images: Type.Array(Type.String()),
    labels: Type.Array(Label),
    weight_bump: Type.Integer(),
    is_bundle_sharing: Type.Boolean(),
    business: Business,
    created_by: UserRef,
    last_updated_by: UserRef,
    bundlelines: Type.Array(BundleLine),
    bundle_price_options: Type.Array(BundlePriceOptionForBundle),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'Bundle' },
);
