import type { FastifyRequest } from 'fastify';

/**
 * Path parameters that are credentials in all but name: whoever holds the URL holds the order
 * (`secret_slug`), the sandbox payment (`reference_id`) or the stored file (`key`).
 */
const SECRET_PARAMS = new Set(['secret_slug', 'reference_id', 'pg_reference_id', 'key']);
/** Query parameters whose values are secrets: reset and guest tokens, URL signatures, OAuth codes. */
const SECRET_QUERY = /token|sig|secret|password|code|key|credential|otp|jwt|auth|state/i;
/** On a path no route matched, a long random-looking segment may still be a mistyped secret. */
const TOKEN_LIKE = /^[A-Za-z0-9_~.%-]{20,}$/;
const REDACTED = '[redacted]';

function safePath(path: string, pattern: string | undefined): string {
  const segments = path.split('/');
  const parts = pattern?.split('/');
  if (parts && parts.length === segments.length) {
    return segments
      .map((segment, i) => {
        const part = parts[i]!;
        return part.startsWith(':') && SECRET_PARAMS.has(part.slice(1)) ? REDACTED : segment;
      })
      .join('/');
  }
  return segments.map((segment) => (TOKEN_LIKE.test(segment) ? REDACTED : segment)).join('/');
}

function safeQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const cut = pair.indexOf('=');
      const name = cut === -1 ? pair : pair.slice(0, cut);
      return cut !== -1 && SECRET_QUERY.test(decodeSafely(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The request URL as the logs show it: secret path parameters and secret query values replaced by
 * `[redacted]`, everything else (route, ids, filters) kept for whoever reads the logs.
 */
export function loggableUrl(url: string, routePattern?: string): string {
  const cut = url.indexOf('?');
  const path = cut === -1 ? url : url.slice(0, cut);
  const pattern = routePattern && routePattern !== '*' && routePattern !== '/*' ? routePattern : undefined;
  const shown = safePath(path, pattern);
  return cut === -1 ? shown : `${shown}?${safeQuery(url.slice(cut + 1))}`;
}

/** pino's `req` serializer (Fastify's fields) with the URL made safe to log. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: loggableUrl(request.url, request.routeOptions?.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
