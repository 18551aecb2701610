import { Type } from '@sinclair/typebox';
import { businessCaller } from '../../http/auth/caller.ts';
import { ApiError } from '../../http/errors.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { MULTIPART } from '../../providers/storage/multipart.ts';
import * as schemas from './import-schemas.ts';
import { checkDeclaredLength, csvUploadLimit, importUploadedCsv } from './import-upload.ts';

const UploadBody = Type.Unsafe<Record<string, never>>({
  content: { [MULTIPART]: { schema: schemas.CustomerUploadForm } },
});

/** uploadBusinessCustomers (the streamed CSV import). */
export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'uploadBusinessCustomers',
    method: 'POST',
    path: '/v3/customers/upload',
    auth: ['apiKey'],
    scope: 'customer:create',
    description:
      'multipart/form-data with the CSV as the `file` part, streamed and imported in batches. Rows with an ' +
      "e-mail update the business's customer with that e-mail (else create one), rows without one match " +
      'on phone; re-running a file creates nothing new. Answers the report: rows, created, updated, ' +
      'duplicates (rows for a customer an earlier row of the file already had), failed and the first ' +
      '1000 failed rows with their reasons. A file that is not CSV text or has no name column is 422; ' +
      'larger than 50 MB (or the server upload limit) is 413.',
    schema: { body: UploadBody, response: { 200: schemas.CustomerImportReport } },
    handler: async (request, reply) => {
      if (!request.isMultipart())
        throw new ApiError(
          415,
          'unsupported_media_type',
          'Send the CSV file as multipart/form-data (field `file`)',
        );
      const { db, config } = request.server.deps;
      const { businessId } = businessCaller(request);
      const limit = csvUploadLimit(config.storage.maxUploadBytes);
      try {
        checkDeclaredLength(request.headers['content-length'], limit);
        return await importUploadedCsv(db, businessId, limit, () =>
          request.file({ limits: { fileSize: limit + 1 }, throwFileSizeLimit: false }),
        );
      } catch (error) {
        // The rest of a refused upload may still be on its way: end the connection after the
        // answer instead of reading it all.
        reply.header('connection', 'close');
        throw error;
      }
    },
  }),
];
