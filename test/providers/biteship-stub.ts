import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Biteship's order and tracking API, speaking its documented wire format
 * (sources in src/providers/shipping/biteship-wire.ts): the key itself as the `authorization`
 * header, `POST /v1/orders` checking the documented required fields with their 400020xx codes,
 * `GET /v1/orders/:id` with `courier.history`, `POST /v1/orders/:id/cancel` before pickup only,
 * `GET /v1/trackings/:waybill/couriers/:courier` with the tracking statuses' camelCase spelling, and
 * errors as `{success: false, error, code}`. It records every request and can fail, hang or drop.
 */
export const STUB_API_KEY = 'biteship_test.stub0000000000000000000000000000';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

export type StubFailure = { status: number; body?: unknown } | 'hang' | 'drop';

type Json = Record<string, unknown>;

/** Order statuses Biteship still cancels ("Available to Delete" in its status table). */
const CANCELLABLE = new Set(['confirmed', 'scheduled', 'allocated', 'picking_up']);
/** Couriers this stub's account cannot use for cash on delivery. */
const NO_COD = new Set(['pos']);

const NOTES: Record<string, string> = {
  confirmed: 'Order has been confirmed. Locating nearest driver to pick up.',
  picked: 'Item has been picked and ready to be shipped.',
  dropping_off: 'Item is on the way to customer.',
  delivered: 'Item has been delivered.',
  cancelled: 'Order is cancelled.',
};

