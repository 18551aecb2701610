import type { ColumnType, Generated } from 'kysely';

export type SandboxPaymentStatus = 'PENDING' | 'SUCCEEDED' | 'SETTLED' | 'FAILED' | 'EXPIRED';

export interface PaymentSandboxPaymentsTable {
  reference_id: string;
  business_id: number;
  order_id: string;
  /** The reference the caller gave (the payment attempt id). */
  external_reference: string;
  method: string;
  channel_code: string;
  amount: ColumnType<string, string, string>;
  /** Virtual account number or retail payment code, unique per channel. */
  payment_code: string | null;
  status: ColumnType<SandboxPaymentStatus, SandboxPaymentStatus | undefined, SandboxPaymentStatus>;
  info: ColumnType<Record<string, unknown>, string, string>;
  expires_at: ColumnType<Date, Date, Date>;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    payment_sandbox_payments: PaymentSandboxPaymentsTable;
  }
}
