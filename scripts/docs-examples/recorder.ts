import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { CONTRACT_BY_ID } from '../../contract/index.ts';
import type { Config } from '../../src/config.ts';
import type { Database, Db } from '../../src/db/database.ts';
import type { NamedExample, OperationExamples, RecordedExamples } from '../../src/docs/examples.ts';
import type { ServerKeys } from '../../src/lib/secrets.ts';
import { ALL_ROUTES } from '../../src/modules/index.ts';
import type { DemoCredentials } from '../../src/seed/demo.ts';

const ROUTES = new Map(ALL_ROUTES.map((route) => [route.operationId, route]));

/** Credentials the recording holds; each call names the ones it sends. */
export interface Credentials {
  apiKey: string;
  storefrontKey: string;
  origin: string;
  guestToken?: string;
  customerAccess?: string;
}

export interface Call {
  params?: Record<string, string | number>;
  query?: Record<string, string | number>;
  body?: unknown;
  /** A multipart body instead of JSON, and the example its form shows in the reference. */
  multipart?: { payload: Buffer; contentType: string; example: Record<string, string> };
  /** Headers replacing the ones the operation's credential kind would send. */
  headers?: Record<string, string>;
  /** Send the guest token (storefront cart and checkout routes). */
  guest?: boolean;
  /** Expected status; the operation's success status when absent. */
  status?: number;
  /** Leave this answer out of the examples (a call made only for its effect). */
  quiet?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: a parsed body, as app.inject types it; the recording reads what the server answered.
export type Body = any;

export interface Answer {
  status: number;
  json: () => Body;
  headers: LightMyRequestResponse['headers'];
}

function successStatus(operationId: string): number {
  const responses = ROUTES.get(operationId)?.schema.response ?? {};
  const success = Object.keys(responses)
    .map(Number)
    .find((status) => status >= 200 && status < 300);
  return success ?? 200;
}

/** Lists show their first three entries: enough to read, and the reference stays quick to load. */
const LIST_EXAMPLE_LENGTH = 3;

function shortened(body: Body): unknown {
  if (
    body &&
    typeof body === 'object' &&
    Array.isArray(body.data) &&
    body.data.length > LIST_EXAMPLE_LENGTH
  ) {
    return { ...body, data: body.data.slice(0, LIST_EXAMPLE_LENGTH) };
  }
  return body;
}

/**
 * Drives the app through `inject` the way a client of the contract would and keeps, per operation,
 * the first request and the first answer of each status: the reference's examples are what this
 * server really answered on the demo data.
 */
export class Recorder {
  readonly examples: RecordedExamples = { operations: {}, errors: {} };

  constructor(
    readonly app: FastifyInstance,
    readonly credentials: Credentials,
  ) {}

  private headersFor(operationId: string, call: Call): Record<string, string> {
    if (call.headers) return call.headers;
    const auth = ROUTES.get(operationId)?.auth ?? [];
    const headers: Record<string, string> = {};
    if (auth.includes('customer') && this.credentials.customerAccess) {
      headers.authorization = `Bearer ${this.credentials.customerAccess}`;
    } else if (auth.includes('apiKey')) headers.authorization = `Bearer ${this.credentials.apiKey}`;
    if (auth.includes('storefrontKey') || auth.includes('customer')) {
      headers['x-scalev-storefront-api-key'] = this.credentials.storefrontKey;
      headers.origin = this.credentials.origin;
    }
    if (call.guest && this.credentials.guestToken)
      headers['x-scalev-guest-token'] = this.credentials.guestToken;
    return headers;
  }

  async call(operationId: string, call: Call = {}): Promise<Answer> {
    const contract = CONTRACT_BY_ID.get(operationId);
    if (!contract || !ROUTES.has(operationId))
      throw new Error(`${operationId} is not an implemented operation`);
    const url = contract.path.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
      const value = call.params?.[name];
      if (value === undefined) throw new Error(`${operationId}: no value for {${name}}`);
      return encodeURIComponent(String(value));
    });
    const request: InjectOptions = {
      method: contract.method as InjectOptions['method'],
      url,
      headers: this.headersFor(operationId, call),
      remoteAddress: '203.0.113.10',
    };
    if (call.query)
      request.query = Object.fromEntries(Object.entries(call.query).map(([k, v]) => [k, String(v)]));
    if (call.multipart) {
      request.payload = call.multipart.payload;
      request.headers = { ...request.headers, 'content-type': call.multipart.contentType };
    } else if (call.body !== undefined) request.payload = call.body as InjectOptions['payload'];
    const response = await this.app.inject(request);
    const expected = call.status ?? successStatus(operationId);
    if (response.statusCode !== expected) {
      throw new Error(
        `${operationId} ${url}: expected ${expected}, got ${response.statusCode} ${response.body}`,
      );
    }
    const guest = response.headers['x-scalev-guest-token'];
    if (typeof guest === 'string') this.credentials.guestToken = guest;
    if (!call.quiet) this.keep(operationId, call, response);
    return { status: response.statusCode, json: () => response.json(), headers: response.headers };
  }

  private keep(operationId: string, call: Call, response: LightMyRequestResponse): void {
    const entry: OperationExamples = this.examples.operations[operationId] ?? {};
    this.examples.operations[operationId] = entry;
    const success = response.statusCode < 300;
    if (success && !entry.parameters && (call.params || call.query)) {
      entry.parameters = { ...call.params, ...call.query };
    }
    if (success && call.body !== undefined && entry.request === undefined) entry.request = call.body;
    if (success && call.multipart && !entry.multipart) entry.multipart = call.multipart.example;
    const responses = entry.responses ?? {};
    entry.responses = responses;
    const status = String(response.statusCode);
    if (responses[status] === undefined && response.body !== '')
      responses[status] = shortened(response.json());
  }

  /** An error answer every operation of its kind may give, shown under the status's shared response. */
  async error(status: number, name: string, summary: string, operationId: string, call: Call): Promise<void> {
    const answer = await this.call(operationId, { ...call, status, quiet: true });
    this.sharedError(status, name, { summary, value: answer.json() });
  }

  /** Keeps an error answer recorded another way (another app's answer, a text body). */
  sharedError(status: number, name: string, example: NamedExample): void {
    const named = this.examples.errors[String(status)] ?? {};
    named[name] = example;
    this.examples.errors[String(status)] = named;
  }
}

export interface RecordingContext {
  recorder: Recorder;
  demo: DemoCredentials;
  database: Database;
  db: Db;
  config: Config;
  keys: ServerKeys;
}

/** A multipart/form-data body, as a browser or `curl -F` sends it. */
export function multipart(
  parts: Array<{ name: string; filename?: string; contentType?: string; data: Buffer | string }>,
): { payload: Buffer; contentType: string } {
  const boundary = `----NexusDocs${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.contentType ? `Content-Type: ${part.contentType}\r\n` : '';
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n${type}\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