/** Biteship writes times in Jakarta's offset: `2021-01-11T14:03:41+07:00`. */
function jakarta(at: Date): string {
  return `${new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

const camel = (status: string) => status.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export class BiteshipStub {
  readonly requests: StubRequest[] = [];
  readonly orders = new Map<string, Json>();
  /** Set to make every request fail this way until cleared. */
  failure: StubFailure | null = null;
  /** Set to book orders whose courier has not issued the AWB yet (`waybill_id` null). */
  waybillLater = false;
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

  /** Moves an order on, as the courier's scans would, appending to its history. */
  advance(id: string, status: string, at = new Date()): void {
    const order = this.orders.get(id);
    if (!order) throw new Error(`stub knows no order ${id}`);
    order.status = status;
    const courier = order.courier as Json;
    (courier.history as Json[]).push({
      service_type: courier.type,
      status,
      note: NOTES[status] ?? status,
      updated_at: jakarta(at),
    });
  }

  requestsTo(method: string, prefix: string): StubRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Json) : null;
    const path = req.url ?? '/';
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
    const fail = (status: number, error: string, code?: number) =>
      send(status, { success: false, error, ...(code ? { code } : {}) });
    if (failure)
      return send(failure.status, failure.body ?? { success: false, error: 'Internal server error' });
    if (req.headers.authorization !== STUB_API_KEY) return fail(401, 'Authorization failed', 40101001);

    if (req.method === 'POST' && path === '/v1/orders') return this.create(body ?? {}, send, fail);
    const order = /^\/v1\/orders\/([^/]+)(\/cancel)?$/.exec(path);
    if (order) {
      const found = this.orders.get(decodeURIComponent(order[1] ?? ''));
      if (!found) return fail(404, 'Order not found');
      if (req.method === 'GET' && !order[2])
        return send(200, { success: true, message: 'Order successfully retrieved', ...found });
      if (req.method === 'POST' && order[2]) return this.cancel(found, body ?? {}, send, fail);
    }
    const tracking = /^\/v1\/trackings\/([^/]+)\/couriers\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && tracking) {
      const [waybill, company] = [
        decodeURIComponent(tracking[1] ?? ''),
        decodeURIComponent(tracking[2] ?? ''),
      ];
      const found = [...this.orders.values()].find((o) => {
        const courier = o.courier as Json;
        return courier.waybill_id === waybill && courier.company === company;
      });
      return found ? send(200, trackingOf(found)) : fail(404, 'Tracking not found');
    }
    fail(404, `No route ${req.method} ${path}`);
  }

  private create(
    body: Json,
    send: (s: number, p: unknown) => void,
    fail: (s: number, e: string, c?: number) => void,
  ) {
    const required: Array<[string, number, string]> = [
      ['origin_contact_name', 40002014, 'Please make sure origin contact name is filled'],
      ['origin_contact_phone', 40002015, 'Please make sure origin contact phone is filled'],
      ['origin_address', 40002016, 'Please make sure origin address is filled'],
      ['destination_contact_name', 40002017, 'Please make sure destination contact name is filled'],
      ['destination_contact_phone', 40002018, 'Please make sure destination contact phone is filled'],
      ['destination_address', 40002019, 'Please make sure destination address is filled'],
    ];
    for (const [field, code, error] of required) {
      if (typeof body[field] !== 'string' || !(body[field] as string).trim()) return fail(400, error, code);
    }
    if (body.origin_postal_code === undefined && body.origin_coordinate === undefined) {
      return fail(400, 'Either origin needs to have postal code or coordinate', 40002011);
    }
    if (body.destination_postal_code === undefined && body.destination_coordinate === undefined) {
      return fail(400, 'Either destination needs to have postal code or coordinate', 40002010);
    }
    for (const field of ['origin_postal_code', 'destination_postal_code']) {
      const code = body[field];
      if (code !== undefined && (typeof code !== 'number' || code < 10000 || code > 99999)) {
        return fail(400, 'Failed due to invalid or missing postal code.', 40002020);
      }
    }
    if (body.delivery_type === undefined) return fail(400, 'Delivery type has no value.', 40002005);
    if (body.delivery_type !== 'now' && body.delivery_type !== 'scheduled') {
      return fail(400, 'Please make sure to input the right delivery type value', 40002006);
    }
    const company = String(body.courier_company ?? '');
    if (body.destination_cash_on_delivery !== undefined && NO_COD.has(company)) {
      return fail(400, 'Courier is not available for cash on delivery service', 40002009);
    }
    const items = body.items;
    if (!Array.isArray(items) || items.length === 0) return fail(400, 'Items are required');

    const id = randomBytes(12).toString('hex');
    const now = new Date();
    const cod = body.destination_cash_on_delivery;
    const order: Json = {
      object: 'order',
      id,
      draft_order_id: null,
      short_id: randomBytes(8).toString('base64url'),
      shipper: { name: null, email: null, phone: null, organization: null },
      origin: {
        contact_name: body.origin_contact_name,
        contact_phone: body.origin_contact_phone,
        address: body.origin_address,
        note: body.origin_note ?? null,
        postal_code: body.origin_postal_code ?? null,
        coordinate: body.origin_coordinate ?? null,
      },
      destination: {
        contact_name: body.destination_contact_name,
        contact_phone: body.destination_contact_phone,
        contact_email: body.destination_contact_email ?? null,
        address: body.destination_address,
        note: body.destination_note ?? null,
        proof_of_delivery: { use: false, fee: 0, note: null, link: null },
        postal_code: body.destination_postal_code ?? null,
        coordinate: body.destination_coordinate ?? null,
        cash_on_delivery: {
          id: cod === undefined ? null : randomBytes(12).toString('hex'),
          amount: cod ?? 0,
          amount_currency: 'IDR',
          fee: cod === undefined ? 0 : Math.ceil(Number(cod) * 0.04),
          fee_currency: 'IDR',
          note: null,
          type: body.destination_cash_on_delivery_type ?? null,
        },
      },
      delivery: {
        datetime: jakarta(now),
        note: null,
        type: body.delivery_type,
        distance: null,
        distance_unit: 'kilometer',
      },
      voucher: { id: null, name: null, value: null, type: null },
      courier: {
        tracking_id: randomBytes(12).toString('hex'),
        waybill_id: this.waybillLater ? null : `WYB${randomInt(1e9, 1e10)}`,
        company,
        history: [
          {
            service_type: body.courier_type,
            status: 'confirmed',
            note: NOTES.confirmed,
            updated_at: jakarta(now),
          },
        ],
        link: this.waybillLater ? null : `https://track.biteship.test/${id}`,
        name: null,
        phone: null,
        driver_name: null,
        driver_phone: null,
        driver_photo_url: null,
        driver_plate_number: null,
        type: body.courier_type,
        insurance: { amount: 0, amount_currency: 'IDR', fee: 0, fee_currency: 'IDR', note: '' },
        routing_code: null,
      },
      reference_id: body.reference_id ?? null,
      invoice_id: null,
      items,
      extra: [],
      metadata: body.metadata ?? {},
      tags: [],
      note: body.order_note ?? null,
      currency: 'IDR',
      tax_lines: [],
      price: 19_000,
      status: 'confirmed',
      ticket_status: null,
    };
    this.orders.set(id, order);
    send(200, { success: true, message: 'Order successfully created', ...order });
  }

  private cancel(
    order: Json,
    body: Json,
    send: (s: number, p: unknown) => void,
    fail: (s: number, e: string) => void,
  ) {
    if (typeof body.cancellation_reason_code !== 'string')
      return fail(400, 'cancellation_reason_code is required');
    if (!CANCELLABLE.has(String(order.status)))
      return fail(400, `Order with status ${order.status} cannot be cancelled`);
    this.advance(String(order.id), 'cancelled');
    send(200, {
      success: true,
      message: 'Order successfully cancelled',
      object: 'order',
      id: order.id,
      status: 'cancelled',
      cancellation_reason_code: body.cancellation_reason_code,
      cancellation_reason: body.cancellation_reason ?? null,
    });
  }
}

function trackingOf(order: Json): Json {
  const courier = order.courier as Json;
  const origin = order.origin as Json;
  const destination = order.destination as Json;
  return {
    success: true,
    message: 'Successfully get tracking info',
    object: 'tracking',
    id: courier.tracking_id,
    waybill_id: courier.waybill_id,
    courier: {
      company: courier.company,
      driver_name: null,
      driver_phone: null,
      driver_photo_url: null,
      driver_plate_number: null,
    },
    origin: { contact_name: origin.contact_name, address: origin.address },
    destination: { contact_name: destination.contact_name, address: destination.address },
    history: (courier.history as Json[]).map((h) => ({
      note: h.note,
      updated_at: h.updated_at,
      status: camel(String(h.status)),
    })),
    link: courier.link,
    order_id: order.id,
    status: camel(String(order.status)),
  };
}
