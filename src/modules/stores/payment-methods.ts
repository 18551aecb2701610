/**
 * The contract's payment method codes (the `payment_method` enum of orders) a store can enable.
 * `marketplace` is left out on purpose: it labels imported marketplace orders, nobody checks out with it.
 *
 * `requires_redirect` and `description` are what storefronts show beside the choice: whether the
 * buyer finishes paying on another page (a card or payment-link invoice, or an e-wallet that
 * redirects; OVO pushes a prompt to the phone instead and GoPay pays a QRIS code, see
 * providers/payments/channels.ts), and one sentence on how paying works.
 */
export const STORE_PAYMENT_METHODS = {
  bank_transfer: {
    name: 'Bank Transfer',
    is_epayment: false,
    requires_redirect: false,
    description: "Transfer the exact amount to the store's bank account shown with the order.",
  },
  cod: {
    name: 'Cash on Delivery',
    is_epayment: false,
    requires_redirect: false,
    description: 'Pay the courier in cash when the parcel arrives.',
  },
  no_payment: {
    name: 'No Payment',
    is_epayment: false,
    requires_redirect: false,
    description: 'No payment is collected.',
  },
  va: {
    name: 'Virtual Account',
    is_epayment: true,
    requires_redirect: false,
    description: 'Pay to a virtual account number from your bank app, internet banking or an ATM.',
  },
  qris: {
    name: 'QRIS',
    is_epayment: true,
    requires_redirect: false,
    description: 'Scan the QRIS code with any banking or e-wallet app.',
  },
  card: {
    name: 'Credit/Debit Card',
    is_epayment: true,
    requires_redirect: true,
    description: 'Pay by credit or debit card on the payment page.',
  },
  invoice: {
    name: 'Payment Link',
    is_epayment: true,
    requires_redirect: true,
    description: 'Choose how to pay on the payment page.',
  },
  alfamart: {
    name: 'Alfamart',
    is_epayment: true,
    requires_redirect: false,
    description: 'Pay at any Alfamart cashier with the payment code.',
  },
  indomaret: {
    name: 'Indomaret',
    is_epayment: true,
    requires_redirect: false,
    description: 'Pay at any Indomaret cashier with the payment code.',
  },
  ovo: {
    name: 'OVO',
    is_epayment: true,
    requires_redirect: false,
    description: 'Confirm the payment in the OVO app on your phone.',
  },
  dana: {
    name: 'DANA',
    is_epayment: true,
    requires_redirect: true,
    description: 'Continue to DANA to pay.',
  },
  shopeepay: {
    name: 'ShopeePay',
    is_epayment: true,
    requires_redirect: true,
    description: 'Continue to ShopeePay to pay.',
  },
  linkaja: {
    name: 'LinkAja',
    is_epayment: true,
    requires_redirect: true,
    description: 'Continue to LinkAja to pay.',
  },
  gopay: {
    name: 'GoPay',
    is_epayment: true,
    requires_redirect: false,
    description: 'Scan the QRIS code with GoPay.',
  },
} as const;

export type StorePaymentMethod = keyof typeof STORE_PAYMENT_METHODS;
export const STORE_PAYMENT_METHOD_CODES = Object.keys(STORE_PAYMENT_METHODS) as StorePaymentMethod[];

/** Xendit virtual-account bank codes (`sub_payment_method` of `va`). */
export const VA_BANK_CODES = [
  'BCA',
  'BNI',
  'BRI',
  'MANDIRI',
  'PERMATA',
  'BSI',
  'BJB',
  'CIMB',
  'SAHABAT_SAMPOERNA',
  'ARTAJASA',
] as const;

export function isStorePaymentMethod(code: string): code is StorePaymentMethod {
  return Object.hasOwn(STORE_PAYMENT_METHODS, code);
}
