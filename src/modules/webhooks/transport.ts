import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refusedLiteral, type TargetPolicy, WebhookTargetError } from './target.ts';

/** What one HTTP attempt came to; `refused`: the SSRF guard stopped it before anything was sent. */
export interface AttemptOutcome {
  startedAt: Date;
  durationMs: number;
  status: number | null;
  /** The start of the receiver's answer, for the delivery log. */
  body: string | null;
  error: string | null;
  refused: boolean;
}

export interface PostOptions {
  policy: TargetPolicy;
  timeoutMs: number;
  /** The worker's own deadline for the job. */
  signal: AbortSignal;
}

// Enough of an answer to read an error message in the log; the rest is not waited for.
const READ_BYTES = 4096;
const EXCERPT_CHARS = 500;

function excerpt(chunks: Buffer[]): string | null {
  if (chunks.length === 0) return null;
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return text.slice(0, EXCERPT_CHARS);
}

/**
 * POSTs `body` to `url` once, through the SSRF guard, within `timeoutMs`. Never throws: every
 * outcome (an answer of any status, a refusal, a network error, a timeout) is described for the
 * delivery log. A fresh connection each time (`agent: false`), so no pooled socket outlives the
 * check of the address it was opened to.
 */
export function postWebhook(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<AttemptOutcome> {
  const startedAt = new Date();
  const outcome = (fields: Partial<AttemptOutcome>): AttemptOutcome => ({
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    status: null,
    body: null,
    error: null,
    refused: false,
    ...fields,
  });
  const target = new URL(url);
  const refused = refusedLiteral(target, options.policy);
  if (refused) return Promise.resolve(outcome({ error: `refused: ${refused}`, refused: true }));
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([timeout, options.signal]);
  const client = target.protocol === 'https:' ? https : http;

  return new Promise((resolve) => {
    let status: number | null = null;
    const chunks: Buffer[] = [];
    let read = 0;
    let settled = false;
    const finish = (error: unknown) => {
      if (settled) return;
      settled = true;
      // An answer whose status arrived counts, even if its body was cut short.
      if (status !== null) {
        resolve(outcome({ status, body: excerpt(chunks) }));
        return;
      }
      if (error instanceof WebhookTargetError)
        resolve(outcome({ error: `refused: ${error.message}`, refused: true }));
      else if (timeout.aborted) resolve(outcome({ error: `timed out after ${options.timeoutMs} ms` }));
      else if (signal.aborted) resolve(outcome({ error: 'abandoned: the job ran out of time' }));
      else resolve(outcome({ error: error instanceof Error ? error.message || error.name : String(error) }));
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length) },
        lookup: guardedLookup(options.policy),
        agent: false,
        signal,
      },
      (response) => {
        status = response.statusCode ?? null;
        response.on('data', (chunk: Buffer) => {
          if (read < READ_BYTES) chunks.push(chunk.subarray(0, READ_BYTES - read));
          read += chunk.length;
          if (read >= READ_BYTES) response.destroy();
        });
        response.on('end', () => finish(null));
        response.on('close', () => finish(null));
        response.on('error', finish);
      },
    );
    request.on('error', finish);
    request.end(body);
  });
}
