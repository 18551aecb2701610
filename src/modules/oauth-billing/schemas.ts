import { Type } from '@sinclair/typebox';
import { Collection, Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';

/** Integer IDR: the contract's billing amounts are whole numbers, not decimal strings. */
const Idr = Type.Integer();
const Metadata = Type.Record(Type.String(), Type.Unknown());
const Id = Type.String({ format: 'uuid' });
const RowId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const ReservationRequest = Type.Object(
  {
    billing_tag: Type.String({ minLength: 1, maxLength: 64, description: 'An approved tag code.' }),
    billing_idempotency_key: Type.String({ minLength: 1, maxLength: 255 }),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);

/** `{method, endpoint_template, response_status, request_id}` of the billed call that captured. */
export const CaptureContext = Nullable(
  Type.Record(Type.String(), Type.Unknown(), { description: 'The billed call that captured it.' }),
);

export const Reservation = Type.Object(
  {
    id: Id,
    timestamp: Timestamp,
    expires_at: Timestamp,
    released_at: Nullable(Timestamp),
    captured_at: Nullable(Timestamp),
    billing_status: Type.String(),
    billing_tag: Type.String(),
    billing_idempotency_key: Type.String(),
    action_key: Type.String(),
    amount: Idr,
    currency: Type.String(),
    released_reason: Nullable(Type.String()),
    charge_id: Nullable(Id),
    metadata: Metadata,
    capture_context: CaptureContext,
    oauth_application_id: Type.Integer(),
    oauth_authorized_business_id: Type.Integer(),
    merchant_business_id: Type.Integer(),
    developer_business_id: Type.Integer(),
  },
  { title: 'OAuthBillingReservation' },
);

export const Charge = Type.Object(
  {
    id: Id,
    timestamp: Timestamp,
    captured_at: Timestamp,
    billing_tag: Type.String(),
    billing_idempotency_key: Type.String(),
    action_key: Type.String(),
    gross_amount: Idr,
    platform_fee_bps: Type.Integer(),
    platform_fee_amount: Idr,
    developer_net_amount: Idr,
    currency: Type.String(),
    reservation_id: Id,
    request_id: Type.String(),
    metadata: Metadata,
    capture_context: CaptureContext,
    refunded_at: Nullable(Timestamp),
    oauth_application_id: Type.Integer(),
    oauth_authorized_business_id: Type.Integer(),
    merchant_business_id: Type.Integer(),
    developer_business_id: Type.Integer(),
  },
  { title: 'OAuthBillingCharge' },
);

export const RefundRequest = Type.Object(
  {
    billing_reservation_id: Type.Optional(Nullable(Id)),
    billing_charge_id: Type.Optional(Nullable(Id)),
    refund_idempotency_key: Type.String({ minLength: 1, maxLength: 255 }),
    reason_code: Type.String({ minLength: 1, maxLength: 100 }),
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);

export const Refund = Type.Object(
  {
    refund_id: Id,
    billing_charge_id: Id,
    billing_reservation_id: Id,
    refund_status: Type.Literal('succeeded'),
    amount: Idr,
    currency: Type.String(),
    reason_code: Type.String(),
    reason: Type.String(),
    merchant_volt_transaction_id: Id,
    developer_earnings_entry_id: Id,
    inserted_at: Timestamp,
  },
  { title: 'OAuthBillingRefund' },
);

export const Earnings = Type.Object({ balance: Idr, currency: Type.Literal('IDR') });

export const Action = Type.Object({
  action_key: Type.String(),
  label: Type.String(),
  description: Type.String(),
  endpoint_templates: Type.Array(Type.String()),
  required_scopes: Type.Array(Type.String()),
  reservation_required: Type.Boolean(),
  capture_rule: Type.String(),
});
export const ActionList = Collection(Action);

const Filters = {
  oauth_application_id: Type.Optional(RowId),
  oauth_authorized_business_id: Type.Optional(RowId),
  merchant_business_id: Type.Optional(RowId),
  billing_tag: Type.Optional(Type.String({ maxLength: 64 })),
  action_key: Type.Optional(Type.String({ maxLength: 64 })),
  billing_idempotency_key: Type.Optional(Type.String({ maxLength: 255 })),
};

export const ReservationListQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  ...Filters,
  billing_status: Type.Optional(Type.String({ maxLength: 32 })),
});
export const ChargeListQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  ...Filters,
  request_id: Type.Optional(Type.String({ maxLength: 255 })),
});
export const ReservationList = Paginated(Reservation);
export const ChargeList = Paginated(Charge);

export const LedgerQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  oauth_application_id: Type.Optional(RowId),
  entry_type: Type.Optional(
    Type.Union([Type.Literal('accrual'), Type.Literal('withdrawal'), Type.Literal('adjustment')]),
  ),
});
export const LedgerEntry = Type.Object(
  {
    id: Id,
    timestamp: Timestamp,
    entry_type: Type.String(),
    amount: Idr,
    currency: Type.Literal('IDR'),
    balance_before: Idr,
    balance_after: Idr,
    movement: Type.String({
      description: 'What moved the money: capture, refund, withdrawal, payout_failed.',
    }),
    oauth_application_id: Nullable(Type.Integer()),
    reservation_id: Nullable(Id),
    charge_id: Nullable(Id),
    settlement_id: Nullable(Id),
  },
  { title: 'OAuthBillingLedgerEntry' },
);
export const LedgerList = Paginated(LedgerEntry);

export const SettlementQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  status: Type.Optional(Type.String({ maxLength: 32 })),
});
export const Settlement = Type.Object(
  {
    id: Id,
    timestamp: Timestamp,
    settlement_rail: Type.Literal('xendit'),
    status: Type.String(),
    amount: Idr,
    currency: Type.String(),
    balance_before: Idr,
    balance_after: Idr,
    description: Type.String(),
    xendit_transfer_id: Nullable(Type.String()),
    business_id: Type.Integer(),
    metadata: Metadata,
  },
  { title: 'OAuthBillingSettlement' },
);
export const SettlementList = Paginated(Settlement);

export const WithdrawalRequest = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    settlement_rail: Type.Optional(Type.Literal('xendit', { default: 'xendit' })),
  },
  { additionalProperties: false },
);

export const WithdrawalHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'Answers the first withdrawal again on a retry.',
    }),
  ),
});
