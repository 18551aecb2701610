import type { ColumnType, Generated } from 'kysely';

type Money = ColumnType<string, string, string>;
type JsonObject = ColumnType<Record<string, unknown>, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const ACTIVE_ATTEMPT_STATUSES = ['creating', 'pending', 'paid', 'settled'] as const;
export type PaymentAttemptStatus =
  | (typeof ACTIVE_ATTEMPT_STATUSES)[number]
  | 'failed'
  | 'expired'
  | 'error'
  /** Money arrived that the order cannot keep (a second payment): the merchant refunds it. */
  | 'conflict';

export interface PaymentAttemptsTable {
  /** Also the `reference_id` and idempotency key sent to the gateway. */
  id: string;
  business_id: number;
  order_id: string;
  provider: 'sandbox' | 'xendit';
  method: string;
  sub_method: string | null;
  amount: Money;
  currency: Generated<string>;
  status: ColumnType<PaymentAttemptStatus, PaymentAttemptStatus | undefined, PaymentAttemptStatus>;
  /** The gateway's id for the payment (the order's `pg_reference_id`). */
  provider_reference: string | null;
  pg_payment_info: JsonObject;
  request: JsonObject;
  response: JsonObject;
  paid_amount: ColumnType<string | null, string | null | undefined, string | null>;
  last_error: string | null;
  expires_at: Timestamp;
  claimed_at: Timestamp;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface DB {
    payment_attempts: PaymentAttemptsTable;
  }
}
