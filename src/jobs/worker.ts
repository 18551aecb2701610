import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/database.ts';
import { type ClaimedJob, claimJobs, completeJob, failJob, recoverStaleJobs } from './queue.ts';
import { enqueueDueSchedules, ensureSchedules, type RecurringJob } from './schedule.ts';

export interface JobContext {
  job: ClaimedJob;
  db: Db;
  /** Aborted when the run exceeds the handler timeout. */
  signal: AbortSignal;
  logger: WorkerLogger;
}

export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

/** The pino subset the worker logs through (Fastify's `app.log` fits). */
export interface WorkerLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Thrown by a handler when retrying cannot help (bad credentials, a rejected payload). */
export class PermanentJobError extends Error {}

export interface WorkerOptions {
  db: Db;
  handlers: JobHandlers;
  logger: WorkerLogger;
  /** Pause between polls when the queue is empty (default 1000 ms). */
  pollMs?: number;
  /** Jobs claimed per poll and run together (default 10). */
  batchSize?: number;
  /** A handler run is aborted after this long (default 60 s). */
  handlerTimeoutMs?: number;
  /** A job running longer than this is presumed orphaned by a dead worker (default 5 min). */
  lockTimeoutMs?: number;
  /** Delay before retry number `attempt` (1-based); default exponential from 10 s, capped at 1 h, ±20%. */
  backoff?: (attempt: number) => number;
  workerId?: string;
  /** Recurring jobs this worker queues when due (their kinds need a handler here). */
  schedules?: readonly RecurringJob[];
  /** How often the loop looks for due recurring jobs (default 10 s; the first look is at start). */
  scheduleCheckMs?: number;
}

export function defaultBackoff(attempt: number): number {
  const base = Math.min(10_000 * 2 ** (attempt - 1), 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

interface Resolved {
  db: Db;
  handlers: JobHandlers;
  logger: WorkerLogger;
  batchSize: number;
  handlerTimeoutMs: number;
  lockTimeoutMs: number;
  backoff: (attempt: number) => number;
  workerId: string;
  schedules: readonly RecurringJob[];
}

function resolve(options: Omit<WorkerOptions, 'pollMs'>): Resolved {
  return {
    db: options.db,
    handlers: options.handlers,
    logger: options.logger,
    batchSize: options.batchSize ?? 10,
    handlerTimeoutMs: options.handlerTimeoutMs ?? 60_000,
    lockTimeoutMs: options.lockTimeoutMs ?? 300_000,
    backoff: options.backoff ?? defaultBackoff,
    workerId: options.workerId ?? newWorkerId(),
    schedules: (options.schedules ?? []).filter((schedule) => options.handlers[schedule.kind]),
  };
}

async function runOne(worker: Resolved, job: ClaimedJob): Promise<void> {
  const handler = worker.handlers[job.kind];
  const timeout = AbortSignal.timeout(worker.handlerTimeoutMs);
  try {
    if (!handler) throw new PermanentJobError(`no handler for job kind ${job.kind}`);
    // A handler that ignores its signal still releases the worker when the timeout fires.
    const expired = new Promise<never>((_, reject) => {
      timeout.addEventListener('abort', () => reject(timeout.reason), { once: true });
    });
    await Promise.race([
      handler(job.payload, { job, db: worker.db, signal: timeout, logger: worker.logger }),
      expired,
    ]);
    await completeJob(worker.db, job, worker.workerId);
  } catch (error) {
    const message = timeout.aborted ? `timed out after ${worker.handlerTimeoutMs} ms` : describe(error);
    const permanent = error instanceof PermanentJobError;
    const retryAt = permanent ? null : new Date(Date.now() + worker.backoff(job.attempts));
    const status = await failJob(worker.db, job, worker.workerId, message, retryAt);
    const log = { job_id: job.id, kind: job.kind, attempt: job.attempts, error: message };
    if (status === 'failed') worker.logger.error(log, 'job failed for good');
    else worker.logger.warn({ ...log, retry_at: retryAt }, 'job failed; will retry');
  }
}

/**
 * Claims one batch of due jobs and runs them. The claim is its own short statement and the handlers
 * run outside any transaction, so on PGlite's single connection handlers can use the database too.
 */
async function runBatch(worker: Resolved): Promise<number> {
  const jobs = await claimJobs(worker.db, worker.workerId, Object.keys(worker.handlers), worker.batchSize);
  await Promise.all(jobs.map((job) => runOne(worker, job)));
  return jobs.length;
}

/**
 * Runs due jobs until none is left (or `maxJobs` ran): `nexus worker --once`, and tests. Jobs of
 * kinds without a handler here stay queued for a worker that has one.
 */
export async function runJobsOnce(
  options: Omit<WorkerOptions, 'pollMs'> & { maxJobs?: number },
): Promise<number> {
  const worker = resolve(options);
  await recoverStaleJobs(worker.db, worker.lockTimeoutMs);
  await ensureSchedules(worker.db, worker.schedules);
  await enqueueDueSchedules(worker.db, worker.schedules);
  let total = 0;
  const max = options.maxJobs ?? Number.POSITIVE_INFINITY;
  while (total < max) {
    const ran = await runBatch({ ...worker, batchSize: Math.min(worker.batchSize, max - total) });
    total += ran;
    if (ran === 0) break;
  }
  return total;
}

/**
 * Starts the polling loop (inside the server by default, or in `nexus worker`). A full batch polls
 * again at once; an empty one waits `pollMs`. Stale locks are recovered every `lockTimeoutMs / 4`;
 * due recurring jobs are queued every `scheduleCheckMs`.
 * The returned function stops polling and resolves once the batch in flight has finished and been
 * recorded (each run is bounded by the handler timeout).
 */
export function startWorker(options: WorkerOptions): () => Promise<void> {
  const worker = resolve(options);
  const pollMs = options.pollMs ?? 1000;
  const scheduleCheckMs = options.scheduleCheckMs ?? 10_000;
  const stopper = new AbortController();
  let wake: (() => void) | undefined;
  let lastRecovery = 0;
  let lastScheduleCheck = 0;
  let schedulesKnown = false;

  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });

  const loop = (async () => {
    while (!stopper.signal.aborted) {
      let ran = 0;
      try {
        if (Date.now() - lastRecovery >= worker.lockTimeoutMs / 4) {
          lastRecovery = Date.now();
          const recovered = await recoverStaleJobs(worker.db, worker.lockTimeoutMs);
          if (recovered)
            worker.logger.warn({ recovered }, 'requeued jobs of a worker that stopped responding');
        }
        if (worker.schedules.length > 0 && Date.now() - lastScheduleCheck >= scheduleCheckMs) {
          if (!schedulesKnown) await ensureSchedules(worker.db, worker.schedules);
          schedulesKnown = true;
          lastScheduleCheck = Date.now();
          await enqueueDueSchedules(worker.db, worker.schedules);
        }
        ran = await runBatch(worker);
      } catch (error) {
        // A database hiccup must not kill the loop: log and try again after the poll interval.
        worker.logger.error({ err: error }, 'job worker poll failed');
      }
      if (ran < worker.batchSize && !stopper.signal.aborted) await sleep(pollMs);
    }
  })();

  return async () => {
    stopper.abort();
    wake?.();
    await loop;
  };
}
