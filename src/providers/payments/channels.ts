import type { EPaymentMethod } from './provider.ts';

/**
 * How each e-payment method is collected, in Xendit's vocabulary (the sandbox answers the same way).
 * GoPay is not a Xendit e-wallet channel; GoPay pays any QRIS code, so it is collected as QRIS.
 * Cards go through a Xendit Invoice restricted to cards; `invoice` is an Invoice offering every
 * method the merchant's Xendit account has.
 */
export type Channel =
  | { type: 'VIRTUAL_ACCOUNT'; channelCode: string }
  | { type: 'QR_CODE'; channelCode: 'QRIS' }
  | { type: 'EWALLET'; channelCode: 'OVO' | 'DANA' | 'SHOPEEPAY' | 'LINKAJA' }
  | { type: 'OVER_THE_COUNTER'; channelCode: 'ALFAMART' | 'INDOMARET' }
  | { type: 'INVOICE'; channelCode: 'CARD' | 'INVOICE'; paymentMethods: string[] | null };

const E_PAYMENT_METHODS = new Set<string>([
  'va',
  'qris',
  'card',
  'invoice',
  'alfamart',
  'indomaret',
  'ovo',
  'dana',
  'shopeepay',
  'linkaja',
  'gopay',
]);

export function isEPaymentMethod(method: string): method is EPaymentMethod {
  return E_PAYMENT_METHODS.has(method);
}

/** The channel for an order's method; a virtual account needs its bank (`sub_payment_method`). */
export function channelFor(method: EPaymentMethod, subMethod: string | null): Channel | null {
  switch (method) {
    case 'va':
      return subMethod ? { type: 'VIRTUAL_ACCOUNT', channelCode: subMethod.toUpperCase() } : null;
    case 'qris':
    case 'gopay':
      return { type: 'QR_CODE', channelCode: 'QRIS' };
    case 'ovo':
    case 'dana':
    case 'shopeepay':
    case 'linkaja':
      return { type: 'EWALLET', channelCode: method.toUpperCase() as 'OVO' };
    case 'alfamart':
    case 'indomaret':
      return { type: 'OVER_THE_COUNTER', channelCode: method.toUpperCase() as 'ALFAMART' };
    case 'card':
      return { type: 'INVOICE', channelCode: 'CARD', paymentMethods: ['CREDIT_CARD'] };
    case 'invoice':
      return { type: 'INVOICE', channelCode: 'INVOICE', paymentMethods: null };
  }
}

/** Indonesian mobile numbers in the E.164 form e-wallets require (`0812…` -> `+62812…`). */
export function e164Indonesia(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[^\d+]/g, '');
  if (/^\+62\d{8,13}$/.test(digits)) return digits;
  if (/^62\d{8,13}$/.test(digits)) return `+${digits}`;
  if (/^0\d{8,13}$/.test(digits)) return `+62${digits.slice(1)}`;
  return null;
}
