import type { Config } from '../../config.ts';
import { BiteshipBooking } from './biteship.ts';
import type { ShipmentBookingProvider } from './booking.ts';
import { SandboxShipmentBooking } from './booking-sandbox.ts';
import type { ShippingProvider } from './provider.ts';
import { SandboxShippingProvider } from './sandbox.ts';

export { BITESHIP_URL, BiteshipBooking, type BiteshipOptions } from './biteship.ts';
export {
  type CanceledShipment,
  type CreatedShipment,
  type CreateShipmentRequest,
  SHIPMENT_ERROR_CODES,
  type ShipmentBookingProvider,
  ShipmentError,
  type ShipmentErrorCode,
  type ShipmentItem,
  type ShipmentParty,
  type ShipmentRef,
  type ShipmentTracking,
  type TrackingEvent,
} from './booking.ts';
export {
  type SandboxBooking,
  type SandboxBookingOptions,
  SandboxShipmentBooking,
} from './booking-sandbox.ts';
export {
  type AwbStatus,
  isCancellable,
  ORDER_SHIPMENT_EFFECT,
  type OrderShipmentEffect,
  SHIPMENT_STATUSES,
  type ShipmentOrderStatus,
  type ShipmentStatus,
} from './booking-status.ts';
export { type Proximity, proximity, proximityRank, type ShippingPlace } from './geography.ts';
export type { RateQuery, ServiceRef, ShippingProvider, ShippingRate } from './provider.ts';

const sandbox = new SandboxShippingProvider();

/**
 * The configured shipping provider. Only the sandbox exists today, so there is nothing to
 * configure yet; a real aggregator adapter would be chosen here from the config.
 */
export function shippingProvider(): ShippingProvider {
  return sandbox;
}

/** The configured booking provider (`NEXUS_SHIPPING_BOOKING_DRIVER`): sandbox by default, Biteship when chosen. */
export function createBookingProvider(config: Pick<Config, 'shipping'>): ShipmentBookingProvider {
  const { booking } = config.shipping;
  if (booking.driver === 'sandbox') return new SandboxShipmentBooking();
  if (!booking.biteship.apiKey) throw new Error('BITESHIP_API_KEY is not set');
  return new BiteshipBooking({
    apiKey: booking.biteship.apiKey,
    baseUrl: booking.biteship.baseUrl,
    timeoutMs: booking.biteship.timeoutMs,
  });
}

const bookingProviders = new WeakMap<object, ShipmentBookingProvider>();

/**
 * One booking provider per app (or CLI run), `deps` being `request.server.deps`: the sandbox's
 * bookings and the idempotency ledger live in the provider, so every request must reach the same one.
 */
export function bookingProviderFor(deps: { config: Pick<Config, 'shipping'> }): ShipmentBookingProvider {
  let provider = bookingProviders.get(deps);
  if (!provider) {
    provider = createBookingProvider(deps.config);
    bookingProviders.set(deps, provider);
  }
  return provider;
}
