import { beforeAll, describe, expect, it } from 'vitest';
import { rowDate } from '../../../src/modules/orders/upload-common.ts';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { multipart, type Part } from '../../helpers/multipart.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, stockOf, variantLine } from './fixtures.ts';
import { awbState, type ShippingFixture, shippingFixture } from './shipping-fixtures.ts';
import { eventNames, subscribeToEverything } from './webhook-events.ts';

let tenant: Tenant;
let other: Tenant;
let f: ShippingFixture;
const keys = { update: '', changeStatus: '' };

beforeAll(async () => {
  tenant = await createTenant('Unggah Status');
  other = await createTenant('Unggah Tetangga');
  f = await shippingFixture(tenant);
  await subscribeToEverything(tenant);
  keys.update = await tenant.restrictedKey(['order:update']);
  keys.changeStatus = await tenant.restrictedKey(['order:change_status']);
});

const file = (csv: string, name = 'status.csv'): Part => ({
  name: 'file',
  filename: name,
  contentType: 'text/csv',
  data: csv,
});
function post(path: string, parts: Part[], key?: string, as: Tenant = tenant) {
  const body = multipart(parts);
  return as.request('POST', `/v3/orders/${path}`, {
    body: body.payload,
    headers: { 'content-type': body.contentType },
    ...(key ? { key } : {}),
  });
}
const statusUpload = (csv: string, key?: string, as?: Tenant) =>
  post('upload-change-status', [{ name: 'tz', data: 'Asia/Jakarta' }, file(csv)], key, as);
const receiptUpload = (csv: string, key?: string, as?: Tenant) =>
  post('upload-receipt', [file(csv)], key, as);

