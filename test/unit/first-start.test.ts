import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { prepareNewDataDir } from '../../src/db/first-start.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-first-start-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/**
 * The first start's preparing child (the lifecycle test runs the real one through `npm start`):
 * only for a new embedded data directory, and a failure is reported, never thrown, so the server
 * prepares the directory itself.
 */
describe('preparing a new data directory in a child process', () => {
  it('does nothing on PostgreSQL or on a directory initialised before', async () => {
    expect(await prepareNewDataDir(loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x' }))).toBeNull();
    fs.mkdirSync(path.join(dataDir, 'old', 'pglite'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'old', 'pglite', 'PG_VERSION'), '18\n');
    expect(await prepareNewDataDir(loadConfig({ NEXUS_DATA_DIR: path.join(dataDir, 'old') }))).toBeNull();
  });

  it('reports a child that failed, with its last line, instead of stopping the start', async () => {
    const broken = path.join(dataDir, 'broken.js');
    fs.writeFileSync(
      broken,
      "process.stderr.write('nexus migrate: the disk is full\\n'); process.exit(1);\n",
    );
    const result = await prepareNewDataDir(loadConfig({ NEXUS_DATA_DIR: path.join(dataDir, 'new') }), broken);
    expect(result).toMatchObject({ prepared: false, error: 'nexus migrate: the disk is full' });
    expect(result?.child_pid).toEqual(expect.any(Number));
  });
});
