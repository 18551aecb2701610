import fs from 'node:fs';
import path from 'node:path';
import {
  type CustomerImportReport,
  type ImportProgress,
  importCustomers,
  MAX_LISTED_ERRORS,
} from '../../modules/customers/import.ts';
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

function summary(p: ImportProgress): string {
  return `${count(p.created)} created, ${count(p.updated)} updated, ${count(p.duplicates)} duplicates, ${count(p.failed)} failed`;
}

/**
 * Progress of an import over a file of `totalBytes`: a bar redrawn in place on a terminal, plain
 * lines (every 10% or every 10 s) when stderr is a file or a pipe.
 */
export function progressReporter(sink: ProgressSink, totalBytes: number, now: () => number = Date.now) {
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastStep = -1;
  const percentOf = (p: ImportProgress) =>
    totalBytes > 0 ? Math.min(100, Math.floor((p.bytes / totalBytes) * 100)) : 100;

  const bar = (p: ImportProgress, percent: number) => {
    const filled = Math.round((percent / 100) * BAR_WIDTH);
    const elapsed = now() - started;
    const rate = elapsed > 0 ? Math.round((p.rows / elapsed) * 1000) : 0;
    return `\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}%  ${count(p.rows)} rows  ${summary(p)}  ${count(rate)} rows/s\u001b[K`;
  };
  const line = (p: ImportProgress, percent: number) =>
    `customers import: ${percent}% ${count(p.rows)} rows (${summary(p)}) ${seconds(now() - started)}\n`;

  return {
    update(p: ImportProgress): void {
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
    done(p: ImportProgress): void {
      if (sink.isTTY) sink.write(`${bar(p, 100)}\n`);
      else if (lastStep < 10) sink.write(line(p, 100));
    },
  };
}

function describe(file: string, result: CustomerImportReport, elapsedMs: number): string[] {
  const lines = [
    `Imported ${path.basename(file)}: ${count(result.rows)} rows in ${seconds(elapsedMs)}`,
    `  created     ${count(result.created)}`,
    `  updated     ${count(result.updated)}`,
    `  duplicates  ${count(result.duplicates)}`,
    `  failed      ${count(result.failed)}`,
  ];
  if (result.errors.length > 0) {
    const shown = result.errors.slice(0, LISTED_IN_TEXT);
    lines.push(
      '',
      `Failed rows (${shown.length} of ${count(result.failed)}; --json lists up to ${MAX_LISTED_ERRORS}):`,
    );
    for (const error of shown) lines.push(`  line ${error.row}: ${error.reasons.join('; ')}`);
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

/** `nexus customers import FILE`: the streamed CSV import. */
export const customerCommands: Command[] = [
  {
    name: ['customers', 'import'],
    summary: 'Import a CSV file of customers into a business (safe to re-run; a progress bar on stderr).',
    details:
      'Columns (first row, case-insensitive, others ignored): name (required), email, phone (one of the\n' +
      'two required), tags (separated by ; or |), notes, date_of_birth (YYYY-MM-DD), sex,\n' +
      'address, postal_code, location_id. Rows with an e-mail update the customer with that e-mail, rows\n' +
      'without one match on phone; rows for one customer count once. The report goes to stdout; the exit\n' +
      'status is 1 when any row failed (fix those rows and run the file again: the rest is not repeated).',
    positionals: [{ name: 'FILE', description: 'The CSV file', required: true }],
    options: {
      business: businessOption,
      json: { type: 'boolean', description: 'Print the report as one JSON object' },
    },
    run: async (ctx, values, positionals) => {
      const file = positionals[0];
      if (!file) throw new UsageError('FILE is required');
      if (positionals.length > 1) throw new UsageError(`one FILE only, got ${positionals.length}`);
      const { stream, size } = await openCsv(file);
      try {
        const db = (await ctx.database()).db;
        const business = await businessFrom(db, values);
        const progress = progressReporter(ctx.progress, size);
        const started = Date.now();
        const result = await importCustomers(db, business.id, stream, {
          onProgress: (p) => progress.update(p),
        });
        progress.done({ ...result, bytes: size });
        report(ctx, Boolean(values.json), { ...result }, describe(file, result, Date.now() - started));
        // A script running the import must notice rows that were not imported, not only read the report.
        return result.failed > 0 ? 1 : 0;
      } finally {
        stream.destroy();
      }
    },
  },
];
