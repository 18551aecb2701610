import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { ErrorCode, FieldErrors } from './errors.ts';

/**
 * Load balancer probes and the API docs are routine: their request lines are debug, not info, so
 * an idle server's log stays quiet.
 */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/v3/openapi.json', '/docs']);

function isQuietPath(url: string): boolean {
  const path = url.split('?')[0] ?? url;
  return QUIET_PATHS.has(path) || path.startsWith('/docs/');
}

interface ErrorAnswer {
  code: ErrorCode;
  fieldErrors: FieldErrors;
}

const errorAnswers = new WeakMap<FastifyRequest, ErrorAnswer>();

/** Remembers the error a request was answered with, for its log line. */
export function noteErrorAnswer(request: FastifyRequest, answer: ErrorAnswer): void {
  errorAnswers.set(request, answer);
}

/**
 * Fastify's request lines, adjusted: "incoming request" is debug (the completion line says it
 * all), and "request completed" carries the (secret-free, see log-url.ts) request, and for an error
 * answer its `error_code` and the names of the `errors` fields: never their values or the message,
 * which may echo what the client sent.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'request_id' });
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line: Record<string, unknown> = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) {
      reply.log.error({ ...line, err: error }, 'request errored');
      return;
    }
    const answer = errorAnswers.get(request);
    if (answer) {
      line.error_code = answer.code;
      const fields = Object.keys(answer.fieldErrors);
      if (fields.length > 0) line.fields = fields;
    }
    reply.log[isQuietPath(request.url) ? 'debug' : 'info'](line, 'request completed');
  }
}
