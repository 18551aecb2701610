import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Xendit Payouts v2 (docs.xendit.co, "Payouts"): Basic auth with the secret key
 * as user name, `POST /v2/payouts` requiring `Idempotency-key` and the documented fields (answering
 * the first payout again for a repeated key), `GET /v2/payouts/:id`, payouts created `ACCEPTED` and
 * moving to `outcome` on the next read, errors as `{error_code, message}`. It records every request
 * and can fail every call with a status.
 */
export const STUB_SECRET_KEY = 'xnd_development_payouts_stub';

type Json = Record<string, unknown>;

export class XenditPayoutsStub {
  readonly requests: Array<{
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
    body: Json | null;
  }> = [];
  readonly payouts = new Map<string, Json>();
  private readonly byKey = new Map<string, string>();
  /** What a payout becomes once read after creation. */
  outcome: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED';
  failure: number | null = null;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Json) : null;
    const path = req.url ?? '/';
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (this.failure) return send(this.failure, { error_code: 'SERVER_ERROR', message: 'stub failure' });
    const expected = `Basic ${Buffer.from(`${STUB_SECRET_KEY}:`).toString('base64')}`;
    if (req.headers.authorization !== expected)
      return send(401, { error_code: 'INVALID_API_KEY', message: 'API key is invalid' });

    if (req.method === 'POST' && path === '/v2/payouts') {
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !key)
        return send(400, { error_code: 'API_VALIDATION_ERROR', message: 'Idempotency-key is required' });
      const known = this.byKey.get(key);
      if (known) return send(200, this.payouts.get(known));
      const props = (body?.channel_properties ?? {}) as Json;
      const missing = ['reference_id', 'channel_code', 'amount', 'currency'].filter(
        (f) => body?.[f] === undefined,
      );
      if (!props.account_number || !props.account_holder_name) missing.push('channel_properties');
      if (missing.length || !Number.isInteger(body?.amount))
        return send(400, { error_code: 'API_VALIDATION_ERROR', message: `invalid ${missing.join(', ')}` });
      const now = new Date().toISOString();
      const payout: Json = {
        id: `disb-${randomBytes(12).toString('hex')}`,
        amount: body?.amount,
        channel_code: body?.channel_code,
        currency: body?.currency,
        description: body?.description,
        reference_id: body?.reference_id,
        status: 'ACCEPTED',
        created: now,
        updated: now,
        estimated_arrival_time: now,
        business_id: 'stub-business',
        channel_properties: props,
      };
      this.payouts.set(payout.id as string, payout);
      this.byKey.set(key, payout.id as string);
      return send(200, payout);
    }
    const match = path.match(/^\/v2\/payouts\/([^/]+)$/);
    if (req.method === 'GET' && match) {
      const payout = this.payouts.get(decodeURIComponent(match[1]!));
      if (!payout) return send(404, { error_code: 'DATA_NOT_FOUND', message: 'Payout not found' });
      if (payout.status === 'ACCEPTED' || payout.status === 'REQUESTED') {
        payout.status = this.outcome;
        if (this.outcome === 'FAILED') payout.failure_code = 'INVALID_DESTINATION';
      }
      return send(200, payout);
    }
    return send(404, { error_code: 'NOT_FOUND', message: 'Not found' });
  }
}
