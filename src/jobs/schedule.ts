import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import './tables.ts';

/** Work that recurs (sweeps, retention): one job of `kind` queued every `everyMs`. */
export interface RecurringJob {
  kind: string;
  everyMs: number;
}

function values(schedules: readonly RecurringJob[]) {
  return sql.join(schedules.map((s) => sql`(${s.kind}::text, ${s.everyMs / 1000}::float8)`));
}

/**
 * Registers the recurring kinds: a new kind is due at once; a known kind keeps its next run unless
 * a shorter period (a changed setting) brings it closer.
 */
export async function ensureSchedules(db: Db, schedules: readonly RecurringJob[]): Promise<void> {
  for (const schedule of schedules) {
    await sql`
      insert into job_schedules (kind, next_run_at) values (${schedule.kind}, now())
      on conflict (kind) do update set next_run_at = least(
        job_schedules.next_run_at, now() + make_interval(secs => ${schedule.everyMs / 1000}::float8)
      )
    `.execute(db);
  }
}

/**
 * Queues one run of every due recurring kind and moves its next run a period ahead, in one
 * statement: the row update is the claim, so of several workers polling at once exactly one queues
 * each period's run. The run gets one attempt (the next period is its retry). Returns the kinds queued.
 */
export async function enqueueDueSchedules(db: Db, schedules: readonly RecurringJob[]): Promise<string[]> {
  if (schedules.length === 0) return [];
  const result = await sql<{ kind: string }>`
    with due as (
      update job_schedules s set next_run_at = now() + make_interval(secs => v.every_s)
      from (values ${values(schedules)}) as v(kind, every_s)
      where s.kind = v.kind and s.next_run_at <= now()
      returning s.kind
    )
    insert into jobs (kind, payload, max_attempts)
    select kind, '{}'::jsonb, 1 from due
    returning kind
  `.execute(db);
  return result.rows.map((row) => row.kind);
}
