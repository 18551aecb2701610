import { type CsvError, type Options as CsvOptions, parse } from 'csv-parse';
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { csvProblem, LineCounter, MAX_RECORD_CHARS, notCsv, TextSniffer } from '../../lib/csv-stream.ts';
import * as q from './import-queries.ts';
import {
  type ColumnMap,
  type CustomerImportRow,
  mergeRows,
  readHeader,
  readRow,
  rowKey,
} from './import-rows.ts';

/**
 * The business customer CSV import (`POST /v3/customers/upload`, `nexus customers import`).
 *
 * The file is streamed: read through a streaming CSV parser, validated row by row, and written in
 * batches (one transaction and a few multi-row statements per batch), so memory stays flat
 * whatever the file's size. Safe to re-run: rows with an e-mail land on the business's customer
 * for that e-mail (the same record checkout and the business API use), rows without one on the
 * customer with that phone; rows of one file for the same customer count once.
 */

export const BATCH_SIZE = 500;
/** Failed rows listed in the report (all of them are counted). */
export const MAX_LISTED_ERRORS = 1000;

export interface RowError {
  row: number;
  reasons: string[];
}

export interface CustomerImportReport {
  /** Data rows read (the header and empty lines are not rows). */
  rows: number;
  created: number;
  updated: number;
  /** Rows for a customer an earlier row of the same file already created or updated. */
  duplicates: number;
  failed: number;
  /** The first failed rows, by row (at most MAX_LISTED_ERRORS); `failed` counts them all. */
  errors: RowError[];
}

export interface ImportProgress {
  rows: number;
  /** Bytes of the file read so far. */
  bytes: number;
  created: number;
  updated: number;
  duplicates: number;
  failed: number;
}

export interface ImportOptions {
  /** Called after every batch is written, and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  batchSize?: number;
  /** `YYYY-MM-DD`, the latest accepted date of birth; defaults to today (UTC). */
  today?: string;
}

interface ParsedRecord {
  cells: string[];
  line: number;
  /** Bytes of the file up to the end of this record. */
  bytes: number;
}

export const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === '');

class Report {
  rows = 0;
  created = 0;
  updated = 0;
  duplicates = 0;
  failed = 0;
  private errors: RowError[] = [];

  fail(row: number, reasons: string[]): void {
    this.failed++;
    this.errors.push({ row, reasons });
    // Errors can arrive slightly out of order (parser errors, location checks at batch time):
    // keep a bounded buffer and trim it to the first rows.
    if (this.errors.length >= 2 * MAX_LISTED_ERRORS) this.trim();
  }

  private trim(): void {
    this.errors.sort((a, b) => a.row - b.row);
    this.errors.length = Math.min(this.errors.length, MAX_LISTED_ERRORS);
  }

  progress(bytes: number): ImportProgress {
    const { rows, created, updated, duplicates, failed } = this;
    return { rows, bytes, created, updated, duplicates, failed };
  }

