import { type ChildProcess, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/lib/paths.ts';
import { buildTestApp, getTestContext, testConfig } from '../helpers/app.ts';
import { freePort, spawnNexus } from '../helpers/server.ts';

/** `nexus <argv>` as installed, on the embedded database. */
function runCommand(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'nexus.js'), ...argv],
      { env: { ...process.env, DATABASE_URL: '', ...env } },
      (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
    );
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('process lifecycle', () => {
  it('finishes in-flight requests when closing', async () => {
    const base = await getTestContext();
    let release: () => void = () => {};
    let markStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const ctx = await buildTestApp(base.database, testConfig(), (app) => {
      app.get('/slow', { config: { rateLimit: false } }, async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
          markStarted();
        });
        return { finished: true };
      });
    });
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${address}/slow`);
    await started;
    const closing = ctx.app.close();
    setTimeout(() => release(), 200);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    await closing;
    await expect(fetch(`${address}/healthz`)).rejects.toThrow();
  });

  it('stops on a bad setting with one readable line', async () => {
    const { child, output } = spawnNexus({ PORT: 'eighty' });
    expect(await exited(child)).toBe(1);
    const stderr = output().stderr.trim();
    expect(stderr).toBe('nexus: Invalid configuration: PORT must be a whole number, got "eighty"');
  });

  it('starts on an empty embedded database, serves, and exits cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-start-'));
    const port = await freePort();
    const { child, output } = spawnNexus({
      PORT: String(port),
      HOST: '127.0.0.1',
      NEXUS_DATA_DIR: dataDir,
      NEXUS_POSTAL_CODES_CSV: path.join(dataDir, 'absent.csv'),
    });
    try {
      const deadline = Date.now() + 60_000;
      while (
        !output().stdout.includes('Nexus is ready') &&
        Date.now() < deadline &&
        child.exitCode === null
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const { stdout } = output();
      expect(stdout).toContain('Nexus is running with a demo business');
      const key = stdout.match(/Business API key\s+(sk_[A-Za-z0-9]{64})/)?.[1];
      expect(key).toBeDefined();
      const me = await fetch(`http://127.0.0.1:${port}/v3/me`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(me.status).toBe(200);
      expect((await me.json()).business.username).toBe('tokodemo');

      // A command on the server's embedded database would write over its pages: it is refused.
      const lock = path.join(dataDir, 'pglite', 'nexus.lock');
      expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(child.pid);
      const command = await runCommand(['mail', 'list'], { NEXUS_DATA_DIR: dataDir });
      expect(command.code).toBe(1);
      expect(command.stderr).toContain(
        `nexus mail list: the embedded database in ${path.join(dataDir, 'pglite')}`,
      );
      expect(command.stderr).toContain(`is in use by process ${child.pid}`);

      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
      expect(fs.existsSync(lock)).toBe(false);
      expect(output().stdout).toContain('shutting down');
      // The banner shows the key once on purpose; the JSON logs never carry credentials.
      const logs = output()
        .stdout.split('\n')
        .filter((line) => line.startsWith('{'));
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.join('\n')).not.toContain(key!.slice(3));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
