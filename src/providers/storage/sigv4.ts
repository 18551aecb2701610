import { createHash, createHmac } from 'node:crypto';
import { rfc3986 } from './storage.ts';

/**
 * AWS Signature Version 4 for presigned URLs ("authenticating requests: using query parameters"),
 * written against the S3 documentation so no SDK is needed. Only the query-string form is used:
 * the signature travels in the URL, the payload is UNSIGNED-PAYLOAD.
 */
export interface PresignInput {
  method: 'GET' | 'PUT' | 'DELETE' | 'HEAD';
  /** `https://bucket.s3.us-east-1.amazonaws.com` or a path-style endpoint such as `http://minio:9000`. */
  origin: string;
  /** Already-decoded path, e.g. `/bucket/key`; each segment is encoded here. */
  path: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  date: Date;
  expiresSeconds: number;
  /** Headers the client must send unchanged (lower-case names); `host` is always signed. */
  headers?: Record<string, string>;
  /** Extra query parameters, e.g. `response-content-disposition`. */
  query?: Record<string, string>;
  service?: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hmac = (key: Buffer | string, value: string) => createHmac('sha256', key).update(value).digest();

/** `2013-05-24T00:00:00Z` -> `20130524T000000Z` */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

export function presignUrl(input: PresignInput): string {
  const service = input.service ?? 's3';
  const origin = new URL(input.origin);
  const timestamp = amzDate(input.date);
  const day = timestamp.slice(0, 8);
  const scope = `${day}/${input.region}/${service}/aws4_request`;

  const headers: Record<string, string> = { host: origin.host };
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value.trim();
  const headerNames = Object.keys(headers).sort();
  const signedHeaders = headerNames.join(';');

  const query: Record<string, string> = {
    ...input.query,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${input.accessKeyId}/${scope}`,
    'X-Amz-Date': timestamp,
    'X-Amz-Expires': String(input.expiresSeconds),
    'X-Amz-SignedHeaders': signedHeaders,
  };
  const canonicalQuery = Object.keys(query)
    .map((name) => [rfc3986(name), rfc3986(query[name]!)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const basePath = origin.pathname.replace(/\/+$/, '');
  const canonicalPath = `${basePath}${input.path}`.split('/').map(rfc3986).join('/');

  const canonicalRequest = [
    input.method,
    canonicalPath,
    canonicalQuery,
    headerNames.map((name) => `${name}:${headers[name]}\n`).join(''),
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey(input.secretAccessKey, day, input.region, service))
    .update(stringToSign)
    .digest('hex');
  return `${origin.protocol}//${origin.host}${canonicalPath}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
