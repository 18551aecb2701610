import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultJobSchedules } from '../../../src/jobs/handlers.ts';
import { generateOrderAwbs } from '../../../src/modules/orders/awb.ts';
import {
  applyShipmentTracking,
  SHIPMENT_TRACKING_JOB,
  type SweepOptions,
  shipmentTrackingJobHandlers,
  sweepShipmentTracking,
} from '../../../src/modules/orders/tracking.ts';
import {
  SandboxShipmentBooking,
  type ShipmentBookingProvider,
  ShipmentError,
  type ShipmentTracking,
} from '../../../src/providers/shipping/index.ts';
import { type IsolatedContext, isolatedContext } from '../../helpers/isolated.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { stockOf } from './fixtures.ts';
import { type ShippingFixture, shippingFixture } from './shipping-fixtures.ts';
import { eventNames, subscribeToEverything } from './webhook-events.ts';

/**
 * The tracking sweep reads every business's booked orders, so it runs on a database of its own.
 * The sandbox courier's clock starts a week back, so its whole history lies in the past and moves
 * are stamped with the events' own times.
 */

const HOUR = 3_600_000;
let iso: IsolatedContext;
let tenant: Tenant;
let other: Tenant;
let f: ShippingFixture;

beforeAll(async () => {
  iso = await isolatedContext();
  tenant = await createTenant('Lacak Paket', iso.ctx);
  other = await createTenant('Lacak Tetangga', iso.ctx);
  f = await shippingFixture(tenant, { stock: 100 });
  await subscribeToEverything(tenant);
  await subscribeToEverything(other);
});
afterAll(async () => {
  await iso?.close();
});

const db = () => iso.ctx.database.db;

/** A sandbox courier on a clock of the test's own, which the test moves forward. */
function courier(options: { returnToSender?: boolean } = {}) {
  const start = Date.now() - 7 * 24 * HOUR;
  let at = start;
  const booking = new SandboxShipmentBooking({
    now: () => new Date(at),
    returnToSender: () => options.returnToSender ?? false,
  });
  return {
    booking,
    start,
    /** The clock reads `hours` after the start. */
    at: (hours: number) => {
      at = start + hours * HOUR;
    },
  };
}

async function book(booking: ShipmentBookingProvider, owner: Tenant, ids: string[]) {
  const results = await generateOrderAwbs(
    { db: db(), booking, publicUrl: 'http://nexus.test', onError: (_id, error) => expect(error).toBeNull() },
    { businessId: owner.business.id, userId: null },
    ids,
  );
  expect(results.failures).toEqual({});
}

interface Logged {
  level: 'info' | 'warn' | 'error';
  object: Record<string, unknown>;
  message: string | undefined;
}

async function sweep(booking: ShipmentBookingProvider, options: SweepOptions = {}) {
  const logs: Logged[] = [];
  const log = (level: Logged['level']) => (object: object, message?: string) =>
    logs.push({ level, object: object as Record<string, unknown>, message });
  const result = await sweepShipmentTracking(
    {
      db: db(),
      booking,
      publicUrl: 'http://nexus.test',
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
    },
    options,
  );
  return { result, logs, about: (id: string) => logs.filter((entry) => entry.object.order_id === id) };
}

const orderRow = (owner: Tenant, id: string) =>
  db()
    .selectFrom('orders')
    .select([
      'status',
      'shipment_status',
      'shipment_receipt',
      'shipment_status_history',
      'awb_status',
      'awb_ca_status',
      'shipped_time',
      'completed_time',
      'shipment_checked_at',
      'last_updated_at',
    ])
    .where('business_id', '=', owner.business.id)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const statuses = async (owner: Tenant, id: string) =>
  (await orderRow(owner, id)).shipment_status_history.map((entry) => entry.status);

