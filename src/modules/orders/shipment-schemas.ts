import { Type } from '@sinclair/typebox';

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
