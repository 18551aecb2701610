import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { csvRecords, isBlankRecord, normalizeHeader } from '../../lib/csv-stream.ts';
import { isUuid } from '../../lib/ids.ts';
import * as q from './awb-queries.ts';

/** Rows written per transaction. */
export const UPLOAD_BATCH_SIZE = 200;
/** Orders and failed rows listed in an upload's answer (all of them are counted). */
export const MAX_LISTED = 1000;

/** Where an upload stands, reported after each batch is written (the CLI's progress bar). */
export interface UploadProgress {
  rows: number;
  /** Bytes of the file read up to the last row written. */
  bytes: number;
  changed: number;
  failed: number;
}

/** What the CLI passes beside the file; the routes pass nothing. */
export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  /** The upload time (blank dates, and the latest date a row may name). */
  now?: Date;
}

export interface RowError {
  row: number;
  reasons: string[];
}

/** The row report every order upload answers beside the reference's `data`. */
export class UploadReport<Item> {
  rows = 0;
  changed = 0;
  failed = 0;
  readonly data: Item[] = [];
  private readonly errors: RowError[] = [];

  fail(row: number, reasons: string[]): void {
    this.failed++;
    if (this.errors.length < MAX_LISTED) this.errors.push({ row, reasons });
  }

  done(item: Item, changed: boolean): void {
    if (changed) this.changed++;
    if (this.data.length < MAX_LISTED) this.data.push(item);
  }

  progress(bytes: number): UploadProgress {
    return { rows: this.rows, bytes, changed: this.changed, failed: this.failed };
  }

  result() {
    const { rows, changed, failed, data } = this;
    const errors = [...this.errors].sort((a, b) => a.row - b.row);
    return { data, is_paginated: false as const, rows, changed, failed, errors };
  }
}

/** A data row of an upload: its line and its cells by (normalized) column name. */
export interface UploadRow {
  line: number;
  cell: (column: string) => string;
}

/**
 * Streams the CSV `input` in batches of rows, after checking its header names every `required`
 * column (422 on `file` otherwise, before any row is written). Blank lines are not rows.
 * `onProgress` hears the counts after each batch is written, so they always add up to the rows.
 */
export async function readUploadBatches(
  input: NodeJS.ReadableStream,
  required: readonly string[],
  report: UploadReport<unknown>,
  write: (rows: UploadRow[]) => Promise<void>,
  onProgress?: (progress: UploadProgress) => void,
): Promise<void> {
  let columns: Map<string, number> | undefined;
  let batch: UploadRow[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length > 0) await write(batch);
    batch = [];
    onProgress?.(report.progress(bytes));
  };
  const records = csvRecords(input, (line, problem) => {
    report.rows++;
    report.fail(line, [problem]);
  });
  for await (const record of records) {
    const { cells, line } = record;
    bytes = record.bytes;
    if (!columns) {
      columns = new Map(cells.map((name, index) => [normalizeHeader(name), index]));
      const missing = required.filter((name) => !columns?.has(name));
      if (missing.length > 0) {
        throw errors.invalidField('file', `has no ${missing.join(', ')} column in its header row`);
      }
      continue;
    }
    if (isBlankRecord(cells)) continue;
    report.rows++;
    const known = columns;
    batch.push({ line, cell: (column) => cells[known.get(column) ?? -1]?.trim() ?? '' });
    if (batch.length >= UPLOAD_BATCH_SIZE) await flush();
  }
  if (!columns) throw errors.invalidField('file', 'is empty: the first row must name the columns');
  await flush();
}

/**
 * Locks the business's orders a batch names (by `order_id`, or by UUID `id`), in id order so two
 * uploads touching the same orders never deadlock. Keyed by the reference as written.
 */
export async function lockNamedOrders(
  trx: Db,
  businessId: number,
  references: readonly string[],
): Promise<Map<string, q.AwbOrderRow>> {
  const wanted = [...new Set(references.filter((reference) => reference.length > 0))];
  const rows = await q.lockOrdersByReference(
    trx,
    businessId,
    wanted.filter((reference) => !isUuid(reference)),
    wanted.filter(isUuid).map((id) => id.toLowerCase()),
  );
  const found = new Map<string, q.AwbOrderRow>();
  for (const row of rows) {
    found.set(row.order_id, row);
    found.set(row.id, row);
  }
  return new Map(
    wanted.flatMap((reference) => {
      const row = found.get(isUuid(reference) ? reference.toLowerCase() : reference);
      return row ? [[reference, row] as const] : [];
    }),
  );
}

/** A valid IANA time zone, else 422 on `tz`. */
export function checkTimeZone(tz: string | undefined): string {
  const zone = tz?.trim() ?? '';
  if (zone.length === 0)
    throw errors.invalidField('tz', 'is required (an IANA time zone such as Asia/Jakarta)');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw errors.invalidField('tz', `is not a known IANA time zone: ${zone.slice(0, 64)}`);
  }
  return zone;
}

/** The wall-clock fields of `at` in `tz`. */
function wallClock(at: Date, tz: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value ?? 0);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/**
 * A row's date (`day`, `month`, `year`) in `tz`, at the upload's time of day there so the moves of
 * one day keep their order; all three blank is the upload time. A partial, impossible or future date
 * is the row's error (a string).
 */
export function rowDate(row: UploadRow, tz: string, now: Date): Date | string {
  const [day, month, year] = ['day', 'month', 'year'].map((column) => row.cell(column));
  if (!day && !month && !year) return now;
  if (!day || !month || !year) return 'day, month and year must be given together (or all left blank)';
  if (![day, month, year].every((value) => /^\d{1,4}$/.test(value)))
    return 'day, month and year must be numbers';
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const clock = wallClock(now, tz);
  const guess = Date.UTC(y, m - 1, d, clock.hour, clock.minute, clock.second);
  const check = new Date(guess);
  if (y < 2000 || check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    return `${day}-${month}-${year} is not a date`;
  }
  // The offset of `tz` at that moment turns its wall-clock time into an instant.
  const seen = wallClock(check, tz);
  const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second) - guess;
  const at = new Date(guess - offset);
  if (at.getTime() > now.getTime()) return `${day}-${month}-${year} is in the future`;
  return at;
}
