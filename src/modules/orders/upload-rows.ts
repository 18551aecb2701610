import { createHash } from 'node:crypto';
import type { CreateOrderBodyObject } from './create-schemas.ts';

/**
 * One CSV row of the orders upload, read on its own (no database): the header's columns, each
 * cell's shape, the order body it makes, and the key that makes re-running a file safe.
 */

/** Columns by header name (case-insensitive; spaces and `-` read as `_`); others are ignored. */
export const ORDER_COLUMNS = [
  'external_id',
  'store_unique_id',
  'customer_name',
  'customer_phone',
  'customer_email',
  'address',
  'location_id',
  'postal_code',
  'ordervariants',
  'orderbundles',
  'variant_unique_id',
  'bundle_price_option_unique_id',
  'quantity',
  'warehouse_unique_id',
  'courier_service_id',
  'shipping_cost',
  'shipping_discount',
  'product_discount',
  'other_income',
  'other_income_name',
  'payment_method',
  'sub_payment_method',
  'payment_status',
  'status',
  'discount_code_code',
  'notes',
  'tags',
  'platform',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
  'date',
] as const;
export type OrderColumn = (typeof ORDER_COLUMNS)[number];

const ALIASES: Record<string, OrderColumn> = {
  name: 'customer_name',
  phone: 'customer_phone',
  email: 'customer_email',
  store: 'store_unique_id',
  order_date: 'date',
  created_at: 'date',
  variants: 'ordervariants',
  bundles: 'orderbundles',
};

export type OrderColumnMap = Partial<Record<OrderColumn, number>>;

export type OrderHeader = { ok: true; columns: OrderColumnMap } | { ok: false; problem: string };

const normalizeHeader = (cell: string) =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export function readOrderHeader(cells: string[]): OrderHeader {
  const columns: OrderColumnMap = {};
  for (const [index, cell] of cells.entries()) {
    const normalized = normalizeHeader(cell);
    const column = (ORDER_COLUMNS as readonly string[]).includes(normalized)
      ? (normalized as OrderColumn)
      : ALIASES[normalized];
    if (!column) continue;
    if (columns[column] !== undefined) return { ok: false, problem: `has the ${column} column twice` };
    columns[column] = index;
  }
  for (const required of ['store_unique_id', 'customer_name'] as const)
    if (columns[required] === undefined)
      return { ok: false, problem: `has no ${required} column in its header row` };
  if (
    columns.ordervariants === undefined &&
    columns.orderbundles === undefined &&
    columns.variant_unique_id === undefined &&
    columns.bundle_price_option_unique_id === undefined
  )
    return {
      ok: false,
      problem:
        'has no item column (ordervariants, orderbundles, variant_unique_id or bundle_price_option_unique_id)',
    };
  return { ok: true, columns };
}

export interface OrderImportRow {
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  /** What the answer names the row by: its external id, else `row N`. */
  label: string;
  /** Unique per business: the external id, else a digest of the row's cells (migration 0026). */
  importKey: string;
  body: CreateOrderBodyObject;
  /** What a regular row asks for: a complete order starts `pending` unless it says `draft` or `confirmed`. */
  status: 'draft' | 'pending' | 'confirmed';
  paid: boolean | null;
  /** The `date` cell, read in the upload's time zone; null when blank. */
  placedAt: Date | null;
}

export type OrderRowResult =
  | { ok: true; value: OrderImportRow }
  | { ok: false; label: string; reasons: string[] };

const ITEM = /^([^:\s]{1,64})(?::(\d{1,5}))?$/;
const SEPARATOR = /[;|]/;
const AMOUNT = /^\d{1,13}(\.\d{1,2})?$/;
const INTEGER = /^\d{1,9}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function items(text: string, column: string, reasons: string[]): Array<{ id: string; quantity: number }> {
  const out: Array<{ id: string; quantity: number }> = [];
  for (const part of text.split(SEPARATOR)) {
    const item = part.trim();
    if (!item) continue;
    const match = ITEM.exec(item);
    const quantity = Number(match?.[2] ?? 1);
    if (!match || quantity < 1 || quantity > 10_000) {
      reasons.push(`${column}: "${item}" is not unique_id or unique_id:quantity`);
      continue;
    }
    out.push({ id: match[1]!, quantity });
  }
  return out;
}

/** The UTC instant of a wall-clock time in `timeZone` (an IANA name the caller has checked). */
export function zonedTime(parts: number[], timeZone: string): Date {
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts as [
    number,
    number,
    number,
    number?,
    number?,
    number?,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetAt = (instant: number) => {
    const fields = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(instant))
        .map((part) => [part.type, Number(part.value)]),
    );
    return (
      Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!) -
      instant
    );
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}

