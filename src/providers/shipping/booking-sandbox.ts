import { createHash } from 'node:crypto';
import {
  type CanceledShipment,
  type CreatedShipment,
  type CreateShipmentRequest,
  type ShipmentBookingProvider,
  ShipmentError,
  type ShipmentParty,
  type ShipmentRef,
  type ShipmentTracking,
  type TrackingEvent,
} from './booking.ts';
import { BookingLedger } from './booking-ledger.ts';
import { isCancellable, type ShipmentStatus } from './booking-status.ts';
import { SANDBOX_SERVICES } from './sandbox.ts';

export interface SandboxBookingOptions {
  now?: () => Date;
  /** Bookings the sandbox's courier brings back to the sender instead of delivering (none by default). */
  returnToSender?: (request: CreateShipmentRequest) => boolean;
  /** Bookings kept; the oldest go first beyond it. */
  capacity?: number;
}

export interface SandboxBooking {
  request: CreateShipmentRequest;
  shipment: CreatedShipment;
  returnToSender: boolean;
  canceled: { at: Date; reason: string } | null;
}

type Tier = (typeof SANDBOX_SERVICES)[string];

const HOUR = 3_600_000;
/** Days on the road after pickup, per tier; one more between postal regions (first digit differs). */
const TIER_DAYS: Record<Tier, number> = { sameday: 0, express: 1, regular: 2, economy: 4, cargo: 6 };

interface Step {
  afterMs: number;
  status: ShipmentStatus;
  description: string;
}

/**
 * A courier that books on paper: deterministic AWBs (the same order and key always get the same
 * number, so tests and demos can assert it), a tracking history that unfolds with the time since
 * booking (pass `now` to move the clock), cancellation until pickup, and every booking kept in
 * memory for inspection (`bookings`). It books the services the sandbox rate table prices and
 * refuses what that table refuses: same-day outside a city, COD to Papua.
 */
export class SandboxShipmentBooking implements ShipmentBookingProvider {
  readonly code = 'sandbox';
  private readonly now: () => Date;
  private readonly returnToSender: (request: CreateShipmentRequest) => boolean;
  private readonly capacity: number;
  private readonly ledger: BookingLedger;
  private readonly byOrderId = new Map<string, SandboxBooking>();

  constructor(options: SandboxBookingOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.returnToSender = options.returnToSender ?? (() => false);
    this.capacity = options.capacity ?? 10_000;
    this.ledger = new BookingLedger(this.capacity);
  }

  /** Everything booked, oldest first. */
  get bookings(): SandboxBooking[] {
    return [...this.byOrderId.values()];
  }

  async createShipment(request: CreateShipmentRequest): Promise<CreatedShipment> {
    return this.ledger.book(request, async () => {
      validate(request);
      const digest = createHash('sha256').update(`${request.reference}\n${request.idempotencyKey}`).digest();
      const shipment: CreatedShipment = {
        providerOrderId: `sbx_${digest.subarray(0, 10).toString('hex')}`,
        waybill: `SBX${(digest.readBigUInt64BE(10) % 10n ** 12n).toString().padStart(12, '0')}`,
        status: 'booked',
        providerStatus: 'booked',
        service: { ...request.service },
        price: null,
        trackingUrl: null,
        bookedAt: this.now(),
        replayed: false,
      };
      this.byOrderId.set(shipment.providerOrderId, {
        request,
        shipment,
        returnToSender: this.returnToSender(request),
        canceled: null,
      });
      for (const id of this.byOrderId.keys()) {
        if (this.byOrderId.size <= this.capacity) break;
        this.byOrderId.delete(id);
      }
      return shipment;
    });
  }

  async cancelShipment(providerOrderId: string, reason: string): Promise<CanceledShipment> {
    const booking = this.byOrderId.get(providerOrderId);
    if (!booking) throw new ShipmentError('not_found', `No sandbox shipment ${providerOrderId}`);
    if (booking.canceled) {
      throw new ShipmentError('already_cancelled', `Shipment ${providerOrderId} is already canceled`);
    }
    const status = this.trackingOf(booking).status;
    if (!isCancellable(status)) {
      throw new ShipmentError(
        'not_cancellable',
        `Shipment ${providerOrderId} is ${status}; only bookings before pickup cancel`,
      );
    }
    booking.canceled = { at: this.now(), reason };
    return { providerOrderId, status: 'canceled', providerStatus: 'canceled' };
  }

  async tracking(ref: ShipmentRef): Promise<ShipmentTracking> {
    const booking = this.find(ref);
    if (!booking) throw new ShipmentError('not_found', 'No sandbox shipment with that reference');
    return this.trackingOf(booking);
  }

  private find(ref: ShipmentRef): SandboxBooking | undefined {
    if ('providerOrderId' in ref) return this.byOrderId.get(ref.providerOrderId);
    return this.bookings.find(
      (b) =>
        b.shipment.waybill === ref.waybill &&
        b.shipment.service.courierCode.toLowerCase() === ref.courierCode.toLowerCase(),
    );
  }

