import { Type } from '@sinclair/typebox';
import { BusinessStoreParams, Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';
import { STORE_PAYMENT_METHOD_CODES, VA_BANK_CODES } from './payment-methods.ts';

const Enum = <T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  );

/** Decimal money on the wire; numbers are accepted too (the validator turns them into strings). */
const MoneyInput = Type.String({
  pattern: '^\\d{1,18}(\\.\\d{1,2})?$',
  description: 'A decimal amount with up to 2 decimals, e.g. "5000.00".',
});
const Money = Type.String({ description: 'Decimal amount, e.g. "5000.00".' });
const Percentage = Type.Number({ minimum: 0, maximum: 100, description: 'Percent: 2.5 means 2.5%.' });
const Count = (max: number) => Type.Integer({ minimum: 0, maximum: max });

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
const PURCHASE_TRIGGERS = ['public_upload', 'internal_upload', 'confirmed', 'shipped', 'completed'] as const;
const AmountType = Enum(['fixed', 'percentage'] as const);

export const PaymentMethodCode = Enum(STORE_PAYMENT_METHOD_CODES);
export const VaBankCode = Enum(VA_BANK_CODES);

const StatusList = Type.Array(Enum(ORDER_STATUSES), { maxItems: ORDER_STATUSES.length, uniqueItems: true });
const TriggerList = Type.Array(Enum(PURCHASE_TRIGGERS), {
  maxItems: PURCHASE_TRIGGERS.length,
  uniqueItems: true,
});

export const StoreMethodOtherIncomeInput = Type.Object(
  {
    payment_method: PaymentMethodCode,
    sub_payment_method: Type.Optional(Nullable(VaBankCode)),
    type: AmountType,
    amount: Type.Optional(MoneyInput),
    percentage: Type.Optional(Percentage),
  },
  { title: 'StorePaymentMethodOtherIncome' },
);

const StoreCourierOtherIncome = Type.Object(
  {
    courier_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    type: AmountType,
    amount: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
    percentage: Type.Optional(Percentage),
  },
  { title: 'StoreCourierOtherIncome' },
);

const StoreSalesPersonInput = Type.Object(
  {
    user_id: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'A verified member of the business.',
    }),
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Rotator weight.' })),
    is_active: Type.Optional(Type.Boolean()),
  },
  { title: 'StoreSalesPersonInput' },
);

/** Audiences are opaque ad-platform settings: bounded objects kept as given. */
const StoreCustomAudience = Type.Object(
  {},
  {
    additionalProperties: Type.Union([
      Type.String({ maxLength: 500 }),
      Type.Number(),
      Type.Boolean(),
      Type.Null(),
    ]),
    maxProperties: 20,
  },
);

