import type { Interval, ItemType, PricingType } from '../../db/schema.ts';
import type { FieldErrors } from '../../http/errors.ts';

/**
 * The rules a product's options and variants must satisfy together, checked on the state a write
 * would leave behind (so an update that only renames options is checked against the variants
 * already stored). Pure: no database, returns field errors for one 422.
 */

export type OptionNames = [string | null, string | null, string | null];

export interface VariantState {
  /** Where the variant came from in the request (`variants.<index>`), or its id when stored untouched. */
  index: number | null;
  id: number | null;
  option_values: [string | null, string | null, string | null];
  pricing_type: PricingType;
  interval: Interval | null;
  interval_count: number | null;
  validity_period: number | null;
  validity_period_unit: Interval | null;
}

/** Blank means absent: an option named "  " is no option at all. */
export function cleanText(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  return text === '' ? null : text;
}

function add(errors: FieldErrors, field: string, message: string) {
  const list = errors[field] ?? [];
  if (!list.includes(message)) list.push(message);
  errors[field] = list;
}

export function checkOptionNames(names: OptionNames, errors: FieldErrors): number {
  let inUse = 0;
  for (const [i, name] of names.entries()) {
    if (name === null) continue;
    if (i > 0 && names[i - 1] === null) add(errors, `option${i + 1}_name`, `requires option${i}_name`);
    for (let j = 0; j < i; j++) {
      if (names[j] !== null && names[j]?.toLowerCase() === name.toLowerCase()) {
        add(errors, `option${i + 1}_name`, `must differ from option${j + 1}_name`);
      }
    }
    inUse = i + 1;
  }
  return inUse;
}

function fieldOf(v: VariantState, field: string): string {
  return v.index === null ? 'variants' : `variants.${v.index}.${field}`;
}

function label(v: VariantState): string {
  return v.index === null ? `variant ${v.id}: ` : '';
}

function checkPricing(v: VariantState, itemType: ItemType, errors: FieldErrors) {
  if (itemType === 'subscription' && v.pricing_type !== 'recurring') {
    add(errors, fieldOf(v, 'pricing_type'), `${label(v)}subscription items must be recurring`);
  }
  if (v.pricing_type === 'recurring') {
    if (v.interval === null)
      add(errors, fieldOf(v, 'interval'), `${label(v)}is required for recurring pricing`);
    if (v.interval_count === null)
      add(errors, fieldOf(v, 'interval_count'), `${label(v)}is required for recurring pricing`);
    if (v.validity_period !== null || v.validity_period_unit !== null)
      add(errors, fieldOf(v, 'validity_period'), `${label(v)}applies to one-time pricing only`);
  } else {
    if (v.interval !== null || v.interval_count !== null)
      add(errors, fieldOf(v, 'interval'), `${label(v)}applies to recurring pricing only`);
    if ((v.validity_period === null) !== (v.validity_period_unit === null))
      add(
        errors,
        fieldOf(v, v.validity_period === null ? 'validity_period' : 'validity_period_unit'),
        `${label(v)}validity_period and validity_period_unit go together`,
      );
  }
}

/** Options, option values, uniqueness of each variant's value combination, and pricing. */
export function checkVariants(
  product: { itemType: ItemType; optionNames: OptionNames },
  variants: readonly VariantState[],
): FieldErrors {
  const errors: FieldErrors = {};
  const inUse = checkOptionNames(product.optionNames, errors);
  if (variants.length === 0) add(errors, 'variants', 'must contain at least one variant');
  if (inUse === 0 && variants.length > 1)
    add(errors, 'variants', 'a product without options has exactly one variant; name its options first');

  const seen = new Map<string, VariantState>();
  for (const v of variants) {
    for (let i = 0; i < 3; i++) {
      const field = fieldOf(v, `option${i + 1}_value`);
      const value = v.option_values[i] ?? null;
      if (i < inUse && value === null)
        add(errors, field, `${label(v)}is required because option${i + 1}_name is set`);
      if (i >= inUse && value !== null)
        add(errors, field, `${label(v)}must be empty because the product has no option${i + 1}_name`);
    }
    if (inUse > 0) {
      const key = v.option_values
        .slice(0, inUse)
        .map((value) => value?.toLowerCase() ?? '')
        .join('\u0000');
      const first = seen.get(key);
      if (first) {
        const other = first.index === null ? `variant ${first.id}` : `variants.${first.index}`;
        add(errors, fieldOf(v, 'option1_value'), `${label(v)}repeats the option values of ${other}`);
      } else seen.set(key, v);
    }
    checkPricing(v, product.itemType, errors);
  }
  return errors;
}
