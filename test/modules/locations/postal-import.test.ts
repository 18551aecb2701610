import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPostalCodesFile, REPO_ROOT } from '../../../src/lib/paths.ts';
import { importPostalCodes } from '../../../src/modules/locations/postal-codes.ts';
import { getTestContext } from '../../helpers/app.ts';
import { runNexus } from '../../helpers/cli.ts';

/**
 * The postal-code file ships inside the repository, gzip-compressed, and is read while it
 * decompresses; `nexus locations import FILE` takes a plain, gzip or brotli file alike.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-postal-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Rows the run's template database already holds (Cempaka Putih, Jakarta Pusat), so importing them
// again changes nothing the other test files read.
const CSV = [
  'id,urban,sub_district,city,province_code,postal_code',
  '1,RAWASARI,CEMPAKA PUTIH,JAKARTA PUSAT,31,10570',
  '2,CEMPAKA PUTIH TIMUR,CEMPAKA PUTIH,JAKARTA PUSAT,31,10510',
  '3,NOWHERE,NO SUCH PLACE,NO CITY,31,99999',
  '',
].join('\n');

function write(name: string, bytes: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('postal-code files', () => {
  it('ships the reference file in the repository, as the README beside it describes', async () => {
    const file = defaultPostalCodesFile();
    expect(file).toBe(
      path.join(REPO_ROOT, 'src', 'modules', 'locations', 'reference', 'id-postal-codes.csv.gz'),
    );
    expect(fs.existsSync(path.join(path.dirname(file), 'LICENSE-id-postal-codes'))).toBe(true);
    const plain = zlib.gunzipSync(fs.readFileSync(file));
    expect(createHash('sha256').update(plain).digest('hex')).toBe(
      '3c3e9a52336ea2e57a85a67af2d404d19afb7a3dff715749d3390d5f5a1d07b0',
    );
    const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()) });
    let count = 0;
    for await (const _line of lines) count++;
    expect(count).toBe(81_249);
  });

  it('imports plain, gzip and brotli files alike', async () => {
    const { database } = await getTestContext();
    const files = [
      write('codes.csv', CSV),
      write('codes.csv.gz', zlib.gzipSync(CSV)),
      write('codes.csv.br', zlib.brotliCompressSync(CSV)),
      // gzip without the extension is recognised by its first bytes.
      write('codes-gzip.txt', zlib.gzipSync(CSV)),
    ];
    for (const file of files) {
      const report = await importPostalCodes(database.db, file);
      expect(report, file).toMatchObject({ rows: 3, matched: 2, unmatched: 1, inserted: 0 });
      expect(report.unmatchedSamples).toEqual(['3,NOWHERE,NO SUCH PLACE,NO CITY,31,99999']);
    }
  });

  it('fails loudly on a damaged compressed file', async () => {
    const { database } = await getTestContext();
    const whole = zlib.gzipSync(CSV);
    const damaged = write('damaged.csv.gz', whole.subarray(0, whole.length - 12));
    await expect(importPostalCodes(database.db, damaged)).rejects.toThrow(/unexpected end of file/i);
  });

  it('`nexus locations import FILE` reads a .gz file', async () => {
    const run = await runNexus(['locations', 'import', write('cli.csv.gz', zlib.gzipSync(CSV)), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 3, matched: 2, unmatched: 1 });
  });
});
