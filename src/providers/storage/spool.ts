import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { byteLimit } from './limit.ts';

/**
 * Writes `source` to a new file in `dir` under a random name, failing with 413 past `maxBytes`;
 * answers the file and its size. The source is piped, not part of the pipeline: a failure must not
 * destroy it (an HTTP request would reset instead of answering 413). On failure the partial file
 * is removed and the rest of the source is drained.
 */
export async function spool(
  source: Readable,
  dir: string,
  maxBytes: number,
): Promise<{ file: string; sizeInBytes: number }> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `.upload-${randomBytes(12).toString('hex')}`);
  const counter = byteLimit(maxBytes);
  const written = pipeline(counter, createWriteStream(file));
  source.on('error', (error) => counter.destroy(error));
  source.on('close', () => {
    if (!source.readableEnded) counter.destroy(new Error('upload aborted by the client'));
  });
  source.pipe(counter);
  try {
    await written;
  } catch (error) {
    source.unpipe(counter);
    source.resume();
    await fs.rm(file, { force: true });
    throw error;
  }
  return { file, sizeInBytes: counter.bytes };
}
