import path from 'node:path';
import type { Db } from '../../db/database.ts';
import type { OrderCaller } from '../../modules/orders/business-service.ts';
import { uploadReceipts } from '../../modules/orders/receipt-upload.ts';
import { uploadStatusChanges } from '../../modules/orders/status-upload.ts';
import { MAX_LISTED, type RowError, type UploadProgress } from '../../modules/orders/upload-common.ts';
import { isTimeZone } from '../../modules/orders/upload-rows.ts';
import { type Command, type CommandContext, report, UsageError } from '../command.ts';
import { count, failedRowLines, fileArgument, fileProgressReporter, openCsv, seconds } from '../csv-file.ts';
import { businessFrom, businessOption } from '../refs.ts';

/** The row report both uploads answer (the route's answer: `data` and the counts). */
interface UploadResult {
  rows: number;
  changed: number;
  failed: number;
  errors: RowError[];
}

type Upload = (
  db: Db,
  caller: OrderCaller,
  input: NodeJS.ReadableStream,
  onProgress: (progress: UploadProgress) => void,
) => Promise<UploadResult>;

/** Rows applied that found their order already as the row asks (a re-run's rows). */
const unchanged = (p: Omit<UploadProgress, 'bytes'>) => p.rows - p.changed - p.failed;

const summary = (p: UploadProgress) =>
  `${count(p.changed)} changed, ${count(unchanged(p))} unchanged, ${count(p.failed)} failed`;

function describe(file: string, result: UploadResult, elapsedMs: number): string[] {
  return [
    `Uploaded ${path.basename(file)}: ${count(result.rows)} rows in ${seconds(elapsedMs)}`,
    `  changed    ${count(result.changed)}`,
    `  unchanged  ${count(unchanged(result))}`,
    `  failed     ${count(result.failed)}`,
    ...failedRowLines(result.errors, result.failed, MAX_LISTED),
  ];
}

/**
 * Runs one of the orders' CSV uploads on FILE through the route's own service, as the business
 * with no acting member (as `orders import` does): progress on stderr, the report on stdout.
 */
async function runUpload(
  ctx: CommandContext,
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  label: string,
  upload: Upload,
): Promise<number> {
  const file = fileArgument(positionals);
  const { stream, size } = await openCsv(file);
  try {
    const db = (await ctx.database()).db;
    const business = await businessFrom(db, values);
    const progress = fileProgressReporter(ctx.progress, size, { label, summary });
    const started = Date.now();
    const result = await upload(db, { businessId: business.id, userId: null }, stream, (p) =>
      progress.update(p),
    );
    progress.done({ ...result, bytes: size });
    report(ctx, Boolean(values.json), { ...result }, describe(file, result, Date.now() - started));
    // As the imports: a script must notice rows that were not applied, not only read the report.
    return result.failed > 0 ? 1 : 0;
  } finally {
    stream.destroy();
  }
}

const RERUN =
  'Re-running a file changes nothing more. The report goes to stdout; the exit status is 1 when any\n' +
  'row failed (fix those rows and run the file again).';

/** `nexus orders upload-change-status FILE` and `nexus orders upload-receipt FILE`: the routes' uploads. */
export const orderUploadCommands: Command[] = [
  {
    name: ['orders', 'upload-change-status'],
    summary: 'Move orders through their lifecycle from a CSV file (POST /v3/orders/upload-change-status).',
    details:
      'Columns (first row, case-insensitive, others ignored): order_id (or the order UUID) and status\n' +
      '(required), shipment_receipt (blank keeps the receipt; one from a courier booking never\n' +
      'changes), day, month, year (all blank: now). A move the lifecycle refuses is an error of that row\n' +
      `only; the other rows apply. Moves are the business's, with no acting member.\n${RERUN}`,
    positionals: [{ name: 'FILE', description: 'The CSV file', required: true }],
    options: {
      business: businessOption,
      tz: {
        type: 'string',
        valueName: 'ZONE',
        description: 'IANA time zone the day/month/year columns are read in (default Asia/Jakarta)',
      },
      json: { type: 'boolean', description: 'Print the report as one JSON object' },
    },
    run: async (ctx, values, positionals) => {
      const timeZone = (values.tz as string | undefined) ?? 'Asia/Jakarta';
      if (!isTimeZone(timeZone)) throw new UsageError(`--tz must be an IANA time zone, got ${timeZone}`);
      return runUpload(
        ctx,
        values,
        positionals,
        'orders upload-change-status',
        (db, caller, input, onProgress) =>
          uploadStatusChanges({ db, publicUrl: ctx.config.publicUrl }, caller, input, timeZone, {
            onProgress,
          }),
      );
    },
  },
  {
    name: ['orders', 'upload-receipt'],
    summary: 'Set the shipment receipts of orders from a CSV file (POST /v3/orders/upload-receipt).',
    details:
      'Columns (first row, case-insensitive, others ignored): order_id (or the order UUID) and\n' +
      'shipment_receipt, both required. The status does not change; a receipt issued by a courier\n' +
      `booking is not replaced (that row fails).\n${RERUN}`,
    positionals: [{ name: 'FILE', description: 'The CSV file', required: true }],
    options: {
      business: businessOption,
      json: { type: 'boolean', description: 'Print the report as one JSON object' },
    },
    run: (ctx, values, positionals) =>
      runUpload(ctx, values, positionals, 'orders upload-receipt', (db, caller, input, onProgress) =>
        uploadReceipts({ db, publicUrl: ctx.config.publicUrl }, caller, input, { onProgress }),
      ),
  },
];
