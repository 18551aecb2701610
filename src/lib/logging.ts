import type { DestinationStream } from 'pino';
import type { Config } from '../config.ts';

/**
 * Where logs go and in which form. JSON lines by default, because whatever reads a pipe or a file
 * (log collectors, the journey tests) parses them; readable lines only on a terminal (or when
 * `NEXUS_LOG_FORMAT=pretty` asks), where a person reads them.
 */
export function wantsPrettyLogs(
  format: Config['logFormat'],
  stdout: { isTTY?: boolean } = process.stdout,
): boolean {
  return format === 'pretty' || (format === 'auto' && stdout.isTTY === true);
}

interface PrettyLine {
  msg?: string;
  request_id?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  error_code?: string;
  fields?: string[];
}

/** `GET /v3/products 200 4ms`, `POST /v3/… 422 3ms validation_failed (origin)`, then the request id. */
export function prettyMessage(line: PrettyLine): string {
  const parts: string[] = [];
  if (line.req && line.res) {
    parts.push(`${line.req.method} ${line.req.url} ${line.res.statusCode}`);
    if (line.responseTime !== undefined) parts.push(`${Math.round(line.responseTime)}ms`);
    if (line.error_code) {
      parts.push(line.fields?.length ? `${line.error_code} (${line.fields.join(', ')})` : line.error_code);
    }
  } else {
    if (line.msg) parts.push(line.msg);
    if (line.req) parts.push(`${line.req.method} ${line.req.url}`);
  }
  if (line.request_id) parts.push(`[${line.request_id}]`);
  return parts.join(' ');
}

/**
 * The stream pino writes to: pino-pretty when a person reads the logs, else undefined (pino's
 * own JSON on stdout). pino-pretty is loaded only then, in this thread: no worker-thread transport,
 * so it works the same from the server's bundle.
 */
export async function logDestination(
  format: Config['logFormat'],
  stdout: { isTTY?: boolean } = process.stdout,
): Promise<DestinationStream | undefined> {
  if (!wantsPrettyLogs(format, stdout)) return undefined;
  const { default: pretty } = await import('pino-pretty');
  return pretty({
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,request_id,req,res,responseTime,error_code,fields',
    messageFormat: (log) => prettyMessage(log as PrettyLine),
  });
}
