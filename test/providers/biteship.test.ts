import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BiteshipBooking } from '../../src/providers/shipping/biteship.ts';
import { type CreateShipmentRequest, ShipmentError } from '../../src/providers/shipping/booking.ts';
import { BiteshipStub, STUB_API_KEY } from './biteship-stub.ts';

const stub = new BiteshipStub();
let biteship: BiteshipBooking;
let sequence = 0;

beforeAll(async () => {
  await stub.start();
  biteship = new BiteshipBooking({ apiKey: STUB_API_KEY, baseUrl: `${stub.url}/`, timeoutMs: 500 });
});
afterAll(() => stub.stop());
beforeEach(() => {
  stub.failure = null;
  stub.waybillLater = false;
});

function request(overrides: Partial<CreateShipmentRequest> = {}): CreateShipmentRequest {
  sequence += 1;
  return {
    reference: `250130BITE${sequence}`,
    idempotencyKey: `order-${sequence}:awb:1`,
    origin: {
      name: 'Toko Budi',
      phone: '081234567890',
      address: 'Jl. Kebon Jeruk No. 5, Jakarta Barat',
      postalCode: '11530',
      note: 'Gudang belakang',
    },
    destination: {
      name: 'Siti Aminah',
      phone: '+62 857-1111-2222',
      email: 'siti@example.test',
      address: 'Jl. Dago No. 10, Bandung',
      postalCode: '40135',
      coordinate: { latitude: -6.8915, longitude: 107.6107 },
    },
    items: [{ name: 'Kaos Polos L', value: 75_000, quantity: 2, weightGrams: 250, sku: 'KP-L' }],
    service: { courierCode: 'jne', serviceCode: 'REG' },
    ...overrides,
  };
}

/** Runs `run` and returns the `ShipmentError` it threw. */
async function failure(run: () => Promise<unknown>): Promise<ShipmentError> {
  const error = await run().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ShipmentError);
  return error as ShipmentError;
}

