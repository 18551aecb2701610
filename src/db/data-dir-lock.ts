import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One process at a time on an embedded data directory. PGlite is PostgreSQL in single-user mode
 * inside the process that opens it, with its own buffer pool, WAL position and id counters; a second
 * process on the same files (a `nexus` command while the server runs, a separate `nexus worker`)
 * would write over the first one's pages and lose data without an error. PostgreSQL's own
 * `postmaster.pid` cannot tell: inside WebAssembly every instance has the same made-up pid.
 *
 * The lock also says who holds the files: a `server` publishes the socket it serves the database on
 * (`pglite-socket.ts`), and commands started beside it connect there instead of opening the files.
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

export type HolderRole = 'server' | 'command';

export interface Holder {
  pid: number;
  host: string;
  since: string;
  /** Absent in locks written before roles existed: treated as a command. */
  role?: HolderRole;
  /** The Unix socket a server serves the database on, once it does. */
  socket?: string;
}

export interface DataDirLock {
  release(): void;
  /** Records the socket this holder serves the database on, for commands started beside it. */
  publishSocket(socketPath: string): void;
}

export class DataDirInUseError extends Error {
  constructor(
    message: string,
    readonly holder: Holder | undefined,
    readonly file: string,
  ) {
    super(message);
  }
}

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
  const what =
    holder?.role === 'server'
      ? 'a Nexus server that does not share it with this machine'
      : 'for instance another `nexus` command';
  return new DataDirInUseError(
    `the embedded database in ${dir} is in use by ${who}, ${what}. It takes one process at a time ` +
      '(a running server shares it with commands on its socket): wait for that process or stop it, or use ' +
      `PostgreSQL (DATABASE_URL). If nothing is using it, delete ${file}.`,
    holder,
    file,
  );
}

/**
 * Who holds the directory now, if anyone (for commands deciding whether to use a server's socket).
 * A lock its holder left behind (see {@link isStale}) counts as nobody's: the next opener takes it over.
 */
export function readLockHolder(dir: string): Holder | undefined {
  const file = path.join(dir, LOCK_FILE);
  const holder = readHolder(file);
  return holder && !isStale(file, holder) ? holder : undefined;
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
 * Takes the directory for this process, or throws {@link DataDirInUseError}. The release is also
 * done when the process exits.
 */
export function lockDataDir(dir: string, role: HolderRole = 'command'): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  const mine: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), role };
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
  const publishSocket = (socketPath: string) => {
    if (released) return;
    mine.socket = socketPath;
    // Written aside and renamed over the lock, so a reader never sees half a file.
    const next = `${file}.${process.pid}.next`;
    fs.writeFileSync(next, `${JSON.stringify(mine)}\n`);
    fs.renameSync(next, file);
  };
  return { release, publishSocket };
}
