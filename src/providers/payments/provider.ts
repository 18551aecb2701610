/**
 * The payment gateway behind e-payment orders. `sandbox` (default) issues realistic instructions
 * and records them; `xendit` calls Xendit with the official SDK. Both answer the same
 * `pg_payment_info` shapes (Xendit's own snake_case objects), so a storefront written against the
 * sandbox works unchanged in production:
 * - virtual account: `payment_method.virtual_account.channel_properties.virtual_account_number`
 * - QRIS (and GoPay, which pays QRIS): `qr_string` (also at `payment_method.qr_code.channel_properties`)
 * - e-wallets: `actions[]` of `{action, url_type: WEB|MOBILE|DEEPLINK, method, url}`
 * - retail outlets: `payment_method.over_the_counter.channel_properties.payment_code`
 * - card and payment link: `invoice_url` (a Xendit Invoice)
 */
export type PaymentProviderName = 'sandbox' | 'xendit';

/** The e-payment methods a store can enable (`stores/payment-methods.ts`). */
export type EPaymentMethod =
  | 'va'
  | 'qris'
  | 'card'
  | 'invoice'
  | 'alfamart'
  | 'indomaret'
  | 'ovo'
  | 'dana'
  | 'shopeepay'
  | 'linkaja'
  | 'gopay';

export interface CreatePaymentInput {
  /** Our reference for this attempt: sent as `reference_id`/`external_id` and as the idempotency key. */
  referenceId: string;
  /** The order's UUIDv7 `id` and business-facing `order_id`. */
  orderId: string;
  orderNumber: string;
  businessId: number;
  /** What the buyer pays: the order's gross revenue (service fee included), a decimal string. */
  amount: string;
  currency: 'IDR';
  method: EPaymentMethod;
  /** VA bank code (`BCA`, `BNI`, ...) for `va`. */
  subMethod: string | null;
  customer: { name: string; email: string | null; phone: string | null };
  /** Shown by QRIS apps and invoices (the store's name). */
  merchantName: string;
  description: string;
  expiresAt: Date;
  successUrl: string;
  failureUrl: string;
}

export type PaymentStatus = 'pending' | 'paid' | 'settled' | 'failed' | 'expired';

export interface CreatedPayment {
  provider: PaymentProviderName;
  /** The gateway's id for the payment, stored as the order's `pg_reference_id`. */
  reference_id: string;
  /** Buyer-facing instructions (see the shapes above); never credentials or merchant data. */
  pg_payment_info: Record<string, unknown>;
  expires_at: Date;
  /** What was sent and received, without credentials, for the payment attempt's record. */
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export interface PaymentState {
  reference_id: string;
  status: PaymentStatus;
  /** Amount received (whole Rupiah as a decimal string) once paid; null before. */
  paid_amount: string | null;
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  /** The gateway's view of a payment it issued; undefined when it does not know the reference. */
  getPayment(referenceId: string, method: EPaymentMethod): Promise<PaymentState | undefined>;
}

/** The gateway refused or could not be reached; `retryable` says whether trying again may help. */
export class PaymentProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}

/** Gateways take whole Rupiah; an order total with cents is rounded up so the merchant is never short. */
export function wholeRupiah(amount: string): number {
  const [whole = '0', fraction = ''] = amount.split('.');
  const base = Number(whole);
  return /[1-9]/.test(fraction) ? base + 1 : base;
}
