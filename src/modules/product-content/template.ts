import { toCents } from '../../lib/money.ts';

/**
 * A tiny template language for follow-up texts.
 *
 * - `{{name}}` (spaces inside the braces allowed) is replaced by `values.name` when given, and kept
 *   as written otherwise: generation fills product data now and leaves buyer data such as
 *   `{{customer_name}}` for the moment the message is sent.
 * - `\{` is a literal brace and `\\` a literal backslash. Partial rendering keeps escapes, so its
 *   output is still a template; the final rendering (`final: true`) removes them.
 * - Substituted values are escaped during partial rendering, so a product called `{{order_id}}`
 *   stays text at send time instead of turning into a placeholder. Values are never re-scanned.
 */
const TOKEN = /\\([\\{])|\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

export function escapeTemplateText(value: string): string {
  return value.replace(/[\\{]/g, '\\$&');
}

export function renderTemplate(
  template: string,
  values: Record<string, string>,
  options: { final?: boolean } = {},
): string {
  return template.replace(TOKEN, (match, escaped: string | undefined, name: string | undefined) => {
    if (escaped !== undefined) return options.final ? escaped : match;
    const value = name !== undefined && Object.hasOwn(values, name) ? values[name]! : undefined;
    if (value === undefined) return match;
    return options.final ? value : escapeTemplateText(value);
  });
}

/** `"150000.00"` -> `Rp150.000`; cents only when there are some (`Rp99.999,50`). */
export function formatRupiah(amount: string): string {
  const cents = toCents(amount);
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const fraction = abs % 100n === 0n ? '' : `,${(abs % 100n).toString().padStart(2, '0')}`;
  return `${negative ? '-' : ''}Rp${whole}${fraction}`;
}

/** The first sentence-sized piece of a description, cut at a word boundary. */
export function excerpt(text: string | null, maxLength = 200): string {
  const plain = (text ?? '').replace(/\s+/g, ' ').trim();
  if (plain.length <= maxLength) return plain;
  const cut = plain.slice(0, maxLength);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}
