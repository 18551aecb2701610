import { sql } from 'kysely';
import { deleteInBatches } from '../db/batches.ts';
import type { Db } from '../db/database.ts';
import './tables.ts';

/** A job a worker holds: `attempts` counts this run, and together with `locked_by` fences its writes. */
export interface ClaimedJob {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

export interface EnqueueOptions {
  /** Runs allowed before the job is marked failed (default 8). */
  maxAttempts?: number;
}

const MAX_ERROR_LENGTH = 2000;

/**
 * Queues background work. Pass the transaction that makes the change causing the work, so the job
 * exists exactly when the change commits (and a rolled-back change leaves no job behind).
 */
export async function enqueueJob(
  trx: Db,
  kind: string,
  payload: unknown,
  runAt?: Date,
  options: EnqueueOptions = {},
): Promise<number> {
  const row = await trx
    .insertInto('jobs')
    .values({
      kind,
      payload: JSON.stringify(payload ?? {}),
      ...(runAt ? { run_at: runAt } : {}),
      ...(options.maxAttempts ? { max_attempts: options.maxAttempts } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Several jobs in one statement (e.g. one delivery per configured pixel). */
export async function enqueueJobs(
  trx: Db,
  jobs: Array<{ kind: string; payload: unknown; runAt?: Date; maxAttempts?: number }>,
): Promise<number[]> {
  if (jobs.length === 0) return [];
  const rows = await trx
    .insertInto('jobs')
    .values(
      jobs.map((job) => ({
        kind: job.kind,
        payload: JSON.stringify(job.payload ?? {}),
        run_at: job.runAt ?? new Date(),
        max_attempts: job.maxAttempts ?? 8,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Claims up to `limit` due jobs of the given kinds in one statement (its own short transaction):
 * rows another worker is claiming are skipped, never waited for, and a row claimed and committed
 * meanwhile fails the re-checked `status = 'queued'`, so no two workers ever hold the same job.
 * The attempt is counted at claim time, so a job that kills its worker still runs out of attempts.
 */
export async function claimJobs(
  db: Db,
  workerId: string,
  kinds: readonly string[],
  limit: number,
): Promise<ClaimedJob[]> {
  if (kinds.length === 0 || limit <= 0) return [];
  const result = await sql<ClaimedJob>`
    update jobs set status = 'running', locked_at = now(), locked_by = ${workerId}, attempts = attempts + 1
    where id in (
      select id from jobs
      where status = 'queued' and run_at <= now() and kind in (${sql.join([...kinds])})
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    returning id, kind, payload, attempts, max_attempts
  `.execute(db);
  return result.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

function fence(job: ClaimedJob, workerId: string) {
  return sql`id = ${job.id} and status = 'running' and locked_by = ${workerId} and attempts = ${job.attempts}`;
}

export async function completeJob(db: Db, job: ClaimedJob, workerId: string): Promise<boolean> {
  const result = await sql`
    update jobs set status = 'done', finished_at = now(), locked_at = null, locked_by = null, last_error = null
    where ${fence(job, workerId)}
    returning id
  `.execute(db);
  return result.rows.length > 0;
}

/**
 * Records a failed run: back to the queue at `retryAt`, or `failed` for good when the job is out
 * of attempts or the failure is permanent. Returns the status written (null if the lock was lost).
 */
export async function failJob(
  db: Db,
  job: ClaimedJob,
  workerId: string,
  error: string,
  retryAt: Date | null,
): Promise<'queued' | 'failed' | null> {
  const status = retryAt && job.attempts < job.max_attempts ? 'queued' : 'failed';
  const result = await sql`
    update jobs set
      status = ${status},
      run_at = ${status === 'queued' ? retryAt : sql`run_at`},
      finished_at = ${status === 'failed' ? sql`now()` : null},
      last_error = ${error.slice(0, MAX_ERROR_LENGTH)},
      locked_at = null,
      locked_by = null
    where ${fence(job, workerId)}
    returning id
  `.execute(db);
  return result.rows.length > 0 ? status : null;
}

/**
 * Jobs still `running` after `timeoutMs` belong to a worker that died (or hung past every handler
 * timeout): they go back to the queue, or fail when they have used their attempts.
 */
export async function recoverStaleJobs(db: Db, timeoutMs: number): Promise<number> {
  const result = await sql`
    update jobs set
      status = case when attempts >= max_attempts then 'failed' else 'queued' end,
      finished_at = case when attempts >= max_attempts then now() else null end,
      run_at = now(),
      last_error = 'worker ' || coalesce(locked_by, '?') || ' stopped responding while running this job',
      locked_at = null,
      locked_by = null
    where status = 'running' and locked_at < now() - make_interval(secs => ${timeoutMs / 1000})
    returning id
  `.execute(db);
  return result.rows.length;
}

/**
 * Retention: deletes jobs that finished (`done`) before `doneBefore` and jobs that failed for good
 * before `failedBefore`, in batches. Returns how many went.
 */
export async function purgeFinishedJobs(
  db: Db,
  cutoffs: { doneBefore: Date; failedBefore: Date },
): Promise<number> {
  let deleted = 0;
  for (const [status, before] of [
    ['done', cutoffs.doneBefore],
    ['failed', cutoffs.failedBefore],
  ] as const) {
    deleted += await deleteInBatches(async (limit) => {
      const result = await sql`
        delete from jobs where id in (
          select id from jobs
          where status in ('done', 'failed') and status = ${status} and finished_at < ${before}
          order by finished_at limit ${limit}
        )`.execute(db);
      return Number(result.numAffectedRows ?? 0n);
    });
  }
  return deleted;
}
