import { type Static, Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';
import { STORE_PAYMENT_METHOD_CODES } from '../stores/payment-methods.ts';
import {
  DestinationAddress,
  Money,
  PublicCourierService,
  QuantityMap,
  ShipmentStatusEntry,
  StatusHistoryEntry,
} from './schemas.ts';
import { ORDER_STATUSES, PAYMENT_STATUSES } from './tables.ts';

const Time = Nullable(Timestamp);

/** The payment methods an order may have: a store's, and `marketplace` for orders from marketplaces. */
export const PAYMENT_METHODS = [...STORE_PAYMENT_METHOD_CODES, 'marketplace'] as const;
export const PLATFORMS = [
  'scalev',
  'tiktokshop',
  'tokopedia',
  'shopee',
  'lazada',
  'blibli',
  'bukalapak',
  'orderonline',
  'berdu',
] as const;

/** A member as orders name them (handler, advertiser, last editor). */
const OrderUser = Type.Object(
  {
    id: Type.Integer(),
    fullname: Type.String(),
    email: Type.String(),
    phone: Nullable(Type.String()),
    avatar: Nullable(Type.String()),
    aff_code: Nullable(Type.String()),
  },
  { title: 'OrderUser' },
);

const BusinessOrderline = Type.Object(
  {
    id: Type.Integer(),
    variant: Nullable(Type.Integer({ description: 'Variant id; null on a bundle line.' })),
    bundle_price_option: Nullable(Type.Integer()),
    item_type: Type.String(),
    product_name: Nullable(Type.String()),
    name: Type.String(),
    variant_sku: Nullable(Type.String()),
    variant_option1_value: Nullable(Type.String()),
    variant_option2_value: Nullable(Type.String()),
    variant_option3_value: Nullable(Type.String()),
    quantity: Type.Integer(),
    variant_price: Money,
    variant_price_bt: Money,
    product_price: Money,
    product_price_bt: Money,
    cogs: Money,
    cogs_bt: Money,
    weight: Type.Integer({ description: 'Grams per item.' }),
    is_inventory: Type.Boolean(),
    currency: Type.Literal('IDR'),
  },
  { title: 'BusinessOrderline' },
);

const BusinessOrderCustomer = Type.Object(
  {
    id: Nullable(Type.Integer()),
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
  },
  { title: 'BusinessOrderCustomer' },
);

const BusinessOrderStore = Type.Object(
  { id: Type.Integer(), unique_id: Type.String(), name: Type.String() },
  { title: 'BusinessOrderStore' },
);

const BusinessOrderWarehouse = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    name: Type.String(),
    contact_name: Nullable(Type.String()),
    contact_phone: Nullable(Type.String()),
  },
  { title: 'BusinessOrderWarehouse' },
);

const FinancialEntity = Type.Object(
  { id: Type.Integer(), code: Type.String(), name: Type.String(), entity_type: Type.String() },
  { title: 'OrderFinancialEntity' },
);

/**
 * The order as its business sees it (`getOrder`, list items, bulk answers): the reference's fields
 * that this server records. Money is decimal strings; `tax_rate` a number, as the reference shows.
 */
