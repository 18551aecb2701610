import type { Channel } from './channels.ts';

/** One of Xendit's PaymentRequest `actions`: where the buyer goes to approve an e-wallet payment. */
export interface PaymentAction {
  action: 'AUTH' | 'RESEND_AUTH' | 'CAPTURE';
  url_type: 'WEB' | 'MOBILE' | 'DEEPLINK' | 'API';
  method: 'GET' | 'POST';
  url: string;
  qr_code: string | null;
}

const METHOD_KEY = {
  VIRTUAL_ACCOUNT: 'virtual_account',
  QR_CODE: 'qr_code',
  EWALLET: 'ewallet',
  OVER_THE_COUNTER: 'over_the_counter',
} as const;

export interface PaymentRequestView {
  id: string;
  reference_id: string;
  status: string;
  amount: number;
  currency: string;
  created: string;
  expires_at: string;
  channel: Exclude<Channel, { type: 'INVOICE' }>;
  /** Snake_case channel properties: virtual_account_number, payment_code, qr_string, ... */
  channel_properties: Record<string, unknown>;
  actions: PaymentAction[];
}

/**
 * The buyer-facing part of a Xendit PaymentRequest, snake_case as Xendit sends it. Merchant data
 * (Xendit business id, metadata, customer records) is left out on purpose. QRIS codes are also
 * copied to the top-level `qr_string`, where storefronts read them.
 */
export function paymentRequestInfo(view: PaymentRequestView): Record<string, unknown> {
  const { channel } = view;
  const info: Record<string, unknown> = {
    id: view.id,
    reference_id: view.reference_id,
    status: view.status,
    amount: view.amount,
    currency: view.currency,
    country: 'ID',
    created: view.created,
    expires_at: view.expires_at,
    payment_method: {
      type: channel.type,
      reusability: 'ONE_TIME_USE',
      [METHOD_KEY[channel.type]]: {
        channel_code: channel.channelCode,
        channel_properties: view.channel_properties,
      },
    },
    actions: view.actions,
  };
  const qr = view.channel_properties.qr_string;
  if (typeof qr === 'string') info.qr_string = qr;
  return info;
}

export interface InvoiceView {
  id: string;
  external_id: string;
  status: string;
  amount: number;
  currency: string;
  invoice_url: string;
  expiry_date: string;
  created: string;
}

/** The buyer-facing part of a Xendit Invoice (card and payment-link orders). */
export function invoiceInfo(view: InvoiceView): Record<string, unknown> {
  return { ...view };
}
