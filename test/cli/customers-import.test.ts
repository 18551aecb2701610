import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/commands/customers.ts';
import { getTestContext } from '../helpers/app.ts';
import { nexus, runNexus } from '../helpers/cli.ts';
import { createTenant } from '../helpers/tenants.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-customers-import-'));

/** 1,200 data rows (three batches): every 100th row has a broken e-mail, rows 1101-1200 repeat 1-100. */
function writeFile(name: string): string {
  const file = path.join(dir, name);
  const lines = ['Name,Email,Phone,Tags'];
  for (let i = 1; i <= 1200; i++) {
    const n = i > 1100 ? i - 1100 : i;
    const email = i % 100 === 0 && i <= 1100 ? `pelanggan${n}.example.test` : `pelanggan${n}@example.test`;
    lines.push(`Pelanggan ${n},${email},0812${String(n).padStart(6, '0')},${i > 1100 ? 'ulang' : 'cli'}`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

beforeAll(async () => {
  await getTestContext();
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('nexus customers import', () => {
  it('imports a file with progress on stderr and the report on stdout, and re-runs safely', async () => {
    const tenant = await createTenant('CLI import');
    const file = writeFile('customers.csv');

    const first = await nexus('customers', 'import', file, '--business', tenant.business.unique_id);
    // Some rows failed: the report is printed and the exit status says so.
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toBe('');
    // 11 broken e-mails; rows 1101-1200 repeat customers 1-100: 99 duplicates, and customer 100
    // (broken the first time) is created.
    expect(first.stdout).toContain('Imported customers.csv: 1,200 rows in ');
    expect(first.stdout).toMatch(
      /created {5}1,090\n {2}updated {5}0\n {2}duplicates {2}99\n {2}failed {6}11\n/,
    );
    expect(first.stdout).toContain('line 101: email is not an e-mail address');
    const lines = first.progress.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines)
      expect(line).toMatch(/^customers import: \d+% [\d,]+ rows \(.+ created, .+\) [\d.]+ s$/);
    expect(lines[0]).toMatch(/: \d+% 505 rows \(500 created, 0 updated, 0 duplicates, 5 failed\)/);
    expect(lines.at(-1)).toMatch(/: 100% 1,200 rows \(1,090 created, 0 updated, 99 duplicates, 11 failed\)/);

    const count = await tenant.ctx.database.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('business_id', '=', tenant.business.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1090);

    const again = await nexus(
      'customers',
      'import',
      file,
      '--business',
      String(tenant.business.id),
      '--json',
    );
    expect(again.code, again.stderr).toBe(1);
    const report = JSON.parse(again.stdout);
    expect(report).toMatchObject({ rows: 1200, created: 0, updated: 1090, duplicates: 99, failed: 11 });
    expect(report.errors).toHaveLength(11);
    expect(report.errors[0]).toEqual({ row: 101, reasons: ['email is not an e-mail address'] });
    expect(again.progress).toContain('customers import: 100%');

    // On a terminal the bar redraws in place and ends on its own line.
    const onTerminal = await runNexus(
      ['customers', 'import', file, '--business', tenant.business.unique_id],
      {
        tty: true,
      },
    );
    expect(onTerminal.code, onTerminal.stderr).toBe(1);
    expect(onTerminal.progress).toMatch(/^\r\[[#-]{24}\]/);
    expect(onTerminal.progress).toMatch(/\r\[#{24}\] 100% {2}1,200 rows {2}0 created, 1,090 updated, .*\n$/);
    expect(onTerminal.progress).not.toContain('customers import:');

    // A file whose every row imports exits 0.
    const clean = path.join(dir, 'clean.csv');
    fs.writeFileSync(clean, 'name,email\nSiti,siti-clean@example.test\n');
    const ok = await nexus('customers', 'import', clean, '--business', tenant.business.unique_id);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/failed {6}0\n/);
  });

  it('explains what is wrong with the arguments or the file', async () => {
    const tenant = await createTenant('CLI import errors');
    const file = writeFile('errors.csv');
    const b = tenant.business.unique_id;

    const help = await nexus('customers', 'import', '--help');
    expect(help.stdout).toContain('Usage: nexus customers import <FILE> [options]');
    expect(help.stdout).toContain('tags (separated by ; or |)');

    const noFile = await nexus('customers', 'import', '--business', b);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('FILE is required');

    const missing = await nexus('customers', 'import', path.join(dir, 'nope.csv'), '--business', b);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');

    const noBusiness = await nexus('customers', 'import', file);
    expect(noBusiness.code).toBe(2);
    expect(noBusiness.stderr).toContain('--business is required');

    const unknown = await nexus('customers', 'import', file, '--business', 'NOSUCHBUSINESS00');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No business with id or unique_id NOSUCHBUSINESS00');

    const binary = path.join(dir, 'sheet.csv');
    fs.writeFileSync(binary, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)]));
    const refused = await nexus('customers', 'import', binary, '--business', b);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('file is not a CSV text file');

    const headerless = path.join(dir, 'headerless.csv');
    fs.writeFileSync(headerless, 'Siti,siti@example.test\n');
    const noName = await nexus('customers', 'import', headerless, '--business', b);
    expect(noName.code).toBe(1);
    expect(noName.stderr).toContain('file has no name column in its header row');
  });
});

describe('import progress', () => {
  const progress = (rows: number, bytes: number) => ({
    rows,
    bytes,
    created: rows,
    updated: 0,
    duplicates: 0,
    failed: 0,
  });

  it('redraws one bar in place on a terminal, at most every 100 ms', () => {
    const writes: string[] = [];
    let now = 0;
    const reporter = progressReporter({ isTTY: true, write: (text) => writes.push(text) }, 1000, () => now);
    now = 50;
    reporter.update(progress(100, 250));
    now = 120;
    reporter.update(progress(200, 500));
    now = 300;
    reporter.update(progress(300, 750));
    reporter.done(progress(400, 1000));
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\r\[#{6}-{18}\] {2}25% {2}100 rows {2}100 created/);
    expect(writes[0]).toContain('2,000 rows/s');
    expect(writes[1]).toMatch(/^\r\[#{18}-{6}\] {2}75% {2}300 rows/);
    expect(writes.every((text) => text.includes('\u001b[K'))).toBe(true);
    expect(writes[2]).toMatch(/^\r\[#{24}\] 100% {2}400 rows .*\n$/);
  });

  it('writes a line at every 10% without a terminal', () => {
    const writes: string[] = [];
    let now = 0;
    const reporter = progressReporter({ write: (text) => writes.push(text) }, 1000, () => now);
    for (let bytes = 10; bytes <= 1000; bytes += 10) {
      now += 10;
      reporter.update(progress(bytes, bytes));
    }
    reporter.done(progress(1000, 1000));
    expect(writes).toHaveLength(11);
    expect(writes[0]).toBe(
      'customers import: 1% 10 rows (10 created, 0 updated, 0 duplicates, 0 failed) 0.0 s\n',
    );
    expect(writes.at(-1)).toMatch(/^customers import: 100% 1,000 rows .* 1\.0 s\n$/);
  });
});