export const BusinessOrder = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    order_id: Type.String(),
    secret_slug: Type.String(),
    public_order_url: Type.String({ format: 'uri' }),
    payment_url: Type.String({ format: 'uri' }),
    status: Type.Union(ORDER_STATUSES.map((status) => Type.Literal(status))),
    payment_status: Type.Union(PAYMENT_STATUSES.map((status) => Type.Literal(status))),
    draft_time: Time,
    pending_time: Time,
    confirmed_time: Time,
    in_process_time: Time,
    ready_time: Time,
    canceled_time: Time,
    shipped_time: Time,
    completed_time: Time,
    rts_time: Time,
    closed_time: Time,
    unpaid_time: Time,
    paid_time: Time,
    conflict_time: Time,
    status_history: Type.Array(StatusHistoryEntry),
    payment_status_history: Type.Array(StatusHistoryEntry),
    is_probably_spam: Type.Boolean(),
    mark_as_spam_by: Nullable(Type.String()),
    platform: Type.String(),
    external_id: Nullable(Type.String()),
    is_repeat: Type.Boolean(),
    is_from_form: Type.Boolean(),
    is_purchase_fb: Type.Boolean({ description: 'A Purchase event was queued to the store’s Meta pixels.' }),
    is_purchase_tiktok: Type.Boolean(),
    is_purchase_kwai: Type.Boolean(),
    is_dropshipping: Type.Boolean(),
    dropshipper_name: Nullable(Type.String()),
    dropshipper_phone: Nullable(Type.String()),
    tags: Type.Array(Type.String()),
    utm_source: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    agent_context: Nullable(Type.Record(Type.String(), Type.Unknown())),
    business: Type.Object(
      {
        id: Type.Integer(),
        unique_id: Type.String(),
        username: Type.String(),
        account_holder: Type.String(),
      },
      { title: 'BusinessOrderBusiness' },
    ),
    store: BusinessOrderStore,
    warehouse: Nullable(BusinessOrderWarehouse),
    page: Nullable(
      Type.Object({ unique_id: Type.String(), name: Type.String() }, { title: 'BusinessOrderPage' }),
    ),
    handler: Nullable(OrderUser),
    handler_phone: Nullable(Type.String()),
    advertiser: Nullable(OrderUser),
    last_updated_by: Nullable(OrderUser),
    customer: BusinessOrderCustomer,
    destination_address: Nullable(DestinationAddress),
    ip: Nullable(Type.String()),
    chat_message: Type.String(),
    orderlines: Type.Array(BusinessOrderline),
    variants: QuantityMap('Variant'),
    bundle_price_options: QuantityMap('Bundle price option'),
    total_quantity: Type.Integer(),
    product_weight: Type.String({ description: 'Grams.' }),
    total_weight: Type.String({ description: 'Grams.' }),
    tax_rate: Type.Number(),
    product_price: Money,
    product_price_bt: Money,
    product_discount: Money,
    product_discount_bt: Money,
    shipping_cost: Money,
    shipping_discount: Money,
    discount_code_id: Nullable(Type.Integer()),
    discount_code_code: Nullable(Type.String()),
    discount_code_discount: Money,
    unique_code_discount: Money,
    other_income: Money,
    other_income_bt: Money,
    other_income_name: Nullable(Type.String()),
    payment_fee: Money,
    gross_revenue: Money,
    net_revenue: Money,
    cogs: Money,
    cogs_bt: Money,
    payment_method: Type.String(),
    sub_payment_method: Nullable(Type.String()),
    epayment_provider: Nullable(Type.String()),
    pg_reference_id: Nullable(Type.String()),
    pg_payment_info: Type.Record(Type.String(), Type.Unknown()),
    payment_account_id: Nullable(Type.Integer()),
    payment_account_holder: Nullable(Type.String()),
    payment_account_number: Nullable(Type.String()),
    financial_entity: Nullable(FinancialEntity),
    transfer_time: Time,
    transferproof_url: Nullable(Type.String()),
    rtsproof_url: Nullable(Type.String()),
    courier_service: Nullable(PublicCourierService),
    courier_aggregator_code: Nullable(Type.String()),
    shipment_provider_code: Nullable(Type.String()),
    shipment_receipt: Nullable(Type.String()),
    shipment_status: Nullable(Type.String()),
    shipment_status_history: Type.Array(ShipmentStatusEntry),
    courier_additional_info: Nullable(Type.String()),
    awb_status: Type.String(),
    awb_ca_status: Type.String(),
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'BusinessOrder' },
);
export type BusinessOrderObject = Static<typeof BusinessOrder>;

const Flag = Type.Union([Type.Literal('true'), Type.Literal('false')]);
const Since = (what: string) => Type.String({ format: 'date-time', description: `${what} (ISO 8601).` });
const Id = (what: string) => Type.String({ maxLength: 64, description: `Filter by ${what}.` });