/** Reads one data row; `timeZone` reads its `date`. */
export function readOrderRow(
  cells: string[],
  columns: OrderColumnMap,
  line: number,
  timeZone: string,
): OrderRowResult {
  const cell = (column: OrderColumn): string | null => {
    const index = columns[column];
    const value = index === undefined ? undefined : cells[index]?.trim();
    return value ? value : null;
  };
  const reasons: string[] = [];
  const externalId = cell('external_id');
  const label = externalId ?? `row ${line}`;
  if (externalId && externalId.length > 255) reasons.push('external_id: is longer than 255 characters');
  const amount = (column: OrderColumn) => {
    const text = cell(column);
    if (text === null) return undefined;
    if (!AMOUNT.test(text)) reasons.push(`${column}: "${text}" is not an amount like 15000 or 15000.50`);
    return Number(text);
  };
  const integer = (column: OrderColumn) => {
    const text = cell(column);
    if (text === null) return undefined;
    if (!INTEGER.test(text) || Number(text) < 1) reasons.push(`${column}: "${text}" is not an id`);
    return Number(text);
  };

  const variants = items(cell('ordervariants') ?? '', 'ordervariants', reasons);
  const bundles = items(cell('orderbundles') ?? '', 'orderbundles', reasons);
  const quantity = integer('quantity') ?? 1;
  const single = cell('variant_unique_id');
  if (single) variants.push({ id: single, quantity });
  const singleBundle = cell('bundle_price_option_unique_id');
  if (singleBundle) bundles.push({ id: singleBundle, quantity });
  if (variants.length + bundles.length === 0) reasons.push('ordervariants: no item in this row');

  const storeUniqueId = cell('store_unique_id');
  if (!storeUniqueId) reasons.push("store_unique_id: can't be blank");
  const customerName = cell('customer_name');
  if (!customerName) reasons.push("customer_name: can't be blank");
  const paymentStatus = cell('payment_status')?.toLowerCase() ?? null;
  if (paymentStatus && paymentStatus !== 'paid' && paymentStatus !== 'unpaid')
    reasons.push(`payment_status: "${paymentStatus}" is not paid or unpaid`);
  const status = cell('status')?.toLowerCase() ?? null;
  if (status && !['draft', 'pending', 'confirmed'].includes(status))
    reasons.push(`status: "${status}" is not draft, pending or confirmed`);
  let placedAt: Date | null = null;
  const date = cell('date');
  if (date) {
    const match = DATE.exec(date);
    if (!match) reasons.push(`date: "${date}" is not YYYY-MM-DD or YYYY-MM-DD HH:MM`);
    else {
      placedAt = zonedTime(match.slice(1).filter(Boolean).map(Number), timeZone);
      if (Number.isNaN(placedAt.getTime()) || placedAt.getTime() > Date.now())
        reasons.push(`date: "${date}" is not a past date`);
    }
  }
  const body = {
    store_unique_id: storeUniqueId ?? '',
    customer_name: customerName ?? '',
    ordervariants: variants.map((item) => ({ variant_unique_id: item.id, quantity: item.quantity })),
    orderbundles: bundles.map((item) => ({
      bundle_price_option_unique_id: item.id,
      quantity: item.quantity,
    })),
    tags: (cell('tags') ?? '')
      .split(SEPARATOR)
      .map((tag) => tag.trim())
      .filter((tag) => tag.length > 0)
      .slice(0, 50),
  } as CreateOrderBodyObject;
  const optional = body as Record<string, unknown>;
  for (const column of [
    'customer_phone',
    'customer_email',
    'address',
    'postal_code',
    'warehouse_unique_id',
    'other_income_name',
    'payment_method',
    'sub_payment_method',
    'discount_code_code',
    'notes',
    'platform',
    'external_id',
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'utm_content',
    'utm_term',
  ] as const) {
    const value = cell(column);
    if (value !== null) optional[column] = column === 'payment_method' ? value.toLowerCase() : value;
  }
  for (const column of ['location_id', 'courier_service_id'] as const) {
    const value = integer(column);
    if (value !== undefined) optional[column] = value;
  }
  for (const column of ['shipping_cost', 'shipping_discount', 'product_discount', 'other_income'] as const) {
    const value = amount(column);
    if (value !== undefined) optional[column] = value;
  }
  if (reasons.length > 0) return { ok: false, label, reasons };
  const digest = createHash('sha256')
    .update(JSON.stringify(cells.map((value) => value.trim())))
    .digest('base64url');
  return {
    ok: true,
    value: {
      line,
      label,
      importKey: externalId ? `ext:${externalId}` : `row:${digest}`,
      body,
      status: status === 'confirmed' || status === 'draft' ? status : 'pending',
      paid: paymentStatus === null ? null : paymentStatus === 'paid',
      placedAt,
    },
  };
}