async function times(orderId: string) {
  return tenant.ctx.database.db
    .selectFrom('orders')
    .select(['status', 'shipped_time', 'ready_time', 'shipment_receipt'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
}

describe('uploadOrderStatusChanges', () => {
  it('moves each order through the lifecycle, reports bad rows, and is safe to re-run', async () => {
    const a = await f.order('confirmed');
    const b = await f.order('confirmed');
    const pending = await f.order('pending');
    const foreign = await (await shippingFixture(other)).order('confirmed');
    const csv = [
      'Order ID,Status,Shipment Receipt,Day,Month,Year',
      `${a.order_id},shipped,JNE-A1,2,1,2026`,
      `${b.id},ready,,,,`,
      `${pending.order_id},shipped,,,,`,
      `${foreign.order_id},shipped,,,,`,
      `${a.order_id},shipped_rts,,,,`,
      `${b.order_id},shipped,,31,2,2026`,
      '',
      ',,,,,',
    ].join('\r\n');
    const before = Date.now();
    const res = await statusUpload(csv);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ is_paginated: false, rows: 6, changed: 2, failed: 4 });
    expect(report.data).toEqual([
      {
        id: a.id,
        order_id: a.order_id,
        status: 'shipped',
        payment_status: 'unpaid',
        public_order_url: expect.stringContaining('/o/'),
        payment_url: expect.stringMatching(/\/pay$/),
      },
      expect.objectContaining({ id: b.id, status: 'ready' }),
    ]);
    expect(report.errors).toEqual([
      { row: 4, reasons: ["status: the order's status is pending and cannot change to shipped"] },
      { row: 5, reasons: [`order_id ${foreign.order_id} is not an order of this business`] },
      { row: 6, reasons: [expect.stringContaining('status must be one of')] },
      { row: 7, reasons: ['31-2-2026 is not a date'] },
    ]);
    const shipped = await times(a.id);
    expect(shipped).toMatchObject({ status: 'shipped', shipment_receipt: 'JNE-A1' });
    // 2 January 2026 in Jakarta, at the upload's time of day there.
    expect(shipped.shipped_time?.toISOString().slice(0, 10)).toMatch(/^2026-01-0[12]$/);
    const ready = await times(b.id);
    expect(ready.ready_time?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await times(pending.id)).status).toBe('pending');
    expect(await eventNames(tenant, a.id)).toEqual(['order.updated', 'order.status_changed']);

    const again = (await statusUpload(csv)).json();
    expect(again).toMatchObject({ rows: 6, changed: 0, failed: 4 });
    expect(await eventNames(tenant, a.id)).toEqual(['order.updated', 'order.status_changed']);
  });

  it('keeps a receipt issued by a courier booking', async () => {
    const order = await f.order('confirmed');
    const booked = (
      await tenant.request('POST', '/v3/orders/generate-awb', { body: { ids: [order.id] } })
    ).json().successes[order.id];
    const res = await statusUpload(`order_id,status,shipment_receipt\n${order.order_id},shipped,MANUAL-1\n`);
    expect(res.json()).toMatchObject({ changed: 1, failed: 0 });
    expect(await awbState(tenant, order.id)).toMatchObject({ shipment_receipt: booked });
    expect((await times(order.id)).status).toBe('shipped');
  });

  it('refuses bad uploads, bad time zones and keys without order:change_status', async () => {
    const order = await f.order('confirmed');
    const csv = `order_id,status\n${order.order_id},ready\n`;
    expect((await post('upload-change-status', [file(csv)])).statusCode).toBe(422);
    expect(
      (await post('upload-change-status', [{ name: 'tz', data: 'Mars/Base' }, file(csv)])).statusCode,
    ).toBe(422);
    expect((await statusUpload('order_id,receipt\nX,Y\n')).statusCode).toBe(422);
    expect((await statusUpload('')).statusCode).toBe(422);
    expect(
      (await post('upload-change-status', [{ name: 'tz', data: 'Asia/Jakarta' }, file(csv, 'a.xlsx')]))
        .statusCode,
    ).toBe(422);
    const binary = { ...file('x'), data: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]) };
    expect(
      (await post('upload-change-status', [{ name: 'tz', data: 'Asia/Jakarta' }, binary])).statusCode,
    ).toBe(422);
    expect(
      (await tenant.request('POST', '/v3/orders/upload-change-status', { body: { tz: 'Asia/Jakarta' } }))
        .statusCode,
    ).toBe(415);
    expect((await statusUpload(csv, keys.update)).statusCode).toBe(403);
    expect((await statusUpload(csv, keys.changeStatus)).json()).toMatchObject({ changed: 1 });
    const foreign = (
      await statusUpload(`order_id,status\n${order.order_id},in_process\n`, undefined, other)
    ).json();
    expect(foreign).toMatchObject({ changed: 0, failed: 1 });
    expect((await times(order.id)).status).toBe('ready');
  });
});

describe('two status uploads at once', () => {
  it('end in one state and give stock back once', async () => {
    const racer = await createTenant('Unggah Balapan');
    const product = await insertProduct(racer, { isInventory: true });
    const warehouse = await insertWarehouse(racer);
    const variant = product.variants[0]!;
    await setStock(racer, warehouse.id, variant.id, 10);
    const orders = [];
    for (let i = 0; i < 3; i++) {
      orders.push(await placeOrder(racer.ctx.database.db, draftFor(racer, [variantLine(variant, 2)])));
    }
    expect(await stockOf(racer, warehouse.id, variant.id)).toBe(4);
    const csv = ['order_id,status', ...orders.map((order) => `${order.order_id},canceled`)].join('\n');
    const answers = await Promise.all([
      statusUpload(csv, undefined, racer),
      statusUpload(csv, undefined, racer),
    ]);
    for (const answer of answers) expect(answer.json()).toMatchObject({ rows: 3, failed: 0 });
    expect(answers.reduce((sum, answer) => sum + answer.json().changed, 0)).toBe(3);
    expect(await stockOf(racer, warehouse.id, variant.id)).toBe(10);
    const canceled = await racer.ctx.database.db
      .selectFrom('order_status_histories')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('business_id', '=', racer.business.id)
      .where('status', '=', 'canceled')
      .executeTakeFirstOrThrow();
    expect(Number(canceled.count)).toBe(3);
  });
});

