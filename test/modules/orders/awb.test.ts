import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateOrderAwbs } from '../../../src/modules/orders/awb.ts';
import type { ShipmentBookingProvider } from '../../../src/providers/shipping/index.ts';
import { buildTestApp, getTestContext, type TestContext, testConfig } from '../../helpers/app.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { BiteshipStub, STUB_API_KEY } from '../../providers/biteship-stub.ts';
import { awbState, type ShippingFixture, shippingFixture } from './shipping-fixtures.ts';
import { eventNames, subscribeToEverything } from './webhook-events.ts';

let tenant: Tenant;
let other: Tenant;
let f: ShippingFixture;

beforeAll(async () => {
  tenant = await createTenant('Kirim Resi');
  other = await createTenant('Kirim Tetangga');
  f = await shippingFixture(tenant);
  await subscribeToEverything(tenant);
});

const generate = (ids: unknown[], key?: string) =>
  tenant.request('POST', '/v3/orders/generate-awb', { body: { ids }, ...(key ? { key } : {}) });
const cancel = (ids: unknown[], key?: string) =>
  tenant.request('POST', '/v3/orders/cancel-awb', { body: { ids }, ...(key ? { key } : {}) });

describe('generateOrderAwb (sandbox)', () => {
  it('books each order, reports the rest per order, and never books an order twice', async () => {
    const a = await f.order('confirmed');
    const b = await f.order('ready');
    const pending = await f.order('pending');
    const foreign = await (await shippingFixture(other)).order('confirmed');
    const res = await generate([a.id, b.id, pending.id, foreign.id, 42, 'nonsense']);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(Object.keys(body.successes).sort()).toEqual([a.id, b.id].sort());
    expect(body.successes[a.id]).toMatch(/^SBX\d{12}$/);
    expect(body.successes[b.id]).not.toBe(body.successes[a.id]);
    expect(body.failures).toEqual({
      [pending.id]: expect.stringContaining('status is pending'),
      [foreign.id]: 'Order not found',
      '42': 'Order not found',
      nonsense: 'Order not found',
    });
    expect(await awbState(tenant, a.id)).toMatchObject({
      awb_status: 'created',
      awb_ca_status: 'created',
      shipment_receipt: body.successes[a.id],
      shipment_status: 'booked',
      shipment_provider_order_id: expect.stringMatching(/^sbx_/),
      courier_aggregator_code: 'sandbox',
      awb_booking_attempts: 1,
    });
    expect(await awbState(tenant, pending.id)).toMatchObject({
      awb_status: 'unavailable',
      awb_booking_attempts: 0,
    });
    expect(await awbState(other, foreign.id)).toMatchObject({ awb_status: 'unavailable' });
    const view = (await tenant.request('GET', `/v3/orders/${a.id}`)).json();
    expect(view).toMatchObject({
      shipment_receipt: body.successes[a.id],
      awb_status: 'created',
      awb_ca_status: 'created',
    });
    expect(await eventNames(tenant, a.id)).toEqual(['order.updated']);

    const again = await generate([a.id]);
    expect(again.json()).toEqual({ successes: { [a.id]: body.successes[a.id] }, failures: {} });
    expect((await awbState(tenant, a.id)).awb_booking_attempts).toBe(1);
    expect(await eventNames(tenant, a.id)).toEqual(['order.updated']);
  });

  it('cancels before pickup, reports a repeat as canceled, and books anew afterwards', async () => {
    const order = await f.order('confirmed');
    const nothing = await f.order('confirmed');
    const first = (await generate([order.id])).json().successes[order.id];
    const canceled = await cancel([order.id, nothing.id]);
    expect(canceled.statusCode, canceled.body).toBe(200);
    expect(canceled.json()).toEqual({
      successes: { [order.id]: 'The airway bill is canceled' },
      failures: { [nothing.id]: 'The order has no airway bill to cancel' },
    });
    expect(await awbState(tenant, order.id)).toMatchObject({
      awb_status: 'canceled',
      awb_ca_status: 'canceled',
      shipment_receipt: null,
    });
    expect((await cancel([order.id])).json().successes[order.id]).toBe('The airway bill is canceled');
    expect(await eventNames(tenant, order.id)).toEqual(['order.updated', 'order.updated']);

    const second = (await generate([order.id])).json().successes[order.id];
    expect(second).toMatch(/^SBX\d{12}$/);
    expect(second).not.toBe(first);
    expect(await awbState(tenant, order.id)).toMatchObject({
      awb_ca_status: 'created',
      awb_booking_attempts: 2,
    });
  });

  it('books once when two requests race for the same order', async () => {
    const order = await f.order('confirmed');
    const answers = (await Promise.all([generate([order.id]), generate([order.id])])).map((res) =>
      res.json(),
    );
    expect((await awbState(tenant, order.id)).awb_booking_attempts).toBe(1);
    const receipts = answers.flatMap((answer) =>
      answer.successes[order.id] ? [answer.successes[order.id]] : [],
    );
    expect(receipts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(receipts).size).toBe(1);
    for (const answer of answers) {
      if (!answer.successes[order.id])
        expect(answer.failures[order.id]).toBe('An airway bill is being generated for this order');
    }
  });

  it('holds an order whose booking may have gone through', async () => {
    const order = await f.order('confirmed');
    await tenant.ctx.database.db
      .updateTable('orders')
      .set({
        awb_status: 'pending',
        awb_ca_status: 'pending',
        awb_outcome_unknown: true,
        awb_booking_key: 'k',
      })
      .where('id', '=', order.id)
      .execute();
    const res = await generate([order.id]);
    expect(res.json().failures[order.id]).toContain('may have gone through');
    expect((await awbState(tenant, order.id)).awb_booking_attempts).toBe(0);
  });

  it('refuses bad bodies and keys without order:create_awb', async () => {
    const order = await f.order('confirmed');
    expect((await generate([])).statusCode).toBe(422);
    expect((await generate(Array.from({ length: 101 }, (_, i) => i + 1))).statusCode).toBe(422);
    expect((await generate([{ id: 1 }])).statusCode).toBe(422);
    expect((await tenant.request('POST', '/v3/orders/generate-awb', { body: {} })).statusCode).toBe(422);
    expect((await cancel(['x'.repeat(65)])).statusCode).toBe(422);
    const update = await tenant.restrictedKey(['order:update']);
    expect((await generate([order.id], update)).statusCode).toBe(403);
    expect((await cancel([order.id], update)).statusCode).toBe(403);
    const awb = await tenant.restrictedKey(['order:create_awb']);
    expect((await generate([order.id], awb)).json().successes[order.id]).toMatch(/^SBX/);
    expect((await cancel([order.id], awb)).json().successes[order.id]).toBeDefined();
    expect(
      (await other.request('POST', '/v3/orders/cancel-awb', { body: { ids: [order.id] } })).json(),
    ).toEqual({
      successes: {},
      failures: { [order.id]: 'Order not found' },
    });
  });
});

