/**
 * Money is a decimal string on the wire and numeric(20,2) in SQL. Arithmetic happens on integer
 * cents (bigint), never on binary floating point.
 */
export type Cents = bigint;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** `"150000"`, `"150000.5"`, `150000.25` -> cents; more than two decimals round half away from zero. */
export function toCents(value: string | number): Cents {
  const text = typeof value === 'number' ? numberToDecimal(value) : value.trim();
  if (!DECIMAL.test(text)) throw new RangeError(`Not a decimal amount: ${value}`);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const padded = `${fraction}000`;
  let cents = BigInt(whole) * 100n + BigInt(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) cents += 1n;
  return negative ? -cents : cents;
}

function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite amount: ${value}`);
  // toFixed(3) keeps the third decimal for rounding without exponent notation for large values.
  return value.toFixed(3);
}

/** cents -> `"150000.00"` */
export function formatCents(cents: Cents): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** Normalizes any accepted amount to the canonical two-decimal string. */
export function normalizeMoney(value: string | number): string {
  return formatCents(toCents(value));
}

/** Divides with rounding half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= denominator) return quotient + (numerator < 0n ? -1n : 1n);
  return quotient;
}

/**
 * The amount before tax of a tax-inclusive amount: price / (1 + rate), to the cent.
 * `rate` is the business's tax rate as a decimal string or number ("0.11").
 */
export function beforeTax(amount: string | number, rate: string | number): string {
  const rateText = typeof rate === 'number' ? rate.toFixed(6) : rate.trim();
  const [whole = '0', fraction = ''] = rateText.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const rateScaled = BigInt(whole) * scale + BigInt(fraction || '0');
  return formatCents(divideRounded(toCents(amount) * scale, scale + rateScaled));
}
