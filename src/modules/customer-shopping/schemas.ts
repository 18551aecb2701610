import { type Static, Type } from '@sinclair/typebox';
import {
  Collection,
  Nullable,
  PageQuery,
  Paginated,
  StorefrontStoreParams,
  Timestamp,
} from '../../http/schemas.ts';
import { CheckoutItem, MAX_ITEMS } from '../checkout/schemas.ts';
import { CustomerAddress } from '../customers/schemas.ts';
import { PublicOrderSchema } from '../orders/schemas.ts';
import { StorefrontPaymentMethod } from '../storefront/schemas.ts';

export const StoreParams = StorefrontStoreParams;

/**
 * The contract's "integer or string" for ids: a number or a string of digits. One schema with a
 * type list rather than a union, so type coercion never turns null into "0" on the way.
 */
function NumericId(description: string) {
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

const Items = (purpose: string) =>
  Type.Optional(
    Type.Array(CheckoutItem, {
      minItems: 1,
      maxItems: MAX_ITEMS,
      description: `Optional direct item source. If supplied, these items are used for ${purpose}. Otherwise cart_id (or, without it, the customer's cart) is used.`,
    }),
  );

const Code = (description: string) => Type.Optional(Nullable(Type.String({ maxLength: 64, description })));
const OptionalText = (maxLength: number, description?: string) =>
  Type.Optional(Nullable(Type.String({ maxLength, ...(description ? { description } : {}) })));

const cartId = NumericId('Authenticated customer cart ID to use when items is omitted.');
const addressId = NumericId(
  'One of the customer’s saved addresses: its location, postal code and address fill what the body leaves out.',
);
const locationId = NumericId('Destination location (subdistrict) id.');
const postalCode = Type.Optional(Nullable(Type.String({ maxLength: 10 })));
const paymentMethod = Code('Customer checkout payment method code selected by the buyer.');

const SelectedShippingOption = Type.Object(
  {
    courier_service_id: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    ),
    warehouse_unique_id: Code('Warehouse of the option.'),
  },
  { title: 'CustomerSelectedShippingOption' },
);

export const CustomerShippingOptionsRequest = Type.Object(
  {
    items: Items('the shipping-options calculation'),
    cart_id: cartId,
    address_id: addressId,
    location_id: locationId,
    postal_code: postalCode,
    payment_method: paymentMethod,
  },
  { title: 'CustomerCheckoutShippingOptionsRequest' },
);
export type CustomerShippingOptionsBody = Static<typeof CustomerShippingOptionsRequest>;

const courierServiceId = Type.Optional(
  Nullable(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
);

export const CustomerSummaryRequest = Type.Object(
  {
    items: Items('the checkout summary'),
    cart_id: cartId,
    address_id: addressId,
    location_id: locationId,
    postal_code: postalCode,
    shipping_cost: Type.Optional(
      Type.Unsafe<string | number | null>({
        type: ['string', 'number', 'null'],
        maxLength: 32,
        description: 'Ignored: the shipping cost is recomputed from the selected courier service.',
      }),
    ),
    courier_service_id: courierServiceId,
    warehouse_unique_id: Code('Restricts shipping to this warehouse.'),
    courier_aggregator_code: Code('Ignored: the server knows its aggregator.'),
    shipping_option: Type.Optional(Nullable(SelectedShippingOption)),
    selected_shipping_option: Type.Optional(Nullable(SelectedShippingOption)),
    payment_method: paymentMethod,
    sub_payment_method: Code('VA bank code for `va`.'),
    discount_code_code: OptionalText(100, 'Extension: priced as checkout would.'),
  },
  { title: 'CustomerCheckoutSummaryRequest' },
);
export type CustomerSummaryBody = Static<typeof CustomerSummaryRequest>;

export const CustomerCheckoutRequest = Type.Object(
  {
    items: Items('the order'),
    cart_id: cartId,
    address_id: addressId,
    address: OptionalText(1000),
    location_id: locationId,
    postal_code: postalCode,
    payment_method: Type.String({
      maxLength: 64,
      description: 'Customer checkout payment method code selected by the buyer.',
    }),
    sub_payment_method: Code('VA bank code for `va`.'),
    courier_service_id: courierServiceId,
    warehouse_unique_id: Code('Restricts shipping to this warehouse.'),
    courier_aggregator_code: Code('Ignored: the server knows its aggregator.'),
    discount_code_code: OptionalText(100),
    notes: OptionalText(2000),
    customer_name: OptionalText(200, 'Extension: defaults to the customer’s name.'),
    customer_email: Type.Optional(
      Nullable(
        Type.String({
          format: 'email',
          maxLength: 254,
          description: 'Extension: defaults to the customer’s e-mail.',
        }),
      ),
    ),
    customer_phone: OptionalText(
      20,
      'Extension: defaults to the saved address’s phone, then the customer’s phone.',
    ),
  },
  { title: 'CustomerCheckoutRequest' },
);
export type CustomerCheckoutBody = Static<typeof CustomerCheckoutRequest>;

export const CheckoutAddressList = Collection(CustomerAddress, 'CustomerCheckoutAddressListResponse');

const PaymentAccount = Type.Object(
  {
    unique_id: Type.String(),
    account_number: Type.String(),
    account_holder: Type.String(),
    financial_entity: Type.Object(
      { id: Type.Integer(), code: Type.String(), name: Type.String(), entity_type: Type.String() },
      { title: 'FinancialEntity' },
    ),
  },
  { title: 'CustomerCheckoutPaymentAccount' },
);

export const CheckoutPaymentMethods = Type.Object(
  {
    payment_methods: Type.Array(StorefrontPaymentMethod),
    xendit_va_bank_codes: Type.Record(Type.String(), Type.String(), {
      description: 'Virtual account banks the store offers: bank code -> name (empty without `va`).',
    }),
    payment_accounts: Type.Array(PaymentAccount, {
      description:
        'Where bank-transfer buyers pay: the business’s active accounts (empty without `bank_transfer`).',
    }),
  },
  { title: 'CustomerCheckoutPaymentMethods' },
);
export type CheckoutPaymentMethodsObject = Static<typeof CheckoutPaymentMethods>;

/** The buyer-safe order plus the dates and quantities the contract's customer order shows. */
export const CustomerOrder = Type.Object(
  {
    ...PublicOrderSchema.properties,
    pending_time: Nullable(Timestamp),
    confirmed_time: Nullable(Timestamp),
    in_process_time: Nullable(Timestamp),
    ready_time: Nullable(Timestamp),
    shipped_time: Nullable(Timestamp),
    completed_time: Nullable(Timestamp),
    rts_time: Nullable(Timestamp),
    canceled_time: Nullable(Timestamp),
    closed_time: Nullable(Timestamp),
    unpaid_time: Nullable(Timestamp),
    created_at: Timestamp,
    last_updated_at: Timestamp,
    total_quantity: Type.Integer(),
    product_weight: Type.Integer({ description: 'Grams.' }),
    shipment_status: Nullable(Type.String()),
    notes: Nullable(Type.String()),
  },
  { title: 'CustomerOrder' },
);
export type CustomerOrderObject = Static<typeof CustomerOrder>;

export const CustomerOrderList = Paginated(CustomerOrder, 'CustomerOrderListResponse');

export const CustomerOrderListQuery = Type.Object(PageQuery({ max: 25, default: 25 }));

export const CustomerOrderParams = Type.Object({
  store_id: StorefrontStoreParams.properties.store_id,
  id: Type.String({ minLength: 1, maxLength: 64, description: 'Order UUIDv7 id.' }),
});
