import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { businessCaller } from '../../http/auth/caller.ts';
import { ApiError } from '../../http/errors.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { Nullable } from '../../http/schemas.ts';
import { MULTIPART } from '../../providers/storage/multipart.ts';
import { checkDeclaredLength, csvUploadLimit } from '../customers/import-upload.ts';
import { consumeCsvUpload, fieldBefore, type UploadPart } from './csv-upload.ts';
import { uploadReceipts } from './receipt-upload.ts';
import { business } from './route-parts.ts';
import { uploadStatusChanges } from './status-upload.ts';
import { checkTimeZone, MAX_LISTED } from './upload-common.ts';

/**
 * A multipart form in the OpenAPI document. Its fields are optional to the body validator, which
 * sees the stream before any part is read; the handler checks them (422 naming the field).
 */
const form = (title: string, fields: Record<string, ReturnType<typeof Type.String>>) =>
  Type.Unsafe<Record<string, never>>({
    content: {
      [MULTIPART]: {
        schema: Type.Object(
          Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, Type.Optional(field)])),
          { title, additionalProperties: true },
        ),
      },
    },
  });

const FileField = (columns: string) =>
  Type.String({
    format: 'binary',
    description: `Required. The CSV file (UTF-8, comma-separated, first row names the columns): ${columns}. Header names are case-insensitive; other columns are ignored.`,
  });

const RowError = Type.Object({
  row: Type.Integer({ description: 'Line of the file the row starts on; the header is line 1.' }),
  reasons: Type.Array(Type.String()),
});

/** The reference's `{data, is_paginated}` and the row report of every Nexus upload beside it. */
const report = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({
    data: Type.Array(item, { description: `The orders of the rows applied (the first ${MAX_LISTED}).` }),
    is_paginated: Type.Literal(false),
    rows: Type.Integer({ description: 'Data rows read.' }),
    changed: Type.Integer({ description: 'Rows that changed their order (a re-run changes none).' }),
    failed: Type.Integer(),
    errors: Type.Array(RowError, { description: `The first ${MAX_LISTED} failed rows and why.` }),
  });

const Links = {
  id: Type.String(),
  order_id: Type.String(),
  public_order_url: Nullable(Type.String()),
  payment_url: Nullable(Type.String()),
};

const StatusChangeReport = report(
  Type.Object(
    { ...Links, status: Type.String(), payment_status: Type.String() },
    { title: 'OrderChangeStatus' },
  ),
);
const ReceiptReport = report(
  Type.Object({ ...Links, shipment_receipt: Nullable(Type.String()) }, { title: 'UploadReceipt' }),
);

type UploadRequest = Parameters<Parameters<typeof defineRoute>[0]['handler']>[0];

/** The multipart checks every upload shares; a refused upload closes the connection after the answer. */
async function withUpload<T>(
  request: UploadRequest,
  reply: FastifyReply,
  consume: (input: NodeJS.ReadableStream, part: UploadPart) => Promise<T>,
): Promise<T> {
  if (!request.isMultipart()) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'Send the CSV file as multipart/form-data (field `file`)',
    );
  }
  const limit = csvUploadLimit(request.server.deps.config.storage.maxUploadBytes);
  try {
    checkDeclaredLength(request.headers['content-length'], limit);
    return await consumeCsvUpload(
      limit,
      () =>
        request.file({ limits: { fileSize: limit + 1 }, throwFileSizeLimit: false }) as Promise<
          UploadPart | undefined
        >,
      consume,
    );
  } catch (error) {
    reply.header('connection', 'close');
    throw error;
  }
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'uploadOrderStatusChanges',
    method: 'POST',
    path: '/v3/orders/upload-change-status',
    auth: [...business],
    scope: 'order:change_status',
    description:
      'multipart/form-data: `tz` (IANA time zone, sent before the file) and the CSV `file`, streamed. Each row ' +
      'moves its order through the lifecycle and sets its receipt: a blank `shipment_receipt` keeps it, a receipt ' +
      'issued by a courier booking never changes, blank day/month/year mean the upload time. A row the lifecycle ' +
      'refuses is that row’s error; the others apply. Safe to re-run. Answers the orders and the row report.',
    schema: {
      body: form('UploadOrderStatusChangesRequest', {
        tz: Type.String({
          description: 'Required, before `file`. IANA time zone of the dates, e.g. Asia/Jakarta.',
        }),
        file: FileField('order_id (or the order’s UUID), status, shipment_receipt, day, month, year'),
      }),
      response: { 200: StatusChangeReport },
    },
    handler: async (request, reply) => {
      const { db, config } = request.server.deps;
      const caller = businessCaller(request);
      return withUpload(request, reply, (input, part) =>
        uploadStatusChanges(
          { db, publicUrl: config.publicUrl },
          caller,
          input,
          checkTimeZone(fieldBefore(part, 'tz')),
        ),
      );
    },
  }),
  defineRoute({
    operationId: 'uploadOrderReceipt',
    method: 'POST',
    path: '/v3/orders/upload-receipt',
    auth: [...business],
    scope: 'order:update',
    description:
      'multipart/form-data with the CSV `file`, streamed: each row sets its order’s shipment receipt (the status ' +
      'does not change). A receipt issued by a courier booking is not replaced. Safe to re-run. Answers the ' +
      'orders and the row report.',
    schema: {
      body: form('UploadOrderReceiptRequest', {
        file: FileField('order_id (or the order’s UUID), shipment_receipt'),
      }),
      response: { 200: ReceiptReport },
    },
    handler: async (request, reply) => {
      const { db, config } = request.server.deps;
      const caller = businessCaller(request);
      return withUpload(request, reply, (input) =>
        uploadReceipts({ db, publicUrl: config.publicUrl }, caller, input),
      );
    },
  }),
];