describe('uploadOrderReceipt', () => {
  it('sets receipts, reports bad rows and is safe to re-run', async () => {
    const a = await f.order('confirmed');
    const booked = await f.order('confirmed');
    await tenant.request('POST', '/v3/orders/generate-awb', { body: { ids: [booked.id] } });
    const csv = [
      'order_id,shipment_receipt',
      `${a.order_id},SICEPAT-99`,
      `${booked.order_id},OTHER`,
      'NOPE,X',
      `${a.order_id},`,
    ].join('\n');
    const res = await receiptUpload(csv);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ rows: 4, changed: 1, failed: 3, is_paginated: false });
    expect(report.data).toEqual([
      {
        id: a.id,
        order_id: a.order_id,
        public_order_url: expect.stringContaining('/o/'),
        payment_url: expect.stringMatching(/\/pay$/),
        shipment_receipt: 'SICEPAT-99',
      },
    ]);
    expect(report.errors.map((error: { row: number }) => error.row)).toEqual([3, 4, 5]);
    expect(await awbState(tenant, a.id)).toMatchObject({ shipment_receipt: 'SICEPAT-99' });
    expect((await awbState(tenant, booked.id)).shipment_receipt).toMatch(/^SBX/);
    expect((await receiptUpload(csv)).json()).toMatchObject({ changed: 0, failed: 3 });
    expect(await eventNames(tenant, a.id)).toEqual(['order.updated']);
  });

  it('refuses bad uploads, missing scope and other tenants’ orders', async () => {
    const order = await f.order('confirmed');
    const csv = `order_id,shipment_receipt\n${order.order_id},R-1\n`;
    expect((await receiptUpload('order_id\nX\n')).statusCode).toBe(422);
    expect((await post('upload-receipt', [{ ...file(csv), name: 'attachment' }])).statusCode).toBe(422);
    expect((await receiptUpload(csv, keys.changeStatus)).statusCode).toBe(403);
    expect((await receiptUpload(csv, undefined, other)).json()).toMatchObject({ changed: 0, failed: 1 });
    expect((await receiptUpload(csv, keys.update)).json()).toMatchObject({ changed: 1 });
  });
});

describe('rowDate', () => {
  const row = (day: string, month: string, year: string) => ({
    line: 2,
    cell: (column: string) => ({ day, month, year })[column as 'day'] ?? '',
  });
  const now = new Date('2026-03-10T05:30:00Z'); // 12:30 in Jakarta

  it('reads the date in the time zone at the upload’s time of day there', () => {
    expect(rowDate(row('9', '3', '2026'), 'Asia/Jakarta', now)).toEqual(new Date('2026-03-09T05:30:00Z'));
    expect(rowDate(row('9', '3', '2026'), 'Asia/Jayapura', now)).toEqual(new Date('2026-03-09T05:30:00Z'));
    expect(rowDate(row('9', '3', '2026'), 'UTC', now)).toEqual(new Date('2026-03-09T05:30:00Z'));
    expect(rowDate(row('', '', ''), 'Asia/Jakarta', now)).toBe(now);
  });

  it('refuses partial, impossible and future dates', () => {
    expect(rowDate(row('9', '', '2026'), 'Asia/Jakarta', now)).toContain('together');
    expect(rowDate(row('30', '2', '2026'), 'Asia/Jakarta', now)).toBe('30-2-2026 is not a date');
    expect(rowDate(row('11', '3', '2026'), 'Asia/Jakarta', now)).toBe('11-3-2026 is in the future');
    expect(rowDate(row('x', '3', '2026'), 'Asia/Jakarta', now)).toContain('numbers');
  });
});
