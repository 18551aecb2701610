import type { ShipmentStatus } from './booking-status.ts';
import type { ServiceRef } from './provider.ts';

/**
 * Booking a courier for an order: the airway bill (AWB, the contract's `shipment_receipt`), its
 * cancellation and its tracking history. A separate interface from rates (`provider.ts`) because the
 * two are chosen separately: rates stay on the sandbox table while bookings may go to an aggregator.
 *
 * Money is whole Rupiah (couriers take no cents), weights are grams.
 */

/** One end of a shipment: the pickup (origin) or the recipient (destination). */
export interface ShipmentParty {
  name: string;
  phone: string;
  email?: string | null;
  /** Street address, as complete as the courier needs to find the door. */
  address: string;
  /** Five-digit Indonesian postal code. */
  postalCode: string;
  /** Directions for the driver ("next to the mosque"). */
  note?: string | null;
  /** Needed only by instant couriers; others route by postal code. */
  coordinate?: { latitude: number; longitude: number } | null;
}

export interface ShipmentItem {
  name: string;
  /** Declared value of one unit, whole Rupiah. */
  value: number;
  quantity: number;
  /** Weight of one unit, grams. */
  weightGrams: number;
  sku?: string | null;
}

export interface CreateShipmentRequest {
  /** Our order's business-facing `order_id`, shown to the provider so its dashboard finds the order. */
  reference: string;
  /**
   * Names one booking attempt: a retry with the same key answers the first booking instead of booking
   * twice; the same key with a different request is refused (`idempotency_conflict`). Booking again
   * after a cancellation takes a new key (e.g. the order id plus an attempt number).
   */
  idempotencyKey: string;
  origin: ShipmentParty;
  destination: ShipmentParty;
  items: readonly ShipmentItem[];
  service: ServiceRef;
  /** Cash the courier collects from the recipient, whole Rupiah; absent or null when not COD. */
  codAmount?: number | null;
  /** A note for the courier about the whole parcel. */
  note?: string | null;
}

export interface CreatedShipment {
  providerOrderId: string;
  /** The AWB; null while the courier has not issued it yet (the order's `awb_status` `waiting`). */
  waybill: string | null;
  status: ShipmentStatus;
  /** The provider's own status word, kept for support conversations. */
  providerStatus: string;
  service: ServiceRef;
  /** What the provider charges for the shipment, whole Rupiah, when it says. */
  price: number | null;
  trackingUrl: string | null;
  bookedAt: Date;
  /** True when this answers an earlier booking with the same idempotency key (nothing new booked). */
  replayed: boolean;
}

export interface CanceledShipment {
  providerOrderId: string;
  status: 'canceled';
  providerStatus: string;
}

/** Which shipment to track: the provider's id for it, or the AWB with its courier (AWBs are per courier). */
export type ShipmentRef = { providerOrderId: string } | { waybill: string; courierCode: string };

export interface TrackingEvent {
  status: ShipmentStatus;
  providerStatus: string;
  description: string;
  timestamp: Date;
}

export interface ShipmentTracking {
  providerOrderId: string | null;
  waybill: string | null;
  status: ShipmentStatus;
  providerStatus: string;
  /** Oldest first. */
  history: TrackingEvent[];
  trackingUrl: string | null;
}

/**
 * The configured booking provider (`NEXUS_SHIPPING_BOOKING_DRIVER`): the deterministic sandbox by
 * default, Biteship when chosen. Failures are `ShipmentError`s.
 */
export interface ShipmentBookingProvider {
  /** `sandbox` or `biteship`. */
  readonly code: string;
  createShipment(request: CreateShipmentRequest): Promise<CreatedShipment>;
  cancelShipment(providerOrderId: string, reason: string): Promise<CanceledShipment>;
  tracking(ref: ShipmentRef): Promise<ShipmentTracking>;
}

/**
 * What went wrong, in terms a caller can act on per order:
 * - `invalid_address`: origin or destination unusable (postal code, missing name, phone or street);
 *   the merchant fixes the order.
 * - `invalid_request`: anything else about this request the provider refused (items, weights, fields).
 * - `service_unavailable`: the courier service does not serve this route, COD or schedule; pick another.
 * - `not_found`: the provider knows no such shipment.
 * - `already_cancelled` / `not_cancellable` (picked up or later): the cancellation cannot happen.
 * - `idempotency_conflict`: the key was used for a different request (a caller bug).
 * - `account`: the provider refused our account (key, activation, balance): nothing about this order,
 *   an operator must act, and every order will fail the same way until then.
 * - `transient`: network, timeout, rate limit or the provider's own 5xx; trying again may succeed.
 */
export const SHIPMENT_ERROR_CODES = [
  'invalid_address',
  'invalid_request',
  'service_unavailable',
  'not_found',
  'already_cancelled',
  'not_cancellable',
  'idempotency_conflict',
  'account',
  'transient',
] as const;
export type ShipmentErrorCode = (typeof SHIPMENT_ERROR_CODES)[number];

export interface ShipmentErrorDetails {
  /**
   * Only on `transient` failures of `createShipment`: the request may have reached the provider and
   * booked (a timeout, a dropped connection, a 5xx). Before booking again under a new key, check the
   * provider (its dashboard finds the order by `reference`); a retry with the same key in the same
   * process books again only if the first booking really failed.
   */
  outcomeUnknown?: boolean;
  /** The provider's own error code (Biteship's eight-digit codes), for support. */
  providerCode?: string | number | null;
  httpStatus?: number | null;
}

/** A booking failure; `message` is safe to show an operator (never credentials). */
export class ShipmentError extends Error {
  readonly outcomeUnknown: boolean;
  readonly providerCode: string | number | null;
  readonly httpStatus: number | null;

  constructor(
    readonly code: ShipmentErrorCode,
    message: string,
    details: ShipmentErrorDetails = {},
  ) {
    super(message);
    this.name = 'ShipmentError';
    this.outcomeUnknown = code === 'transient' && details.outcomeUnknown === true;
    this.providerCode = details.providerCode ?? null;
    this.httpStatus = details.httpStatus ?? null;
  }

  /** Only transient failures may succeed when tried again unchanged. */
  get retryable(): boolean {
    return this.code === 'transient';
  }
}
