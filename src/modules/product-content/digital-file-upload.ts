import type { Readable } from 'node:stream';
import { type ApiError, errors } from '../../http/errors.ts';
import { readFilePart } from '../../http/multipart.ts';
import { type FileContext, newStorageKey, requireVariant, toDigitalProductFile } from './digital-files.ts';
import type { Caller } from './knowledge-items.ts';
import * as q from './queries.ts';

/** The file part of a multipart request, as @fastify/multipart hands it over. */
export interface FilePart {
  fieldname: string;
  filename: string;
  mimetype: string;
  file: Readable & { truncated?: boolean };
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
const MAX_NAME = 255;

/** `Application/PDF; charset=x` -> `application/pdf`; anything unusable is stored as octet-stream. */
function mediaTypeOf(mimetype: string): string {
  const type = mimetype.split(';')[0]!.trim().toLowerCase();
  return type.length <= MAX_NAME && MEDIA_TYPE.test(type) ? type : 'application/octet-stream';
}

/** Reads and discards the rest of a part we refuse, so the request can still be answered. */
function refuse(part: FilePart, error: ApiError): ApiError {
  part.file.resume();
  return error;
}

/**
 * The contract's upload: the `file` part of a multipart/form-data body is streamed to storage
 * (never held in memory) and the record keeps what was received: the part's file name, its
 * Content-Type and the bytes actually stored. The variant is checked before any byte is read;
 * the record is written only once the object is stored, so a record never points at nothing.
 */
export async function uploadDigitalProductFile(
  ctx: FileContext,
  caller: Caller,
  variantId: number,
  nextFile: () => Promise<FilePart | undefined>,
) {
  const variant = await requireVariant(ctx.db, caller, variantId);
  const part = await readFilePart(nextFile);
  if (!part?.filename.trim()) {
    part?.file.resume();
    throw errors.invalidField('file', 'is required: send the file as the multipart field `file`');
  }
  if (part.fieldname !== 'file') {
    throw refuse(part, errors.invalidField('file', `is required; the file was sent as "${part.fieldname}"`));
  }
  const name = part.filename.trim();
  if (name.length > MAX_NAME) {
    throw refuse(part, errors.invalidField('file', `name must be at most ${MAX_NAME} characters`));
  }

  const contentType = mediaTypeOf(part.mimetype);
  const storageKey = newStorageKey(caller.businessId);
  const { sizeInBytes } = await ctx.storage.put(storageKey, part.file, contentType, ctx.maxUploadBytes);
  const discard = () => ctx.storage.delete(storageKey).catch(() => undefined);
  if (sizeInBytes === 0) {
    await discard();
    throw errors.invalidField('file', 'must not be empty');
  }
  try {
    const [row] = await q.insertFiles(ctx.db, [
      {
        business_id: caller.businessId,
        product_id: variant.product_id,
        variant_id: variant.id,
        name,
        content_type: contentType,
        size_in_bytes: sizeInBytes,
        storage_key: storageKey,
      },
    ]);
    return toDigitalProductFile(row!, ctx.storage);
  } catch (error) {
    await discard();
    throw error;
  }
}
