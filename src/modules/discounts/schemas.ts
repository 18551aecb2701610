import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';

export const DISCOUNT_CODE_MAX_LENGTH = 50;

const AppliedTo = Type.Union([Type.Literal('product_price'), Type.Literal('shipping_cost')]);
const AmountType = Type.Union([Type.Literal('fixed'), Type.Literal('percentage')]);

/**
 * A decimal string or the reference's JSON number, or null. Written as one multi-type schema (not a
 * union) so the coercing validator leaves each type as it came; the service checks the format.
 */
const MoneyInput = (description: string) =>
  Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'], maxLength: 32, description });

const CodeInput = Type.String({
  minLength: 1,
  maxLength: 100,
  description: `Discount code. Saved uppercase with all whitespace removed; at most ${DISCOUNT_CODE_MAX_LENGTH} printable ASCII characters after that.`,
});

/** The settings the update may change; create takes them too. */
const settingFields = {
  is_usage_limit: Type.Boolean(),
  usage_limit: Nullable(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  is_expiry: Type.Boolean(),
  expiry_time: Nullable(Type.String({ format: 'date-time', maxLength: 64 })),
  is_limited_to_pages: Type.Boolean(),
  page_ids: Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 100 }),
  is_limited_to_payment_methods: Type.Boolean(),
  payment_methods: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 20 }),
  is_minimum_revenue: Type.Boolean(),
  minimum_revenue: MoneyInput('Minimum revenue the order must reach.'),
};

export const CreateDiscountCodeRequest = Type.Object(
  {
    code: CodeInput,
    applied_to: AppliedTo,
    amount_type: AmountType,
    amount: Type.Optional(MoneyInput('Required when amount_type is fixed.')),
    percentage: Type.Optional(
      Nullable(
        Type.Integer({ minimum: 0, maximum: 100, description: 'Required when amount_type is percentage.' }),
      ),
    ),
    is_max_amount: Type.Optional(
      Nullable(Type.Boolean({ description: 'Required when amount_type is percentage.' })),
    ),
    max_amount: Type.Optional(MoneyInput('Cap on a percentage discount; required when is_max_amount.')),
    is_enabled: Type.Optional(Type.Boolean({ default: true })),
    is_usage_limit: Type.Optional(Type.Boolean({ default: false })),
    usage_limit: Type.Optional(settingFields.usage_limit),
    is_expiry: Type.Optional(Type.Boolean({ default: false })),
    expiry_time: Type.Optional(settingFields.expiry_time),
    is_limited_to_pages: Type.Optional(Type.Boolean({ default: false })),
    page_ids: Type.Optional(settingFields.page_ids),
    is_limited_to_payment_methods: Type.Optional(Type.Boolean({ default: false })),
    payment_methods: Type.Optional(settingFields.payment_methods),
    is_minimum_revenue: Type.Optional(Type.Boolean({ default: false })),
    minimum_revenue: Type.Optional(settingFields.minimum_revenue),
  },
  { title: 'DiscountCodeCreateRequest' },
);

/**
 * Code, type and amount are immutable. They are still read here so that sending them back unchanged
 * (a client PATCHing the object it read) passes, while an actual change is a 422 rather than being
 * silently dropped.
 */
export const UpdateDiscountCodeRequest = Type.Object(
  {
    is_enabled: Type.Optional(Type.Boolean()),
    is_usage_limit: Type.Optional(settingFields.is_usage_limit),
    usage_limit: Type.Optional(settingFields.usage_limit),
    is_expiry: Type.Optional(settingFields.is_expiry),
    expiry_time: Type.Optional(settingFields.expiry_time),
    is_limited_to_pages: Type.Optional(settingFields.is_limited_to_pages),
    page_ids: Type.Optional(settingFields.page_ids),
    is_limited_to_payment_methods: Type.Optional(settingFields.is_limited_to_payment_methods),
    payment_methods: Type.Optional(settingFields.payment_methods),
    is_minimum_revenue: Type.Optional(settingFields.is_minimum_revenue),
    minimum_revenue: Type.Optional(settingFields.minimum_revenue),
    code: Type.Optional(Type.String({ maxLength: 100, description: 'Immutable.' })),
    applied_to: Type.Optional(Type.String({ maxLength: 32, description: 'Immutable.' })),
    amount_type: Type.Optional(Type.String({ maxLength: 32, description: 'Immutable.' })),
    amount: Type.Optional(MoneyInput('Immutable.')),
    percentage: Type.Optional(MoneyInput('Immutable.')),
    is_max_amount: Type.Optional(Nullable(Type.Boolean({ description: 'Immutable.' }))),
    max_amount: Type.Optional(MoneyInput('Immutable.')),
  },
  { title: 'DiscountCodeUpdateRequest' },
);

export const DiscountCodeParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'Discount code id.' }),
});

export const ListDiscountCodesQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  search: Type.Optional(
    Type.String({ maxLength: 100, description: 'Case-insensitive partial match against the discount code.' }),
  ),
  applied_to: Type.Optional(AppliedTo),
  status: Type.Optional(Type.Union([Type.Literal('enabled'), Type.Literal('disabled')])),
});

const Money = Type.String({ description: 'Decimal amount, e.g. "10000.00".' });

export const DiscountCodePage = Type.Object(
  { id: Type.Integer(), unique_id: Type.String(), name: Type.String() },
  { title: 'DiscountCodePage' },
);

export const DiscountCode = Type.Object(
  {
    id: Type.Integer(),
    business_id: Type.Integer(),
    is_enabled: Type.Boolean(),
    code: Type.String(),
    applied_to: AppliedTo,
    amount_type: AmountType,
    percentage: Nullable(Type.String({ description: 'Percent as a decimal string, "10.00" is 10%.' })),
    is_max_amount: Type.Boolean(),
    max_amount: Nullable(Money),
    amount: Nullable(Money),
    is_usage_limit: Type.Boolean(),
    usage_limit: Nullable(Type.Integer()),
    current_usage: Type.Integer(),
    is_expiry: Type.Boolean(),
    expiry_time: Nullable(Timestamp),
    is_limited_to_pages: Type.Boolean(),
    pages: Type.Array(DiscountCodePage),
    is_limited_to_payment_methods: Type.Boolean(),
    payment_methods: Type.Array(Type.String()),
    is_minimum_revenue: Type.Boolean(),
    minimum_revenue: Nullable(Money),
    inserted_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'DiscountCode' },
);

export const DiscountCodeList = Paginated(DiscountCode, 'DiscountCodeListResponse');