async function providerIdOf(id: string): Promise<string> {
  const row = await db()
    .selectFrom('orders')
    .select('shipment_provider_order_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return String(row.shipment_provider_order_id);
}

/** A discount code with one use counted (the order given it holds that use). */
async function discountCode(owner: Tenant) {
  return db()
    .insertInto('discount_codes')
    .values({
      business_id: owner.business.id,
      code: `LACAK${Math.floor(Math.random() * 1e6)}`,
      applied_to: 'product_price',
      amount_type: 'fixed',
      amount: '10000',
      current_usage: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
const usage = async (id: number) =>
  (
    await db()
      .selectFrom('discount_codes')
      .select('current_usage')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).current_usage;

describe('the courier tracking sweep (sandbox, SiCepat REG within Jakarta: picked up at 3 h, delivered at 52 h)', () => {
  it('moves a ready order to shipped and then completed, records each scan once, and leaves stock and the discount alone', async () => {
    const c = courier();
    const code = await discountCode(tenant);
    const stock = await stockOf(tenant, f.warehouseId, f.variantId);
    const order = await f.order('ready', { discountCodeId: code.id });
    expect(await stockOf(tenant, f.warehouseId, f.variantId)).toBe(stock - 2);
    await book(c.booking, tenant, [order.id]);
    const booked = await orderRow(tenant, order.id);

    c.at(4);
    const first = await sweep(c.booking);
    expect(first.about(order.id)).toEqual([]);
    expect(await orderRow(tenant, order.id)).toMatchObject({
      status: 'shipped',
      shipment_status: 'picked_up',
      shipment_receipt: booked.shipment_receipt,
      awb_status: 'created',
      awb_ca_status: 'created',
      shipped_time: new Date(c.start + 3 * HOUR),
    });
    expect((await orderRow(tenant, order.id)).shipment_status_history).toEqual([
      {
        status: 'booked',
        description: expect.stringContaining(String(booked.shipment_receipt)),
        timestamp: new Date(c.start).toISOString(),
        timestamp_source: 'courier',
      },
      {
        status: 'picked_up',
        description: 'Picked up by SICEPAT',
        timestamp: new Date(c.start + 3 * HOUR).toISOString(),
        timestamp_source: 'courier',
      },
    ]);
    expect(await eventNames(tenant, order.id)).toEqual([
      'order.updated',
      'order.updated',
      'order.status_changed',
    ]);

    // Nothing new from the courier: a repeat records nothing and emits nothing.
    await sweep(c.booking);
    expect(await statuses(tenant, order.id)).toEqual(['booked', 'picked_up']);
    expect(await eventNames(tenant, order.id)).toHaveLength(3);

    c.at(53);
    await sweep(c.booking);
    expect(await orderRow(tenant, order.id)).toMatchObject({
      status: 'completed',
      shipment_status: 'delivered',
      completed_time: new Date(c.start + 52 * HOUR),
    });
    expect(await statuses(tenant, order.id)).toEqual([
      'booked',
      'picked_up',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    expect((await eventNames(tenant, order.id)).slice(3)).toEqual(['order.updated', 'order.status_changed']);
    expect(await stockOf(tenant, f.warehouseId, f.variantId)).toBe(stock - 2);
    expect(await usage(code.id)).toBe(1);

    // Completed orders are not tracked any more.
    const checked = (await orderRow(tenant, order.id)).shipment_checked_at;
    await sweep(c.booking);
    expect((await orderRow(tenant, order.id)).shipment_checked_at).toEqual(checked);
  });

  it('brings a returned parcel to rts through shipped_rts, giving back the stock and the discount use once', async () => {
    const c = courier({ returnToSender: true });
    const code = await discountCode(tenant);
    const stock = await stockOf(tenant, f.warehouseId, f.variantId);
    const order = await f.order('ready', { discountCodeId: code.id });
    await book(c.booking, tenant, [order.id]);

    c.at(57);
    await sweep(c.booking);
    expect(await orderRow(tenant, order.id)).toMatchObject({
      status: 'shipped_rts',
      shipment_status: 'returning',
    });
    expect((await statuses(tenant, order.id)).slice(-2)).toEqual(['on_hold', 'returning']);
    expect(await stockOf(tenant, f.warehouseId, f.variantId)).toBe(stock - 2);

    c.at(105);
    await sweep(c.booking);
    expect(await orderRow(tenant, order.id)).toMatchObject({ status: 'rts', shipment_status: 'returned' });
    expect(await stockOf(tenant, f.warehouseId, f.variantId)).toBe(stock);
    expect(await usage(code.id)).toBe(0);
    await sweep(c.booking);
    expect(await stockOf(tenant, f.warehouseId, f.variantId)).toBe(stock);
    expect(await usage(code.id)).toBe(0);
    // One event per change the sweep made: the order as it stood after each sweep.
    expect(await eventNames(tenant, order.id)).toEqual([
      'order.updated',
      'order.updated',
      'order.status_changed',
      'order.updated',
      'order.status_changed',
    ]);
  });

  it('records a scan the lifecycle cannot follow, skips the move and logs it', async () => {
    const c = courier();
    const order = await f.order('ready');
    await book(c.booking, tenant, [order.id]);
    // This courier reports the delivery without ever scanning a pickup: ready cannot become completed.
    const jumping: ShipmentBookingProvider = {
      code: 'sandbox',
      createShipment: (request) => c.booking.createShipment(request),
      cancelShipment: (id, reason) => c.booking.cancelShipment(id, reason),
      tracking: async (ref) => {
        const real = await c.booking.tracking(ref);
        const delivered = { ...real.history[0]!, status: 'delivered' as const, description: 'Delivered' };
        delivered.timestamp = new Date(c.start + 5 * HOUR);
        return { ...real, status: 'delivered', history: [real.history[0]!, delivered] };
      },
    };
    const run = await sweep(jumping);
    expect(await orderRow(tenant, order.id)).toMatchObject({ status: 'ready', shipment_status: 'delivered' });
    expect(await statuses(tenant, order.id)).toEqual(['booked', 'delivered']);
    expect(run.about(order.id)).toEqual([
      {
        level: 'info',
        object: expect.objectContaining({ from: 'ready', to: 'completed', shipment: 'delivered' }),
        message: expect.stringContaining('recorded only'),
      },
    ]);
    expect(run.result.failed).toBe(0);
    expect(await eventNames(tenant, order.id)).toEqual(['order.updated', 'order.updated']);
  });

  it('goes on past an order the provider fails for, in batches, and tries it again on the next run', async () => {
    const c = courier();
    const bad = await f.order('ready');
    const good = await f.order('confirmed');
    const broken = await f.order('ready');
    await book(c.booking, tenant, [bad.id, good.id, broken.id]);
    const failing = new Map<string, Error>([
      [await providerIdOf(bad.id), new ShipmentError('transient', 'Biteship answered 503')],
      [await providerIdOf(broken.id), new TypeError('unexpected answer')],
    ]);
    const flaky: ShipmentBookingProvider = {
      code: 'sandbox',
      createShipment: (request) => c.booking.createShipment(request),
      cancelShipment: (id, reason) => c.booking.cancelShipment(id, reason),
      tracking: async (ref) => {
        const error = 'providerOrderId' in ref ? failing.get(ref.providerOrderId) : undefined;
        if (error) throw error;
        return c.booking.tracking(ref);
      },
    };
    c.at(4);
    const run = await sweep(flaky, { batchSize: 1 });
    expect((await orderRow(tenant, good.id)).status).toBe('shipped');
    expect(await orderRow(tenant, bad.id)).toMatchObject({
      status: 'ready',
      shipment_status: 'booked',
      shipment_checked_at: expect.any(Date),
    });
    expect(run.about(bad.id)).toEqual([
      {
        level: 'warn',
        object: expect.objectContaining({ code: 'transient', error: 'Biteship answered 503' }),
        message: 'courier tracking failed for an order',
      },
    ]);
    expect(run.about(broken.id).map((entry) => entry.level)).toEqual(['error']);
    expect(await statuses(tenant, bad.id)).toEqual([]);

    failing.clear();
    await sweep(flaky);
    expect((await orderRow(tenant, bad.id)).status).toBe('shipped');
    expect((await orderRow(tenant, broken.id)).status).toBe('shipped');
  });

  it('applies a report to the order it asked about only, never another business’s', async () => {
    const c = courier();
    const mine = await f.order('ready');
    await book(c.booking, tenant, [mine.id]);
    const theirs = await shippingFixture(other);
    const manual = await theirs.order('ready');
    await db()
      .updateTable('orders')
      .set({ shipment_receipt: 'JNE0001' })
      .where('id', '=', manual.id)
      .execute();
    const unbooked = await theirs.order('confirmed');
    const before = [await orderRow(other, manual.id), await orderRow(other, unbooked.id)];

    c.at(4);
    const tracking: ShipmentTracking = await c.booking.tracking({
      providerOrderId: await providerIdOf(mine.id),
    });
    // A report aimed at this order under the other business finds nothing to change.
    const deps = {
      db: db(),
      booking: c.booking,
      publicUrl: 'http://nexus.test',
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    };
    const target = {
      id: mine.id,
      business_id: other.business.id,
      shipment_provider_order_id: tracking.providerOrderId,
    };
    expect(await applyShipmentTracking(deps, target, tracking)).toBe('untracked');
    expect((await orderRow(tenant, mine.id)).status).toBe('ready');

    await sweep(c.booking);
    expect((await orderRow(tenant, mine.id)).status).toBe('shipped');
    expect([await orderRow(other, manual.id), await orderRow(other, unbooked.id)]).toEqual(before);
    expect(
      await db()
        .selectFrom('webhook_events')
        .select('id')
        .where('business_id', '=', other.business.id)
        .execute(),
    ).toEqual([]);
  });
});

describe('the tracking job', () => {
  it('runs every NEXUS_SHIPPING_TRACKING_INTERVAL_MINUTES (30 by default), and only where the bookings are', () => {
    const every = (env: Record<string, string>) =>
      defaultJobSchedules(env).find((schedule) => schedule.kind === SHIPMENT_TRACKING_JOB)?.everyMs;
    expect(every({})).toBe(30 * 60_000);
    expect(every({ NEXUS_SHIPPING_TRACKING_INTERVAL_MINUTES: '5' })).toBe(5 * 60_000);
    expect(() => every({ NEXUS_SHIPPING_TRACKING_INTERVAL_MINUTES: '0' })).toThrow(
      /NEXUS_SHIPPING_TRACKING_INTERVAL_MINUTES/,
    );
    // The sandbox's bookings live in the server's provider: a worker without it leaves the job alone.
    expect(Object.keys(shipmentTrackingJobHandlers({ env: {} }))).toEqual([]);
    expect(
      Object.keys(shipmentTrackingJobHandlers({ env: {}, booking: new SandboxShipmentBooking() })),
    ).toEqual([SHIPMENT_TRACKING_JOB]);
    expect(
      Object.keys(
        shipmentTrackingJobHandlers({
          env: { NEXUS_SHIPPING_BOOKING_DRIVER: 'biteship', BITESHIP_API_KEY: 'biteship_test.x' },
        }),
      ),
    ).toEqual([SHIPMENT_TRACKING_JOB]);
  });
});
