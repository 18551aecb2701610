import type { Readable } from 'node:stream';
import { errors } from '../../http/errors.ts';
import { readFilePart } from '../../http/multipart.ts';
import { byteLimit } from '../../providers/storage/limit.ts';

/** The file part of a multipart request, as @fastify/multipart hands it over, with the fields before it. */
export interface UploadPart {
  fieldname: string;
  filename: string;
  file: Readable;
  fields: Record<string, unknown>;
}

/** A form field sent before the file part (`tz`), as text; undefined when absent. */
export function fieldBefore(part: UploadPart, name: string): string | undefined {
  const field = part.fields[name];
  const value = (Array.isArray(field) ? field[0] : field) as { value?: unknown; file?: unknown } | undefined;
  return typeof value?.value === 'string' ? value.value : undefined;
}

/**
 * Hands the upload's `file` part to `consume` as a stream that fails past `limit` bytes (413). A
 * missing file, a file under another name or one that is not .csv/.txt is 422 on `file`; whatever is
 * refused, the rest of the part is drained so the answer can be sent.
 */
export async function consumeCsvUpload<T>(
  limit: number,
  nextFile: () => Promise<UploadPart | undefined>,
  consume: (input: NodeJS.ReadableStream, part: UploadPart) => Promise<T>,
): Promise<T> {
  const part = await readFilePart(nextFile);
  if (!part?.filename.trim()) {
    part?.file.resume();
    throw errors.invalidField('file', 'is required: send the CSV file as the multipart field `file`');
  }
  try {
    if (part.fieldname !== 'file')
      throw errors.invalidField('file', `is required; the file was sent as "${part.fieldname}"`);
    const name = part.filename.trim();
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
    if (extension && extension !== 'csv' && extension !== 'txt') {
      throw errors.invalidField(
        'file',
        `must be a CSV file (.csv), got .${extension}: save the spreadsheet as CSV first`,
      );
    }
    return await consume(part.file.pipe(byteLimit(limit)), part);
  } catch (error) {
    part.file.unpipe();
    part.file.resume();
    throw error;
  }
}