describe('generateOrderAwb with the biteship driver', () => {
  const stub = new BiteshipStub();
  let app: TestContext;
  beforeAll(async () => {
    await stub.start();
    const shared = await getTestContext();
    const base = testConfig();
    app = await buildTestApp(shared.database, {
      ...base,
      shipping: {
        ...base.shipping,
        booking: {
          ...base.shipping.booking,
          driver: 'biteship',
          biteship: { apiKey: STUB_API_KEY, baseUrl: stub.url, timeoutMs: 2_000 },
        },
      },
    });
  });
  afterAll(async () => {
    await app.app.close();
    await app.rateLimit.close();
    await stub.stop();
  });
  beforeEach(() => {
    stub.failure = null;
  });
  const on = (path: string, ids: string[]) =>
    send(app, 'POST', path, { body: { ids }, headers: { authorization: `Bearer ${tenant.apiKey}` } });

  it('books through Biteship, stores its order id and cancels it', async () => {
    const order = await f.order('confirmed');
    const res = await on('/v3/orders/generate-awb', [order.id]);
    expect(res.statusCode, res.body).toBe(200);
    const receipt = res.json().successes[order.id];
    expect(receipt).toEqual(expect.any(String));
    const posted = stub.requestsTo('POST', '/v1/orders');
    expect(posted.at(-1)?.body).toMatchObject({
      reference_id: order.order_id,
      courier_company: 'sicepat',
      courier_type: 'reg',
      origin_postal_code: 10330,
    });
    const state = await awbState(tenant, order.id);
    expect(state).toMatchObject({
      awb_ca_status: 'created',
      shipment_receipt: receipt,
      courier_aggregator_code: 'biteship',
    });
    expect(stub.orders.has(String(state.shipment_provider_order_id))).toBe(true);

    const canceled = await on('/v3/orders/cancel-awb', [order.id]);
    expect(canceled.json().successes[order.id]).toBe('The airway bill is canceled');
    expect(stub.orders.get(String(state.shipment_provider_order_id))?.status).toBe('cancelled');
  });

  it('holds an order when Biteship fails in a way that may have booked, and books nothing more', async () => {
    const order = await f.order('confirmed');
    stub.failure = { status: 500 };
    const res = await on('/v3/orders/generate-awb', [order.id]);
    expect(res.json().failures[order.id]).toContain('may have gone through');
    expect(await awbState(tenant, order.id)).toMatchObject({
      awb_ca_status: 'pending',
      awb_outcome_unknown: true,
    });
    stub.failure = null;
    const posts = stub.requestsTo('POST', '/v1/orders').length;
    expect((await on('/v3/orders/generate-awb', [order.id])).json().failures[order.id]).toContain(
      'may have gone through',
    );
    expect(stub.requestsTo('POST', '/v1/orders')).toHaveLength(posts);
  });

  it('reports a refusal for the order and marks its airway bill failed', async () => {
    const order = await f.order('confirmed');
    await tenant.ctx.database.db
      .updateTable('orders')
      .set({ customer_phone: null })
      .where('id', '=', order.id)
      .execute();
    const res = await on('/v3/orders/generate-awb', [order.id]);
    expect(res.json().failures[order.id]).toMatch(/^invalid_address: /);
    expect(await awbState(tenant, order.id)).toMatchObject({
      awb_ca_status: 'failed',
      awb_outcome_unknown: false,
    });
  });
});