  result(): CustomerImportReport {
    this.trim();
    const { rows, created, updated, duplicates, failed, errors } = this;
    return { rows, created, updated, duplicates, failed, errors };
  }
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Imports the CSV `input` into the business's customers and answers the report. A file that is
 * not CSV text, or whose header has no usable columns, is a 422 on `file` before any row is
 * written; an `input` that fails (an upload over its size limit) stops the import with that error.
 */
export async function importCustomers(
  db: Db,
  businessId: number,
  input: NodeJS.ReadableStream,
  options: ImportOptions = {},
): Promise<CustomerImportReport> {
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const today = options.today ?? todayUtc();
  const report = new Report();
  const touched = new Set<number>();
  const lines = new LineCounter();
  // Records are numbered as the parser reads them (in step with its skip events), not as they are
  // consumed: the parser reads ahead.
  const csvOptions: CsvOptions<ParsedRecord, string[]> = {
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (cells, context) => ({
      cells,
      line: lines.next(cells, context.empty_lines),
      bytes: context.bytes,
    }),
  };
  // csv-parse's overloads only take untyped options; the typed ones above check on_record.
  const parser = parse(csvOptions as unknown as CsvOptions);
  parser.on('skip', (error: CsvError) => {
    report.rows++;
    report.fail(lines.peek(parser.info.empty_lines), [csvProblem(error)]);
  });
  const sniffer = new TextSniffer();
  // Errors of the source (a size limit) and of the sniffer end the parser's iteration with them.
  input.on('error', (error) => parser.destroy(error));
  sniffer.on('error', (error) => parser.destroy(error));
  input.pipe(sniffer).pipe(parser);

  let columns: ColumnMap | undefined;
  let batch: CustomerImportRow[] = [];
  // The parser reads ahead; progress counts the bytes of the rows actually handled.
  let bytes = 0;
  const flush = async () => {
    const rows = batch;
    batch = [];
    if (rows.length > 0) await writeBatch(db, businessId, rows, report, touched);
    options.onProgress?.(report.progress(bytes));
  };

  try {
    for await (const { cells, line, bytes: read } of parser as AsyncIterable<ParsedRecord>) {
      bytes = read;
      if (!columns) {
        const header = readHeader(cells);
        if (!header.ok) throw errors.invalidField('file', header.problem);
        columns = header.columns;
        continue;
      }
      // Spreadsheets export empty rows as a line of commas: not a row either.
      if (isBlank(cells)) continue;
      report.rows++;
      const result = readRow(cells, columns, line, today);
      if (!result.ok) report.fail(line, result.reasons);
      else batch.push(result.value);
      if (batch.length >= batchSize) await flush();
    }
  } catch (error) {
    input.unpipe?.(sniffer);
    if (error instanceof ApiError) throw error;
    if ((error as { code?: string }).code?.startsWith('CSV_')) throw notCsv();
    throw error;
  }
  if (!columns) {
    if (report.failed > 0) throw notCsv();
    throw errors.invalidField('file', 'is empty: the first row must name the columns');
  }
  await flush();
  return report.result();
}

/**
 * Writes one batch in one transaction: unknown locations fail their rows, rows for one customer
 * are merged, then e-mail rows are upserted, phone-only rows matched or created, and addresses added.
 */
async function writeBatch(
  db: Db,
  businessId: number,
  rows: CustomerImportRow[],
  report: Report,
  touched: Set<number>,
): Promise<void> {
  const locationIds = [...new Set(rows.flatMap((row) => row.address?.locationId ?? []))];
  const known = await q.knownLocationIds(db, locationIds);

  const merged = new Map<string, CustomerImportRow>();
  for (const row of rows) {
    const locationId = row.address?.locationId;
    if (locationId != null && !known.has(locationId)) {
      report.fail(row.row, ['location_id is not a known location']);
      continue;
    }
    const key = rowKey(row);
    const earlier = merged.get(key);
    if (earlier) report.duplicates++;
    merged.set(key, earlier ? mergeRows(earlier, row) : row);
  }
  const unique = [...merged.values()];
  const byEmail = unique.filter((row) => row.email);
  const byPhone = unique.filter((row) => !row.email);

  const written = await db.transaction().execute(async (trx) => {
    await q.lockBusinessImport(trx, businessId);
    const out: { id: number; inserted: boolean; row: CustomerImportRow }[] = [];
    const emailRows = new Map(byEmail.map((row) => [row.email as string, row]));
    for (const customer of await q.upsertByEmail(trx, businessId, byEmail)) {
      const row = emailRows.get(customer.key);
      if (row) out.push({ id: customer.id, inserted: customer.inserted, row });
    }

    const phoneRows = new Map(byPhone.map((row) => [row.phoneKey as string, row]));
    const found = await q.findByPhoneKeys(trx, businessId, [...phoneRows.keys()]);
    const matched: { id: number; row: CustomerImportRow }[] = [];
    const fresh: CustomerImportRow[] = [];
    for (const [key, row] of phoneRows) {
      const id = found.get(key);
      if (id === undefined) fresh.push(row);
      else matched.push({ id, row });
    }
    await q.updateMatched(trx, businessId, matched);
    for (const { id, row } of matched) out.push({ id, inserted: false, row });
    for (const customer of await q.insertByPhone(trx, businessId, fresh)) {
      const row = phoneRows.get(customer.key);
      if (row) out.push({ id: customer.id, inserted: true, row });
    }

    await q.addAddresses(
      trx,
      businessId,
      out.map(({ id, row }) => ({ customerId: id, row })),
    );
    return out;
  });

  for (const { id, inserted } of written) {
    if (touched.has(id)) report.duplicates++;
    else if (inserted) report.created++;
    else report.updated++;
    touched.add(id);
  }
}
