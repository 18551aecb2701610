import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';

/** Bulk airway-bill requests take at most this many orders (each is a courier booking). */
export const MAX_AWB_ORDERS = 100;

const OrderRef = Type.Union([
  Type.String({ minLength: 1, maxLength: 64 }),
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
]);

export const AwbBody = Type.Object({
  ids: Type.Array(OrderRef, {
    minItems: 1,
    maxItems: MAX_AWB_ORDERS,
    description:
      'Order ids (UUIDv7; legacy numeric ids are accepted and, never issued here, not found). ' +
      `At most ${MAX_AWB_ORDERS}.`,
  }),
});

export const AwbResults = Type.Object({
  successes: Type.Record(Type.String(), Type.String(), {
    description: 'By order id as sent: the airway bill number (shipment receipt) or a message.',
  }),
  failures: Type.Record(Type.String(), Type.String(), {
    description: 'By order id as sent: why the order failed; the others are unaffected.',
  }),
});

const AWB_STATUSES = ['unavailable', 'pending', 'waiting', 'failed', 'created', 'canceled'] as const;
const SHIPMENT_PROVIDER_CODES = ['mengantar', 'lincah', 'ninja'] as const;
/** The statuses a client may write: every order status but `shipped_rts`, the courier's word only. */
export const WRITABLE_STATUSES = [
  'draft',
  'pending',
  'confirmed',
  'in_process',
  'ready',
  'shipped',
  'completed',
  'canceled',
  'rts',
  'closed',
] as const;

const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((value) => Type.Literal(value)));

/** A courier's tracking number as merchants type it. */
const Receipt = Type.String({ maxLength: 100 });

export const ShipmentPatchBody = Type.Object({
  awb_ca_status: Type.Optional(literals(AWB_STATUSES)),
  courier_additional_info: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  is_shipment_completed: Type.Optional(Type.Boolean()),
  shipment_provider_code: Type.Optional(Nullable(literals(SHIPMENT_PROVIDER_CODES))),
  shipment_receipt: Type.Optional(Nullable(Receipt)),
});

export const ShipmentReceiptBody = Type.Object({
  shipment_receipt: Type.String({ minLength: 1, maxLength: 100 }),
});

export const EmptyAnswer = Type.Object({});

export const ShipmentHistoryBody = Type.Object({
  description: Type.String({ minLength: 1, maxLength: 1000 }),
  status: literals(WRITABLE_STATUSES),
  timestamp: Type.String({ format: 'date-time' }),
});
