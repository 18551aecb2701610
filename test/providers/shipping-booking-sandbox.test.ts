import { describe, expect, it } from 'vitest';
import { type CreateShipmentRequest, ShipmentError } from '../../src/providers/shipping/booking.ts';
import { SandboxShipmentBooking } from '../../src/providers/shipping/booking-sandbox.ts';

const HOUR = 3_600_000;
const BOOKED_AT = new Date('2026-03-02T02:00:00.000Z');

/** A sandbox whose clock the test moves. */
function sandbox(returnToSender?: (request: CreateShipmentRequest) => boolean) {
  const clock = { now: BOOKED_AT.getTime() };
  const booking = new SandboxShipmentBooking({ now: () => new Date(clock.now), returnToSender });
  return {
    booking,
    at: (hours: number) => {
      clock.now = BOOKED_AT.getTime() + hours * HOUR;
    },
  };
}

function request(overrides: Partial<CreateShipmentRequest> = {}): CreateShipmentRequest {
  return {
    reference: '260302ABCDEF',
    idempotencyKey: '0195f0c2-7a55-7000-8000-000000000001:awb:1',
    origin: { name: 'Toko Budi', phone: '0812-3456-7890', address: 'Jl. Kebon Jeruk 5', postalCode: '11530' },
    destination: {
      name: 'Siti Aminah',
      phone: '+6285711112222',
      address: 'Jl. Dago 10',
      postalCode: '40135',
    },
    items: [{ name: 'Kaos Polos L', value: 75_000, quantity: 2, weightGrams: 250 }],
    service: { courierCode: 'jne', serviceCode: 'REG' },
    ...overrides,
  };
}

async function failure(run: () => Promise<unknown>): Promise<ShipmentError> {
  const error = await run().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ShipmentError);
  return error as ShipmentError;
}

