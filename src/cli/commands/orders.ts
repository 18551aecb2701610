import fs from 'node:fs';
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
import { businessFrom, businessOption } from '../refs.ts';

const BAR_WIDTH = 24;
/** A TTY bar is redrawn at most this often. */
const REDRAW_MS = 100;
/** Without a TTY, a line at every 10% of the file, and at least this often. */
const LINE_EVERY_MS = 10_000;
const LISTED_IN_TEXT = 20;

const count = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function summary(p: OrderImportProgress): string {
  return `${count(p.created)} created, ${count(p.skipped)} skipped, ${count(p.failed)} failed`;
}

/**
 * Progress of an import over a file of `totalBytes`: a bar redrawn in place on a terminal, plain
 * lines (every 10% or every 10 s) when stderr is a file or a pipe.
 */
export function orderProgressReporter(sink: ProgressSink, totalBytes: number, now: () => number = Date.now) {
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastStep = -1;
  const percentOf = (p: OrderImportProgress) =>
    totalBytes > 0 ? Math.min(100, Math.floor((p.bytes / totalBytes) * 100)) : 100;

  const bar = (p: OrderImportProgress, percent: number) => {
    const filled = Math.round((percent / 100) * BAR_WIDTH);
    const elapsed = now() - started;
    const rate = elapsed > 0 ? Math.round((p.rows / elapsed) * 1000) : 0;
    return `\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}%  ${count(p.rows)} rows  ${summary(p)}  ${count(rate)} rows/s\u001b[K`;
  };
  const line = (p: OrderImportProgress, percent: number) =>
    `orders import: ${percent}% ${count(p.rows)} rows (${summary(p)}) ${seconds(now() - started)}\n`;

  return {
    update(p: OrderImportProgress): void {
      const percent = percentOf(p);
      const time = now();
      if (sink.isTTY) {
        if (time - lastDraw < REDRAW_MS) return;
        lastDraw = time;
        sink.write(bar(p, percent));
        return;
      }
      const step = Math.floor(percent / 10);
      if (step > lastStep || time - lastDraw >= LINE_EVERY_MS) {
        lastStep = step;
        lastDraw = time;
        sink.write(line(p, percent));
      }
    },
    done(p: OrderImportProgress): void {
      if (sink.isTTY) sink.write(`${bar(p, 100)}\n`);
      else if (lastStep < 10) sink.write(line(p, 100));
    },
  };
}

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

async function openCsv(file: string): Promise<{ stream: fs.ReadStream; size: number }> {
  let size: number;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw new UsageError(`${file} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return { stream: fs.createReadStream(file), size };
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
      const file = positionals[0];
      if (!file) throw new UsageError('FILE is required');
      if (positionals.length > 1) throw new UsageError(`one FILE only, got ${positionals.length}`);
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
