import type { ChargeRow, RefundRow, ReservationRow } from './queries.ts';

/** The contract's reservation object; `oauth_authorized_business_id` is the installation's id. */
export function reservationView(row: ReservationRow) {
  return {
    id: row.id,
    timestamp: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    released_at: row.released_at?.toISOString() ?? null,
    captured_at: row.captured_at?.toISOString() ?? null,
    billing_status: row.billing_status,
    billing_tag: row.billing_tag,
    billing_idempotency_key: row.billing_idempotency_key,
    action_key: row.action_key,
    amount: row.amount,
    currency: row.currency,
    released_reason: row.released_reason,
    charge_id: row.charge_id,
    metadata: row.metadata,
    capture_context: row.capture_context,
    oauth_application_id: row.application_id,
    oauth_authorized_business_id: row.installation_id,
    merchant_business_id: row.merchant_business_id,
    developer_business_id: row.developer_business_id,
  };
}

export function chargeView(row: ChargeRow) {
  return {
    id: row.id,
    timestamp: row.captured_at.toISOString(),
    captured_at: row.captured_at.toISOString(),
    billing_tag: row.billing_tag,
    billing_idempotency_key: row.billing_idempotency_key,
    action_key: row.action_key,
    gross_amount: row.gross_amount,
    platform_fee_bps: row.platform_fee_bps,
    platform_fee_amount: row.platform_fee_amount,
    developer_net_amount: row.developer_net_amount,
    currency: row.currency,
    reservation_id: row.reservation_id,
    request_id: row.request_id,
    metadata: row.metadata,
    capture_context: row.capture_context,
    refunded_at: row.refunded_at?.toISOString() ?? null,
    oauth_application_id: row.application_id,
    oauth_authorized_business_id: row.installation_id,
    merchant_business_id: row.merchant_business_id,
    developer_business_id: row.developer_business_id,
  };
}

export function refundView(row: RefundRow, charge: Pick<ChargeRow, 'reservation_id'>) {
  return {
    refund_id: row.id,
    billing_charge_id: row.charge_id,
    billing_reservation_id: charge.reservation_id,
    refund_status: 'succeeded' as const,
    amount: row.amount,
    currency: row.currency,
    reason_code: row.reason_code,
    reason: row.reason,
    merchant_volt_transaction_id: row.merchant_entry_id,
    developer_earnings_entry_id: row.developer_entry_id,
    inserted_at: row.created_at.toISOString(),
  };
}