describe('sandbox booking', () => {
  it('gives the same order the same AWB on any instance, and other orders other AWBs', async () => {
    const first = await sandbox().booking.createShipment(request());
    const second = await sandbox().booking.createShipment(request());
    expect(second.waybill).toBe(first.waybill);
    expect(second.providerOrderId).toBe(first.providerOrderId);
    expect(first.waybill).toMatch(/^SBX\d{12}$/);
    expect(first).toMatchObject({ status: 'booked', replayed: false, bookedAt: BOOKED_AT, price: null });

    const other = await sandbox().booking.createShipment(
      request({ reference: '260302GHIJKL', idempotencyKey: 'o2' }),
    );
    expect(other.waybill).not.toBe(first.waybill);
    const rebooked = await sandbox().booking.createShipment(request({ idempotencyKey: 'order-1:awb:2' }));
    expect(rebooked.waybill).not.toBe(first.waybill);
  });

  it('answers a retry with the same key from the first booking and refuses the key for another request', async () => {
    const { booking } = sandbox();
    const first = await booking.createShipment(request());
    const again = await booking.createShipment(request());
    expect(again).toMatchObject({
      providerOrderId: first.providerOrderId,
      waybill: first.waybill,
      replayed: true,
    });
    expect(booking.bookings).toHaveLength(1);
    expect(booking.bookings[0]?.request.reference).toBe('260302ABCDEF');

    const conflict = await failure(() => booking.createShipment(request({ codAmount: 150_000 })));
    expect(conflict).toMatchObject({ code: 'idempotency_conflict', retryable: false });
  });

  it('refuses what the sandbox couriers cannot do, in per-order error kinds', async () => {
    const { booking } = sandbox();
    const cases: Array<[Partial<CreateShipmentRequest>, string]> = [
      [{ destination: { ...request().destination, postalCode: '4013' } }, 'invalid_address'],
      [{ origin: { ...request().origin, phone: '12' } }, 'invalid_address'],
      [{ destination: { ...request().destination, address: ' ' } }, 'invalid_address'],
      [{ items: [] }, 'invalid_request'],
      [{ items: [{ name: 'Kaos', value: 75_000, quantity: 1, weightGrams: 0 }] }, 'invalid_request'],
      [{ codAmount: 10.5 }, 'invalid_request'],
      [{ service: { courierCode: 'jne', serviceCode: 'TURBO' } }, 'service_unavailable'],
      [{ service: { courierCode: 'anteraja', serviceCode: 'SD' } }, 'service_unavailable'],
      [
        { codAmount: 50_000, destination: { ...request().destination, postalCode: '99351' } },
        'service_unavailable',
      ],
    ];
    for (const [overrides, code] of cases) {
      const error = await failure(() =>
        booking.createShipment(request({ ...overrides, idempotencyKey: code })),
      );
      expect(error.code, JSON.stringify(overrides)).toBe(code);
      expect(error.retryable).toBe(false);
    }
    expect(booking.bookings).toHaveLength(0);
    // A failed booking is forgotten: the same key books once the request is fixed.
    const fixed = await booking.createShipment(request({ idempotencyKey: 'invalid_address' }));
    expect(fixed.replayed).toBe(false);
  });

  it('unfolds the tracking history with time since booking', async () => {
    const { booking, at } = sandbox();
    const created = await booking.createShipment(request());
    const statusAt = async (hours: number) => {
      at(hours);
      return (await booking.tracking({ providerOrderId: created.providerOrderId })).status;
    };
    // Jakarta (1xxxx) to Bandung (4xxxx): regular two days plus one between postal regions.
    expect(await statusAt(0)).toBe('booked');
    expect(await statusAt(2.9)).toBe('booked');
    expect(await statusAt(3)).toBe('picked_up');
    expect(await statusAt(6)).toBe('in_transit');
    expect(await statusAt(71)).toBe('in_transit');
    expect(await statusAt(72)).toBe('out_for_delivery');
    expect(await statusAt(76)).toBe('delivered');

    at(500);
    const tracking = await booking.tracking({ waybill: created.waybill!, courierCode: 'JNE' });
    expect(tracking).toMatchObject({ providerOrderId: created.providerOrderId, waybill: created.waybill });
    expect(tracking.history.map((e) => e.status)).toEqual([
      'booked',
      'picked_up',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    expect(tracking.history.map((e) => e.timestamp.getTime() - BOOKED_AT.getTime())).toEqual(
      [0, 3, 6, 68, 72, 76].map((h) => h * HOUR),
    );
    expect(tracking.history.at(-1)?.description).toBe('Delivered to Siti Aminah');
  });

  it('delivers same-day within hours and returns parcels it was told to return', async () => {
    const sameDay = sandbox();
    const local = { ...request().destination, postalCode: '11540' };
    const quick = await sameDay.booking.createShipment(
      request({ destination: local, service: { courierCode: 'anteraja', serviceCode: 'SD' } }),
    );
    sameDay.at(6);
    expect((await sameDay.booking.tracking({ providerOrderId: quick.providerOrderId })).status).toBe(
      'delivered',
    );

    const returning = sandbox(() => true);
    const parcel = await returning.booking.createShipment(request());
    returning.at(80);
    expect((await returning.booking.tracking({ providerOrderId: parcel.providerOrderId })).status).toBe(
      'returning',
    );
    returning.at(200);
    const back = await returning.booking.tracking({ providerOrderId: parcel.providerOrderId });
    expect(back.history.map((e) => e.status).slice(-4)).toEqual([
      'out_for_delivery',
      'on_hold',
      'returning',
      'returned',
    ]);
  });

  it('cancels before pickup only, once', async () => {
    const { booking, at } = sandbox();
    const created = await booking.createShipment(request());
    at(1);
    expect(await booking.cancelShipment(created.providerOrderId, 'Buyer asked')).toEqual({
      providerOrderId: created.providerOrderId,
      status: 'canceled',
      providerStatus: 'canceled',
    });
    at(100);
    const tracking = await booking.tracking({ providerOrderId: created.providerOrderId });
    expect(tracking.status).toBe('canceled');
    expect(tracking.history.map((e) => [e.status, e.timestamp.getTime() - BOOKED_AT.getTime()])).toEqual([
      ['booked', 0],
      ['canceled', HOUR],
    ]);
    expect(tracking.history.at(-1)?.description).toBe('Canceled: Buyer asked');
    expect((await failure(() => booking.cancelShipment(created.providerOrderId, 'again'))).code).toBe(
      'already_cancelled',
    );

    const picked = await booking.createShipment(request({ idempotencyKey: 'order-1:awb:2' }));
    at(100 + 3);
    const late = await failure(() => booking.cancelShipment(picked.providerOrderId, 'too late'));
    expect(late).toMatchObject({ code: 'not_cancellable', retryable: false });

    expect((await failure(() => booking.cancelShipment('sbx_nope', 'x'))).code).toBe('not_found');
    expect(
      (await failure(() => booking.tracking({ waybill: created.waybill!, courierCode: 'sicepat' }))).code,
    ).toBe('not_found');
  });
});
