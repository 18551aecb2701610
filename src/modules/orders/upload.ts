/**
 * The orders CSV upload (`POST /v3/orders/upload`, `nexus orders import`). The file is streamed
 * through the shared CSV reading of lib/csv-stream.ts, as the customer import is (binary files
 * refused, lines counted, bad records reported), and each row becomes one order in its own transaction, through the same path as
 * `createOrder`: one bad row is reported and the others are imported.
 *
 * Regular rows start `draft` (incomplete, e.g. no address for a parcel), `pending` or `confirmed`
 * (when the row asks for it) and take stock; archive rows are history: `completed` at the row's
 * `date`, paid unless the row says unpaid, taking no stock. Re-running a file is safe: each order
 * remembers its row's key (`external_id`, else a digest of the row) and a row whose key is already
 * imported is reported under `skipped` with the order it made.
 */
import { Value } from '@sinclair/typebox/value';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { csvRecords, isBlankRecord, notCsv } from '../../lib/csv-stream.ts';
import { outOfStockError } from '../checkout/rules.ts';
import { MAX_LISTED_ERRORS } from '../customers/import.ts';
import { insertBusinessOrder, prepareBusinessOrder } from './business-create.ts';
import type { OrderCaller } from './business-service.ts';
import { OutOfStockError } from './create.ts';
import { CreateOrderBody } from './create-schemas.ts';
import { emitOrderEvents, moveEvents } from './events.ts';
import { lockedOrder, moveOrder } from './status.ts';
import { type OrderColumnMap, type OrderImportRow, readOrderHeader, readOrderRow } from './upload-rows.ts';

export type CreateType = 'archive' | 'regular';

export interface UploadedOrder {
  id: string;
  order_id: string;
  external_id: string | null;
  status: string;
  payment_status: string;
  public_order_url: string;
  payment_url: string;
}

export interface OrderImportReport {
  success: UploadedOrder[];
  /** Row label (its external id, else `row N`) -> why it was not imported. */
  failed: Record<string, string>;
  /** Rows imported by an earlier run (or earlier in the file): label -> the order they made. */
  skipped: Record<string, string>;
}

export interface OrderImportProgress {
  rows: number;
  bytes: number;
  created: number;
  skipped: number;
  failed: number;
}

export interface OrderImportOptions {
  createType: CreateType;
  timeZone: string;
  publicUrl: string;
  /** Called every `PROGRESS_EVERY` rows and once at the end. */
  onProgress?: (progress: OrderImportProgress) => void;
}

const PROGRESS_EVERY = 25;

class Report {
  rows = 0;
  created = 0;
  skippedCount = 0;
  failedCount = 0;
  readonly success: UploadedOrder[] = [];
  readonly failed: Record<string, string> = {};
  readonly skipped: Record<string, string> = {};

  fail(label: string, line: number, reason: string): void {
    this.failedCount++;
    if (Object.keys(this.failed).length >= MAX_LISTED_ERRORS) return;
    this.failed[label in this.failed ? `${label} (line ${line})` : label] = reason;
  }

  skip(label: string, line: number, orderId: string): void {
    this.skippedCount++;
    this.skipped[label in this.skipped ? `${label} (line ${line})` : label] =
      `already imported as order ${orderId}`;
  }

  progress(bytes: number): OrderImportProgress {
    return {
      rows: this.rows,
      bytes,
      created: this.created,
      skipped: this.skippedCount,
      failed: this.failedCount,
    };
  }

  result(): OrderImportReport {
    return { success: this.success, failed: this.failed, skipped: this.skipped };
  }
}

/** An error's message with the fields it names, as one line of the report. */
function reasonOf(error: ApiError): string {
  const fields = Object.entries(error.fieldErrors).map(
    ([field, messages]) => `${field} ${messages.join(', ')}`,
  );
  return fields.length > 0 ? fields.join('; ') : error.message;
}

/**
 * Imports the CSV `input` as orders of the caller's business. A file that is not CSV text, or
 * whose header lacks the required columns, is a 422 on `file` before any order is created.
 */
