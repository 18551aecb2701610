import type { Db } from '../../db/database.ts';
import { type Cents, formatCents, toCents } from '../../lib/money.ts';
import * as q from './queries.ts';
import { isValidCode, normalizeCode } from './rules.ts';
import type { DiscountAppliedTo } from './tables.ts';

/** What the order looks like when a code is checked or applied. Amounts are decimal strings. */
export interface DiscountContext {
  businessId: number;
  storeId: number;
  /** The HTML Mode page the order comes from; null or absent for storefront orders. */
  pageId?: number | null;
  paymentMethod: string | null;
  /** Product subtotal the code may discount, and the amount a minimum revenue is compared with. */
  productPrice: string;
  shippingCost: string;
  now?: Date;
}

export type DiscountIneligibleReason =
  | 'not_found'
  | 'inactive'
  | 'expired'
  // Reserved: the contract has no start time for a code today, so nothing produces it yet.
  | 'not_started'
  | 'usage_limit_reached'
  | 'store_not_allowed'
  | 'page_not_allowed'
  | 'payment_method_not_allowed'
  | 'minimum_not_met';

export interface DiscountEvaluation {
  eligible: boolean;
  /** Machine code of the first failed rule (see DiscountIneligibleReason); null when eligible. */
  reason: DiscountIneligibleReason | null;
  /** English sentence for the buyer; null when eligible. */
  message: string | null;
  /** Set whenever the code exists in the business, eligible or not (the check route shows it). */
  discountCode: { id: number; code: string; appliedTo: DiscountAppliedTo } | null;
  productDiscount: string;
  shippingDiscount: string;
}

const ZERO = '0.00';

function ineligible(
  reason: DiscountIneligibleReason,
  message: string,
  discountCode: DiscountEvaluation['discountCode'] = null,
): DiscountEvaluation {
  return {
    eligible: false,
    reason,
    message,
    discountCode,
    productDiscount: ZERO,
    shippingDiscount: ZERO,
  };
}

/** Client amounts are never trusted to be well-formed: anything unreadable or negative counts as 0. */
function centsOf(amount: string): Cents {
  try {
    const cents = toCents(amount);
    return cents > 0n ? cents : 0n;
  } catch {
    return 0n;
  }
}

/** base × percent / 100, half away from zero, to the cent; `percent` is numeric(5,2) text. */
function percentOf(base: Cents, percent: string): Cents {
  const hundredths = toCents(percent); // "12.50" -> 1250
  const numerator = base * hundredths;
  const quotient = numerator / 10_000n;
  return (numerator % 10_000n) * 2n >= 10_000n ? quotient + 1n : quotient;
}

function minCents(a: Cents, b: Cents): Cents {
  return a < b ? a : b;
}

/** The discount a code gives on `base` (never more than `base`). */
export function discountAmount(
  code: Pick<q.DiscountCodeRow, 'amount_type' | 'amount' | 'percentage' | 'is_max_amount' | 'max_amount'>,
  base: Cents,
): Cents {
  let discount: Cents;
  if (code.amount_type === 'fixed') discount = toCents(code.amount ?? ZERO);
  else {
    discount = percentOf(base, code.percentage ?? ZERO);
    if (code.is_max_amount && code.max_amount !== null)
      discount = minCents(discount, toCents(code.max_amount));
  }
  return minCents(discount, base);
}

/**
 * Whether `code` applies to an order, and how much it takes off. A pure read: it counts nothing;
 * checkout calls `consumeDiscountCode` in its transaction. Rules are checked in a fixed order and
 * the first failure is reported, so the same input always gives the same reason.
 */
export async function evaluateDiscountCode(
  db: Db,
  code: string,
  context: DiscountContext,
): Promise<DiscountEvaluation> {
  const normalized = normalizeCode(code);
  if (!isValidCode(normalized)) return ineligible('not_found', 'Discount code not found.');
  const row = await q.findDiscountCodeByCode(db, context.businessId, normalized);
  if (!row) return ineligible('not_found', 'Discount code not found.');
  const found = { id: row.id, code: row.code, appliedTo: row.applied_to };
  const now = context.now ?? new Date();

  if (!(await q.storeBelongsToBusiness(db, context.businessId, context.storeId)))
    return ineligible('store_not_allowed', 'This discount code cannot be used in this store.', found);
  if (!row.is_enabled) return ineligible('inactive', 'This discount code is no longer active.', found);
  if (row.is_expiry && row.expiry_time && row.expiry_time.getTime() <= now.getTime())
    return ineligible('expired', 'This discount code has expired.', found);
  if (row.is_usage_limit && row.usage_limit !== null && row.current_usage >= row.usage_limit)
    return ineligible('usage_limit_reached', 'This discount code has reached its usage limit.', found);
  if (row.is_limited_to_pages) {
    const pageId = context.pageId ?? null;
    if (pageId === null || !(await q.isPageOfDiscountCode(db, context.businessId, row.id, pageId)))
      return ineligible('page_not_allowed', 'This discount code cannot be used on this page.', found);
  }
  if (
    row.is_limited_to_payment_methods &&
    (context.paymentMethod === null || !row.payment_methods.includes(context.paymentMethod))
  )
    return ineligible(
      'payment_method_not_allowed',
      `This discount code is only valid with these payment methods: ${row.payment_methods.join(', ')}.`,
      found,
    );
  const productPrice = centsOf(context.productPrice);
  if (row.is_minimum_revenue && row.minimum_revenue !== null && productPrice < toCents(row.minimum_revenue))
    return ineligible(
      'minimum_not_met',
      `This discount code needs a minimum purchase of ${row.minimum_revenue}.`,
      found,
    );

  const onProducts = row.applied_to === 'product_price';
  const discount = discountAmount(row, onProducts ? productPrice : centsOf(context.shippingCost));
  return {
    eligible: true,
    reason: null,
    message: null,
    discountCode: found,
    productDiscount: onProducts ? formatCents(discount) : ZERO,
    shippingDiscount: onProducts ? ZERO : formatCents(discount),
  };
}

/**
 * Counts one use of the code, once per order, inside the checkout transaction. Returns false when
 * the code stopped applying after it was evaluated (another buyer took the last use, or the merchant
 * disabled it or it expired meanwhile): the caller then refuses the order. The increment commits or
 * rolls back with the order.
 */
export async function consumeDiscountCode(
  trx: Db,
  businessId: number,
  discountCodeId: number,
): Promise<boolean> {
  return q.incrementUsage(trx, businessId, discountCodeId);
}

/**
 * Gives the use an order counted back when the order is canceled or expires unpaid, in the
 * transaction that cancels it (which runs once per order: it moves the status away from an open one).
 */
export async function releaseDiscountCode(
  trx: Db,
  businessId: number,
  discountCodeId: number,
): Promise<void> {
  await q.decrementUsage(trx, businessId, discountCodeId);
}
