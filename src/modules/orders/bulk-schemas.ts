import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../http/schemas.ts';
import { PAYMENT_METHODS } from './business-schemas.ts';
import { ORDER_STATUSES, PAYMENT_STATUSES } from './tables.ts';

/** An order's UUIDv7 `id`, or a migrated order's legacy number (never issued here). */
const OrderPrimaryKey = Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 1 })], {
  title: 'OrderPrimaryKeyInput',
});

export const BULK_LIMIT = 100;
const Ids = Type.Array(OrderPrimaryKey, {
  minItems: 1,
  maxItems: BULK_LIMIT,
  description: `Order ids, at most ${BULK_LIMIT}; each is reported on its own.`,
});

/** The statuses a client may write: every status but `shipped_rts`, which only courier tracking reports. */
export const WRITABLE_ORDER_STATUSES = ORDER_STATUSES.filter((status) => status !== 'shipped_rts');

const Url = Nullable(Type.String({ maxLength: 2000, format: 'uri' }));

export const ChangeOrderStatusBody = Type.Object({
  ids: Ids,
  status: Type.Optional(Type.Union(WRITABLE_ORDER_STATUSES.map((status) => Type.Literal(status)))),
  payment_status: Type.Optional(Type.Union(PAYMENT_STATUSES.map((status) => Type.Literal(status)))),
  by: Type.Optional(
    Nullable(Type.String({ maxLength: 100, description: 'Who made the change, for the history.' })),
  ),
  transfer_time: Type.Optional(Nullable(Timestamp)),
  transferproof_url: Type.Optional(Url),
  rtsproof_url: Type.Optional(Url),
  payment_method: Type.Optional(Type.Union(PAYMENT_METHODS.map((method) => Type.Literal(method)))),
  financial_entity_id: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }))),
  payment_account_holder: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  payment_account_number: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
});

export const OrderIdsBody = Type.Object({ ids: Ids });

/** What a bulk route could not do for one id: `errors["<id>"]`, the others done regardless. */
const BulkFailures = Type.Record(
  Type.String(),
  Type.Object({ error_code: Type.String(), message: Type.String() }, { title: 'BulkOrderFailure' }),
  { description: 'Per id that failed: why. Absent ids succeeded.' },
);

const SlimOrder = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    order_id: Type.String(),
    status: Type.String(),
    payment_status: Type.String(),
    is_probably_spam: Type.Boolean(),
    public_order_url: Type.String({ format: 'uri' }),
    payment_url: Type.String({ format: 'uri' }),
  },
  { title: 'BulkOrderResult' },
);

export const BulkOrderAnswer = Type.Object(
  { data: Type.Array(SlimOrder), is_paginated: Type.Literal(false), errors: BulkFailures },
  { title: 'BulkOrderAnswer' },
);

export const DeletedOrdersAnswer = Type.Object(
  {
    data: Type.Array(
      Type.Object(
        { id: Type.String({ format: 'uuid' }), order_id: Type.String() },
        { title: 'DeletedOrder' },
      ),
    ),
    is_paginated: Type.Literal(false),
    errors: BulkFailures,
  },
  { title: 'DeletedOrdersAnswer' },
);