export async function importOrders(
  db: Db,
  caller: OrderCaller,
  input: NodeJS.ReadableStream,
  options: OrderImportOptions,
): Promise<OrderImportReport & { progress: OrderImportProgress }> {
  const report = new Report();
  const records = csvRecords(input, (line, problem) => {
    report.rows++;
    report.fail(`row ${line}`, line, problem);
  });
  let columns: OrderColumnMap | undefined;
  let bytes = 0;
  for await (const record of records) {
    bytes = record.bytes;
    if (!columns) {
      const header = readOrderHeader(record.cells);
      if (!header.ok) throw errors.invalidField('file', header.problem);
      columns = header.columns;
      continue;
    }
    if (isBlankRecord(record.cells)) continue;
    report.rows++;
    const row = readOrderRow(record.cells, columns, record.line, options.timeZone);
    if (!row.ok) report.fail(row.label, record.line, row.reasons.join('; '));
    else await importRow(db, caller, row.value, options, report);
    if (report.rows % PROGRESS_EVERY === 0) options.onProgress?.(report.progress(bytes));
  }
  if (!columns) {
    if (report.failedCount > 0) throw notCsv();
    throw errors.invalidField('file', 'is empty: the first row must name the columns');
  }
  const progress = report.progress(bytes);
  options.onProgress?.(progress);
  return { ...report.result(), progress };
}

async function importedOrderId(db: Db, businessId: number, key: string): Promise<string | null> {
  const found = await db
    .selectFrom('orders')
    .select('order_id')
    .where('business_id', '=', businessId)
    .where('import_key', '=', key)
    .executeTakeFirst();
  return found?.order_id ?? null;
}

/** One row as one order, in its own transaction; its failure is the row's, never the file's. */
async function importRow(
  db: Db,
  caller: OrderCaller,
  row: OrderImportRow,
  options: OrderImportOptions,
  report: Report,
): Promise<void> {
  const { businessId } = caller;
  const earlier = await importedOrderId(db, businessId, row.importKey);
  if (earlier) {
    report.skip(row.label, row.line, earlier);
    return;
  }
  const problems = [...Value.Errors(CreateOrderBody, row.body)]
    .slice(0, 5)
    .map((problem) => `${problem.path.slice(1).replaceAll('/', '.')}: ${problem.message}`);
  if (problems.length > 0) {
    report.fail(row.label, row.line, problems.join('; '));
    return;
  }
  const archive = options.createType === 'archive';
  try {
    const prepared = await prepareBusinessOrder(db, caller, row.body, {
      importKey: row.importKey,
      ...(archive ? { archive: { placedAt: row.placedAt ?? new Date() } } : {}),
    });
    if (!archive && prepared.draft.initialStatus === 'pending' && row.status !== 'pending')
      prepared.draft.initialStatus = row.status;
    const paid = archive ? row.paid !== false : row.paid === true;
    const outcome = await db.transaction().execute(async (trx) => {
      // Two runs of one file at once: the second waits here, then finds the first one's order.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`orders-import:${businessId}:${row.importKey}`}, 0))`.execute(
        trx,
      );
      const raced = await importedOrderId(trx, businessId, row.importKey);
      if (raced) return { skipped: raced, created: null } as const;
      const created = await insertBusinessOrder(trx, prepared, options.publicUrl);
      let paymentStatus: string = created.row.payment_status;
      if (paid) {
        const order = lockedOrder(created.row);
        const moved = await moveOrder(trx, order, {
          paymentStatus: 'paid',
          actor: 'business',
          actorUserId: caller.userId,
          at: archive ? (row.placedAt ?? new Date()) : new Date(),
        });
        await emitOrderEvents(trx, businessId, created.id, moveEvents(moved, 'paid'), options.publicUrl);
        paymentStatus = order.paymentStatus;
      }
      return { skipped: null, created, paymentStatus } as const;
    });
    if (outcome.created === null) {
      report.skip(row.label, row.line, outcome.skipped);
      return;
    }
    const { created } = outcome;
    const url = `${options.publicUrl}/o/${created.secret_slug}`;
    report.created++;
    report.success.push({
      id: created.id,
      order_id: created.order_id,
      external_id: created.row.external_id,
      status: created.row.status,
      payment_status: outcome.paymentStatus,
      public_order_url: url,
      payment_url: `${url}/pay`,
    });
  } catch (error) {
    if (error instanceof OutOfStockError)
      report.fail(row.label, row.line, outOfStockError(error.names).message);
    else if (error instanceof ApiError) report.fail(row.label, row.line, reasonOf(error));
    else throw error;
  }
}
