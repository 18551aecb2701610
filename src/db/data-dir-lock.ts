import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One process at a time on an embedded data directory. PGlite is PostgreSQL in single-user mode
 * inside the process that opens it, with its own buffer pool, WAL position and id counters; a second
 * process on the same files (a `nexus` command while the server runs, a separate `nexus worker`)
 * would write over the first one's pages and lose data without an error. PostgreSQL's own
 * `postmaster.pid` cannot tell: inside WebAssembly every instance has the same made-up pid.
 */
export const LOCK_FILE = 'nexus.lock';

/**
 * The holder touches its lock this often; one untouched for STALE_AFTER_MS is left by a process that
 * is gone, wherever it ran (another container, a host sharing the volume, a reused pid).
 */
const REFRESH_MS = 10_000;
export const STALE_AFTER_MS = 60_000;

/** Lock files this process holds now (a second open here is refused like any other). */
const heldHere = new Set<string>();

interface Holder {
  pid: number;
  host: string;
  since: string;
}

export class DataDirInUseError extends Error {}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still holds the directory.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Holder>;
    if (Number.isInteger(holder.pid) && typeof holder.host === 'string') return holder as Holder;
  } catch {
    // Unreadable or gone: handled by the caller as "held by someone unknown" or retried.
  }
  return undefined;
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * A lock left by a process that is gone: no longer refreshed, or from this machine with a pid that
 * is not running, or with this process's own pid while this process does not hold it (a container's
 * server restarted as the same pid after a crash).
 */
function isStale(file: string, holder: Holder | undefined): boolean {
  if (ageMs(file) > STALE_AFTER_MS) return true;
  if (holder === undefined || holder.host !== os.hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(file);
  return !isRunning(holder.pid);
}

function inUse(dir: string, file: string, holder: Holder | undefined): DataDirInUseError {
  const who = holder
    ? `process ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${holder.host}`} (since ${holder.since})`
    : 'another process';
  return new DataDirInUseError(
    `the embedded database in ${dir} is in use by ${who}, for instance a running Nexus server. ` +
      'It takes one process at a time: stop that process first, or use PostgreSQL (DATABASE_URL) to run ' +
      `commands beside the server. If nothing is using it, delete ${file}.`,
  );
}

const sameHolder = (a: Holder | undefined, b: Holder) => a?.pid === b.pid && a.since === b.since;

/**
 * Moves a stale lock aside. Two processes may find the same stale lock at once: whichever moves it
 * second may have moved the first one's fresh lock instead, so that one is put back.
 */
function clearStale(file: string, stale: Holder | undefined): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readHolder(aside);
  if (stale === undefined ? moved === undefined : sameHolder(moved, stale)) fs.rmSync(aside, { force: true });
  else fs.renameSync(aside, file);
}

/**
 * Takes the directory for this process, or throws {@link DataDirInUseError}. Returns the release,
 * which is also done when the process exits.
 */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const mine: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (attempt > 0 || !isStale(file, holder)) throw inUse(dir, file, holder);
      clearStale(file, holder);
    }
  }

  heldHere.add(file);
  const refresh = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // Deleted by hand: nothing to refresh; the release below checks ownership anyway.
    }
  }, REFRESH_MS);
  refresh.unref();

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    heldHere.delete(file);
    process.off('exit', release);
    // Only our own lock: never remove one another process took after ours was deemed stale.
    if (sameHolder(readHolder(file), mine)) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return release;
}
