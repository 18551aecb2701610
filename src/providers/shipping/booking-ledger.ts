import { createHash } from 'node:crypto';
import { type CreatedShipment, type CreateShipmentRequest, ShipmentError } from './booking.ts';

/**
 * Remembers bookings by idempotency key inside one process, so a retry (or a concurrent duplicate)
 * gets the first booking instead of a second courier pickup. Concurrent calls share the one booking
 * in flight. A booking that failed is forgotten, so a retry tries again; a failure whose outcome is
 * unknown says so (`ShipmentError.outcomeUnknown`). The oldest keys are dropped beyond `capacity`
 * so a long-running process does not grow without bound; the order's stored `providerOrderId` is
 * the durable record, this is only the retry guard.
 */
export class BookingLedger {
  private readonly entries = new Map<string, { fingerprint: string; booking: Promise<CreatedShipment> }>();

  constructor(private readonly capacity = 10_000) {}

  async book(
    request: CreateShipmentRequest,
    create: () => Promise<CreatedShipment>,
  ): Promise<CreatedShipment> {
    const fingerprint = fingerprintOf(request);
    const existing = this.entries.get(request.idempotencyKey);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new ShipmentError(
          'idempotency_conflict',
          `Idempotency key ${request.idempotencyKey} was used for a different shipment request`,
        );
      }
      return { ...(await existing.booking), replayed: true };
    }
    const booking = create();
    this.entries.set(request.idempotencyKey, { fingerprint, booking });
    this.trim();
    try {
      return await booking;
    } catch (error) {
      if (this.entries.get(request.idempotencyKey)?.booking === booking) {
        this.entries.delete(request.idempotencyKey);
      }
      throw error;
    }
  }

  private trim(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.capacity) return;
      this.entries.delete(key);
    }
  }
}

/**
 * The request without its key, hashed with object keys sorted and absent and null fields alike, so
 * the same request rebuilt for a retry hashes equal.
 */
export function fingerprintOf(request: CreateShipmentRequest): string {
  const { idempotencyKey: _key, ...rest } = request;
  return createHash('sha256').update(stableJson(rest)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
