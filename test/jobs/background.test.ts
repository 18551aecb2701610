import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundWork } from '../../src/background.ts';
import type { Db } from '../../src/db/database.ts';
import { RETENTION_JOB } from '../../src/jobs/retention.ts';
import { upsertCustomerByEmail } from '../../src/modules/customers/records.ts';
import { generateOrderAwbs } from '../../src/modules/orders/awb.ts';
import { SHIPMENT_TRACKING_JOB } from '../../src/modules/orders/tracking.ts';
import { PAYMENT_EXPIRY_JOB, PAYMENT_EXPIRY_SWEEP_JOB } from '../../src/modules/payments/expiry.ts';
import { SandboxShipmentBooking } from '../../src/providers/shipping/index.ts';
import { type IsolatedContext, isolatedContext } from '../helpers/isolated.ts';
import { createTenant } from '../helpers/tenants.ts';
import {
  buyer,
  type CheckoutShop,
  checkoutShop,
  setStoreColumns,
  stockOf,
  variantItem,
} from '../modules/checkout/fixtures.ts';
import { addPixel, relay, sandboxRows } from '../modules/conversions/helpers.ts';
import { shippingFixture } from '../modules/orders/shipping-fixtures.ts';

/**
 * Issue 10, "through the worker": queued effects are proven by the worker loop the server runs
 * (`startBackgroundWork`, with the server's handlers and recurring schedules), on a database of
 * the suite's own (its sweeps span every business), never by calling a handler. Time passing is
 * played by moving deadlines and schedules into the past.
 */

let iso: IsolatedContext;
let stop: () => Promise<void>;
const problems: string[] = [];
/** The server hands its worker the app's booking provider; this one's clock is the tests' to move. */
let courierClock = Date.now();
const courier = new SandboxShipmentBooking({ now: () => new Date(courierClock) });

beforeAll(async () => {
  iso = await isolatedContext();
  const note = (object: object, message?: string) => problems.push(`${message} ${JSON.stringify(object)}`);
  stop = startBackgroundWork(
    iso.runtime,
    { info: () => {}, warn: note, error: note },
    { pollMs: 50, scheduleCheckMs: 50, booking: courier },
  );
});
afterAll(async () => {
  await stop?.();
  await iso?.close();
  expect(problems).toEqual([]);
});

