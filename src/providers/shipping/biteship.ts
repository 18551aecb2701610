import {
  type BiteshipOperation,
  biteshipError,
  biteshipStatus,
  historyOf,
  isBiteshipCancelled,
  orderBody,
} from './biteship-wire.ts';
import {
  type CanceledShipment,
  type CreatedShipment,
  type CreateShipmentRequest,
  type ShipmentBookingProvider,
  ShipmentError,
  type ShipmentRef,
  type ShipmentTracking,
} from './booking.ts';
import { BookingLedger } from './booking-ledger.ts';
import { isCancellable } from './booking-status.ts';

export const BITESHIP_URL = 'https://api.biteship.com';

export interface BiteshipOptions {
  apiKey: string;
  /** `https://api.biteship.com`, or a local stub in tests. */
  baseUrl: string;
  /** A call that takes longer fails as `transient` rather than holding the caller. */
  timeoutMs?: number;
}

type Json = Record<string, unknown>;

/**
 * Bookings through Biteship, an Indonesian courier aggregator, over its REST API with `fetch`
 * (Biteship publishes no official Node SDK). Wire format and sources: `biteship-wire.ts`.
 *
 * Biteship documents no idempotency key and no search by reference, so a retry cannot ask Biteship
 * whether the first attempt booked: retries with the same key are answered from this process's
 * ledger, and a failure that may have booked says so (`ShipmentError.outcomeUnknown`). Our reference
 * and key travel as `reference_id` and `metadata`, so Biteship's dashboard finds a doubtful booking.
 */
export class BiteshipBooking implements ShipmentBookingProvider {
  readonly code = 'biteship';
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly ledger = new BookingLedger();

  constructor(options: BiteshipOptions) {
    this.apiKey = options.apiKey;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async createShipment(request: CreateShipmentRequest): Promise<CreatedShipment> {
    return this.ledger.book(request, async () => {
      const order = await this.call('create', 'POST', '/v1/orders', orderBody(request));
      if (typeof order.id !== 'string' || !order.id) {
        throw new ShipmentError('transient', 'Biteship answered a booking without an order id', {
          outcomeUnknown: true,
        });
      }
      const courier = objectOf(order.courier);
      return {
        providerOrderId: order.id,
        waybill: textOrNull(courier.waybill_id),
        status: biteshipStatus(order.status) ?? 'booked',
        providerStatus: String(order.status ?? ''),
        service: { ...request.service },
        price: typeof order.price === 'number' ? order.price : null,
        trackingUrl: textOrNull(courier.link),
        bookedAt: new Date(),
        replayed: false,
      };
    });
  }

  async cancelShipment(providerOrderId: string, reason: string): Promise<CanceledShipment> {
    const path = `/v1/orders/${encodeURIComponent(providerOrderId)}`;
    try {
      const answer = await this.call('cancel', 'POST', `${path}/cancel`, {
        cancellation_reason_code: 'others',
        cancellation_reason: reason,
      });
      return { providerOrderId, status: 'canceled', providerStatus: String(answer.status ?? 'cancelled') };
    } catch (error) {
      if (!(error instanceof ShipmentError) || error.code !== 'invalid_request') throw error;
      // Biteship documents no codes for a refused cancellation; the order's own status says why.
      const order = await this.call('read', 'GET', path);
      const details = { providerCode: error.providerCode, httpStatus: error.httpStatus };
      if (isBiteshipCancelled(order.status)) {
        throw new ShipmentError(
          'already_cancelled',
          `Shipment ${providerOrderId} is already canceled`,
          details,
        );
      }
      const status = biteshipStatus(order.status);
      if (status !== null && !isCancellable(status)) {
        throw new ShipmentError(
          'not_cancellable',
          `Shipment ${providerOrderId} is ${String(order.status)}; Biteship cancels only before pickup`,
          details,
        );
      }
      throw error;
    }
  }

  async tracking(ref: ShipmentRef): Promise<ShipmentTracking> {
    if ('providerOrderId' in ref) {
      const order = await this.call('read', 'GET', `/v1/orders/${encodeURIComponent(ref.providerOrderId)}`);
      const courier = objectOf(order.courier);
      return trackingOf(order.id, courier.waybill_id, order.status, courier.history, courier.link);
    }
    const waybill = encodeURIComponent(ref.waybill);
    const courierCode = encodeURIComponent(ref.courierCode.toLowerCase());
    const found = await this.call('read', 'GET', `/v1/trackings/${waybill}/couriers/${courierCode}`);
    return trackingOf(found.order_id, found.waybill_id, found.status, found.history, found.link);
  }

  /** One request with a deadline; every failure becomes a `ShipmentError` without the key in it. */
  private async call(operation: BiteshipOperation, method: string, path: string, body?: Json): Promise<Json> {
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: this.apiKey,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw unreachable(operation, error, this.timeoutMs);
    }
    const json = parseObject(text);
    if (status < 200 || status >= 300 || json?.success === false)
      throw biteshipError(operation, status, json);
    if (!json) {
      throw new ShipmentError('transient', `Biteship answered ${status} without a JSON object`, {
        outcomeUnknown: operation === 'create',
        httpStatus: status,
      });
    }
    return json;
  }
}

/** Failures that happen before a connection exists: the request certainly never reached Biteship. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function unreachable(operation: BiteshipOperation, error: unknown, timeoutMs: number): ShipmentError {
  const failure = error as { name?: string; cause?: { code?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') {
    return new ShipmentError('transient', `Biteship did not answer within ${timeoutMs} ms`, {
      outcomeUnknown: operation === 'create',
    });
  }
  const code = failure.cause?.code ?? 'network error';
  return new ShipmentError('transient', `Biteship could not be reached (${code})`, {
    outcomeUnknown: operation === 'create' && !NOT_SENT.has(code),
  });
}

function trackingOf(
  providerOrderId: unknown,
  waybill: unknown,
  status: unknown,
  entries: unknown,
  link: unknown,
): ShipmentTracking {
  const history = historyOf(entries);
  return {
    providerOrderId: textOrNull(providerOrderId),
    waybill: textOrNull(waybill),
    status: biteshipStatus(status) ?? history.at(-1)?.status ?? 'booked',
    providerStatus: String(status ?? ''),
    history,
    trackingUrl: textOrNull(link),
  };
}

function parseObject(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

function objectOf(value: unknown): Json {
  return value && typeof value === 'object' ? (value as Json) : {};
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}
