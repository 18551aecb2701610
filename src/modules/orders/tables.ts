import type { ColumnType, Generated } from 'kysely';

/** numeric(20,2): read as a decimal string, written as a string (never a binary float). */
type Money = ColumnType<string, string | undefined, string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb is written as its JSON text, which pg and PGlite both cast to the column type. */
type JsonObject = ColumnType<Record<string, unknown>, string | undefined, string>;
type JsonArray<T> = ColumnType<T[], string | undefined, string>;

export const ORDER_STATUSES = [
  'draft',
  'pending',
  'confirmed',
  'in_process',
  'ready',
  'canceled',
  'shipped',
  'shipped_rts',
  'completed',
  'rts',
  'closed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ['unpaid', 'paid', 'conflict', 'settled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export type OrderSource = 'storefront' | 'customer' | 'page' | 'business';
export type OrderActor = 'customer' | 'business' | 'system';

/** Courier service as it was when the order was placed (the courier tables may change later). */
export interface OrderCourierService {
  id: number;
  code: string;
  name: string;
  courier: { code: string; name: string };
}

export interface ShipmentStatusEntry {
  status: string;
  description: string | null;
  timestamp: string;
  timestamp_source: string | null;
}

/** Units of a variant one line item consumes (bundles list their lines). */
export interface OrderlineComponent {
  variant_id: number;
  quantity: number;
  is_inventory: boolean;
}

export interface OrdersTable {
  id: string;
  business_id: number;
  store_id: number;
  order_id: string;
  secret_slug: string;
  source: OrderSource;
  page_id: number | null;
  channel_id: number | null;
  handler_user_id: number | null;
  status: OrderStatus;
  payment_status: ColumnType<PaymentStatus, PaymentStatus | undefined, PaymentStatus>;
  draft_time: NullableTimestamp;
  pending_time: NullableTimestamp;
  confirmed_time: NullableTimestamp;
  in_process_time: NullableTimestamp;
  ready_time: NullableTimestamp;
  canceled_time: NullableTimestamp;
  shipped_time: NullableTimestamp;
  shipped_rts_time: NullableTimestamp;
  completed_time: NullableTimestamp;
  rts_time: NullableTimestamp;
  closed_time: NullableTimestamp;
  unpaid_time: NullableTimestamp;
  paid_time: NullableTimestamp;
  conflict_time: NullableTimestamp;
  settled_time: NullableTimestamp;
  is_probably_spam: Generated<boolean>;

  customer_id: number | null;
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  shipping_address: string | null;
  shipping_location_id: number | null;
  shipping_postal_code: string | null;
  shipping_province: string | null;
  shipping_city: string | null;
  shipping_subdistrict: string | null;

  payment_method: string;
  sub_payment_method: string | null;
  epayment_provider: string | null;
  payment_account_id: number | null;
  financial_entity_id: number | null;
  payment_account_bank: string | null;
  payment_account_number: string | null;
  payment_account_holder: string | null;
  pg_payment_info: JsonObject;
  pg_reference_id: string | null;
  payment_expiration_at: NullableTimestamp;
  transfer_time: NullableTimestamp;
  transferproof_url: string | null;

  courier_service_id: number | null;
  courier_service: ColumnType<OrderCourierService | null, string | null | undefined, string | null>;
  courier_aggregator_code: string | null;
  warehouse_id: number | null;
  shipment_receipt: string | null;
  shipment_status: string | null;
  shipment_status_history: JsonArray<ShipmentStatusEntry>;
  awb_status: Generated<string>;
  total_quantity: number;
  product_weight: Generated<number>;

  tax_rate: Money;
  product_price: Money;
  product_price_bt: Money;
  product_discount: Money;
  product_discount_bt: Money;
  shipping_cost: Money;
  shipping_discount: Money;
  discount_code_discount: Money;
  discount_code_discount_bt: Money;
  unique_code_discount: Money;
  other_income: Money;
  other_income_bt: Money;
  other_income_name: string | null;
  service_fee: Money;
  gross_revenue: Money;
  net_revenue: Money;
  cogs: Money;
  cogs_bt: Money;
  discount_code_id: number | null;
  discount_code_code: string | null;

  notes: string | null;
  redirect_url: string | null;
  client_ip: string | null;
  user_agent: string | null;
  metadata: JsonObject;
  created_at: Generated<Date>;
  last_updated_at: Generated<Date>;

  // Business orders (migration 0023).
  tags: ColumnType<string[], string[] | undefined, string[]>;
  utm_source: ColumnType<string | null, string | null | undefined, string | null>;
  utm_medium: ColumnType<string | null, string | null | undefined, string | null>;
  utm_campaign: ColumnType<string | null, string | null | undefined, string | null>;
  utm_content: ColumnType<string | null, string | null | undefined, string | null>;
  utm_term: ColumnType<string | null, string | null | undefined, string | null>;
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  platform: Generated<string>;
  is_repeat: Generated<boolean>;
  is_from_form: Generated<boolean>;
  advertiser_user_id: ColumnType<number | null, number | null | undefined, number | null>;
  awb_ca_status: Generated<string>;
  shipment_provider_code: ColumnType<string | null, string | null | undefined, string | null>;
  courier_additional_info: ColumnType<string | null, string | null | undefined, string | null>;
  rtsproof_url: ColumnType<string | null, string | null | undefined, string | null>;
  mark_as_spam_by: ColumnType<string | null, string | null | undefined, string | null>;
  agent_context: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  last_updated_by_user_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Orders CSV uploads (migration 0026): the row's key, unique per business. */
  import_key: ColumnType<string | null, string | null | undefined, string | null>;
  is_purchase_fb: Generated<boolean>;
  is_purchase_tiktok: Generated<boolean>;
  is_purchase_kwai: Generated<boolean>;
  /** Sent in another seller's name (`dropshipper_*` shown to the courier and the buyer). */
  is_dropshipping: Generated<boolean>;
  dropshipper_name: ColumnType<string | null, string | null | undefined, string | null>;
  dropshipper_phone: ColumnType<string | null, string | null | undefined, string | null>;
  // Airway-bill bookings (migration 0027).
  /** The booking provider's id for the order's current booking (Biteship's order id, `sbx_…`). */
  shipment_provider_order_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The idempotency key of the latest booking attempt (`<order uuid>:<attempt>`). */
  awb_booking_key: ColumnType<string | null, string | null | undefined, string | null>;
  awb_booking_attempts: Generated<number>;
  awb_booking_started_at: NullableTimestamp;
  /** The latest booking failed in a way that may have booked anyway: held for a check, never rebooked blindly. */
  awb_outcome_unknown: Generated<boolean>;
  /** When the tracking sweep last asked the courier about the booking (migration 0028). */
  shipment_checked_at: NullableTimestamp;
}

export interface OrderMessagesTable {
  id: Generated<number>;
  business_id: number;
  order_id: string;
  follow_up_chat_id: number | null;
  message: string;
  provider: string;
  sender_name: string | null;
  sender_phone: string | null;
  recipient_name: string | null;
  recipient_phone: string | null;
  is_from_bot: Generated<boolean>;
  sent_by_user_id: number | null;
  created_at: Generated<Date>;
}

export interface OrderlinesTable {
  id: Generated<number>;
  business_id: number;
  order_id: string;
  position: number;
  variant_id: number | null;
  bundle_price_option_id: number | null;
  item_type: string;
  name: string;
  product_name: string | null;
  variant_unique_id: string | null;
  bundle_price_option_unique_id: string | null;
  sku: string | null;
  variant_option1_value: string | null;
  variant_option2_value: string | null;
  variant_option3_value: string | null;
  quantity: number;
  unit_price: Money;
  unit_price_bt: Money;
  product_price: Money;
  weight: number;
  is_inventory: boolean;
  cogs: Money;
  cogs_bt: Money;
  components: JsonArray<OrderlineComponent>;
}

export interface OrderStatusHistoriesTable {
  id: Generated<number>;
  business_id: number;
  order_id: string;
  kind: 'status' | 'payment_status';
  status: string;
  changed_at: Generated<Date>;
  actor: OrderActor;
  actor_user_id: number | null;
  by_name: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OrderStockAllocationsTable {
  order_id: string;
  business_id: number;
  variant_id: number;
  warehouse_id: number;
  quantity: number;
  released_at: NullableTimestamp;
}

export interface IdempotencyKeysTable {
  id: Generated<number>;
  business_id: number | null;
  scope: string;
  key: string;
  fingerprint: string;
  state: 'pending' | 'completed';
  /** Who holds the claim: the work's transaction stores its answer only under this token. */
  claim_token: Generated<string>;
  response_status: number | null;
  response_body: string | null;
  created_at: Generated<Date>;
  completed_at: NullableTimestamp;
}

declare module '../../db/schema.ts' {
  interface DB {
    orders: OrdersTable;
    orderlines: OrderlinesTable;
    order_status_histories: OrderStatusHistoriesTable;
    order_stock_allocations: OrderStockAllocationsTable;
    order_messages: OrderMessagesTable;
    idempotency_keys: IdempotencyKeysTable;
  }
}
