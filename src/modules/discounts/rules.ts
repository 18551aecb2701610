import type { FieldErrors } from '../../http/errors.ts';
import { normalizeMoney } from '../../lib/money.ts';
import { isStorePaymentMethod } from '../stores/payment-methods.ts';
import { DISCOUNT_CODE_MAX_LENGTH } from './schemas.ts';

/**
 * The contract saves codes "uppercase with spaces removed"; buyers' input goes through the same
 * function, so `save 10` finds `SAVE10`. Every kind of whitespace goes, not just the ASCII space,
 * because phone keyboards insert non-breaking ones.
 */
export function normalizeCode(input: string): string {
  return input.replace(/\s+/gu, '').toUpperCase();
}

/** Printable ASCII: what a buyer can type on any keyboard and a merchant can print on a flyer. */
const CODE = new RegExp(`^[\\x21-\\x7E]{1,${DISCOUNT_CODE_MAX_LENGTH}}$`);

export function isValidCode(normalized: string): boolean {
  return CODE.test(normalized);
}

export const CODE_PROBLEM = `must be 1 to ${DISCOUNT_CODE_MAX_LENGTH} letters, digits or symbols (printable ASCII) once spaces are removed`;
export const MONEY_PROBLEM = 'must be an amount of at least 0 with at most two decimals';
const REQUIRED = "can't be blank";

const MONEY = /^\d{1,15}(\.\d{1,2})?$/;

/** A canonical decimal string, or null when the value is not an amount (the caller reports it). */
export function parseMoney(value: string | number): string | null {
  const text = String(value).trim();
  return MONEY.test(text) ? normalizeMoney(text) : null;
}

/** The limits the update may change, as they will be stored. */
export interface DiscountSettings {
  is_enabled: boolean;
  is_usage_limit: boolean;
  usage_limit: number | null;
  is_expiry: boolean;
  expiry_time: Date | null;
  is_limited_to_pages: boolean;
  page_ids: number[];
  is_limited_to_payment_methods: boolean;
  payment_methods: string[];
  is_minimum_revenue: boolean;
  minimum_revenue: string | null;
}

/** What a request sent for the settings; absent fields keep the stored (or default) value. */
export interface DiscountSettingsInput {
  is_enabled?: boolean | undefined;
  is_usage_limit?: boolean | undefined;
  usage_limit?: number | null | undefined;
  is_expiry?: boolean | undefined;
  expiry_time?: string | null | undefined;
  is_limited_to_pages?: boolean | undefined;
  page_ids?: number[] | undefined;
  is_limited_to_payment_methods?: boolean | undefined;
  payment_methods?: string[] | undefined;
  is_minimum_revenue?: boolean | undefined;
  minimum_revenue?: string | number | null | undefined;
}

export const DEFAULT_SETTINGS: DiscountSettings = {
  is_enabled: true,
  is_usage_limit: false,
  usage_limit: null,
  is_expiry: false,
  expiry_time: null,
  is_limited_to_pages: false,
  page_ids: [],
  is_limited_to_payment_methods: false,
  payment_methods: [],
  is_minimum_revenue: false,
  minimum_revenue: null,
};

/**
 * Merges `input` over `current` and checks the result as a whole: a limit switched on needs its
 * value, whether that value arrives now or was stored earlier. Page ownership is checked by the
 * caller (it needs the database). Problems are added to `fieldErrors`.
 */
