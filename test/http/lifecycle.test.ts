import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestApp, getTestContext, testConfig } from '../helpers/app.ts';
import { freePort, runCommand, spawnNexus } from '../helpers/server.ts';

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

  it('starts on an empty embedded database, serves, exits cleanly on SIGTERM, and starts again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-start-'));
    // Three rows (two in Cempaka Putih, one nowhere) instead of the 81,248 the repository ships.
    const postalCodes = path.join(dataDir, 'codes.csv');
    fs.writeFileSync(
      postalCodes,
      [
        'id,urban,sub_district,city,province_code,postal_code',
        '1,RAWASARI,CEMPAKA PUTIH,JAKARTA PUSAT,31,10570',
        '2,CEMPAKA PUTIH TIMUR,CEMPAKA PUTIH,JAKARTA PUSAT,31,10510',
        '3,NOWHERE,NO SUCH PLACE,NO CITY,31,99999',
      ].join('\n'),
    );
    const port = await freePort();
    const start = async () => {
      const started = spawnNexus({
        PORT: String(port),
        HOST: '127.0.0.1',
        NEXUS_DATA_DIR: dataDir,
        NEXUS_POSTAL_CODES_CSV: postalCodes,
      });
      const deadline = Date.now() + 60_000;
      while (
        !started.output().stdout.includes('Nexus is ready') &&
        Date.now() < deadline &&
        started.child.exitCode === null
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return started;
    };
    const { child, output } = await start();
    let again: Awaited<ReturnType<typeof start>> | undefined;
    try {
      const { stdout } = output();
      expect(stdout).toContain('Nexus is running with a new demo business');
      const key = stdout.match(/Business API key\s+(sk_[A-Za-z0-9]{64})/)?.[1];
      expect(key).toBeDefined();
      const me = await fetch(`http://127.0.0.1:${port}/v3/me`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(me.status).toBe(200);
      expect((await me.json()).business.username).toBe('tokodemo');

      // initdb, the migrations and the postal codes ran in a child that has exited (issue 11): the
      // server's own peak memory is what any later start's is, far below the ~750 MB of doing them
      // in the server, whose WebAssembly memory never shrinks again.
      const firstLogs = jsonLines(stdout);
      const prepared = firstLogs.find(
        (l) => l.msg === 'prepared the new embedded database in a separate process',
      );
      expect(prepared).toMatchObject({
        pid: child.pid,
        child_pid: expect.any(Number),
        applied: expect.any(Number),
      });
      expect(prepared?.child_pid).not.toBe(child.pid);
      expect(prepared?.applied).toBeGreaterThan(10);
      expect(firstLogs.find((l) => l.msg === 'imported postal codes')).toMatchObject({
        matched: 2,
        unmatched: 1,
      });
      if (process.platform === 'linux') {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const peakMb = Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1]) / 1024;
        expect(peakMb).toBeLessThan(450);
      }

      // The server holds the embedded files and shares them on its socket: a command runs beside it
      // (test/e2e/cli-beside-server.test.ts goes further) instead of writing over its pages.
      const lock = path.join(dataDir, 'pglite', 'nexus.lock');
      const holder = JSON.parse(fs.readFileSync(lock, 'utf8'));
      expect(holder).toMatchObject({ pid: child.pid, role: 'server' });
      const command = await runCommand(['migrate'], { NEXUS_DATA_DIR: dataDir });
      expect(command.stderr).toBe('');
      expect(command.code).toBe(0);
      expect(command.stdout).toContain(
        `Database: embedded PGlite of the Nexus server (process ${child.pid}) through ${holder.socket}`,
      );

      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
      expect(fs.existsSync(lock)).toBe(false);
      expect(fs.existsSync(holder.socket)).toBe(false);
      expect(output().stdout).toContain('shutting down');
      // The banner shows the key once on purpose; the JSON logs never carry credentials.
      const logs = output()
        .stdout.split('\n')
        .filter((line) => line.startsWith('{'));
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.join('\n')).not.toContain(key!.slice(3));
      const password = stdout.match(/Owner login\s+\S+ \/ (\S+)/)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
      const b_uid = stdout.match(/b_uid (\w+)/)?.[1];

      // Every start prints the banner: where things are and the demo's ids, never a secret again.
      again = await start();
      const next = again.output().stdout;
      expect(next).toContain('Nexus is running with the demo business.');
      expect(next).toContain(`  API               http://localhost:${port}/v3`);
      expect(next).toContain(`  API reference     http://localhost:${port}/docs`);
      expect(next).toContain(`  Hosted pages      http://localhost:${port}/o/<secret_slug>`);
      expect(next).toContain(`  Business          tokodemo (b_uid ${b_uid})`);
      expect(next).toContain(`  New API key       npm run nexus -- api-key create --business ${b_uid}`);
      expect(next).toContain('also localhost and 127.0.0.1 on ports 3000, 4321, 5173, 8080');
      expect(next).not.toContain('Business API key');
      expect(next).not.toContain('Owner login');
      expect(next).not.toMatch(/sk_[A-Za-z0-9]{20}/);
      expect(next).not.toContain(password);
      expect(next).not.toContain('prepared the new embedded database');
      again.child.kill('SIGTERM');
      expect(await exited(again.child)).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (again && again.child.exitCode === null) again.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
