import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Xendit API speaking its wire format (snake_case JSON, Basic auth with the
 * secret key as user name, `idempotency-key` on payment requests): POST/GET `/payment_requests` and
 * POST/GET `/v2/invoices`. It records every request and can be told to fail, hang or go away.
 */
export const STUB_SECRET_KEY = 'xnd_development_stub0000000000000000000000000000';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

export type StubFailure = { status: number; body?: unknown } | 'hang' | 'drop';

type Json = Record<string, unknown>;

const VA_PREFIX: Record<string, string> = { BCA: '10766', BNI: '8808', BRI: '26215', MANDIRI: '88908' };
const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');
const nowIso = () => new Date().toISOString();

function channelProperties(type: string, method: Json): { key: string; channel: Json } {
  const key = {
    VIRTUAL_ACCOUNT: 'virtual_account',
    QR_CODE: 'qr_code',
    EWALLET: 'ewallet',
    OVER_THE_COUNTER: 'over_the_counter',
  }[type];
  if (!key) throw new Error(`unsupported payment method type ${type}`);
  const channel = { ...(method[key] as Json) };
  const sent = (channel.channel_properties ?? {}) as Json;
  const code = String(channel.channel_code);
  if (type === 'VIRTUAL_ACCOUNT') {
    const prefix = VA_PREFIX[code] ?? '9999';
    channel.channel_properties = { ...sent, virtual_account_number: prefix + digits(16 - prefix.length) };
  } else if (type === 'QR_CODE') {
    channel.channel_properties = { ...sent, qr_string: `00020101021226${digits(30)}6304${digits(4)}` };
  } else if (type === 'OVER_THE_COUNTER') {
    channel.channel_properties = { ...sent, payment_code: `TEST${digits(8)}` };
  }
  return { key, channel };
}

function ewalletActions(code: string, id: string): Json[] {
  const action = (url_type: string, url: string) => ({
    action: 'AUTH',
    url_type,
    method: 'GET',
    url,
    qr_code: null,
  });
  if (code === 'OVO') return [];
  if (code === 'SHOPEEPAY') {
    return [action('DEEPLINK', `shopeeid://main?pr=${id}`), action('WEB', `https://pay.shopee.co.id/${id}`)];
  }
  return [
    action('WEB', `https://ewallet.xendit.test/${id}/web`),
    action('MOBILE', `https://ewallet.xendit.test/${id}/m`),
  ];
}

export class XenditStub {
  readonly requests: StubRequest[] = [];
  readonly paymentRequests = new Map<string, Json>();
  readonly invoices = new Map<string, Json>();
  /** Set to make every request fail this way until cleared. */
  failure: StubFailure | null = null;
  private readonly byIdempotencyKey = new Map<string, string>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((done) => this.server.listen(this.port, '127.0.0.1', done));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening (connections are refused) until `start()` listens on the same port again. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  /** Moves a payment as the buyer paying (or the window closing) would. */
  setStatus(id: string, status: string): void {
    const record = this.paymentRequests.get(id) ?? this.invoices.get(id);
    if (!record) throw new Error(`stub knows no payment ${id}`);
    record.status = status;
  }

