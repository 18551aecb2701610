/**
 * `"012.50000"` -> `"12.50"`, `"7"` -> `"7.00"`, `"12.3456"` kept: at least two decimals, at most
 * the four the column stores. Text in, text out: rates never pass through a float. Every response
 * carrying a commission rate (partnership settings, products) writes it through this function.
 */
export function normalizeRate(value: string): string {
  const [whole = '0', fraction = ''] = value.split('.');
  let digits = fraction.padEnd(4, '0');
  while (digits.length > 2 && digits.endsWith('0')) digits = digits.slice(0, -1);
  return `${whole.replace(/^0+(?=\d)/, '')}.${digits}`;
}

export function normalizeNullableRate(value: string | null): string | null {
  return value === null ? null : normalizeRate(value);
}
