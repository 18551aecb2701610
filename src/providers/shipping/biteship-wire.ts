import {
  type CreateShipmentRequest,
  ShipmentError,
  type ShipmentErrorCode,
  type ShipmentParty,
  type TrackingEvent,
} from './booking.ts';
import type { ShipmentStatus } from './booking-status.ts';

/**
 * Biteship's wire format, as its public documentation describes it (read 2026-12 in stored copies):
 * - orders: https://biteship.com/docs/api/orders/overview (endpoints, the 14 order statuses and
 *   which can still be canceled), https://biteship.com/en/docs/api/orders/create (request fields),
 *   https://biteship.com/id/docs/api/orders/retrieve (the order object, `courier.history`),
 *   https://biteship.com/en/docs/api/orders/error (the 400020xx codes of `POST /v1/orders`);
 * - trackings: https://biteship.com/en/docs/api/trackings/retrieve and .../retrieve_public (by AWB
 *   and courier: `GET /v1/trackings/:waybill_id/couriers/:courier_code`), .../trackings/status
 *   (the tracking statuses, camelCase there: `pickingUp`, `droppingOff`, `returnInTransit`);
 * - https://biteship.com/id/docs/api/authentication: the API key itself is the `authorization`
 *   header (no scheme word); https://biteship.com/id/docs/errors: errors answer
 *   `{success: false, error, code}` with 400/401/402/403/404/500.
 * The stored copies did not include the cancel page: its body `{cancellation_reason_code,
 * cancellation_reason}` (code `others` with free text) and its answer `{success, id, status:
 * "cancelled"}` are as two independent client libraries send and read them
 * (aliziodev/laravel-biteship `OrderService::cancel`, hsib19/biteship-api-node `CancelOrderRequest`).
 */

/** Biteship's status words, compacted (lowercase, no `_`) so order and tracking spellings meet. */
const STATUS: Record<string, ShipmentStatus> = {
  confirmed: 'booked',
  scheduled: 'booked',
  allocated: 'booked',
  pickingup: 'booked',
  picked: 'picked_up',
  droppingoff: 'out_for_delivery',
  onhold: 'on_hold',
  delivered: 'delivered',
  returnintransit: 'returning',
  returned: 'returned',
  cancelled: 'canceled',
  rejected: 'failed',
  couriernotfound: 'failed',
  disposed: 'failed',
};

const compact = (status: string) => status.replace(/_/g, '').toLowerCase();

/** Our status for a Biteship one; null for a word the documentation does not list. */
export function biteshipStatus(status: unknown): ShipmentStatus | null {
  return typeof status === 'string' ? (STATUS[compact(status)] ?? null) : null;
}

export function isBiteshipCancelled(status: unknown): boolean {
  return typeof status === 'string' && compact(status) === 'cancelled';
}

type Json = Record<string, unknown>;

/** `POST /v1/orders` body. Couriers' codes are lowercase on Biteship (`jne`, `reg`). */
export function orderBody(request: CreateShipmentRequest): Json {
  const cod = request.codAmount ?? null;
  return {
    ...party('origin', request.origin),
    ...party('destination', request.destination),
    courier_company: request.service.courierCode.toLowerCase(),
    courier_type: request.service.serviceCode.toLowerCase(),
    // Booked to be picked up as soon as the courier can; Biteship's `scheduled` needs a date and time.
    delivery_type: 'now',
    ...(request.note ? { order_note: request.note } : {}),
    reference_id: request.reference,
    metadata: { nexus_reference: request.reference, nexus_idempotency_key: request.idempotencyKey },
    // `7_days`: the longest settlement Biteship offers for collected cash (also `5_days`, `3_days`).
    ...(cod !== null
      ? { destination_cash_on_delivery: cod, destination_cash_on_delivery_type: '7_days' }
      : {}),
    items: request.items.map((item) => ({
      name: item.name,
      ...(item.sku ? { sku: item.sku } : {}),
      value: item.value,
      quantity: item.quantity,
      weight: item.weightGrams,
    })),
  };
}

function party(side: 'origin' | 'destination', p: ShipmentParty): Json {
  return {
    [`${side}_contact_name`]: p.name,
    [`${side}_contact_phone`]: p.phone,
    ...(p.email ? { [`${side}_contact_email`]: p.email } : {}),
    [`${side}_address`]: p.address,
    ...(p.note ? { [`${side}_note`]: p.note } : {}),
    [`${side}_postal_code`]: Number(p.postalCode),
    ...(p.coordinate ? { [`${side}_coordinate`]: { ...p.coordinate } } : {}),
  };
}

/** Tracking history (`courier.history` of an order, `history` of a tracking), oldest first. */
export function historyOf(entries: unknown): TrackingEvent[] {
  if (!Array.isArray(entries)) return [];
  let previous: ShipmentStatus = 'booked';
  return entries
    .map((entry: Json) => ({ entry, timestamp: new Date(String(entry?.updated_at ?? '')) }))
    .filter(({ timestamp }) => !Number.isNaN(timestamp.getTime()))
    .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())
    .map(({ entry, timestamp }) => {
      // A status word the documentation does not list keeps the last one we understood.
      previous = biteshipStatus(entry.status) ?? previous;
      return {
        status: previous,
        providerStatus: String(entry.status ?? ''),
        description: String(entry.note ?? ''),
        timestamp,
      };
    });
}

/** Codes of `POST /v1/orders` about an unusable origin or destination. */
const ADDRESS_CODES = new Set([
  40002010, 40002011, 40002012, 40002014, 40002015, 40002016, 40002017, 40002018, 40002019, 40002020,
]);
/** The courier cannot do what was asked: a scheduled pickup, cash on delivery. */
const SERVICE_CODES = new Set([40002007, 40002009]);
/** The key failed authentication, or has no booking access yet: the account's problem, not the order's. */
const ACCOUNT_CODES = new Set([
  40000001, 40101001, 40101002, 40101003, 40301001, 40301002, 40002001, 40002002, 40002003,
]);

export type BiteshipOperation = 'create' | 'read' | 'cancel';

/** A Biteship error answer as a `ShipmentError`; the message carries Biteship's text, never the key. */
export function biteshipError(operation: BiteshipOperation, status: number, body: unknown): ShipmentError {
  const json = (body && typeof body === 'object' ? body : {}) as Json;
  const providerCode = typeof json.code === 'number' || typeof json.code === 'string' ? json.code : null;
  const code = Number(providerCode);
  const text =
    typeof json.error === 'string' ? json.error : typeof json.message === 'string' ? json.message : '';
  const message =
    `Biteship ${status}${providerCode !== null ? ` ${providerCode}` : ''}: ${text || 'no reason given'}`.slice(
      0,
      300,
    );
  const details = { providerCode, httpStatus: status };
  const as = (kind: ShipmentErrorCode) => new ShipmentError(kind, message, details);
  if (status === 429) return new ShipmentError('transient', message, details);
  // A 5xx to a booking may come after Biteship booked: the caller must not assume it did not.
  if (status >= 500)
    return new ShipmentError('transient', message, { ...details, outcomeUnknown: operation === 'create' });
  // 402 is documented only as "Request is failed"; booking spends the account's Biteship balance,
  // so it reads as the account's problem (top up), not this order's.
  if (status === 401 || status === 402 || status === 403 || ACCOUNT_CODES.has(code)) return as('account');
  if (ADDRESS_CODES.has(code)) return as('invalid_address');
  if (SERVICE_CODES.has(code)) return as('service_unavailable');
  if (status === 404 && operation !== 'create') return as('not_found');
  return as('invalid_request');
}
