import fs from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in ticks of 10 ms. */
const CLOCK_TICK_MS = 10;

/** User + system CPU milliseconds of one process, or null when /proc cannot tell (gone, not Linux). */
function cpuMsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return null;
  }
}

/** User + system CPU milliseconds of these processes, or null when /proc cannot tell. */
export function processCpuMs(pids: number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const ms = cpuMsOf(pid);
    if (ms === null) return null;
    total += ms;
  }
  return total;
}

/** Every session on this database: the pool's connections and nothing else during a bench. */
export async function backendPids(db: Db): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db);
  return rows.map((row) => row.pid);
}

export interface CpuPerRequest {
  /** This process: the Nexus app or the floor (only one is under load at a time). */
  node: number;
  /** PostgreSQL's backends on this database; null on PGlite (inside `node`) or without /proc. */
  postgres: number | null;
}

/**
 * CPU spent while `run` loads a server, divided by the requests it sent. The pool may open backends
 * during the run: those count from zero, as all their work falls inside it.
 */
export async function measureCpu<T>(
  db: Db,
  onPostgres: boolean,
  run: () => Promise<T>,
  requestsOf: (result: T) => number,
): Promise<{ result: T; cpu: CpuPerRequest }> {
  const before = new Map<number, number>();
  if (onPostgres) {
    for (const pid of await backendPids(db)) before.set(pid, cpuMsOf(pid) ?? 0);
  }
  const node0 = process.cpuUsage();
  const result = await run();
  const node = process.cpuUsage(node0);
  let postgres: number | null = null;
  if (onPostgres) {
    postgres = 0;
    for (const pid of await backendPids(db)) {
      const ms = cpuMsOf(pid);
      if (ms === null) continue;
      postgres += ms - (before.get(pid) ?? 0);
    }
  }
  const requests = Math.max(1, requestsOf(result));
  return {
    result,
    cpu: {
      node: (node.user + node.system) / 1000 / requests,
      postgres: postgres === null ? null : postgres / requests,
    },
  };
}