export function mergeSettings(
  current: DiscountSettings,
  input: DiscountSettingsInput,
  fieldErrors: FieldErrors,
): DiscountSettings {
  const next: DiscountSettings = { ...current };
  for (const key of [
    'is_enabled',
    'is_usage_limit',
    'is_expiry',
    'is_limited_to_pages',
    'is_limited_to_payment_methods',
    'is_minimum_revenue',
  ] as const) {
    const value = input[key];
    if (value !== undefined) next[key] = value;
  }
  if (input.usage_limit !== undefined) next.usage_limit = input.usage_limit;
  if (input.expiry_time !== undefined) {
    const time = input.expiry_time === null ? null : new Date(input.expiry_time);
    if (time && Number.isNaN(time.getTime())) fieldErrors.expiry_time = ['must be a date-time'];
    else next.expiry_time = time;
  }
  if (input.page_ids !== undefined) next.page_ids = [...new Set(input.page_ids)];
  if (input.payment_methods !== undefined) {
    const methods = [...new Set(input.payment_methods.map((method) => method.trim().toLowerCase()))];
    const unknown = methods.filter((method) => !isStorePaymentMethod(method));
    if (unknown.length > 0)
      fieldErrors.payment_methods = [`contains unknown payment methods: ${unknown.join(', ')}`];
    next.payment_methods = methods;
  }
  if (input.minimum_revenue !== undefined) {
    const amount = input.minimum_revenue === null ? null : parseMoney(input.minimum_revenue);
    if (input.minimum_revenue !== null && amount === null) fieldErrors.minimum_revenue = [MONEY_PROBLEM];
    else next.minimum_revenue = amount;
  }

  if (next.is_usage_limit) {
    if (next.usage_limit === null) fieldErrors.usage_limit ??= [REQUIRED];
    else if (next.usage_limit < 1)
      fieldErrors.usage_limit ??= ['must be at least 1 when is_usage_limit is true'];
  }
  if (next.is_expiry && next.expiry_time === null) fieldErrors.expiry_time ??= [REQUIRED];
  if (next.is_limited_to_pages && next.page_ids.length === 0)
    fieldErrors.page_ids ??= ['must name at least one page when is_limited_to_pages is true'];
  if (next.is_limited_to_payment_methods && next.payment_methods.length === 0)
    fieldErrors.payment_methods ??= [
      'must name at least one payment method when is_limited_to_payment_methods is true',
    ];
  if (next.is_minimum_revenue && next.minimum_revenue === null) fieldErrors.minimum_revenue ??= [REQUIRED];
  return next;
}

/** Fixed codes carry `amount`; percentage codes `percentage` and an optional cap. */
export interface DiscountValue {
  applied_to: 'product_price' | 'shipping_cost';
  amount_type: 'fixed' | 'percentage';
  amount: string | null;
  percentage: string | null;
  is_max_amount: boolean;
  max_amount: string | null;
}

export interface DiscountValueInput {
  applied_to: 'product_price' | 'shipping_cost';
  amount_type: 'fixed' | 'percentage';
  amount?: string | number | null | undefined;
  percentage?: number | null | undefined;
  is_max_amount?: boolean | null | undefined;
  max_amount?: string | number | null | undefined;
}

/**
 * The stored form of the discount value. Fields that do not apply to the type (a percentage on a
 * fixed code, a cap on a fixed amount) are dropped rather than kept half-meaningful.
 */
export function parseDiscountValue(input: DiscountValueInput, fieldErrors: FieldErrors): DiscountValue {
  const value: DiscountValue = {
    applied_to: input.applied_to,
    amount_type: input.amount_type,
    amount: null,
    percentage: null,
    is_max_amount: false,
    max_amount: null,
  };
  if (input.amount_type === 'fixed') {
    if (input.amount === undefined || input.amount === null) fieldErrors.amount = [REQUIRED];
    else {
      value.amount = parseMoney(input.amount);
      if (value.amount === null) fieldErrors.amount = [MONEY_PROBLEM];
    }
    return value;
  }
  if (input.percentage === undefined || input.percentage === null) fieldErrors.percentage = [REQUIRED];
  else value.percentage = normalizeMoney(input.percentage);
  if (input.is_max_amount === undefined || input.is_max_amount === null)
    fieldErrors.is_max_amount = [REQUIRED];
  else value.is_max_amount = input.is_max_amount;
  if (input.max_amount !== undefined && input.max_amount !== null) {
    value.max_amount = parseMoney(input.max_amount);
    if (value.max_amount === null) fieldErrors.max_amount = [MONEY_PROBLEM];
  } else if (value.is_max_amount) fieldErrors.max_amount = [REQUIRED];
  return value;
}
