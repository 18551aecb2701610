import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterTemplateFile, installedPGliteVersion } from '../../src/db/cluster-template.ts';
import { openDatabase } from '../../src/db/database.ts';

/** The files of a ustar archive by name (PGlite's dumpDataDir writes plain ustar). */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(
      header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0',
      8,
    );
    files.set(prefix ? `${prefix}/${name}` : name, tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-cluster-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** A new embedded database starts from the shipped copy of initdb's cluster (src/db/cluster-template.ts). */
describe('the shipped empty cluster', () => {
  it('exists for the installed PGlite (after upgrading it, run `npm run db:cluster`)', () => {
    const file = clusterTemplateFile();
    expect(fs.existsSync(file), `${file} is missing: run npm run db:cluster`).toBe(true);
    expect(path.basename(file)).toBe(`pglite-${installedPGliteVersion()}.tar.br`);
  });

  it('is what a new data directory starts from, instead of a run of initdb', async () => {
    const files = untar(zlib.brotliDecompressSync(fs.readFileSync(clusterTemplateFile())));
    const control = [...files].find(([name]) => name.endsWith('global/pg_control'))?.[1];
    const version = [...files].find(
      ([name]) => /(^|\/)PG_VERSION$/.test(name) && !name.includes('base/'),
    )?.[1];
    expect(control).toBeDefined();
    const database = await openDatabase({ dataDir });
    try {
      const { rows } = await sql<{ id: string; major: string }>`
        select system_identifier::text as id, current_setting('server_version_num')::int / 10000 as major
        from pg_control_system()`.execute(database.db);
      // initdb draws a new system identifier every time; a copy keeps the one it was made with.
      expect(rows[0]?.id).toBe(control?.readBigUInt64LE(0).toString());
      expect(version?.toString('utf8').trim()).toBe(String(rows[0]?.major));
    } finally {
      await database.close();
    }
  });
});
