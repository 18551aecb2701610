import { type Static, Type } from '@sinclair/typebox';
import { Collection, Nullable, StorefrontStoreParams } from '../../http/schemas.ts';
import { DiscountCode } from '../discounts/schemas.ts';

export const CheckoutParams = StorefrontStoreParams;

/** Most units of one item in one order (the cart's ceiling too). */
export const MAX_ITEM_QUANTITY = 10_000;
export const MAX_ITEMS = 50;

const Money = Type.String({ description: 'Decimal amount in Rupiah, e.g. "150000.00".' });

/** Numeric ids as numbers or numeric strings, or a public id (`variant_…`, variant uuid, `bpo_…`). */
const ItemId = Type.Union([
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ minLength: 1, maxLength: 64 }),
]);

/**
 * The contract's typed checkout item. `type` may be left out when exactly one id says what the
 * item is (`{variant_id, quantity}` as older storefronts send it); the rule is `itemKindOf`, the
 * same for carts.
 */
export const CheckoutItem = Type.Object(
  {
    type: Type.Optional(
      Type.Union([Type.Literal('variant'), Type.Literal('bundle_price_option')], {
        description:
          'Optional when exactly one of `variant_id` and `bundle_price_option_id` is sent: that id says what the item is. Required with both.',
      }),
    ),
    variant_id: Type.Optional(ItemId),
    bundle_price_option_id: Type.Optional(ItemId),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ITEM_QUANTITY, default: 1 })),
  },
  { title: 'StorefrontCheckoutItem' },
);
export type CheckoutItemInput = Static<typeof CheckoutItem>;

const Items = Type.Array(CheckoutItem, {
  minItems: 1,
  maxItems: MAX_ITEMS,
  description: 'Direct item source; without it the guest cart behind X-Scalev-Guest-Token is used.',
});

/**
 * "integer or string" in the contract: a location id as a number or a string of digits. One schema
 * with a type list rather than a union, so type coercion never turns null into "0" on the way.
 */
function LocationId(description: string) {
  return Type.Optional(
    Type.Unsafe<number | string | null>({
      type: ['integer', 'string', 'null'],
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      pattern: '^\\d{1,15}$',
      description,
    }),
  );
}
const PostalCode = Type.String({ maxLength: 10 });
const Code = (description: string) => Type.String({ maxLength: 64, description });
const CourierServiceId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const CheckoutDestination = Type.Object(
  {
    location_id: LocationId('Destination location (subdistrict) id.'),
    postal_code: Type.Optional(Nullable(PostalCode)),
  },
  { title: 'StorefrontCheckoutDestination' },
);

/** A shipping option the client picked earlier; only its ids are read, its cost never. */
const SelectedShippingOption = Type.Object(
  {
    courier_service_id: Type.Optional(Nullable(CourierServiceId)),
    warehouse_unique_id: Type.Optional(Nullable(Code('Warehouse of the option.'))),
  },
  { title: 'StorefrontSelectedShippingOption' },
);

const ClientAmount = Type.Optional(
  Type.Unsafe<string | number | null>({
    type: ['string', 'number', 'null'],
    maxLength: 32,
    description: 'StorefrontMoneyValue. Ignored where the server can compute the amount itself.',
  }),
);

const selectionFields = {
  payment_method: Type.Optional(Nullable(Code('Storefront payment method code selected by the buyer.'))),
  sub_payment_method: Type.Optional(Nullable(Code('VA bank code for `va`.'))),
  courier_service_id: Type.Optional(Nullable(CourierServiceId)),
  warehouse_unique_id: Type.Optional(Nullable(Code('Restricts shipping to this warehouse.'))),
  courier_aggregator_code: Type.Optional(Nullable(Code('Ignored: the server knows its aggregator.'))),
};

export const ShippingOptionsRequest = Type.Object(
  {
    items: Type.Optional(Items),
    destination: Type.Optional(CheckoutDestination),
    payment_method: selectionFields.payment_method,
  },
  { title: 'StorefrontCheckoutShippingOptionsRequest' },
);