  requestsTo(method: string, prefix: string): StubRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Json) : null;
    const path = (req.url ?? '/').replace(/\/+$/, '');
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    const failure = this.failure;
    if (failure === 'hang') return;
    if (failure === 'drop') {
      req.socket.destroy();
      return;
    }
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    if (failure) return send(failure.status, failure.body ?? { error_code: 'SERVER_ERROR', message: 'stub' });
    const expected = `Basic ${Buffer.from(`${STUB_SECRET_KEY}:`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return send(401, { error_code: 'INVALID_API_KEY', message: 'API key is invalid' });
    }

    if (req.method === 'POST' && path === '/payment_requests')
      return send(...this.createPaymentRequest(req, body));
    if (req.method === 'POST' && path === '/v2/invoices') return send(...this.createInvoice(body));
    const get = /^\/(payment_requests|v2\/invoices)\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && get) {
      const store = get[1] === 'payment_requests' ? this.paymentRequests : this.invoices;
      const found = store.get(decodeURIComponent(get[2] ?? ''));
      return found ? send(200, found) : send(404, { error_code: 'DATA_NOT_FOUND', message: 'not found' });
    }
    send(404, { error_code: 'NOT_FOUND', message: `no route ${req.method} ${path}` });
  }

  private createPaymentRequest(req: IncomingMessage, body: Json | null): [number, Json] {
    const amount = body?.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
      return [400, { error_code: 'API_VALIDATION_ERROR', message: 'amount must be a whole IDR amount' }];
    }
    const key = req.headers['idempotency-key'];
    const replay = typeof key === 'string' ? this.byIdempotencyKey.get(key) : undefined;
    if (replay) return [200, this.paymentRequests.get(replay) as Json];

    const method = body?.payment_method as Json;
    const type = String(method.type);
    const { key: methodKey, channel } = channelProperties(type, method);
    const id = `pr-${randomUUID()}`;
    const code = String(channel.channel_code);
    const ewallet = type === 'EWALLET';
    const created = nowIso();
    const record: Json = {
      id,
      business_id: '5f27a14a9bf05c73dd040bc8',
      reference_id: body?.reference_id,
      description: body?.description,
      amount,
      currency: body?.currency,
      country: 'ID',
      status: ewallet && code !== 'OVO' ? 'REQUIRES_ACTION' : 'PENDING',
      capture_method: 'AUTOMATIC',
      created,
      updated: created,
      payment_method: {
        id: `pm-${randomUUID()}`,
        type,
        reference_id: method.reference_id,
        reusability: 'ONE_TIME_USE',
        status: 'ACTIVE',
        created,
        updated: created,
        [methodKey]: { amount, currency: 'IDR', ...channel },
      },
      actions: ewallet ? ewalletActions(code, id) : [],
      metadata: body?.metadata ?? null,
      failure_code: null,
    };
    this.paymentRequests.set(id, record);
    if (typeof key === 'string') this.byIdempotencyKey.set(key, id);
    return [201, record];
  }

  private createInvoice(body: Json | null): [number, Json] {
    const amount = body?.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
      return [400, { error_code: 'API_VALIDATION_ERROR', message: 'amount must be a whole IDR amount' }];
    }
    const id = randomBytes(12).toString('hex');
    const seconds = Number(body?.invoice_duration ?? 86_400);
    const created = nowIso();
    const record: Json = {
      id,
      external_id: body?.external_id,
      user_id: '5f27a14a9bf05c73dd040bc8',
      status: 'PENDING',
      merchant_name: 'Nexus Test',
      merchant_profile_picture_url: 'https://xnd-merchant-logos.s3.amazonaws.com/logo.png',
      amount,
      payer_email: body?.payer_email,
      description: body?.description,
      expiry_date: new Date(Date.now() + seconds * 1000).toISOString(),
      invoice_url: `https://checkout-staging.xendit.co/web/${id}`,
      available_banks: [],
      available_retail_outlets: [],
      available_ewallets: [],
      available_qr_codes: [],
      available_direct_debits: [],
      available_paylaters: [],
      should_exclude_credit_card: false,
      should_send_email: false,
      success_redirect_url: body?.success_redirect_url,
      failure_redirect_url: body?.failure_redirect_url,
      created,
      updated: created,
      currency: 'IDR',
      metadata: body?.metadata ?? null,
    };
    this.invoices.set(id, record);
    return [200, record];
  }
}

/** Reads a nested wire value by a dotted path (`actions.0.url_type`); undefined where it stops. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The payment requests and invoices the stub issued for an order (by its `metadata.order_id`). */
export function issuedFor(stub: XenditStub, orderNumber: string): Array<Record<string, unknown>> {
  return [...stub.paymentRequests.values(), ...stub.invoices.values()].filter(
    (record) => at(record, 'metadata.order_id') === orderNumber,
  );
}
