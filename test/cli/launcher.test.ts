import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { bundleEntry } from '../../bin/bundle.js';
import { REPO_ROOT } from '../../src/lib/paths.ts';

const run = promisify(execFile);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-launcher-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('the nexus launcher (bin/nexus.js)', () => {
  it('bundles TypeScript so each module still finds the files beside it', async () => {
    const where = write(
      path.join(work, 'src', 'deep', 'where.ts'),
      'export const here: { dirname: string; filename: string; url: string } = {\n' +
        '  dirname: import.meta.dirname, filename: import.meta.filename, url: import.meta.url,\n};\n',
    );
    const entry = write(path.join(work, 'src', 'entry.ts'), "export { here } from './deep/where.ts';\n");
    const cacheDir = path.join(work, 'cache');

    const bundle = await bundleEntry(entry, cacheDir);
    expect(path.dirname(bundle)).toBe(cacheDir);
    const { here } = await import(pathToFileURL(bundle).href);
    expect(here).toEqual({ dirname: path.dirname(where), filename: where, url: pathToFileURL(where).href });

    // Unchanged sources reuse the bundle; changed ones get a new one and the stale one goes.
    expect(await bundleEntry(entry, cacheDir)).toBe(bundle);
    write(entry, "export { here } from './deep/where.ts';\nexport const changed = true;\n");
    const next = await bundleEntry(entry, cacheDir);
    expect(next).not.toBe(bundle);
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(next)]);
  });

  it('maps stack traces back to the sources when asked to', async () => {
    const thrower = write(
      path.join(work, 'mapped', 'src', 'deep', 'thrower.ts'),
      'export function fail(): string {\n  const typed: number = 1;\n  return new Error(String(typed)).stack ?? "";\n}\n',
    );
    const entry = write(
      path.join(work, 'mapped', 'src', 'entry.ts'),
      "import { fail } from './deep/thrower.ts';\nprocess.stdout.write(fail());\n",
    );
    const bundle = await bundleEntry(entry, path.join(work, 'mapped-cache'), {
      name: 'server',
      sourceMaps: true,
    });
    expect(path.basename(bundle)).toMatch(/^server-[0-9a-f]{16}\.mjs$/);
    const { stdout } = await run(process.execPath, ['--enable-source-maps', bundle]);
    expect(stdout).toContain(`${thrower}:3:`);
  });

  it('reports a source that does not compile instead of bundling it', async () => {
    const entry = write(path.join(work, 'broken', 'entry.ts'), 'export const x = ;\n');
    await expect(bundleEntry(entry, path.join(work, 'broken-cache'))).rejects.toThrow(/Unexpected/);
  });

  it('runs the CLI from the bundle', async () => {
    const { stdout, stderr } = await run(process.execPath, [
      path.join(REPO_ROOT, 'bin', 'nexus.js'),
      '--help',
    ]);
    expect(stderr).toBe('');
    expect(stdout).toContain('customers import');
  }, 30_000);
});

describe('the embedded database profile', () => {
  // A child process: the command profile also sets a process-wide V8 flag this worker must not get.
  async function sharedBuffers(profile: 'server' | 'command'): Promise<string> {
    const template = inject('pgliteTemplate');
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'test', 'fixtures', 'embedded-settings.ts'),
      profile,
      ...(template ? [template] : []),
    ]);
    return JSON.parse(stdout).shared_buffers;
  }

  it('gives a command and the server alike a 16 MB buffer pool, not the default 128 MB', async () => {
    const [command, server] = await Promise.all([sharedBuffers('command'), sharedBuffers('server')]);
    expect(command).toBe('16MB');
    expect(server).toBe('16MB');
  }, 60_000);
});
