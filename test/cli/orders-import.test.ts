import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nexus, runNexus } from '../helpers/cli.ts';
import { checkoutShop, orderCount, stockOf } from '../modules/checkout/fixtures.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-orders-import-'));

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('nexus orders import', () => {
  it('imports with progress on stderr and the report on stdout, and a re-run creates nothing twice', async () => {
    const shop = await checkoutShop({ name: 'CLI Pesanan', stock: 100 });
    const store = shop.tenant.store.unique_id;
    const lines = ['external_id,store_unique_id,customer_name,variant_unique_id,quantity'];
    // 60 e-book orders, one shirt order (no address: a draft), and one row with an unknown variant.
    for (let i = 1; i <= 60; i++)
      lines.push(`CLI-${i},${store},Pembeli ${i},${shop.ebook.variants[0]!.unique_id},1`);
    lines.push(`CLI-61,${store},Pembeli 61,${shop.shirt.variants[0]!.unique_id},4`);
    lines.push(`CLI-62,${store},Pembeli 62,variant_hilang,1`);
    const file = path.join(dir, 'orders.csv');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);

    const first = await nexus('orders', 'import', file, '--business', shop.tenant.business.unique_id);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('Imported orders.csv: 62 rows in ');
    expect(first.stdout).toMatch(/created {2}61\n {2}skipped {2}0\n {2}failed {3}1\n/);
    expect(first.stdout).toContain(
      'CLI-62: ordervariants.0.variant_unique_id is not available in this store',
    );
    const progress = first.progress.trim().split('\n');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const line of progress)
      expect(line).toMatch(/^orders import: \d+% [\d,]+ rows \(.+ created, .+\) [\d.]+ s$/);
    expect(progress.at(-1)).toMatch(/: 100% 62 rows \(61 created, 0 skipped, 1 failed\)/);
    expect(await orderCount(shop.tenant)).toBe(61);
    expect(await stockOf(shop.tenant, shop.warehouse.id, shop.shirt.variants[0]!.id)).toBe(96);

    const again = await runNexus(
      ['orders', 'import', file, '--business', shop.tenant.business.unique_id, '--json'],
      { tty: true },
    );
    expect(again.code).toBe(1);
    const report = JSON.parse(again.stdout);
    expect(report.success).toEqual([]);
    expect(Object.keys(report.skipped)).toHaveLength(61);
    expect(Object.keys(report.failed)).toEqual(['CLI-62']);
    expect(again.progress).toContain('\r[########################] 100%');
    expect(await orderCount(shop.tenant)).toBe(61);
    expect(await stockOf(shop.tenant, shop.warehouse.id, shop.shirt.variants[0]!.id)).toBe(96);
  });

  it('refuses a bad --create-type, --tz or file before importing', async () => {
    const shop = await checkoutShop({ name: 'CLI Salah' });
    const business = shop.tenant.business.unique_id;
    const file = path.join(dir, 'empty.csv');
    fs.writeFileSync(file, 'external_id,store_unique_id,customer_name,variant_unique_id\n');
    const badType = await nexus('orders', 'import', file, '--business', business, '--create-type', 'old');
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('--create-type');
    const badZone = await nexus('orders', 'import', file, '--business', business, '--tz', 'Mars/Base');
    expect(badZone.code).toBe(2);
    const missing = await nexus('orders', 'import', path.join(dir, 'nope.csv'), '--business', business);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });
});
