/**
 * The contract's payment method codes (the `payment_method` enum of orders) a store can enable.
 * `marketplace` is left out on purpose: it labels imported marketplace orders, nobody checks out with it.
 */
export const STORE_PAYMENT_METHODS = {
  bank_transfer: { name: 'Bank Transfer', is_epayment: false },
  cod: { name: 'Cash on Delivery', is_epayment: false },
  no_payment: { name: 'No Payment', is_epayment: false },
  va: { name: 'Virtual Account', is_epayment: true },
  qris: { name: 'QRIS', is_epayment: true },
  card: { name: 'Credit/Debit Card', is_epayment: true },
  invoice: { name: 'Payment Link', is_epayment: true },
  alfamart: { name: 'Alfamart', is_epayment: true },
  indomaret: { name: 'Indomaret', is_epayment: true },
  ovo: { name: 'OVO', is_epayment: true },
  dana: { name: 'DANA', is_epayment: true },
  shopeepay: { name: 'ShopeePay', is_epayment: true },
  linkaja: { name: 'LinkAja', is_epayment: true },
  gopay: { name: 'GoPay', is_epayment: true },
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