export const SummaryRequest = Type.Object(
  {
    items: Type.Optional(Items),
    destination: Type.Optional(CheckoutDestination),
    shipping_location_id: LocationId(
      'Checkout’s name for `destination.location_id`, so a client can price the body it will check out; both must then agree.',
    ),
    shipping_postal_code: Type.Optional(
      Nullable({ ...PostalCode, description: 'Checkout’s name for `destination.postal_code`.' }),
    ),
    ...selectionFields,
    shipping_option: Type.Optional(Nullable(SelectedShippingOption)),
    selected_shipping_option: Type.Optional(Nullable(SelectedShippingOption)),
    discount_code_code: Type.Optional(
      Nullable(Type.String({ maxLength: 100, description: 'Extension: priced as checkout would.' })),
    ),
    shipping_cost: ClientAmount,
  },
  { title: 'StorefrontCheckoutSummaryRequest' },
);

export const DiscountCheckRequest = Type.Object(
  {
    code: Type.String({ maxLength: 100, description: 'Discount code to validate.' }),
    items: Type.Optional(Items),
    destination: Type.Optional(CheckoutDestination),
    ...selectionFields,
    net_product_price: ClientAmount,
    gross_revenue: ClientAmount,
    shipping_cost: ClientAmount,
  },
  { title: 'StorefrontDiscountCodeCheckRequest' },
);

const OptionalText = (maxLength: number, description?: string) =>
  Type.Optional(Nullable(Type.String({ maxLength, ...(description ? { description } : {}) })));
const Deprecated = (maxLength: number, description: string) =>
  Type.Optional(Nullable(Type.String({ maxLength, deprecated: true, description })));

export const CheckoutRequest = Type.Object(
  {
    items: Type.Optional(Items),
    customer_name: Type.String({ maxLength: 200 }),
    customer_email: Type.String({ format: 'email', maxLength: 254 }),
    customer_phone: OptionalText(20),
    shipping_address: OptionalText(1000),
    shipping_province: OptionalText(100),
    shipping_city: OptionalText(100),
    shipping_subdistrict: OptionalText(100),
    shipping_postal_code: Type.Optional(Nullable(PostalCode)),
    shipping_location_id: LocationId('Destination location (subdistrict) id.'),
    address: Deprecated(1000, 'Deprecated: use shipping_address.'),
    location: Deprecated(200, 'Deprecated and ignored: the location id names the place.'),
    location_id: LocationId('Deprecated: use shipping_location_id.'),
    postal_code: Deprecated(10, 'Deprecated: use shipping_postal_code.'),
    payment_method: Code('Storefront payment method code selected by the buyer.'),
    sub_payment_method: selectionFields.sub_payment_method,
    courier_service_id: selectionFields.courier_service_id,
    warehouse_unique_id: selectionFields.warehouse_unique_id,
    courier_aggregator_code: selectionFields.courier_aggregator_code,
    discount_code_code: OptionalText(100),
    notes: OptionalText(2000),
  },
  { title: 'StorefrontCheckoutRequest' },
);

export const ShippingOption = Type.Object(
  {
    courier_service_id: Type.Integer(),
    courier_code: Type.String(),
    service_code: Type.String(),
    name: Type.String(),
    cost: Money,
    etd: Type.String({ description: 'Delivery estimate in days, e.g. "2-3".' }),
    is_cod: Type.Boolean(),
    warehouse_unique_id: Type.String(),
    courier_aggregator_code: Nullable(Type.String()),
  },
  { title: 'StorefrontShippingOption' },
);

export const ShippingOptionList = Collection(ShippingOption, 'StorefrontShippingOptionList');

export const CheckoutSummary = Type.Object(
  {
    product_price: Money,
    product_discount: Money,
    shipping_cost: Money,
    shipping_discount: Money,
    discount_code_discount: Money,
    unique_code_discount: Type.String({
      description: 'Always "0.00" here: the bank-transfer unique code is chosen when the order is created.',
    }),
    other_income: Money,
    other_income_name: Nullable(Type.String()),
    service_fee: Type.String({ description: 'E-payment fee the buyer pays; included in gross_revenue.' }),
    gross_revenue: Type.String({ description: 'What the buyer pays.' }),
  },
  { title: 'StorefrontCheckoutSummary' },
);

export const DiscountCheckResult = Type.Object(
  {
    discount_code: Nullable(DiscountCode),
    eligibility_details: Type.Object(
      {
        reason: Nullable(Type.String({ description: 'Machine code of the first failed rule.' })),
        message: Nullable(Type.String()),
        applied_to: Nullable(Type.String()),
        product_price: Money,
        shipping_cost: Money,
      },
      { title: 'DiscountEligibilityDetails' },
    ),
    is_eligible: Type.Boolean(),
    discount_code_discount: Money,
  },
  { title: 'StorefrontDiscountCodeCheckResult' },
);
