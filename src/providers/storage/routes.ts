import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errors } from '../../http/errors.ts';
import { storageFor } from './index.ts';
import { tooLarge } from './limit.ts';
import { LocalStorage } from './local.ts';
import { registerMultipartUploads } from './multipart.ts';
import { attachmentDisposition } from './storage.ts';

type KeyRequest = FastifyRequest<{ Params: { key: string }; Querystring: Record<string, unknown> }>;

function localStorage(request: FastifyRequest): LocalStorage {
  const storage = storageFor(request.server.deps);
  // With S3 the signed URLs point at the bucket; this server serves no files.
  if (!(storage instanceof LocalStorage)) throw errors.notFound('Not found');
  return storage;
}

/** `Application/PDF; charset=x` -> `application/pdf` */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

async function upload(request: KeyRequest, reply: FastifyReply) {
  const storage = localStorage(request);
  const { key } = request.params;
  const terms = storage.verifyUpload(key, request.query);
  if (!terms) throw errors.forbidden('The upload URL is invalid or has expired');
  if (mediaType(request.headers['content-type']) !== mediaType(terms.contentType)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send the file with Content-Type: ${terms.contentType}`,
    );
  }
  const limit = Math.min(terms.maxBytes, request.server.deps.config.storage.maxUploadBytes);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);

  const source = (request.body as Readable | undefined) ?? request.raw;
  try {
    const stored = await storage.put(key, source, terms.contentType, limit);
    return reply.code(200).send({ key, size_in_bytes: stored.sizeInBytes });
  } catch (error) {
    reply.header('connection', 'close');
    throw error;
  }
}

async function download(request: KeyRequest, reply: FastifyReply) {
  const storage = localStorage(request);
  const { key } = request.params;
  const terms = storage.verifyDownload(key, request.query);
  if (!terms) throw errors.forbidden('The download URL is invalid or has expired');
  const file = storage.filePath(key);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw errors.notFound('File not found');
  const meta = await fs
    .readFile(storage.metaPath(key), 'utf8')
    .then((raw) => JSON.parse(raw) as { content_type?: string })
    .catch(() => ({ content_type: undefined }));
  // Uploaded bytes are never rendered as a page of this origin: always a download, never sniffed.
  reply
    .header('content-type', meta.content_type ?? 'application/octet-stream')
    .header('content-length', stat.size)
    .header('content-disposition', terms.filename ? attachmentDisposition(terms.filename) : 'attachment')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox");
  return reply.send(createReadStream(file));
}

/**
 * The local driver's signed URLs: `PUT /uploads/:key` streams the body to disk, `GET /uploads/:key`
 * streams it back. Outside the contract and the OpenAPI document; rate limited by client IP like
 * any request without an API credential. Also opens multipart uploads to the contract routes that
 * declare them (see multipart.ts): the other way file bytes reach storage.
 */
export function registerStorageRoutes(app: FastifyInstance): void {
  registerMultipartUploads(app);
  app.register(async (scope) => {
    // Any content type: hand the raw request stream to the handler instead of parsing it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.put('/uploads/:key', { schema: { hide: true } }, upload);
    scope.get('/uploads/:key', { schema: { hide: true } }, download);
  });
}
