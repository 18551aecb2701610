/**
 * Pays developers their OAuth billing earnings (issue 14). Statuses follow Xendit's payouts:
 * ACCEPTED → REQUESTED → SUCCEEDED | FAILED (plus CANCELLED and REVERSED, which return the money).
 */
export type PayoutStatus = 'ACCEPTED' | 'REQUESTED' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'REVERSED';

export interface PayoutRequest {
  /** Our settlement id: the provider's idempotency key and reference, so a retry never pays twice. */
  referenceId: string;
  amount: number;
  currency: 'IDR';
  channelCode: string;
  accountNumber: string;
  accountHolderName: string;
  description: string;
}

export interface Payout {
  id: string;
  referenceId: string;
  status: PayoutStatus;
  failureCode: string | null;
}

export interface PayoutProvider {
  readonly name: 'sandbox' | 'xendit';
  createPayout(request: PayoutRequest): Promise<Payout>;
  getPayout(id: string): Promise<Payout>;
}

/** The provider could not be reached or answered with a server error: safe to retry later. */
export class PayoutUnavailable extends Error {}
/** The provider refused the request itself (4xx): retrying the same request will not help. */
export class PayoutRejected extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