export const SEARCH_FIELDS = [
  'order_id',
  'shipment_receipt',
  'external_id',
  'pg_reference_id',
  'gross_revenue',
  'customer_name',
  'customer_email',
  'customer_phone',
] as const;

export const ListOrdersQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  search: Type.Optional(Type.String({ maxLength: 200 })),
  search_field: Type.Optional(
    Type.String({
      maxLength: 50,
      default: 'order_id',
      description: `One of ${SEARCH_FIELDS.join(', ')}; anything else searches order_id.`,
    }),
  ),
  is_probably_spam: Type.Optional(Flag),
  business_role: Type.Optional(Type.Union([Type.Literal('retailer'), Type.Literal('fulfillment_provider')])),
  draft_time_since: Type.Optional(Since('Draft time since')),
  draft_time_until: Type.Optional(Since('Draft time until')),
  confirmed_time_since: Type.Optional(Since('Confirmed time since')),
  confirmed_time_until: Type.Optional(Since('Confirmed time until')),
  shipped_time_since: Type.Optional(Since('Shipped time since')),
  shipped_time_until: Type.Optional(Since('Shipped time until')),
  completed_time_since: Type.Optional(Since('Completed time since')),
  completed_time_until: Type.Optional(Since('Completed time until')),
  is_from_form: Type.Optional(Flag),
  is_repeat: Type.Optional(Flag),
  tags: Type.Optional(
    Type.String({ maxLength: 2000, description: 'Comma-separated; an order with any of them.' }),
  ),
  product_id: Type.Optional(Id('a product the order contains')),
  is_transferproof_exist: Type.Optional(Flag),
  order_id: Type.Optional(Type.String({ maxLength: 64 })),
  awb_ca_status: Type.Optional(
    Type.Union(
      ['unavailable', 'pending', 'waiting', 'failed', 'created', 'canceled'].map((s) => Type.Literal(s)),
    ),
  ),
  status: Type.Optional(Type.Union(ORDER_STATUSES.map((status) => Type.Literal(status)))),
  payment_status: Type.Optional(Type.Union(PAYMENT_STATUSES.map((status) => Type.Literal(status)))),
  payment_method: Type.Optional(Type.Union(PAYMENT_METHODS.map((method) => Type.Literal(method)))),
  shipment_status: Type.Optional(Type.String({ maxLength: 100 })),
  business_id: Type.Optional(Id('business (your own)')),
  store_id: Type.Optional(Id('store (id or unique_id)')),
  warehouse_id: Type.Optional(Id('warehouse (id or unique_id)')),
  courier_id: Type.Optional(Id('courier service')),
  handler_id: Type.Optional(Id('handler (member id)')),
  advertiser_id: Type.Optional(Id('advertiser (member id)')),
  platform: Type.Optional(Type.Union(PLATFORMS.map((platform) => Type.Literal(platform)))),
  financial_entity_id: Type.Optional(Id('bank')),
  page_id: Type.Optional(Id('page (id or unique_id)')),
  external_id: Type.Optional(Type.String({ maxLength: 200 })),
  affiliate_business_id: Type.Optional(Type.Integer({ minimum: 1 })),
  utm_source: Type.Optional(Type.String({ maxLength: 200 })),
  columns: Type.Optional(
    Type.String({ maxLength: 3000, description: 'Comma-separated fields to include (id always is).' }),
  ),
});
export type ListOrdersQueryObject = Static<typeof ListOrdersQuery>;

/** A list item: the whole order, or `id` and the fields `columns` names. */
export const BusinessOrderListItem = Type.Composite(
  [Type.Partial(BusinessOrder), Type.Object({ id: Type.String({ format: 'uuid' }) })],
  { title: 'BusinessOrderListItem' },
);
export const BusinessOrderList = Paginated(BusinessOrderListItem, 'BusinessOrderList');
