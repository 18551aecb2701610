import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../http/schemas.ts';

export const Money = Type.String({ description: 'Decimal amount, e.g. "150000.00".' });

const PublicBusiness = Type.Object(
  {
    unique_id: Type.String(),
    username: Type.String(),
    account_holder: Type.String({ description: 'Business name shown to buyers.' }),
    email: Nullable(Type.String()),
    logo: Nullable(Type.String()),
  },
  { title: 'PublicOrderBusiness' },
);

const PublicPaymentAccount = Type.Object(
  {
    unique_id: Type.String({ description: 'Send as `payment_account` when updating the order.' }),
    account_number: Type.String(),
    account_holder: Type.String(),
    financial_entity: Type.Object(
      { id: Type.Integer(), code: Type.String(), name: Type.String(), entity_type: Type.String() },
      { title: 'FinancialEntity' },
    ),
  },
  { title: 'PublicOrderPaymentAccount' },
);

const PublicStore = Type.Object(
  {
    unique_id: Type.String(),
    name: Type.String(),
    logo: Nullable(Type.String()),
    is_transferproof_required: Type.Boolean(),
    payment_accounts: Type.Array(PublicPaymentAccount, {
      description: 'Where to transfer: the store’s active accounts on bank-transfer orders, otherwise empty.',
    }),
  },
  { title: 'PublicOrderStore' },
);

export const StatusHistoryEntry = Type.Object(
  {
    status: Type.String(),
    time: Timestamp,
    by: Nullable(Type.String({ description: '`customer`, `merchant` or `system`.' })),
  },
  { title: 'OrderStatusHistoryEntry' },
);

export const ShipmentStatusEntry = Type.Object(
  {
    status: Type.String(),
    description: Nullable(Type.String()),
    timestamp: Timestamp,
    timestamp_source: Nullable(Type.String()),
  },
  { title: 'ShipmentStatusHistory' },
);

export const PublicCourierService = Type.Object(
  {
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    courier: Type.Object({ code: Type.String(), name: Type.String() }, { title: 'Courier' }),
  },
  { title: 'CourierService' },
);

const PublicOrderline = Type.Object(
  {
    variant_id: Nullable(Type.Integer()),
    bundle_price_option_id: Nullable(Type.Integer()),
    item_type: Type.String(),
    name: Type.String({
      description: 'The line as the buyer chose it (variant or bundle price option name).',
    }),
    product_name: Nullable(Type.String()),
    variant_option1_value: Nullable(Type.String()),
    variant_option2_value: Nullable(Type.String()),
    variant_option3_value: Nullable(Type.String()),
    quantity: Type.Integer(),
    variant_price: Money,
    product_price: Type.String({ description: 'variant_price × quantity.' }),
    weight: Type.Integer({ description: 'Grams per item.' }),
  },
  { title: 'PublicOrderLine' },
);

export const DestinationAddress = Type.Object(
  {
    name: Type.String(),
    phone: Nullable(Type.String()),
    email: Nullable(Type.String()),
    address: Nullable(Type.String()),
    province: Nullable(Type.String()),
    city: Nullable(Type.String()),
    subdistrict: Nullable(Type.String()),
    postal_code: Nullable(Type.String()),
    location_id: Nullable(Type.Integer()),
  },
  { title: 'OrderAddress' },
);

const PublicCustomer = Type.Object(
  {
    id: Nullable(Type.Integer()),
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
  },
  { title: 'PublicOrderCustomer' },
);

export const QuantityMap = (what: string) =>
  Type.Record(Type.String(), Type.Integer(), { description: `${what} id -> quantity ordered.` });

/**
 * The buyer-safe order: what checkout answers and what `secret_slug` routes read and update.
 * Never carries cogs, revenue splits, platform fees, affiliate data or other tables' internal ids
 * beyond those the contract shows (`customer_id`, the variant and bundle price option ids buyers
 * already send).
 */
export const PublicOrderSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    business: PublicBusiness,
    secret_slug: Type.String(),
    public_order_url: Type.String({ format: 'uri' }),
    payment_url: Type.String({ format: 'uri' }),
    redirect_url: Type.String({
      format: 'uri',
      description: 'Where to send the buyer after checkout; defaults to the hosted success page.',
    }),
    order_id: Type.String(),
    status: Type.String(),
    payment_status: Type.String(),
    is_probably_spam: Type.Boolean(),
    draft_time: Nullable(Timestamp),
    paid_time: Nullable(Timestamp),
    transfer_time: Nullable(Timestamp),
    transferproof_url: Nullable(Type.String()),
    handler_phone: Nullable(Type.String()),
    chat_message: Type.String({
      description: 'Prefilled message for contacting the seller about this order.',
    }),
    customer_id: Nullable(Type.Integer()),
    discount_code_code: Nullable(Type.String()),
    page: Nullable(
      Type.Object({ unique_id: Type.String(), name: Type.String() }, { title: 'PublicOrderPage' }),
    ),
    gross_revenue: Type.String({ description: 'What the buyer pays.' }),
    product_price: Money,
    product_discount: Money,
    shipping_cost: Money,
    shipping_discount: Money,
    other_income: Money,
    other_income_name: Nullable(Type.String()),
    unique_code_discount: Money,
    discount_code_discount: Money,
    pg_payment_info: Type.Record(Type.String(), Type.Unknown()),
    status_history: Type.Array(StatusHistoryEntry),
    payment_method: Type.String(),
    sub_payment_method: Nullable(Type.String()),
    epayment_provider: Nullable(Type.String()),
    payment_account_holder: Nullable(Type.String()),
    payment_account_number: Nullable(Type.String()),
    shipment_status_history: Type.Array(ShipmentStatusEntry),
    shipment_receipt: Nullable(Type.String()),
    courier_service: Nullable(PublicCourierService),
    variants: QuantityMap('Variant'),
    bundle_price_options: QuantityMap('Bundle price option'),
    orderlines: Type.Array(PublicOrderline),
    payment_expiration_at: Nullable(Timestamp),
    store_custom_domain: Nullable(Type.Object({ id: Type.Integer(), url: Type.String() })),
    store: PublicStore,
    destination_address: Nullable(DestinationAddress),
    customer: PublicCustomer,
  },
  { title: 'PublicOrder' },
);

export type PublicOrder = Static<typeof PublicOrderSchema>;
