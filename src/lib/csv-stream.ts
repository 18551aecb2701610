import { Transform, type TransformCallback } from 'node:stream';
import { type CsvError, type Options as CsvOptions, parse } from 'csv-parse';
import { ApiError, errors } from '../http/errors.ts';

/**
 * The streaming CSV reading of the business uploads (customers, orders, order status and receipts): records come one at a time from a streaming parser, numbered by the
 * line of the file they start on, so memory stays flat whatever the file's size. A record that cannot
 * be read is reported through `onSkip` and skipped; a binary file is refused before any record.
 */

/** A longer record is almost certainly an unclosed quote swallowing the rest of the file. */
export const MAX_RECORD_CHARS = 64 * 1024;
/** Bytes looked at to tell a text file from a binary one (a spreadsheet, a PDF, an image). */
const SNIFF_BYTES = 4096;

export const notCsv = () => errors.invalidField('file', 'is not a CSV text file');

export interface CsvRecord {
  cells: string[];
  /** The line of the file the record starts on (the header is line 1). */
  line: number;
  /** Bytes of the file up to the end of this record. */
  bytes: number;
}

/** Refuses a binary file (NUL bytes near the start: xlsx, xls, PDF, images) before any row is read. */
export class TextSniffer extends Transform {
  private seen = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.seen < SNIFF_BYTES) {
      const head = chunk.subarray(0, SNIFF_BYTES - this.seen);
      this.seen += head.length;
      if (head.includes(0)) {
        done(notCsv());
        return;
      }
    }
    done(null, chunk);
  }
}

export function csvProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed; the rest of the file was not read';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?); the rest of the file was not read`;
    default:
      return `could not be read as CSV: ${error.message}`;
  }
}

/** Line breaks inside a record's cells (`\r\n`, `\n` or `\r` each count once). */
function lineBreaks(record: string[]): number {
  let breaks = 0;
  for (const value of record) {
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code === 10 || (code === 13 && value.charCodeAt(i + 1) !== 10)) breaks++;
    }
  }
  return breaks;
}

/** Counts lines itself: the parser's count drifts after a quoted cell holding a CRLF line break. */
export class LineCounter {
  private end = 0;
  private empties = 0;

  peek(emptyLines: number): number {
    return this.end + 1 + (emptyLines - this.empties);
  }

  next(record: string[], emptyLines: number): number {
    const start = this.peek(emptyLines);
    this.empties = emptyLines;
    this.end = start + lineBreaks(record);
    return start;
  }
}

export const isBlankRecord = (cells: string[]) => cells.every((cell) => cell.trim() === '');

/** `Order ID`, `order-id` and `order_id` name one column. */
export const normalizeHeader = (cell: string) =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/**
 * The records of the CSV `input`. An error of `input` (an upload over its size limit) ends the
 * iteration with that error; a parser failure is a 422 on `file`.
 */
export async function* csvRecords(
  input: NodeJS.ReadableStream,
  onSkip: (line: number, problem: string) => void,
): AsyncGenerator<CsvRecord> {
  const lines = new LineCounter();
  const options: CsvOptions<CsvRecord, string[]> = {
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
  const parser = parse(options as unknown as CsvOptions);
  parser.on('skip', (error: CsvError) => onSkip(lines.peek(parser.info.empty_lines), csvProblem(error)));
  const sniffer = new TextSniffer();
  input.on('error', (error) => parser.destroy(error));
  sniffer.on('error', (error) => parser.destroy(error));
  input.pipe(sniffer).pipe(parser);
  let finished = false;
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
    finished = true;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if ((error as { code?: string }).code?.startsWith('CSV_')) throw notCsv();
    throw error;
  } finally {
    // Stopped early (a failure, or the reader gave up on a bad header): stop feeding the parser.
    if (!finished) input.unpipe?.(sniffer);
  }
}
