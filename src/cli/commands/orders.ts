import path from 'node:path';
import { MAX_LISTED_ERRORS } from '../../modules/customers/import.ts';
import {
  type CreateType,
  importOrders,
  type OrderImportProgress,
  type OrderImportReport,
} from '../../modules/orders/upload.ts';
import { isTimeZone } from '../../modules/orders/upload-rows.ts';
import { type Command, type ProgressSink, report, UsageError } from '../command.ts';
import { count, fileArgument, fileProgressReporter, LISTED_IN_TEXT, openCsv, seconds } from '../csv-file.ts';
import { businessFrom, businessOption } from '../refs.ts';

function summary(p: OrderImportProgress): string {
  return `${count(p.created)} created, ${count(p.skipped)} skipped, ${count(p.failed)} failed`;
}

/** The orders import's progress (see `fileProgressReporter`). */
const orderProgressReporter = (sink: ProgressSink, totalBytes: number, now?: () => number) =>
  fileProgressReporter(sink, totalBytes, { label: 'orders import', summary }, now);

function describe(
  file: string,
  result: OrderImportReport,
  progress: OrderImportProgress,
  elapsedMs: number,
): string[] {
  const lines = [
    `Imported ${path.basename(file)}: ${count(progress.rows)} rows in ${seconds(elapsedMs)}`,
    `  created  ${count(progress.created)}`,
    `  skipped  ${count(progress.skipped)}`,
    `  failed   ${count(progress.failed)}`,
  ];
  const failed = Object.entries(result.failed);
  if (failed.length > 0) {
    const shown = failed.slice(0, LISTED_IN_TEXT);
    lines.push(
      '',
      `Failed rows (${shown.length} of ${count(progress.failed)}; --json lists up to ${MAX_LISTED_ERRORS}):`,
    );
    for (const [label, reason] of shown) lines.push(`  ${label}: ${reason}`);
  }
  return lines;
}

/** `nexus orders import FILE`: the streamed orders CSV upload. */
export const orderCommands: Command[] = [
  {
    name: ['orders', 'import'],
    summary: 'Import a CSV file of orders into a business (safe to re-run; a progress bar on stderr).',
    details:
      'The columns of POST /v3/orders/upload: store_unique_id and customer_name (required), items as\n' +
      'ordervariants / orderbundles (unique_id:quantity separated by ; or |) or variant_unique_id with\n' +
      'quantity, external_id (the row key for re-runs), address, location_id, courier_service_id,\n' +
      'shipping_cost, payment_method, payment_status, status, tags, date, ... Regular orders take stock\n' +
      'and start draft, pending or confirmed; archive orders are completed history and take none. Rows\n' +
      'an earlier run imported are skipped. The report goes to stdout; the exit status is 1 when any row\n' +
      'failed (fix those rows and run the file again: the rest is not repeated).',
    positionals: [{ name: 'FILE', description: 'The CSV file', required: true }],
    options: {
      business: businessOption,
      'create-type': {
        type: 'string',
        valueName: 'TYPE',
        description: 'regular (default: current orders, taking stock) or archive (completed history)',
      },
      tz: {
        type: 'string',
        valueName: 'ZONE',
        description: 'IANA time zone the date column is read in (default Asia/Jakarta)',
      },
      json: { type: 'boolean', description: 'Print the report as one JSON object' },
    },
    run: async (ctx, values, positionals) => {
      const file = fileArgument(positionals);
      const createType = (values['create-type'] as string | undefined) ?? 'regular';
      if (createType !== 'regular' && createType !== 'archive')
        throw new UsageError(`--create-type must be regular or archive, got ${createType}`);
      const timeZone = (values.tz as string | undefined) ?? 'Asia/Jakarta';
      if (!isTimeZone(timeZone)) throw new UsageError(`--tz must be an IANA time zone, got ${timeZone}`);
      const { stream, size } = await openCsv(file);
      try {
        const db = (await ctx.database()).db;
        const business = await businessFrom(db, values);
        const progress = orderProgressReporter(ctx.progress, size);
        const started = Date.now();
        const { progress: final, ...result } = await importOrders(
          db,
          { businessId: business.id, userId: null },
          stream,
          {
            createType: createType as CreateType,
            timeZone,
            publicUrl: ctx.config.publicUrl,
            onProgress: (p) => progress.update(p),
          },
        );
        progress.done({ ...final, bytes: size });
        report(ctx, Boolean(values.json), { ...result }, describe(file, result, final, Date.now() - started));
        // A script running the import must notice rows that were not imported, not only read the report.
        return final.failed > 0 ? 1 : 0;
      } finally {
        stream.destroy();
      }
    },
  },
];
