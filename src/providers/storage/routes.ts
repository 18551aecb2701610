import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errors } from '../../http/errors.ts';
import { storageFor } from './index.ts';
import { LocalStorage } from './local.ts';
import { attachmentDisposition } from './storage.ts';

type KeyRequest = FastifyRequest<{ Params: { key: string }; Querystring: Record<string, unknown> }>;

const tooLarge = (limit: number) =>
  new ApiError(413, 'payload_too_large', `The upload is larger than the allowed ${limit} bytes`);

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

/** Counts bytes as they pass and fails the stream as soon as the limit is crossed. */
function byteLimit(limit: number): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.length;
      if (counter.bytes > limit) callback(tooLarge(limit));
      else callback(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
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

  const file = storage.filePath(key);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.mkdir(path.dirname(storage.metaPath(key)), { recursive: true });
  // Written beside the target and renamed, so a reader never sees half a file.
  const temporary = path.join(path.dirname(file), `.upload-${randomBytes(12).toString('hex')}`);
  const counter = byteLimit(limit);
  const source = (request.body as Readable | undefined) ?? request.raw;
  const written = pipeline(counter, createWriteStream(temporary));
  // The request is piped, not part of the pipeline: a failure must not destroy it, or the client
  // would see a reset connection instead of the 413.
  source.on('error', (error) => counter.destroy(error));
  source.on('close', () => {
    if (!source.readableEnded) counter.destroy(new Error('upload aborted by the client'));
  });
  source.pipe(counter);
  try {
    await written;
    await fs.rename(temporary, file);
  } catch (error) {
    source.unpipe(counter);
    source.resume();
    reply.header('connection', 'close');
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await fs.writeFile(storage.metaPath(key), JSON.stringify({ content_type: terms.contentType }));
  return reply.code(200).send({ key, size_in_bytes: counter.bytes });
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
 * any request without an API credential.
 */
export function registerStorageRoutes(app: FastifyInstance): void {
  app.register(async (scope) => {
    // Any content type: hand the raw request stream to the handler instead of parsing it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.put('/uploads/:key', { schema: { hide: true } }, upload);
    scope.get('/uploads/:key', { schema: { hide: true } }, download);
  });
}
