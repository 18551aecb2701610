/**
 * What a payment method adds to an order: the store's other charge (`other_income`, the merchant's)
 * and the e-payment service fee (`service_fee`, passed on to the buyer). Pure arithmetic on integer
 * cents; every result is whole Rupiah, because nobody can pay a fraction of one.
 */
import { type Cents, toCents } from '../../lib/money.ts';
import { STORE_PAYMENT_METHODS, type StorePaymentMethod } from '../stores/payment-methods.ts';
import type { CheckoutStoreRow, MethodOtherIncomeRow } from './queries.ts';

const RUPIAH = 100n;
/** Percentages carry at most four decimals (numeric(7,4) in the store tables). */
const PERCENT_SCALE = 10_000n;

/** `"2.5"` / `2.5` -> 25000 (percent × 10^4); anything unreadable or negative counts as 0. */
function scaledPercent(percent: string | number): bigint {
  const text = typeof percent === 'number' ? percent.toFixed(4) : percent.trim();
  const match = /^(\d{1,3})(?:\.(\d{1,4})\d*)?$/.exec(text);
  if (!match) return 0n;
  return BigInt(match[1]!) * PERCENT_SCALE + BigInt((match[2] ?? '').padEnd(4, '0'));
}

/** `base × percent / 100` in whole Rupiah, rounded up (`ceil`) or half up. */
export function percentOf(base: Cents, percent: string | number, rounding: 'ceil' | 'half_up'): Cents {
  if (base <= 0n) return 0n;
  const numerator = base * scaledPercent(percent);
  const denominator = 100n * PERCENT_SCALE * RUPIAH;
  const whole = numerator / denominator;
  const remainder = numerator % denominator;
  const up = rounding === 'ceil' ? remainder > 0n : remainder * 2n >= denominator;
  return (up ? whole + 1n : whole) * RUPIAH;
}

function amountOf(value: string | number | undefined | null): Cents {
  if (value === undefined || value === null) return 0n;
  try {
    const cents = toCents(value);
    return cents > 0n ? cents : 0n;
  } catch {
    return 0n;
  }
}

interface ChargeRule {
  type: string;
  amount: string | number | undefined | null;
  percentage: string | number | undefined | null;
}

function applyRule(rule: ChargeRule, base: Cents): Cents {
  return rule.type === 'percentage'
    ? percentOf(base, rule.percentage ?? 0, 'half_up')
    : amountOf(rule.amount);
}

export interface OtherIncomeInput {
  store: CheckoutStoreRow;
  /** The store's charges for the chosen payment method (any VA bank). */
  methodCharges: MethodOtherIncomeRow[];
  paymentMethod: string | null;
  subPaymentMethod: string | null;
  /** Courier of the recomputed shipping option, when the order ships. */
  courierId: number | null;
  /** What percentages apply to: products and shipping after every discount. */
  base: Cents;
}

/**
 * The store's other charge for this order, the sum of two parts:
 *
 * 1. By payment method: the charge the merchant set for the method (for `va`, the bank's own charge
 *    wins over the method-wide one). A method without its own charge falls back to the store's
 *    `auto_other_income` mode: `fixed` adds `fixed_auto_other_income` to every order, `dynamic`
 *    the COD default for `cod` and the e-payment default for e-payment methods, `off` nothing.
 * 2. By courier: the `store_courier_other_incomes` entry of the shipping option's courier.
 *
 * Percentages are of `base`, rounded half up to the Rupiah. No payment method yet: no charge.
 */
export function otherIncome(input: OtherIncomeInput): Cents {
  const { store, paymentMethod } = input;
  let total = 0n;
  if (paymentMethod !== null) {
    const specific = input.methodCharges.find(
      (row) => row.sub_payment_method !== null && row.sub_payment_method === input.subPaymentMethod,
    );
    const general = input.methodCharges.find((row) => row.sub_payment_method === null);
    const own = specific ?? general;
    if (own) total += applyRule(own, input.base);
    else if (store.auto_other_income === 'fixed') total += amountOf(store.fixed_auto_other_income);
    else if (store.auto_other_income === 'dynamic') {
      if (paymentMethod === 'cod')
        total += applyRule(
          {
            type: store.dynamic_other_income_cod_type,
            amount: store.dynamic_other_income_cod_default_amount,
            percentage: store.dynamic_other_income_cod_default_percentage,
          },
          input.base,
        );
      else if (isEpayment(paymentMethod))
        total += applyRule(
          {
            type: store.dynamic_other_income_epayment_type,
            amount: store.dynamic_other_income_epayment_default_amount,
            percentage: store.dynamic_other_income_epayment_default_percentage,
          },
          input.base,
        );
    }
  }
  if (input.courierId !== null) {
    const entry = (store.store_courier_other_incomes as Array<Record<string, unknown>>).find(
      (item) => item.courier_id === input.courierId,
    );
    if (entry)
      total += applyRule(
        {
          type: String(entry.type),
          amount: entry.amount as number | string | undefined,
          percentage: entry.percentage as number | string | undefined,
        },
        input.base,
      );
  }
  return total;
}

export function isEpayment(paymentMethod: string | null): boolean {
  return (
    paymentMethod !== null &&
    Object.hasOwn(STORE_PAYMENT_METHODS, paymentMethod) &&
    STORE_PAYMENT_METHODS[paymentMethod as StorePaymentMethod].is_epayment
  );
}

/**
 * The e-payment service fee schedule: what the payment gateway charges per method, passed on to
 * the buyer. `percent` of (order amount + other charge), rounded up to the Rupiah, plus `flat`
 * Rupiah. Methods not listed (bank transfer, COD, no payment) have no fee. One place to change
 * when the gateway's prices change.
 */
export const SERVICE_FEE_SCHEDULE: Partial<Record<StorePaymentMethod, { percent: string; flat: number }>> = {
  va: { percent: '0', flat: 4_500 },
  invoice: { percent: '0', flat: 4_500 },
  qris: { percent: '0.7', flat: 0 },
  ovo: { percent: '1.5', flat: 0 },
  dana: { percent: '1.5', flat: 0 },
  shopeepay: { percent: '1.5', flat: 0 },
  linkaja: { percent: '1.5', flat: 0 },
  gopay: { percent: '1.5', flat: 0 },
  card: { percent: '2.9', flat: 2_000 },
  alfamart: { percent: '0', flat: 5_000 },
  indomaret: { percent: '0', flat: 5_000 },
};

/** The buyer's e-payment fee on `amount` (the order amount plus the other charge). */
export function serviceFee(paymentMethod: string | null, amount: Cents): Cents {
  if (amount <= 0n || paymentMethod === null || !isEpayment(paymentMethod)) return 0n;
  const fee = SERVICE_FEE_SCHEDULE[paymentMethod as StorePaymentMethod];
  if (!fee) return 0n;
  return percentOf(amount, fee.percent, 'ceil') + BigInt(fee.flat) * RUPIAH;
}