describe('BiteshipBooking against a Biteship stub', () => {
  it('books with the key as the authorization header and Biteship field names', async () => {
    const sent = request({ codAmount: 150_000, note: 'Fragile' });
    const before = stub.requests.length;
    const created = await biteship.createShipment(sent);

    const received = stub.requests[before]!;
    expect(received).toMatchObject({ method: 'POST', path: '/v1/orders' });
    expect(received.headers.authorization).toBe(STUB_API_KEY);
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.body).toEqual({
      origin_contact_name: 'Toko Budi',
      origin_contact_phone: '081234567890',
      origin_address: 'Jl. Kebon Jeruk No. 5, Jakarta Barat',
      origin_note: 'Gudang belakang',
      origin_postal_code: 11530,
      destination_contact_name: 'Siti Aminah',
      destination_contact_phone: '+62 857-1111-2222',
      destination_contact_email: 'siti@example.test',
      destination_address: 'Jl. Dago No. 10, Bandung',
      destination_postal_code: 40135,
      destination_coordinate: { latitude: -6.8915, longitude: 107.6107 },
      courier_company: 'jne',
      courier_type: 'reg',
      delivery_type: 'now',
      order_note: 'Fragile',
      reference_id: sent.reference,
      metadata: { nexus_reference: sent.reference, nexus_idempotency_key: sent.idempotencyKey },
      destination_cash_on_delivery: 150_000,
      destination_cash_on_delivery_type: '7_days',
      items: [{ name: 'Kaos Polos L', sku: 'KP-L', value: 75_000, quantity: 2, weight: 250 }],
    });

    const order = stub.orders.get(created.providerOrderId)!;
    const courier = order.courier as Record<string, unknown>;
    expect(created).toMatchObject({
      waybill: courier.waybill_id,
      status: 'booked',
      providerStatus: 'confirmed',
      service: { courierCode: 'jne', serviceCode: 'REG' },
      price: 19_000,
      trackingUrl: courier.link,
      replayed: false,
    });
    expect(created.waybill).toMatch(/^WYB\d{10}$/);
  });

  it('answers a null waybill while the courier has not issued the AWB', async () => {
    stub.waybillLater = true;
    const created = await biteship.createShipment(request());
    expect(created.waybill).toBeNull();
    expect(created.status).toBe('booked');
  });

  it('maps Biteship validation codes to errors a caller reports per order', async () => {
    const badPostal = await failure(() =>
      biteship.createShipment(request({ destination: { ...request().destination, postalCode: '0123' } })),
    );
    expect(badPostal).toMatchObject({ code: 'invalid_address', retryable: false, providerCode: 40002020 });
    expect(badPostal.httpStatus).toBe(400);
    expect(badPostal.message).toContain('invalid or missing postal code');

    const noPhone = await failure(() =>
      biteship.createShipment(request({ origin: { ...request().origin, phone: ' ' } })),
    );
    expect(noPhone).toMatchObject({ code: 'invalid_address', providerCode: 40002015 });

    const noCod = await failure(() =>
      biteship.createShipment(
        request({ service: { courierCode: 'pos', serviceCode: 'REG' }, codAmount: 50_000 }),
      ),
    );
    expect(noCod).toMatchObject({ code: 'service_unavailable', retryable: false, providerCode: 40002009 });

    const noItems = await failure(() => biteship.createShipment(request({ items: [] })));
    expect(noItems).toMatchObject({ code: 'invalid_request', retryable: false });
  });

  it('reads a refused key as the account problem, without the key in the message', async () => {
    const wrong = new BiteshipBooking({
      apiKey: 'biteship_test.wrong-secret',
      baseUrl: stub.url,
      timeoutMs: 500,
    });
    const error = await failure(() => wrong.createShipment(request()));
    expect(error).toMatchObject({ code: 'account', retryable: false, httpStatus: 401 });
    expect(error.message).not.toContain('wrong-secret');
  });

  it('turns 5xx, timeouts and dropped connections into transient errors that may have booked', async () => {
    stub.failure = { status: 502, body: { success: false, error: 'Bad gateway' } };
    const bad = await failure(() => biteship.createShipment(request()));
    expect(bad).toMatchObject({ code: 'transient', retryable: true, outcomeUnknown: true, httpStatus: 502 });

    stub.failure = { status: 503, body: '<html>down</html>' };
    const html = await failure(() => biteship.createShipment(request()));
    expect(html).toMatchObject({ code: 'transient', outcomeUnknown: true });

    stub.failure = 'hang';
    const slow = await failure(() => biteship.createShipment(request()));
    expect(slow).toMatchObject({ code: 'transient', outcomeUnknown: true });
    expect(slow.message).toContain('500 ms');

    stub.failure = 'drop';
    const dropped = await failure(() => biteship.createShipment(request()));
    expect(dropped).toMatchObject({ code: 'transient', outcomeUnknown: true });

    stub.failure = { status: 429, body: { success: false, error: 'Too many requests' } };
    const limited = await failure(() => biteship.createShipment(request()));
    expect(limited).toMatchObject({ code: 'transient', retryable: true, outcomeUnknown: false });

    for (const error of [bad, html, slow, dropped, limited])
      expect(error.message).not.toContain(STUB_API_KEY);
  });

  it('knows a refused connection never booked', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((done) => closed.close(() => done()));
    const nobody = new BiteshipBooking({
      apiKey: STUB_API_KEY,
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 500,
    });
    const error = await failure(() => nobody.createShipment(request()));
    expect(error).toMatchObject({ code: 'transient', retryable: true, outcomeUnknown: false });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('answers a retry with the same key from the first booking instead of booking twice', async () => {
    const sent = request();
    const posts = () => stub.requestsTo('POST', '/v1/orders').length;
    const before = posts();
    const first = await biteship.createShipment(sent);
    const again = await biteship.createShipment({ ...sent, items: sent.items.map((item) => ({ ...item })) });
    expect(again).toMatchObject({
      providerOrderId: first.providerOrderId,
      waybill: first.waybill,
      replayed: true,
    });
    expect(posts()).toBe(before + 1);

    const concurrent = request();
    const [a, b] = await Promise.all([
      biteship.createShipment(concurrent),
      biteship.createShipment(concurrent),
    ]);
    expect(a.providerOrderId).toBe(b.providerOrderId);
    expect(posts()).toBe(before + 2);

    const conflict = await failure(() =>
      biteship.createShipment({ ...sent, service: { courierCode: 'sicepat', serviceCode: 'REG' } }),
    );
    expect(conflict.code).toBe('idempotency_conflict');
    expect(posts()).toBe(before + 2);
  });

  it('tries again after a failed booking under the same key', async () => {
    const sent = request();
    stub.failure = { status: 500 };
    await failure(() => biteship.createShipment(sent));
    stub.failure = null;
    const booked = await biteship.createShipment(sent);
    expect(booked.replayed).toBe(false);
    expect(stub.orders.has(booked.providerOrderId)).toBe(true);
  });

  it('cancels before pickup with a reason, and says why it cannot afterwards', async () => {
    const created = await biteship.createShipment(request());
    const canceled = await biteship.cancelShipment(created.providerOrderId, 'Buyer changed the address');
    expect(canceled).toEqual({
      providerOrderId: created.providerOrderId,
      status: 'canceled',
      providerStatus: 'cancelled',
    });
    const sent = stub.requestsTo('POST', `/v1/orders/${created.providerOrderId}/cancel`).at(-1)!;
    expect(sent.body).toEqual({
      cancellation_reason_code: 'others',
      cancellation_reason: 'Buyer changed the address',
    });
    expect(sent.headers.authorization).toBe(STUB_API_KEY);

    const twice = await failure(() => biteship.cancelShipment(created.providerOrderId, 'again'));
    expect(twice).toMatchObject({ code: 'already_cancelled', retryable: false });

    const picked = await biteship.createShipment(request());
    stub.advance(picked.providerOrderId, 'picked');
    const late = await failure(() => biteship.cancelShipment(picked.providerOrderId, 'too late'));
    expect(late).toMatchObject({ code: 'not_cancellable', retryable: false });

    const unknown = await failure(() => biteship.cancelShipment('5dd599ebdefcd4158eb80000', 'x'));
    expect(unknown.code).toBe('not_found');
  });

  it('tracks by Biteship order id and by AWB, in our status vocabulary', async () => {
    const created = await biteship.createShipment(request());
    const start = Date.now();
    stub.advance(created.providerOrderId, 'allocated', new Date(start + 60_000));
    stub.advance(created.providerOrderId, 'picking_up', new Date(start + 120_000));
    stub.advance(created.providerOrderId, 'picked', new Date(start + 3_600_000));
    stub.advance(created.providerOrderId, 'dropping_off', new Date(start + 2 * 3_600_000));

    const byOrder = await biteship.tracking({ providerOrderId: created.providerOrderId });
    expect(byOrder).toMatchObject({
      providerOrderId: created.providerOrderId,
      waybill: created.waybill,
      status: 'out_for_delivery',
      providerStatus: 'dropping_off',
    });
    expect(byOrder.history.map((e) => [e.providerStatus, e.status])).toEqual([
      ['confirmed', 'booked'],
      ['allocated', 'booked'],
      ['picking_up', 'booked'],
      ['picked', 'picked_up'],
      ['dropping_off', 'out_for_delivery'],
    ]);
    expect(byOrder.history[3]).toMatchObject({
      description: 'Item has been picked and ready to be shipped.',
    });
    expect(byOrder.history[3]?.timestamp.getTime()).toBe(Math.floor((start + 3_600_000) / 1000) * 1000);

    stub.advance(created.providerOrderId, 'delivered', new Date(start + 3 * 3_600_000));
    const byWaybill = await biteship.tracking({ waybill: created.waybill!, courierCode: 'JNE' });
    expect(stub.requests.at(-1)?.path).toBe(`/v1/trackings/${created.waybill}/couriers/jne`);
    expect(byWaybill).toMatchObject({
      providerOrderId: created.providerOrderId,
      status: 'delivered',
      providerStatus: 'delivered',
    });
    expect(byWaybill.history.map((e) => [e.providerStatus, e.status])).toEqual([
      ['confirmed', 'booked'],
      ['allocated', 'booked'],
      ['pickingUp', 'booked'],
      ['picked', 'picked_up'],
      ['droppingOff', 'out_for_delivery'],
      ['delivered', 'delivered'],
    ]);
  });

  it('maps returns and failures, and keeps the last known status for words it does not know', async () => {
    const created = await biteship.createShipment(request());
    const start = Date.now();
    stub.advance(created.providerOrderId, 'picked', new Date(start + 1_000));
    stub.advance(created.providerOrderId, 'on_hold', new Date(start + 2_000));
    stub.advance(created.providerOrderId, 'return_in_transit', new Date(start + 3_000));
    stub.advance(created.providerOrderId, 'sorting_center_scan', new Date(start + 4_000));
    const returning = await biteship.tracking({ providerOrderId: created.providerOrderId });
    expect(returning.history.map((e) => e.status)).toEqual([
      'booked',
      'picked_up',
      'on_hold',
      'returning',
      'returning',
    ]);
    expect(returning.status).toBe('returning');

    stub.advance(created.providerOrderId, 'returned', new Date(start + 5_000));
    expect((await biteship.tracking({ providerOrderId: created.providerOrderId })).status).toBe('returned');

    const lost = await biteship.createShipment(request());
    stub.advance(lost.providerOrderId, 'courier_not_found');
    expect((await biteship.tracking({ waybill: lost.waybill!, courierCode: 'jne' })).status).toBe('failed');

    const missing = await failure(() => biteship.tracking({ providerOrderId: 'nope' }));
    expect(missing.code).toBe('not_found');
  });
});
