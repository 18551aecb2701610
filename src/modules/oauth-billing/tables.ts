import type { ColumnType, Generated } from 'kysely';

/** Integer IDR in bigint columns (int8 is parsed to a number, see db/database.ts). */
type Money = number;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export type AccountKind =
  | 'platform_funding'
  | 'platform_fees'
  | 'payouts_settled'
  | 'merchant_wallet'
  | 'merchant_holds'
  | 'developer_earnings'
  | 'payouts_in_transit';

export type MovementKind =
  | 'top_up'
  | 'reservation'
  | 'release'
  | 'expiry'
  | 'capture'
  | 'refund'
  | 'withdrawal'
  | 'payout_succeeded'
  | 'payout_failed';

export type ReservationStatus = 'reserved' | 'released' | 'expired' | 'captured' | 'refunded';
export type SettlementStatus = 'pending' | 'requested' | 'succeeded' | 'failed';

export interface OAuthBillingTagsTable {
  id: string;
  application_id: number;
  tag_code: string;
  label: string;
  price: Money;
  currency: Generated<string>;
  action_key: string;
  created_at: Generated<Date>;
}

export interface BillingAccountsTable {
  id: Generated<number>;
  kind: AccountKind;
  business_id: number | null;
  balance: ColumnType<number, number | undefined, number>;
}

export interface BillingLedgerEntriesTable {
  id: string;
  movement_id: string;
  movement_kind: MovementKind;
  account_id: number;
  amount: Money;
  balance_after: Money;
  application_id: number | null;
  reservation_id: string | null;
  charge_id: string | null;
  settlement_id: string | null;
  created_at: Generated<Date>;
}

export interface OAuthBillingReservationsTable {
  id: string;
  application_id: number;
  installation_id: number;
  merchant_business_id: number;
  developer_business_id: number;
  billing_tag: string;
  action_key: string;
  billing_idempotency_key: string;
  amount: Money;
  currency: Generated<string>;
  billing_status: Generated<ReservationStatus>;
  expires_at: Date;
  released_at: Date | null;
  released_reason: string | null;
  captured_at: Date | null;
  charge_id: string | null;
  metadata: Json;
  capture_context: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface OAuthBillingChargesTable {
  id: string;
  reservation_id: string;
  application_id: number;
  installation_id: number;
  merchant_business_id: number;
  developer_business_id: number;
  billing_tag: string;
  action_key: string;
  billing_idempotency_key: string;
  gross_amount: Money;
  platform_fee_bps: number;
  platform_fee_amount: Money;
  developer_net_amount: Money;
  currency: Generated<string>;
  request_id: string;
  metadata: Json;
  capture_context: ColumnType<Record<string, unknown>, string, string>;
  captured_at: Date;
  refunded_at: Date | null;
}

export interface OAuthBillingRefundsTable {
  id: string;
  charge_id: string;
  installation_id: number;
  refund_idempotency_key: string;
  amount: Money;
  currency: Generated<string>;
  reason_code: string;
  reason: string;
  metadata: Json;
  merchant_entry_id: string;
  developer_entry_id: string;
  created_at: Generated<Date>;
}

export interface OAuthBillingSettlementsTable {
  id: string;
  business_id: number;
  settlement_rail: Generated<'xendit'>;
  status: SettlementStatus;
  amount: Money;
  currency: Generated<string>;
  balance_before: Money;
  balance_after: Money;
  description: string;
  idempotency_key: string | null;
  xendit_transfer_id: string | null;
  failure_code: string | null;
  metadata: Json;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OAuthBillingPayoutAccountsTable {
  business_id: number;
  channel_code: string;
  account_number: string;
  account_holder_name: string;
  updated_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    oauth_billing_tags: OAuthBillingTagsTable;
    billing_accounts: BillingAccountsTable;
    billing_ledger_entries: BillingLedgerEntriesTable;
    oauth_billing_reservations: OAuthBillingReservationsTable;
    oauth_billing_charges: OAuthBillingChargesTable;
    oauth_billing_refunds: OAuthBillingRefundsTable;
    oauth_billing_settlements: OAuthBillingSettlementsTable;
    oauth_billing_payout_accounts: OAuthBillingPayoutAccountsTable;
  }
}
