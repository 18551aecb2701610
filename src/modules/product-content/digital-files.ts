import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { randomString } from '../../lib/ids.ts';
import type { StorageProvider } from '../../providers/storage/index.ts';
import type { Caller } from './knowledge-items.ts';
import * as q from './queries.ts';

/**
 * Digital product files are upload records: the API stores name, type, size and a storage key.
 * The bytes arrive either through the API (the contract's multipart upload, see
 * digital-file-upload.ts) or, in the JSON flow, at a signed URL the merchant PUTs them to.
 * Downloads are signed URLs, minted on every read, so a leaked link stops working after the
 * configured lifetime.
 */
export interface FileContext {
  db: Db;
  storage: StorageProvider;
  maxUploadBytes: number;
}

export interface DigitalProductFileInput {
  name: string;
  content_type: string;
  size_in_bytes: number;
}

/** One storage object per upload; a duplicated product's records share their original's objects. */
export const newStorageKey = (businessId: number) => `b${businessId}-dpf-${randomString(32)}`;

export function toDigitalProductFile(row: q.DigitalProductFileRow, storage: StorageProvider) {
  return {
    id: row.id,
    name: row.name,
    content_type: row.content_type,
    size_in_bytes: Number(row.size_in_bytes),
    url: storage.createDownloadUrl(row.storage_key, { filename: row.name }).url,
  };
}

export async function requireVariant(db: Db, caller: Caller, variantId: number) {
  const variant = await q.findVariant(db, caller.businessId, variantId);
  if (!variant) throw errors.notFound('Variant not found');
  return variant;
}

async function requireFile(db: Db, caller: Caller, variantId: number, id: number) {
  const row = await q.findFile(db, caller.businessId, variantId, id);
  if (!row) throw errors.notFound('Digital product file not found');
  return row;
}

export async function listDigitalProductFiles(
  ctx: FileContext,
  cursors: CursorCodec,
  caller: Caller,
  variantId: number,
  page: PageParams,
) {
  await requireVariant(ctx.db, caller, variantId);
  return paginate({
    codec: cursors,
    scope: cursorScope('digital-product-files', { business: caller.businessId, variant: variantId }),
    page,
    defaultPageSize: 25,
    fetch: (window) => q.listFiles(ctx.db, caller.businessId, variantId, window),
    keyOf: (row) => [row.id],
    map: (row) => toDigitalProductFile(row, ctx.storage),
  });
}

export async function createDigitalProductFile(
  ctx: FileContext,
  caller: Caller,
  variantId: number,
  input: DigitalProductFileInput,
) {
  const variant = await requireVariant(ctx.db, caller, variantId);
  if (input.size_in_bytes > ctx.maxUploadBytes) {
    throw errors.invalidField('size_in_bytes', `must be at most ${ctx.maxUploadBytes} bytes`);
  }
  const contentType = input.content_type.toLowerCase();
  const storageKey = newStorageKey(caller.businessId);
  const [row] = await q.insertFiles(ctx.db, [
    {
      business_id: caller.businessId,
      product_id: variant.product_id,
      variant_id: variant.id,
      name: input.name.trim(),
      content_type: contentType,
      size_in_bytes: input.size_in_bytes,
      storage_key: storageKey,
    },
  ]);
  const upload = ctx.storage.createUploadUrl({
    key: storageKey,
    contentType,
    maxBytes: input.size_in_bytes,
  });
  return {
    ...toDigitalProductFile(row!, ctx.storage),
    upload_url: upload.url,
    upload_expires_at: upload.expiresAt.toISOString(),
  };
}

export async function getDigitalProductFile(ctx: FileContext, caller: Caller, variantId: number, id: number) {
  await requireVariant(ctx.db, caller, variantId);
  return toDigitalProductFile(await requireFile(ctx.db, caller, variantId, id), ctx.storage);
}

/**
 * Deletes the record and answers it (200, as the contract shows). The stored object goes too,
 * unless a duplicated product's record still points at it; a storage failure leaves an orphan
 * object (reported through `onStorageError`), never a half-deleted record.
 */
export async function deleteDigitalProductFile(
  ctx: FileContext,
  caller: Caller,
  variantId: number,
  id: number,
  onStorageError: (error: unknown) => void,
) {
  await requireVariant(ctx.db, caller, variantId);
  const { row, orphaned } = await ctx.db.transaction().execute(async (trx) => {
    const row = await requireFile(trx, caller, variantId, id);
    await q.deleteFile(trx, caller.businessId, row.id);
    return { row, orphaned: !(await q.isStorageKeyReferenced(trx, row.storage_key)) };
  });
  const answer = toDigitalProductFile(row, ctx.storage);
  if (orphaned) await ctx.storage.delete(row.storage_key).catch(onStorageError);
  return answer;
}

/**
 * Storage keys of these variants' files, read inside a transaction that is about to delete the
 * variants (their file records cascade away with them).
 */
export async function storageKeysOfVariants(db: Db, businessId: number, variantIds: readonly number[]) {
  const rows = await q.listFilesOfVariants(db, businessId, variantIds);
  return [...new Set(rows.map((row) => row.storage_key))];
}

/** The files of these variants with fresh signed download links (an order's digital products). */
export async function downloadsOfVariants(
  db: Db,
  storage: StorageProvider,
  businessId: number,
  variantIds: readonly number[],
) {
  const rows = await q.listFilesOfVariants(db, businessId, variantIds);
  return rows.map((row) => ({ variantId: row.variant_id, ...toDigitalProductFile(row, storage) }));
}

/**
 * After the deleting transaction committed: removes the stored objects no record points at any
 * more. A storage failure leaves an orphan object (reported through `onStorageError`), never a
 * failed request.
 */
export async function removeUnreferencedObjects(
  db: Db,
  storage: StorageProvider,
  keys: readonly string[],
  onStorageError: (error: unknown) => void,
): Promise<void> {
  if (keys.length === 0) return;
  try {
    const referenced = await q.referencedStorageKeys(db, keys);
    for (const key of keys) {
      if (!referenced.has(key)) await storage.delete(key).catch(onStorageError);
    }
  } catch (error) {
    onStorageError(error);
  }
}
