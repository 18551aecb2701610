import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { readFilePart } from '../../http/multipart.ts';
import { byteLimit, tooLarge } from '../../providers/storage/limit.ts';
import { type CustomerImportReport, importCustomers } from './import.ts';

/** Largest CSV the upload accepts (about 500,000 customers), unless the server's upload limit is lower. */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;
/** Room for the multipart boundaries, part headers and small form fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** The file part of a multipart request, as @fastify/multipart hands it over. */
export interface CsvFilePart {
  fieldname: string;
  filename: string;
  mimetype: string;
  file: Readable;
}

/** What browsers and tools send for a .csv file (Windows with Excel installed says vnd.ms-excel). */
const CSV_TYPES = new Set([
  'text/csv',
  'text/plain',
  'text/x-csv',
  'text/comma-separated-values',
  'application/csv',
  'application/x-csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
  '',
]);
const CSV_EXTENSIONS = new Set(['csv', 'txt']);

export function csvUploadLimit(maxUploadBytes: number): number {
  return Math.min(MAX_CSV_BYTES, maxUploadBytes);
}

/** A declared body larger than the limit is refused before a byte of it is read. */
export function checkDeclaredLength(contentLength: string | undefined, limit: number): void {
  const length = Number(contentLength);
  if (contentLength && Number.isFinite(length) && length > limit + MULTIPART_OVERHEAD) throw tooLarge(limit);
}

export function csvProblem(part: CsvFilePart): string | null {
  const type = part.mimetype.split(';')[0]?.trim().toLowerCase() ?? '';
  const name = part.filename.trim();
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (extension && !CSV_EXTENSIONS.has(extension))
    return `must be a CSV file (.csv), got .${extension}: save the spreadsheet as CSV first`;
  if (!CSV_TYPES.has(type)) return `must be a CSV file (text/csv), got ${type}`;
  return null;
}

/**
 * uploadBusinessCustomers: the `file` part of the form is checked (a CSV, under the limit) and
 * streamed straight into the import; a file growing past the limit stops the import with a 413.
 * Whatever is refused, the rest of the part is drained so the answer can be sent.
 */
export async function importUploadedCsv(
  db: Db,
  businessId: number,
  limit: number,
  nextFile: () => Promise<CsvFilePart | undefined>,
): Promise<CustomerImportReport> {
  const part = await readFilePart(nextFile);
  if (!part?.filename.trim()) {
    part?.file.resume();
    throw errors.invalidField('file', 'is required: send the CSV file as the multipart field `file`');
  }
  try {
    if (part.fieldname !== 'file')
      throw errors.invalidField('file', `is required; the file was sent as "${part.fieldname}"`);
    const problem = csvProblem(part);
    if (problem) throw errors.invalidField('file', problem);
    const counted = part.file.pipe(byteLimit(limit));
    return await importCustomers(db, businessId, counted);
  } catch (error) {
    part.file.unpipe();
    part.file.resume();
    throw error;
  }
}