const db = (): Db => iso.ctx.database.db;

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen: last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const orderRow = (id: string) =>
  db()
    .selectFrom('orders')
    .select(['status', 'payment_status', 'payment_expiration_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

async function codeUsage(shop: CheckoutShop, code: string): Promise<number> {
  const row = await db()
    .selectFrom('discount_codes')
    .select('current_usage')
    .where('business_id', '=', shop.tenant.business.id)
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.current_usage;
}

/** A store whose unpaid orders expire after a day, and a code that may be used once. */
async function expiringShop(): Promise<CheckoutShop> {
  const shop = await checkoutShop({ ctx: iso.ctx, name: 'Toko Kedaluwarsa' });
  await setStoreColumns(shop.tenant, { is_auto_expire: true, auto_expire_days: 1 });
  const code = await shop.tenant.request('POST', '/v3/discount-codes', {
    body: {
      code: 'SEKALI',
      applied_to: 'product_price',
      amount_type: 'fixed',
      amount: 10000,
      is_usage_limit: true,
      usage_limit: 1,
    },
  });
  expect(code.statusCode, code.body).toBe(200);
  return shop;
}

async function bankTransferOrder(shop: CheckoutShop, quantity: number, code?: string) {
  const res = await shop.client.post('/checkout', {
    ...buyer(),
    items: [variantItem(shop.shirt, quantity)],
    ...(code ? { discount_code_code: code } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret_slug: string };
}

const expiryJobs = (orderId: string) =>
  db()
    .selectFrom('jobs')
    .select(['id', 'status', 'run_at'])
    .where('kind', '=', PAYMENT_EXPIRY_JOB)
    .where(sql<string>`payload->>'order_id'`, '=', orderId)
    .execute();

/** Time passes: the order's payment deadline (and its expiry job's run time) is now behind us. */
async function lapse(orderId: string): Promise<void> {
  await db()
    .updateTable('orders')
    .set({ payment_expiration_at: sql<Date>`now() - interval '1 second'` })
    .where('id', '=', orderId)
    .execute();
  await db()
    .updateTable('jobs')
    .set({ run_at: sql<Date>`now()` })
    .where('kind', '=', PAYMENT_EXPIRY_JOB)
    .where(sql<string>`payload->>'order_id'`, '=', orderId)
    .execute();
}

/** The next period of a recurring job has come. */
async function dueNow(kind: string): Promise<void> {
  await db()
    .updateTable('job_schedules')
    .set({ next_run_at: sql<Date>`now()` })
    .where('kind', '=', kind)
    .execute();
}

describe('payment deadlines, through the running worker', () => {
  it('queues the expiry with the checkout order itself and cancels it unpaid at the deadline, giving back stock and the code', async () => {
    const shop = await expiringShop();
    const stockBefore = await stockOf(shop.tenant, shop.warehouse.id, shop.shirt.variants[0]!.id);
    const order = await bankTransferOrder(shop, 2, 'SEKALI');
    expect(await codeUsage(shop, 'SEKALI')).toBe(1);
    expect(await stockOf(shop.tenant, shop.warehouse.id, shop.shirt.variants[0]!.id)).toBe(stockBefore - 2);

    // Bank transfer: no payment is ever created, yet the order's deadline has its job, written by
    // the very transaction that wrote the order.
    const placed = await orderRow(order.id);
    expect(placed.payment_expiration_at!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const [job] = await expiryJobs(order.id);
    expect(job).toMatchObject({ status: 'queued', run_at: placed.payment_expiration_at });
    const [written] = (
      await sql<{ same: boolean }>`
        select (select xmin from orders where id = ${order.id}) = (select xmin from jobs where id = ${job!.id}) as same
      `.execute(db())
    ).rows;
    expect(written?.same).toBe(true);

    // Nobody paid; the deadline passes.
    await lapse(order.id);
    await eventually(
      () => orderRow(order.id),
      (row) => row.status === 'canceled',
      'the expiry',
    );
    expect((await orderRow(order.id)).payment_status).toBe('unpaid');
    expect(await stockOf(shop.tenant, shop.warehouse.id, shop.shirt.variants[0]!.id)).toBe(stockBefore);
    expect(await codeUsage(shop, 'SEKALI')).toBe(0);
    // The worker marks its job done just after the job's transaction commits.
    const jobs = await eventually(
      () => expiryJobs(order.id),
      (rows) => rows.every((row) => row.status !== 'running'),
      'the expiry job to finish',
    );
    expect(jobs.map((row) => row.status)).toEqual(['done']);

    // The code's one use is free again for the next buyer.
    await bankTransferOrder(shop, 1, 'SEKALI');
    expect(await codeUsage(shop, 'SEKALI')).toBe(1);
  });

  it('leaves an order alone before its deadline', async () => {
    const shop = await expiringShop();
    const order = await bankTransferOrder(shop, 1);
    // The job comes due early (a clock ahead, a job replayed): the handler re-checks the deadline.
    await db()
      .updateTable('jobs')
      .set({ run_at: sql<Date>`now()` })
      .where('kind', '=', PAYMENT_EXPIRY_JOB)
      .where(sql<string>`payload->>'order_id'`, '=', order.id)
      .execute();
    await eventually(
      () => expiryJobs(order.id),
      (jobs) => jobs[0]?.status === 'done',
      'the early run',
    );
    expect((await orderRow(order.id)).status).toBe('pending');
  });

  it('sweeps an overdue order whose expiry job went missing', async () => {
    const shop = await expiringShop();
    const stockBefore = await stockOf(shop.tenant, shop.warehouse.id, shop.shirt.variants[0]!.id);
    const order = await bankTransferOrder(shop, 3);
    await db()
      .deleteFrom('jobs')
      .where('kind', '=', PAYMENT_EXPIRY_JOB)
      .where(sql<string>`payload->>'order_id'`, '=', order.id)
      .execute();
    await lapse(order.id);
    await dueNow(PAYMENT_EXPIRY_SWEEP_JOB);
    await eventually(
      () => orderRow(order.id),
      (row) => row.status === 'canceled',
      'the sweep',
    );
    expect(await stockOf(shop.tenant, shop.warehouse.id, shop.shirt.variants[0]!.id)).toBe(stockBefore);
    // Cash on delivery has no deadline to miss: the sweep never touches it.
    const cod = await shop.client.post('/checkout', {
      ...buyer({ payment_method: 'cod' }),
      items: [variantItem(shop.shirt, 1)],
    });
    expect(cod.statusCode, cod.body).toBe(201);
    await lapse(cod.json().id);
    await dueNow(PAYMENT_EXPIRY_SWEEP_JOB);
    await eventually(
      () =>
        db()
          .selectFrom('jobs')
          .select('id')
          .where('kind', '=', PAYMENT_EXPIRY_SWEEP_JOB)
          .where('status', 'in', ['queued', 'running'])
          .execute(),
      (pending) => pending.length === 0,
      'the second sweep',
    );
    expect((await orderRow(cod.json().id)).status).toBe('pending');
  });
});

describe('courier tracking, through the running worker', () => {
  it('ships and completes a booked order as the courier reports it', async () => {
    const tenant = await createTenant('Toko Lacak', iso.ctx);
    const order = await (await shippingFixture(tenant)).order('ready');
    courierClock = Date.now() - 3 * 24 * 3_600_000;
    const booked = await generateOrderAwbs(
      {
        db: db(),
        booking: courier,
        publicUrl: 'http://nexus.test',
        onError: (_id, err) => problems.push(String(err)),
      },
      { businessId: tenant.business.id, userId: null },
      [order.id],
    );
    expect(booked.failures).toEqual({});
    // Two and a half days on: SiCepat REG within Jakarta was picked up at 3 h and delivered at 52 h.
    courierClock += 60 * 3_600_000;
    await dueNow(SHIPMENT_TRACKING_JOB);
    const row = await eventually(
      () =>
        db()
          .selectFrom('orders')
          .select(['status', 'shipment_status', 'shipped_time', 'shipment_status_history'])
          .where('id', '=', order.id)
          .executeTakeFirstOrThrow(),
      (current) => current.status === 'completed',
      'the tracking sweep',
    );
    expect(row.shipment_status).toBe('delivered');
    expect(row.shipment_status_history.map((entry) => entry.status)).toEqual([
      'booked',
      'picked_up',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
  });
});

describe('retention, through the running worker', () => {
  it('deletes idempotency keys, finished jobs, expired carts, expired customer credentials and old storefront card changes after their periods, and keeps the rest', async () => {
    const tenant = await createTenant('Toko Retensi', iso.ctx);
    const business = tenant.business.id;
    const store = tenant.store.id;
    const ago = (hours: number) => sql<Date>`now() - make_interval(hours => ${hours})`;
    const ahead = (hours: number) => sql<Date>`now() + make_interval(hours => ${hours})`;

    const keys = await db()
      .insertInto('idempotency_keys')
      .values([
        {
          scope: `retention:${randomUUID()}`,
          key: 'old',
          fingerprint: 'x',
          state: 'completed',
          created_at: ago(25),
        },
        {
          scope: `retention:${randomUUID()}`,
          key: 'new',
          fingerprint: 'x',
          state: 'completed',
          created_at: ago(23),
        },
      ])
      .returning('id')
      .execute();
    const jobs = await db()
      .insertInto('jobs')
      .values([
        { kind: 'retention.test', payload: '{}', status: 'done', finished_at: ago(8 * 24) },
        { kind: 'retention.test', payload: '{}', status: 'done', finished_at: ago(6 * 24) },
        { kind: 'retention.test', payload: '{}', status: 'failed', finished_at: ago(31 * 24) },
        { kind: 'retention.test', payload: '{}', status: 'failed', finished_at: ago(29 * 24) },
        { kind: 'retention.test', payload: '{}', status: 'queued', run_at: ago(40 * 24) },
      ])
      .returning('id')
      .execute();
    const carts = await db()
      .insertInto('carts')
      .values([
        { business_id: business, store_id: store, guest_token: randomUUID(), expires_at: ago(1) },
        { business_id: business, store_id: store, guest_token: randomUUID(), expires_at: ahead(24) },
      ])
      .returning('id')
      .execute();
    const customerId = await upsertCustomerByEmail(db(), {
      businessId: business,
      storeId: store,
      name: 'Retensi',
      email: `retensi-${randomUUID()}@example.test`,
      phone: null,
    });
    const owner = { business_id: business, store_id: store, customer_id: customerId };
    const otps = await db()
      .insertInto('customer_otps')
      .values([
        { ...owner, code_hash: 'a', expires_at: ago(25) },
        { ...owner, code_hash: 'b', expires_at: ago(1) },
      ])
      .returning('id')
      .execute();
    await db()
      .insertInto('customer_password_resets')
      .values([
        { ...owner, token_hash: `old-${randomUUID()}`, expires_at: ago(25) },
        { ...owner, token_hash: `new-${randomUUID()}`, expires_at: ahead(1) },
      ])
      .execute();
    const family = randomUUID();
    const refresh = [randomUUID(), randomUUID()];
    await db()
      .insertInto('customer_refresh_tokens')
      .values([
        { ...owner, id: refresh[0]!, family_id: family, expires_at: ago(25) },
        { ...owner, id: refresh[1]!, family_id: family, expires_at: ahead(24) },
      ])
      .execute();
    const revoked = [randomUUID(), randomUUID()];
    await db()
      .insertInto('customer_revoked_tokens')
      .values([
        { jti: revoked[0]!, expires_at: ago(1) },
        { jti: revoked[1]!, expires_at: ahead(1) },
      ])
      .execute();
    const cardChanges = await db()
      .insertInto('catalog_changes')
      .values([
        { product_id: 0, created_at: sql<Date>`now() - interval '61 minutes'` },
        { product_id: 0, created_at: sql<Date>`now() - interval '59 minutes'` },
      ])
      .returning('id')
      .execute();

    const before = await db()
      .selectFrom('jobs')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('kind', '=', RETENTION_JOB)
      .executeTakeFirst();
    await dueNow(RETENTION_JOB);
    await eventually(
      () =>
        db()
          .selectFrom('jobs')
          .select('status')
          .where('kind', '=', RETENTION_JOB)
          .where('id', '>', Number(before?.id ?? 0))
          .execute(),
      (runs) => runs.some((run) => run.status === 'done'),
      'the retention run',
    );

    const left = async (table: 'idempotency_keys' | 'jobs' | 'carts' | 'customer_otps', ids: number[]) =>
      (await db().selectFrom(table).select('id').where('id', 'in', ids).orderBy('id').execute()).map(
        (r) => r.id,
      );
    expect(
      await left(
        'idempotency_keys',
        keys.map((r) => r.id),
      ),
    ).toEqual([keys[1]!.id]);
    expect(
      await left(
        'jobs',
        jobs.map((r) => r.id),
      ),
    ).toEqual([jobs[1]!.id, jobs[3]!.id, jobs[4]!.id]);
    expect(
      await left(
        'carts',
        carts.map((r) => r.id),
      ),
    ).toEqual([carts[1]!.id]);
    expect(
      await left(
        'customer_otps',
        otps.map((r) => r.id),
      ),
    ).toEqual([otps[1]!.id]);
    const resets = await db()
      .selectFrom('customer_password_resets')
      .select('token_hash')
      .where('customer_id', '=', customerId)
      .execute();
    expect(resets.map((row) => row.token_hash.split('-')[0])).toEqual(['new']);
    const tokens = await db()
      .selectFrom('customer_refresh_tokens')
      .select('id')
      .where('family_id', '=', family)
      .execute();
    expect(tokens.map((row) => row.id)).toEqual([refresh[1]]);
    const jtis = await db()
      .selectFrom('customer_revoked_tokens')
      .select('jti')
      .where('jti', 'in', revoked)
      .execute();
    expect(jtis.map((row) => row.jti)).toEqual([revoked[1]]);
    const changes = await db()
      .selectFrom('catalog_changes')
      .select('id')
      .where(
        'id',
        'in',
        cardChanges.map((r) => r.id),
      )
      .execute();
    expect(changes.map((row) => row.id)).toEqual([cardChanges[1]!.id]);
  });
});

describe('conversion events, through the running worker', () => {
  it('delivers a relayed event to the sandbox provider without anyone running a handler', async () => {
    const tenant = await createTenant('Toko Piksel', iso.ctx);
    const client = await relay(tenant);
    await addPixel(tenant, 'meta', { pixelId: '5550001112' });
    const res = await client.post('meta', {
      event_source_url: 'https://shop.example.com/products/kaos',
      user_data: { em: 'buyer@example.com', client_ip_address: '36.80.1.2' },
      events: [
        { event_name: 'ViewContent', event_id: 'evt-worker', event_time: Math.floor(Date.now() / 1000) },
      ],
    });
    expect(res.statusCode, res.body).toBe(204);
    const recorded = await eventually(
      () => sandboxRows(db(), tenant.store.id),
      (rows) => rows.length > 0,
      'the delivery',
    );
    expect(recorded[0]).toMatchObject({ platform: 'meta', pixel_id: '5550001112' });
  });
});