/** The store settings a merchant edits with updateBusinessStore (all but name/custom_domain_id/logo). */
const settingInputs = {
  is_public: Type.Boolean(),
  warehouse_id: Nullable(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  is_auto_expire: Type.Boolean(),
  auto_expire_days: Type.Integer({ minimum: 1, maximum: 365 }),
  is_discount_editable: Type.Boolean(),
  is_unique_code: Type.Boolean(),
  max_unique_code_amount: Count(1_000_000),
  is_postal_code: Type.Boolean(),
  postal_code_requirement: Enum(['autofill', 'manual'] as const),
  is_customer_otp_required: Type.Boolean(),
  is_manual_shipping_cost: Type.Boolean(),
  is_courier_required: Type.Boolean(),
  is_transferproof_required: Type.Boolean(),
  is_dropshipping_allowed: Type.Boolean(),
  is_moota_enabled: Type.Boolean(),
  email_notification_statuses: StatusList,
  email_reply_to_id: Nullable(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  email_reply_to_assignment: Enum(['fixed', 'rotator'] as const),
  is_email_new_order: Type.Boolean(),
  is_email_notifications: Type.Boolean(),
  whatsapp_notification_statuses: StatusList,
  is_whatsapp_new_order: Type.Boolean(),
  is_whatsapp_payment_d1_fu: Type.Boolean(),
  is_whatsapp_payment_d2_fu: Type.Boolean(),
  is_whatsapp_payment_last_fu: Type.Boolean(),
  is_whatsapp_link_download: Type.Boolean(),
  non_cod_purchase_triggers: TriggerList,
  cod_purchase_triggers: TriggerList,
  capi_purchase_value_type: Enum(['gross_revenue', 'net_revenue', 'adj_gross_revenue'] as const),
  days_of_payment_processing: Count(365),
  is_show_download_invoice: Type.Boolean(),
  is_show_whatsapp: Type.Boolean(),
  is_fuc_product_enabled: Type.Boolean(),
  is_fuc_bundle_enabled: Type.Boolean(),
  is_advanced_validation: Type.Boolean(),
  min_name_length: Count(255),
  min_address_length: Count(1000),
  max_per_phone: Count(1_000_000),
  max_per_ip: Count(1_000_000),
  blocked_message: Type.String({ maxLength: 1000 }),
  is_order_hard_filter: Type.Boolean(),
  is_customer_spam_filter: Type.Boolean(),
  is_ip_spam_filter: Type.Boolean(),
  is_spam_filter: Type.Boolean(),
  is_use_waba: Type.Boolean(),
  waba_account_id: Nullable(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  greeting_message: Type.String({ maxLength: 4000 }),
  inactivity_period: Count(1_000_000),
  is_greeting_message_enabled: Type.Boolean(),
  digital_only_complete_type: Enum(['auto', 'when_settled', 'manual'] as const),
  auto_other_income: Enum(['off', 'fixed', 'dynamic'] as const, {
    description:
      'Which automatic other income applies: none, the fixed amount, or the dynamic per-method defaults.',
  }),
  fixed_auto_other_income: MoneyInput,
  other_income_name: Type.String({ maxLength: 100 }),
  dynamic_other_income_cod_type: AmountType,
  dynamic_other_income_cod_default_amount: MoneyInput,
  dynamic_other_income_cod_default_percentage: Percentage,
  dynamic_other_income_epayment_type: AmountType,
  dynamic_other_income_epayment_default_amount: MoneyInput,
  dynamic_other_income_epayment_default_percentage: Percentage,
  store_courier_other_incomes: Type.Array(StoreCourierOtherIncome, { maxItems: 100 }),
  store_method_other_incomes: Type.Array(StoreMethodOtherIncomeInput, { maxItems: 100 }),
  store_sales_people: Type.Array(StoreSalesPersonInput, { maxItems: 100 }),
  store_custom_audiences: Type.Array(StoreCustomAudience, { maxItems: 50 }),
};

/** The settings columns updateBusinessStore writes; any other body key is ignored, never written. */
export const SETTING_KEYS = Object.keys(settingInputs).filter((key) => !key.startsWith('store_')) as Array<
  Exclude<keyof typeof settingInputs, `store_${string}`>
>;

const StoreName = Type.String({ minLength: 1, maxLength: 100 });
const CustomDomainId = Nullable(
  Type.Integer({
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Custom domains are not available yet: only null is accepted.',
  }),
);

export const CreateStoreRequest = Type.Object(
  { name: StoreName, custom_domain_id: Type.Optional(CustomDomainId) },
  { title: 'CreateStoreRequest' },
);

export const UpdateStoreRequest = Type.Partial(
  Type.Object({
    name: StoreName,
    custom_domain_id: CustomDomainId,
    logo: Nullable(
      Type.String({ maxLength: 2048, description: 'Logo URL; an empty string or null clears it.' }),
    ),
    ...settingInputs,
  }),
  { title: 'UpdateStoreRequest' },
);

/** Response shapes of the settings: money as decimal strings, everything else as written. */
const settingOutputs = {
  ...settingInputs,
  fixed_auto_other_income: Money,
  dynamic_other_income_cod_default_amount: Money,
  dynamic_other_income_epayment_default_amount: Money,
  store_method_other_incomes: Type.Array(
    Type.Object({
      payment_method: Type.String(),
      sub_payment_method: Nullable(Type.String()),
      type: AmountType,
      amount: Money,
      percentage: Type.Number(),
    }),
  ),
  store_sales_people: Type.Array(
    Type.Object({
      id: Type.Integer(),
      user_id: Type.Integer(),
      name: Type.String(),
      email: Type.String(),
      weight: Type.Integer(),
      is_active: Type.Boolean(),
    }),
  ),
  store_courier_other_incomes: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  store_custom_audiences: Type.Array(Type.Record(Type.String(), Type.Unknown())),
};

export const Store = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    uuid: Type.String({ format: 'uuid' }),
    name: Type.String(),
    business_id: Type.Integer(),
    is_active: Type.Boolean(),
    logo: Nullable(Type.String()),
    custom_domain: Nullable(Type.Object({ id: Type.Integer(), url: Type.String() })),
    payment_methods: Type.Array(Type.String(), { description: 'Enabled payment method codes.' }),
    sub_payment_methods: Type.Array(Type.String(), { description: 'Enabled virtual-account bank codes.' }),
    xendit_va_bank_codes: Type.Array(Type.String(), { description: 'Same as sub_payment_methods.' }),
    products: Type.Array(
      Type.Object({
        id: Type.Integer(),
        uuid: Type.String(),
        name: Type.String(),
        slug: Type.String(),
        item_type: Type.String(),
        is_hidden_from_listing: Type.Boolean(),
      }),
    ),
    bundle_price_options: Type.Array(
      Type.Object({
        id: Type.Integer(),
        unique_id: Type.String(),
        bundle_id: Type.Integer(),
        name: Type.String(),
        price: Money,
        is_visible: Type.Boolean(),
      }),
    ),
    bundles: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), display: Type.String() })),
    warehouse: Nullable(Type.Object({ id: Type.Integer(), unique_id: Type.String(), name: Type.String() })),
    ...settingOutputs,
    created_at: Timestamp,
    last_updated_at: Timestamp,
  },
  { title: 'Store' },
);

export const StoreList = Paginated(Store, 'StoreListResponse');

export const SimplifiedStore = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    uuid: Type.String({ format: 'uuid' }),
    name: Type.String(),
    is_active: Type.Boolean(),
    is_public: Type.Boolean(),
  },
  { title: 'SimplifiedStore' },
);
export const SimplifiedStoreList = Paginated(SimplifiedStore, 'SimplifiedStoreListResponse');

export const StoreParams = BusinessStoreParams;

export const StoreIdParams = Type.Object({
  id: Type.Integer({
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Numeric store database ID.',
  }),
});

export const ListStoresQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Filter by store name.' })),
  product_id: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Stores listing this product.',
    }),
  ),
  domain: Type.Optional(Type.String({ maxLength: 255, description: 'Filter by custom domain URL.' })),
  has_domain: Type.Optional(Type.Boolean()),
});

export const SimplePageQuery = Type.Object(PageQuery({ max: 25, default: 25 }));
