import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { readFilePart } from '../../http/multipart.ts';
import { byteLimit } from '../../providers/storage/limit.ts';
import { type CsvFilePart, csvProblem as fileProblem } from '../customers/import-upload.ts';
import type { OrderCaller } from './business-service.ts';
import { type CreateType, importOrders, type OrderImportReport } from './upload.ts';
import { isTimeZone } from './upload-rows.ts';

/** The file part with the form fields sent before it (@fastify/multipart's `fields`). */
export interface OrdersFilePart extends CsvFilePart {
  fields: Record<string, unknown>;
}

function fieldValue(fields: Record<string, unknown>, name: string): string | null {
  const field = fields[name] as { type?: string; value?: unknown } | Array<{ value?: unknown }> | undefined;
  const first = Array.isArray(field) ? field[0] : field;
  if (!first || (first as { type?: string }).type === 'file') return null;
  return typeof first.value === 'string' ? first.value.trim() : null;
}

/**
 * uploadOrders: `create_type` and `tz` are read from the fields sent before the file (a form's
 * order, as browsers and `curl -F` keep it), then the `file` part is streamed into the import;
 * a file growing past the limit stops it with a 413. Whatever is refused, the rest of the part is
 * drained so the answer can be sent.
 */
export async function importUploadedOrders(
  db: Db,
  caller: OrderCaller,
  limit: number,
  publicUrl: string,
  nextFile: () => Promise<OrdersFilePart | undefined>,
): Promise<OrderImportReport> {
  const part = await readFilePart(nextFile);
  if (!part?.filename.trim()) {
    part?.file.resume();
    throw errors.invalidField('file', 'is required: send the CSV file as the multipart field `file`');
  }
  try {
    if (part.fieldname !== 'file')
      throw errors.invalidField('file', `is required; the file was sent as "${part.fieldname}"`);
    const problem = fileProblem(part);
    if (problem) throw errors.invalidField('file', problem);
    const createType = fieldValue(part.fields, 'create_type');
    const timeZone = fieldValue(part.fields, 'tz');
    const fieldErrors: Record<string, string[]> = {};
    if (createType !== 'archive' && createType !== 'regular')
      fieldErrors.create_type = ['is required before the file part: archive or regular'];
    if (!timeZone || !isTimeZone(timeZone))
      fieldErrors.tz = ["is required before the file part: an IANA time zone such as 'Asia/Jakarta'"];
    if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);
    const counted = part.file.pipe(byteLimit(limit));
    const { progress: _progress, ...report } = await importOrders(db, caller, counted, {
      createType: createType as CreateType,
      timeZone: timeZone!,
      publicUrl,
    });
    return report;
  } catch (error) {
    part.file.unpipe();
    part.file.resume();
    throw error;
  }
}
