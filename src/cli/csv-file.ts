import fs from 'node:fs';
import { type ProgressSink, UsageError } from './command.ts';

/**
 * What the commands reading a CSV file share (`customers import`, `orders import`, the orders'
 * status and receipt uploads): opening the file, the progress bar, the listing of failed rows.
 */

const BAR_WIDTH = 24;
/** A TTY bar is redrawn at most this often. */
const REDRAW_MS = 100;
/** Without a TTY, a line at every 10% of the file, and at least this often. */
const LINE_EVERY_MS = 10_000;
/** Failed rows the text report lists; `--json` lists what the service kept. */
export const LISTED_IN_TEXT = 20;

export const count = (n: number) => n.toLocaleString('en-US');
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What every import's progress carries: rows read and the bytes of the file they end at. */
export interface FileProgress {
  rows: number;
  bytes: number;
}

export interface ProgressStyle<P extends FileProgress> {
  /** Starts each plain line, e.g. `orders import`. */
  label: string;
  /** The counts after the rows, e.g. `3 created, 1 failed`. */
  summary: (progress: P) => string;
}

/**
 * Progress through a file of `totalBytes`: a bar redrawn in place on a terminal, plain lines
 * (every 10% or every 10 s) when stderr is a file or a pipe.
 */
export function fileProgressReporter<P extends FileProgress>(
  sink: ProgressSink,
  totalBytes: number,
  style: ProgressStyle<P>,
  now: () => number = Date.now,
) {
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastStep = -1;
  const percentOf = (p: P) =>
    totalBytes > 0 ? Math.min(100, Math.floor((p.bytes / totalBytes) * 100)) : 100;

  const bar = (p: P, percent: number) => {
    const filled = Math.round((percent / 100) * BAR_WIDTH);
    const elapsed = now() - started;
    const rate = elapsed > 0 ? Math.round((p.rows / elapsed) * 1000) : 0;
    return `\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}%  ${count(p.rows)} rows  ${style.summary(p)}  ${count(rate)} rows/s\u001b[K`;
  };
  const line = (p: P, percent: number) =>
    `${style.label}: ${percent}% ${count(p.rows)} rows (${style.summary(p)}) ${seconds(now() - started)}\n`;

  return {
    update(p: P): void {
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
    done(p: P): void {
      if (sink.isTTY) sink.write(`${bar(p, 100)}\n`);
      else if (lastStep < 10) sink.write(line(p, 100));
    },
  };
}

/** The command's one FILE argument. */
export function fileArgument(positionals: string[]): string {
  const file = positionals[0];
  if (!file) throw new UsageError('FILE is required');
  if (positionals.length > 1) throw new UsageError(`one FILE only, got ${positionals.length}`);
  return file;
}

/** A readable stream of `file` and its size (for the progress), or a usage error naming it. */
export async function openCsv(file: string): Promise<{ stream: fs.ReadStream; size: number }> {
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

/** The report's lines for failed rows (`{row, reasons}` by file line), the first `LISTED_IN_TEXT`. */
export function failedRowLines(
  errors: readonly { row: number; reasons: string[] }[],
  failed: number,
  listedInJson: number,
): string[] {
  if (errors.length === 0) return [];
  const shown = errors.slice(0, LISTED_IN_TEXT);
  return [
    '',
    `Failed rows (${shown.length} of ${count(failed)}; --json lists up to ${listedInJson}):`,
    ...shown.map((error) => `  line ${error.row}: ${error.reasons.join('; ')}`),
  ];
}