describe('generateOrderAwbs with a misbehaving provider', () => {
  const booked = (reference: string) => ({
    providerOrderId: `fake_${reference}`,
    waybill: `FAKE${reference}`,
    status: 'booked' as const,
    providerStatus: 'confirmed',
    service: { courierCode: 'sicepat', serviceCode: 'REG' },
    price: null,
    trackingUrl: null,
    bookedAt: new Date(),
    replayed: false,
  });
  const deps = (booking: Partial<ShipmentBookingProvider>, errors: unknown[] = []) => ({
    db: tenant.ctx.database.db,
    publicUrl: 'http://nexus.test',
    onError: (_id: string, error: unknown) => errors.push(error),
    booking: {
      code: 'fake',
      tracking: async () => Promise.reject(new Error('unused')),
      ...booking,
    } as ShipmentBookingProvider,
  });
  const caller = () => ({ businessId: tenant.business.id, userId: null });

  it('reports one order’s unforeseen failure for that order only', async () => {
    const good = await f.order('confirmed');
    const bad = await f.order('confirmed');
    const errors: unknown[] = [];
    const results = await generateOrderAwbs(
      deps(
        {
          createShipment: async (request) => {
            if (request.reference === bad.order_id) throw new Error('socket hang up in a library');
            return booked(request.reference);
          },
        },
        errors,
      ),
      caller(),
      [bad.id, good.id],
    );
    expect(results).toEqual({
      successes: { [good.id]: `FAKE${good.order_id}` },
      failures: { [bad.id]: 'The order could not be processed; try again' },
    });
    expect(errors).toHaveLength(1);
    expect(await awbState(tenant, good.id)).toMatchObject({
      awb_ca_status: 'created',
      courier_aggregator_code: 'fake',
    });
  });

  it('names a booking made while a newer one took the order, and keeps the newer one', async () => {
    const order = await f.order('confirmed');
    const results = await generateOrderAwbs(
      deps({
        createShipment: async (request) => {
          // Meanwhile the merchant released the claim and another request booked the order.
          await tenant.ctx.database.db
            .updateTable('orders')
            .set({ awb_booking_key: `${order.id}:9`, awb_ca_status: 'created', shipment_receipt: 'NEWER' })
            .where('id', '=', order.id)
            .execute();
          return booked(request.reference);
        },
      }),
      caller(),
      [order.id],
    );
    expect(results.failures[order.id]).toContain(`fake_${order.order_id}`);
    expect(await awbState(tenant, order.id)).toMatchObject({ shipment_receipt: 'NEWER' });
  });
});
