/** Checks the checkout routes share: payment method, destination, items the store does not sell, stock. */
import type { Db } from '../../db/database.ts';
import { ApiError, errors, type FieldErrors } from '../../http/errors.ts';
import { parseNumericId } from '../../lib/refs.ts';
import { findLocation, type LocationRow } from '../shipping/queries.ts';
import type { StoreItemRef } from '../storefront/pricing.ts';
import { isStorePaymentMethod } from '../stores/payment-methods.ts';
import { type CheckoutLineInput, NOT_IN_STORE } from './items.ts';
import type { PricedLine } from './pricing.ts';
import type { CheckoutStoreRow } from './queries.ts';
import * as q from './queries.ts';

/** What the route knows about the store behind the storefront key. */
export interface CheckoutStore {
  storeId: number;
  businessId: number;
  storeUniqueId: string;
}

export interface PaymentChoice {
  method: string;
  /** The VA bank for `va`, upper-cased; null for every other method. */
  sub: string | null;
}

/**
 * The buyer's payment method must be one the store enabled; `no_payment` is for orders merchants
 * enter by hand and is never a buyer's choice. `va` names one of the store's banks when
 * `requireBank` (checkout); elsewhere a missing bank is allowed (the buyer has not picked one yet).
 */
export function checkPayment(
  store: Pick<CheckoutStoreRow, 'payment_methods' | 'va_bank_codes'>,
  method: string,
  sub: string | null | undefined,
  fieldErrors: FieldErrors,
  options: { requireBank: boolean },
): PaymentChoice | null {
  const code = method.trim().toLowerCase();
  if (!isStorePaymentMethod(code) || code === 'no_payment' || !store.payment_methods.includes(code)) {
    fieldErrors.payment_method = [
      `is not available in this store; use one of ${store.payment_methods.filter((m) => m !== 'no_payment').join(', ')}`,
    ];
    return null;
  }
  if (code !== 'va') return { method: code, sub: null };
  const bank = sub?.trim().toUpperCase() || null;
  if (bank === null) {
    if (options.requireBank) fieldErrors.sub_payment_method = ["can't be blank for va: choose a bank"];
    return { method: code, sub: null };
  }
  if (!store.va_bank_codes.includes(bank)) {
    fieldErrors.sub_payment_method = [
      `is not a bank of this store; use one of ${store.va_bank_codes.join(', ')}`,
    ];
    return null;
  }
  return { method: code, sub: bank };
}

/** A location id sent as a number or a string of digits; null when absent. */
export function locationIdOf(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : parseNumericId(value);
}

export function postalCodeOf(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

/** A destination must be a known delivery location (subdistrict). */
export async function requireLocation(
  db: Db,
  field: string,
  locationId: number,
  fieldErrors: FieldErrors,
): Promise<LocationRow | null> {
  const location = await findLocation(db, locationId);
  if (!location) fieldErrors[field] = ['is not a known location'];
  return location ?? null;
}

/**
 * Direct items the store does not sell are the buyer's mistake (422 naming each one); cart lines
 * the store stopped selling are dropped, as the cart itself drops them when it is read.
 */
export function reportMissing(
  lines: CheckoutLineInput[],
  missing: StoreItemRef[],
  fieldErrors: FieldErrors,
): void {
  const keys = new Set(missing.map(refKey));
  for (const line of lines) {
    if (line.index === null || !keys.has(refKey(line.ref))) continue;
    const field = line.ref.type === 'variant' ? 'variant_id' : 'bundle_price_option_id';
    fieldErrors[`items.${line.index}.${field}`] = [NOT_IN_STORE];
  }
}

function refKey(ref: StoreItemRef): string {
  return ref.type === 'variant' ? `v:${ref.variant_id}` : `b:${ref.bundle_price_option_id}`;
}

export function throwIfInvalid(fieldErrors: FieldErrors): void {
  if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);
}

/** 409 naming every sold-out item: clients show `errors.items` next to the basket. */
export function outOfStockError(names: string[]): ApiError {
  return new ApiError(
    409,
    'state_conflict',
    `Out of stock: ${names.join(', ')}`,
    { items: names.map((name) => `${name} is out of stock`) },
    'Out of stock',
  );
}

/**
 * Why the selected courier service could not be quoted: when the business's stock cannot cover
 * the order, that is the answer (409 naming the items); otherwise the service does not serve this
 * route or warehouse (422 on `courier_service_id`).
 */
export async function unavailableShippingError(db: Db, businessId: number, lines: PricedLine[]) {
  const needs = new Map<number, number>();
  for (const line of lines) {
    for (const part of line.item.lines) {
      if (!part.is_inventory) continue;
      needs.set(part.variant_id, (needs.get(part.variant_id) ?? 0) + part.quantity * line.quantity);
    }
  }
  const available = await q.availableUnits(db, businessId, [...needs.keys()], null);
  const short = new Set([...needs].filter(([id, qty]) => (available.get(id) ?? 0) < qty).map(([id]) => id));
  const names = lines
    .filter((line) => line.item.lines.some((part) => part.is_inventory && short.has(part.variant_id)))
    .map((line) => line.item.name);
  if (names.length > 0) return outOfStockError([...new Set(names)]);
  return errors.invalidField('courier_service_id', 'cannot ship this order to the destination');
}