  private trackingOf(booking: SandboxBooking): ShipmentTracking {
    const bookedAt = booking.shipment.bookedAt.getTime();
    const until = booking.canceled?.at.getTime() ?? this.now().getTime();
    const history: TrackingEvent[] = stepsOf(booking)
      .filter((step) => bookedAt + step.afterMs <= until)
      .map((step) => ({
        status: step.status,
        providerStatus: step.status,
        description: step.description,
        timestamp: new Date(bookedAt + step.afterMs),
      }));
    if (booking.canceled) {
      history.push({
        status: 'canceled',
        providerStatus: 'canceled',
        description: `Canceled: ${booking.canceled.reason}`,
        timestamp: booking.canceled.at,
      });
    }
    const last = history.at(-1) as TrackingEvent;
    return {
      providerOrderId: booking.shipment.providerOrderId,
      waybill: booking.shipment.waybill,
      status: last.status,
      providerStatus: last.providerStatus,
      history,
      trackingUrl: null,
    };
  }
}

/** The booking's whole future, deterministic from its service and postal codes. */
function stepsOf({ request, shipment, returnToSender }: SandboxBooking): Step[] {
  const tier = SANDBOX_SERVICES[`${request.service.courierCode}:${request.service.serviceCode}`] as Tier;
  const courier = request.service.courierCode.toUpperCase();
  const steps: Step[] = [
    {
      afterMs: 0,
      status: 'booked',
      description: `AWB ${shipment.waybill} issued; waiting for ${courier} pickup`,
    },
  ];
  let outAt: number;
  if (tier === 'sameday') {
    steps.push({ afterMs: HOUR, status: 'picked_up', description: `Picked up by ${courier}` });
    outAt = 2 * HOUR;
  } else {
    const days = TIER_DAYS[tier] + (regionOf(request.origin) === regionOf(request.destination) ? 0 : 1);
    outAt = days * 24 * HOUR;
    steps.push(
      { afterMs: 3 * HOUR, status: 'picked_up', description: `Picked up by ${courier}` },
      { afterMs: 6 * HOUR, status: 'in_transit', description: 'Departed the origin sorting center' },
      {
        afterMs: outAt - 4 * HOUR,
        status: 'in_transit',
        description: 'Arrived at the destination sorting center',
      },
    );
  }
  steps.push({ afterMs: outAt, status: 'out_for_delivery', description: 'Out for delivery' });
  if (!returnToSender) {
    const who = request.destination.name;
    return [...steps, { afterMs: outAt + 4 * HOUR, status: 'delivered', description: `Delivered to ${who}` }];
  }
  return [
    ...steps,
    { afterMs: outAt + 4 * HOUR, status: 'on_hold', description: 'Delivery failed: recipient unreachable' },
    { afterMs: outAt + 8 * HOUR, status: 'returning', description: 'Returning to the sender' },
    { afterMs: outAt + 56 * HOUR, status: 'returned', description: 'Returned to the sender' },
  ];
}

/** Indonesian postal codes' first digit is their region (1 Jakarta/Banten ... 9 Papua/Maluku). */
function regionOf(party: ShipmentParty): string {
  return party.postalCode.slice(0, 1);
}

/** Cities, roughly: the postal code's first three digits. */
function cityOf(party: ShipmentParty): string {
  return party.postalCode.slice(0, 3);
}

function validate(request: CreateShipmentRequest): void {
  for (const [side, party] of [
    ['origin', request.origin],
    ['destination', request.destination],
  ] as const) {
    if (!/^\d{5}$/.test(party.postalCode)) {
      throw new ShipmentError('invalid_address', `The ${side} postal code must be five digits`);
    }
    const digits = party.phone.replace(/\D/g, '').length;
    if (!party.name.trim() || !party.address.trim() || digits < 8 || digits > 15) {
      throw new ShipmentError(
        'invalid_address',
        `The ${side} needs a name, a street address and a phone number`,
      );
    }
  }
  if (request.items.length === 0)
    throw new ShipmentError('invalid_request', 'A shipment needs at least one item');
  for (const item of request.items) {
    const whole = (n: number) => Number.isInteger(n) && n > 0;
    if (
      !whole(item.quantity) ||
      !whole(item.weightGrams) ||
      !Number.isInteger(item.value) ||
      item.value < 0
    ) {
      throw new ShipmentError(
        'invalid_request',
        `Item "${item.name}" needs a whole positive quantity and weight and a whole Rupiah value`,
      );
    }
  }
  const { courierCode, serviceCode } = request.service;
  const tier = SANDBOX_SERVICES[`${courierCode}:${serviceCode}`];
  if (!tier)
    throw new ShipmentError(
      'service_unavailable',
      `The sandbox has no ${courierCode} ${serviceCode} service`,
    );
  if (tier === 'sameday' && cityOf(request.origin) !== cityOf(request.destination)) {
    throw new ShipmentError(
      'service_unavailable',
      `${courierCode} ${serviceCode} delivers within one city only`,
    );
  }
  const cod = request.codAmount;
  if (cod !== undefined && cod !== null) {
    if (!Number.isInteger(cod) || cod <= 0) {
      throw new ShipmentError('invalid_request', 'The COD amount must be whole Rupiah above zero');
    }
    // As the rate table: couriers run no cash on delivery in Papua (postal codes 98xxx and 99xxx).
    if (/^9[89]/.test(request.destination.postalCode)) {
      throw new ShipmentError('service_unavailable', 'Cash on delivery is not available to this destination');
    }
  }
}
