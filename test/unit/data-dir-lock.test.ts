import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  DataDirInUseError,
  LOCK_FILE,
  lockDataDir,
  readLockHolder,
  STALE_AFTER_MS,
} from '../../src/db/data-dir-lock.ts';
import { openDatabase } from '../../src/db/database.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-lock-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let dirs = 0;
function newDir(): string {
  const dir = path.join(root, `d${++dirs}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function writeHolder(dir: string, holder: object | string): string {
  const file = path.join(dir, LOCK_FILE);
  fs.writeFileSync(file, typeof holder === 'string' ? holder : JSON.stringify(holder));
  return file;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  return pid;
}

describe('the embedded data directory lock', () => {
  it('holds the directory for one holder at a time, this process included', () => {
    const dir = newDir();
    const { release } = lockDataDir(dir);
    const file = path.join(dir, LOCK_FILE);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: os.hostname(),
      role: 'command',
    });
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(`in use by process ${process.pid} (since `);

    release();
    expect(fs.existsSync(file)).toBe(false);
    release(); // twice is harmless
    lockDataDir(dir).release();
  });

  it('takes over a lock whose process on this machine is gone', () => {
    const dir = newDir();
    writeHolder(dir, { pid: deadPid(), host: os.hostname(), since: '2026-01-01T00:00:00.000Z' });
    const { release } = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('respects a lock from another machine and one it cannot read, naming the file to delete', () => {
    const dir = newDir();
    const file = writeHolder(dir, { pid: deadPid(), host: 'other-host', since: '2026-01-01T00:00:00.000Z' });
    expect(() => lockDataDir(dir)).toThrow(/in use by process \d+ on other-host/);
    writeHolder(dir, 'not json');
    expect(() => lockDataDir(dir)).toThrow(`in use by another process`);
    expect(() => lockDataDir(dir)).toThrow(`delete ${file}`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not json');
  });

  it('takes over a lock nobody refreshed for a minute, from anywhere, and one with its own pid it does not hold', () => {
    const dir = newDir();
    const file = writeHolder(dir, { pid: 1, host: 'other-host', since: '2026-01-01T00:00:00.000Z' });
    const old = new Date(Date.now() - STALE_AFTER_MS - 5_000);
    fs.utimesSync(file, old, old);
    lockDataDir(dir).release();

    // A container's server restarted after a crash gets the same pid as the one that left the lock.
    writeHolder(dir, { pid: process.pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z' });
    const { release } = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).since).not.toBe('2026-01-01T00:00:00.000Z');
    release();
  });

  it('keeps its lock fresh while it holds it', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const dir = newDir();
      const { release } = lockDataDir(dir);
      const file = path.join(dir, LOCK_FILE);
      const old = new Date(Date.now() - STALE_AFTER_MS - 5_000);
      fs.utimesSync(file, old, old);
      vi.advanceTimersByTime(10_000);
      expect(Date.now() - fs.statSync(file).mtimeMs).toBeLessThan(5_000);
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
      release();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never removes a lock that is no longer its own', () => {
    const dir = newDir();
    const { release } = lockDataDir(dir);
    const file = writeHolder(dir, { pid: 1, host: os.hostname(), since: '2026-01-01T00:00:00.000Z' });
    release();
    expect(fs.existsSync(file)).toBe(true);
  });

  it("publishes a server's socket in the lock, which stays its own", () => {
    const dir = newDir();
    const lock = lockDataDir(dir, 'server');
    const since = readLockHolder(dir)?.since;
    lock.publishSocket('/somewhere/.s.PGSQL.5432');
    expect(readLockHolder(dir)).toEqual({
      pid: process.pid,
      host: os.hostname(),
      since,
      role: 'server',
      socket: '/somewhere/.s.PGSQL.5432',
    });
    expect(fs.readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(() => lockDataDir(dir)).toThrow(/a Nexus server that does not share it/);
    lock.release();
    expect(readLockHolder(dir)).toBeUndefined();
  });

  it("reads a lock left by a process that is gone as nobody's, so a command opens the files itself", () => {
    const dir = newDir();
    writeHolder(dir, {
      pid: deadPid(),
      host: os.hostname(),
      since: '2026-01-01T00:00:00.000Z',
      role: 'server',
      socket: path.join(dir, 'gone', '.s.PGSQL.5432'),
    });
    expect(readLockHolder(dir)).toBeUndefined();
  });

  it('refuses a command at once while another command holds the files', async () => {
    const dataDir = newDir();
    const pgliteDir = path.join(dataDir, 'pglite');
    fs.mkdirSync(pgliteDir);
    const { release } = lockDataDir(pgliteDir, 'command');
    const started = Date.now();
    await expect(openDatabase({ dataDir, embeddedProfile: 'command' })).rejects.toThrow(
      /in use by process \d+ .*another `nexus` command/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    release();
  });

  it('keeps a second embedded database off a held directory before it touches any file', async () => {
    const dataDir = newDir();
    const pgliteDir = path.join(dataDir, 'pglite');
    fs.mkdirSync(pgliteDir);
    const { release } = lockDataDir(pgliteDir);
    await expect(openDatabase({ dataDir })).rejects.toThrow(DataDirInUseError);
    expect(fs.readdirSync(pgliteDir)).toEqual([LOCK_FILE]);
    release();
  });
});
