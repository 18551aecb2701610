import { Transform } from 'node:stream';
import { ApiError } from '../../http/errors.ts';
import { describeBytes } from '../../lib/bytes.ts';

export const tooLarge = (limit: number) =>
  new ApiError(
    413,
    'payload_too_large',
    `The upload is larger than the limit of ${describeBytes(limit)}`,
    {},
    'Payload too large',
  );

/** Counts bytes as they pass and fails the stream as soon as the limit is crossed. */
export function byteLimit(limit: number): Transform & { bytes: number } {
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
