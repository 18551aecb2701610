import path from 'node:path';
import {
  type CustomerImportReport,
  type ImportProgress,
  importCustomers,
  MAX_LISTED_ERRORS,
} from '../../modules/customers/import.ts';
import { type Command, type ProgressSink, report } from '../command.ts';
import { count, failedRowLines, fileArgument, fileProgressReporter, openCsv, seconds } from '../csv-file.ts';
import { businessFrom, businessOption } from '../refs.ts';

function summary(p: ImportProgress): string {
  return `${count(p.created)} created, ${count(p.updated)} updated, ${count(p.duplicates)} duplicates, ${count(p.failed)} failed`;
}

/** The customers import's progress (see `fileProgressReporter`). */
export const progressReporter = (sink: ProgressSink, totalBytes: number, now?: () => number) =>
  fileProgressReporter(sink, totalBytes, { label: 'customers import', summary }, now);

function describe(file: string, result: CustomerImportReport, elapsedMs: number): string[] {
  return [
    `Imported ${path.basename(file)}: ${count(result.rows)} rows in ${seconds(elapsedMs)}`,
    `  created     ${count(result.created)}`,
    `  updated     ${count(result.updated)}`,
    `  duplicates  ${count(result.duplicates)}`,
    `  failed      ${count(result.failed)}`,
    ...failedRowLines(result.errors, result.failed, MAX_LISTED_ERRORS),
  ];
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
      const file = fileArgument(positionals);
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
