import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nexus, runNexus } from '../helpers/cli.ts';
import { createTenant, type Tenant } from '../helpers/tenants.ts';
import { type ShippingFixture, shippingFixture } from '../modules/orders/shipping-fixtures.ts';
import { eventNames, subscribeToEverything } from '../modules/orders/webhook-events.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-order-uploads-'));
let tenant: Tenant;
let f: ShippingFixture;

beforeAll(async () => {
  tenant = await createTenant('CLI Unggah');
  f = await shippingFixture(tenant);
  await subscribeToEverything(tenant);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function csvFile(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function orderState(id: string) {
  return tenant.ctx.database.db
    .selectFrom('orders')
    .select(['status', 'shipment_receipt'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function statusHistory(ids: string[]) {
  return tenant.ctx.database.db
    .selectFrom('order_status_histories')
    .select(['order_id', 'status', 'actor', 'actor_user_id'])
    .where('business_id', '=', tenant.business.id)
    .where('kind', '=', 'status')
    .where('order_id', 'in', ids)
    .orderBy('id')
    .execute();
}

describe('nexus orders upload-change-status', () => {
  it('moves the orders as the business, lists the rows it refuses, and changes nothing on a re-run', async () => {
    const a = await f.order('confirmed');
    const b = await f.order('confirmed');
    const c = await f.order('ready');
    const pending = await f.order('pending');
    const file = csvFile('status.csv', [
      'Order ID,Status,Shipment Receipt',
      `${a.order_id},ready,`,
      `${pending.order_id},shipped,`,
      `${b.order_id},shipped,JNE-CLI-1`,
      'NOPE-1,shipped,',
      `${c.id},shipped,`,
    ]);
    const business = tenant.business.unique_id;
    const historyBefore = await statusHistory([a.id, b.id, c.id, pending.id]);

    const first = await nexus('orders', 'upload-change-status', file, '--business', business);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('Uploaded status.csv: 5 rows in ');
    expect(first.stdout).toMatch(/ {2}changed {4}3\n {2}unchanged {2}0\n {2}failed {5}2\n/);
    expect(first.stdout).toContain(
      "line 3: status: the order's status is pending and cannot change to shipped",
    );
    expect(first.stdout).toContain('line 5: order_id NOPE-1 is not an order of this business');
    const progress = first.progress.trim().split('\n');
    for (const line of progress) {
      expect(line).toMatch(
        /^orders upload-change-status: \d+% [\d,]+ rows \(\d+ changed, \d+ unchanged, \d+ failed\) [\d.]+ s$/,
      );
    }
    expect(progress.at(-1)).toMatch(/: 100% 5 rows \(3 changed, 0 unchanged, 2 failed\)/);

    // The rows after a refused one still applied.
    expect(await orderState(a.id)).toMatchObject({ status: 'ready' });
    expect(await orderState(b.id)).toMatchObject({ status: 'shipped', shipment_receipt: 'JNE-CLI-1' });
    expect(await orderState(c.id)).toMatchObject({ status: 'shipped' });
    expect(await orderState(pending.id)).toMatchObject({ status: 'pending' });
    const moves = (await statusHistory([a.id, b.id, c.id, pending.id])).slice(historyBefore.length);
    expect(moves).toEqual([
      { order_id: a.id, status: 'ready', actor: 'business', actor_user_id: null },
      { order_id: b.id, status: 'shipped', actor: 'business', actor_user_id: null },
      { order_id: c.id, status: 'shipped', actor: 'business', actor_user_id: null },
    ]);
    const events = await eventNames(tenant, b.id);
    expect(events).toContain('order.status_changed');

    const again = await runNexus(['orders', 'upload-change-status', file, '--business', business, '--json'], {
      tty: true,
    });
    expect(again.code).toBe(1);
    const report = JSON.parse(again.stdout);
    expect(report).toMatchObject({ is_paginated: false, rows: 5, changed: 0, failed: 2 });
    expect(report.data.map((item: { id: string }) => item.id)).toEqual([a.id, b.id, c.id]);
    expect(report.errors.map((error: { row: number }) => error.row)).toEqual([3, 5]);
    expect(again.progress).toContain('\r[########################] 100%  5 rows  0 changed, 3 unchanged');
    expect(await statusHistory([a.id, b.id, c.id, pending.id])).toHaveLength(
      historyBefore.length + moves.length,
    );
    expect(await eventNames(tenant, b.id)).toEqual(events);
  });

  it('refuses a bad --tz, an unknown business, a missing file and a file without the columns', async () => {
    const order = await f.order('confirmed');
    const business = tenant.business.unique_id;
    const file = csvFile('ready.csv', ['order_id,status', `${order.order_id},ready`]);

    const badZone = await nexus(
      'orders',
      'upload-change-status',
      file,
      '--business',
      business,
      '--tz',
      'Mars/Base',
    );
    expect(badZone.code).toBe(2);
    expect(badZone.stderr).toContain('--tz must be an IANA time zone, got Mars/Base');
    const unknown = await nexus('orders', 'upload-change-status', file, '--business', '999999999');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No business with id or unique_id 999999999');
    const missing = await nexus(
      'orders',
      'upload-change-status',
      path.join(dir, 'nope.csv'),
      '--business',
      business,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const noStatus = csvFile('no-status.csv', ['order_id,shipment_receipt', `${order.order_id},X-1`]);
    const headless = await nexus('orders', 'upload-change-status', noStatus, '--business', business);
    expect(headless.code).toBe(1);
    expect(headless.stderr).toContain('file has no status column in its header row');
    const binary = path.join(dir, 'orders.xlsx');
    fs.writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]));
    const notCsv = await nexus('orders', 'upload-change-status', binary, '--business', business);
    expect(notCsv.code).toBe(1);
    expect(notCsv.stderr).toContain('file is not a CSV text file');
    expect(await orderState(order.id)).toMatchObject({ status: 'confirmed', shipment_receipt: null });

    // Read in the given zone, the same file applies.
    const zoned = await nexus(
      'orders',
      'upload-change-status',
      file,
      '--business',
      business,
      '--tz',
      'Asia/Makassar',
    );
    expect(zoned.code, zoned.stdout + zoned.stderr).toBe(0);
    expect(await orderState(order.id)).toMatchObject({ status: 'ready' });
  });
});

describe('nexus orders upload-receipt', () => {
  it('sets receipts over several batches with a progress line at each, and a re-run changes none', async () => {
    const orders = [await f.order('confirmed'), await f.order('confirmed'), await f.order('ready')];
    // 450 rows (three batches of the upload), each order named 150 times with its one receipt.
    const lines = ['order_id,shipment_receipt'];
    for (let i = 0; i < 450; i++) lines.push(`${orders[i % 3]!.order_id},RESI-${i % 3}`);
    const file = csvFile('receipts.csv', lines);
    const business = String(tenant.business.id);

    const first = await nexus('orders', 'upload-receipt', file, '--business', business);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /rows in [\d.]+ s\n {2}changed {4}3\n {2}unchanged {2}447\n {2}failed {5}0\n$/,
    );
    const progress = first.progress.trim().split('\n');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]).toMatch(
      /^orders upload-receipt: \d+% 200 rows \(3 changed, 197 unchanged, 0 failed\)/,
    );
    expect(progress.at(-1)).toMatch(/: 100% 450 rows \(3 changed, 447 unchanged, 0 failed\) [\d.]+ s$/);
    for (const [i, order] of orders.entries()) {
      expect(await orderState(order.id)).toMatchObject({
        status: i === 2 ? 'ready' : 'confirmed',
        shipment_receipt: `RESI-${i}`,
      });
    }
    const events = await eventNames(tenant, orders[0]!.id);

    const again = await nexus('orders', 'upload-receipt', file, '--business', business, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 450, changed: 0, failed: 0, errors: [] });
    expect(await eventNames(tenant, orders[0]!.id)).toEqual(events);
  });

  it("reports a bad row and goes on, and never touches another business's order", async () => {
    const mine = [await f.order('confirmed'), await f.order('confirmed')];
    const other = await createTenant('CLI Unggah Tetangga');
    const foreign = await (await shippingFixture(other)).order('confirmed');
    const file = csvFile('some-bad.csv', [
      'order_id,shipment_receipt',
      `${mine[0]!.order_id},`,
      `${foreign.order_id},ASING-1`,
      `${mine[1]!.id},SICEPAT-9`,
    ]);
    const run = await nexus('orders', 'upload-receipt', file, '--business', tenant.business.unique_id);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Failed rows (2 of 2; --json lists up to 1000):');
    expect(run.stdout).toContain('line 2: shipment_receipt is required');
    expect(run.stdout).toContain(`line 3: order_id ${foreign.order_id} is not an order of this business`);
    expect(await orderState(mine[1]!.id)).toMatchObject({ shipment_receipt: 'SICEPAT-9' });
    const untouched = await other.ctx.database.db
      .selectFrom('orders')
      .select('shipment_receipt')
      .where('id', '=', foreign.id)
      .executeTakeFirstOrThrow();
    expect(untouched.shipment_receipt).toBeNull();
  });

  it('is listed and explained beside orders import', async () => {
    const overview = await nexus('--help');
    for (const command of ['orders import', 'orders upload-change-status', 'orders upload-receipt'])
      expect(overview.stdout).toContain(command);
    const help = await nexus('orders', 'upload-receipt', '--help');
    expect(help.stdout).toContain('Usage: nexus orders upload-receipt <FILE> [options]');
    const typo = await nexus('orders', 'upload-receipt', 'x.csv', '--busines', 'X');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      'unknown option --busines (did you mean --business?); this command takes --business, --json',
    );
  });
});
