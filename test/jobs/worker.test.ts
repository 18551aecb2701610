import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../src/db/database.ts';
import { claimJobs, completeJob, enqueueJob } from '../../src/jobs/queue.ts';
import { type JobHandlers, PermanentJobError, runJobsOnce, startWorker } from '../../src/jobs/worker.ts';
import { randomString } from '../../src/lib/ids.ts';
import { getTestContext, openTestDatabase } from '../helpers/app.ts';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Each test uses its own job kind: the jobs table is shared with every other test of the run. */
const newKind = () => `test.${randomString(10)}`;

let db: Db;
let database: Database;

beforeAll(async () => {
  database = (await getTestContext()).database;
  db = database.db;
});

async function job(id: number) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('jobs', () => {
  it('enqueues a job and a worker runs it once with its payload', async () => {
    const kind = newKind();
    const seen: unknown[] = [];
    const id = await enqueueJob(db, kind, { hello: 'world', n: 1 });
    expect((await job(id)).status).toBe('queued');

    const handlers: JobHandlers = { [kind]: async (payload) => void seen.push(payload) };
    expect(await runJobsOnce({ db, handlers, logger: silent })).toBeGreaterThanOrEqual(1);
    expect(seen).toEqual([{ hello: 'world', n: 1 }]);
    const done = await job(id);
    expect(done).toMatchObject({ status: 'done', attempts: 1, last_error: null, locked_by: null });
    expect(done.finished_at).toBeInstanceOf(Date);

    await runJobsOnce({ db, handlers, logger: silent });
    expect(seen).toHaveLength(1);
  });

  it('enqueues inside the caller transaction: a rollback leaves no job', async () => {
    const kind = newKind();
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueJob(trx, kind, {});
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const count = await db
      .selectFrom('jobs')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(0);
  });

  it('does not run a job before its run_at, nor jobs of kinds it has no handler for', async () => {
    const kind = newKind();
    const later = await enqueueJob(db, kind, {}, new Date(Date.now() + 3_600_000));
    const other = await enqueueJob(db, newKind(), {});
    await runJobsOnce({ db, handlers: { [kind]: async () => {} }, logger: silent });
    expect((await job(later)).status).toBe('queued');
    expect((await job(other)).status).toBe('queued');
  });

  it('retries a failed job with exponential backoff and records the error', async () => {
    const kind = newKind();
    const id = await enqueueJob(db, kind, {});
    let calls = 0;
    const delays: number[] = [];
    const handlers: JobHandlers = {
      [kind]: async () => {
        calls += 1;
        if (calls < 3) throw new Error(`boom ${calls}`);
      },
    };
    const backoff = (attempt: number) => {
      delays.push(attempt);
      return 60_000 * 2 ** (attempt - 1);
    };

    const before = Date.now();
    await runJobsOnce({ db, handlers, logger: silent, backoff });
    let row = await job(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: 'boom 1', locked_at: null });
    expect(row.run_at.getTime()).toBeGreaterThanOrEqual(before + 59_000);
    expect(row.run_at.getTime()).toBeLessThan(Date.now() + 61_000);

    // Not due yet: nothing runs.
    await runJobsOnce({ db, handlers, logger: silent, backoff });
    expect(calls).toBe(1);

    await db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    await runJobsOnce({ db, handlers, logger: silent, backoff });
    row = await job(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 2, last_error: 'boom 2' });
    expect(row.run_at.getTime()).toBeGreaterThanOrEqual(Date.now() + 110_000);

    await db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    await runJobsOnce({ db, handlers, logger: silent, backoff });
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 3, last_error: null });
    expect(delays).toEqual([1, 2]);
  });

  it('marks a job failed after max attempts and never runs it again', async () => {
    const kind = newKind();
    const id = await enqueueJob(db, kind, {}, undefined, { maxAttempts: 2 });
    let calls = 0;
    const handlers: JobHandlers = {
      [kind]: async () => {
        calls += 1;
        throw new Error('always');
      },
    };
    await runJobsOnce({ db, handlers, logger: silent, backoff: () => 0 });
    await runJobsOnce({ db, handlers, logger: silent, backoff: () => 0 });
    await runJobsOnce({ db, handlers, logger: silent, backoff: () => 0 });
    expect(calls).toBe(2);
    const row = await job(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2, max_attempts: 2, last_error: 'always' });
    expect(row.finished_at).toBeInstanceOf(Date);
  });

  it('fails a job at once on a permanent error, and when a handler times out it counts as a failure', async () => {
    const kind = newKind();
    const permanent = await enqueueJob(db, kind, { permanent: true });
    const slow = await enqueueJob(db, kind, { permanent: false });
    const handlers: JobHandlers = {
      [kind]: async (payload) => {
        if ((payload as { permanent: boolean }).permanent) throw new PermanentJobError('bad credentials');
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      },
    };
    await runJobsOnce({ db, handlers, logger: silent, handlerTimeoutMs: 100, backoff: () => 60_000 });
    expect(await job(permanent)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'bad credentials',
    });
    expect(await job(slow)).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: 'timed out after 100 ms',
    });
  });

  it('requeues a job locked by a dead worker, and ignores that worker if it reports late', async () => {
    const kind = newKind();
    const id = await enqueueJob(db, kind, {});
    const [claimed] = await claimJobs(db, 'dead-worker', [kind], 1);
    expect(claimed?.id).toBe(id);
    await db
      .updateTable('jobs')
      .set({ locked_at: new Date(Date.now() - 120_000) })
      .where('id', '=', id)
      .execute();

    let runs = 0;
    await runJobsOnce({
      db,
      handlers: { [kind]: async () => void runs++ },
      logger: silent,
      lockTimeoutMs: 60_000,
    });
    expect(runs).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 2 });
    // The dead worker's completion is fenced out: it no longer holds the job.
    expect(await completeJob(db, claimed!, 'dead-worker')).toBe(false);
  });

  it('never gives the same job to two workers running at the same time', async () => {
    const kind = newKind();
    const ids = new Set<number>();
    for (let i = 0; i < 40; i += 1) ids.add(await enqueueJob(db, kind, { i }));
    // On PostgreSQL the second worker has its own connection pool: real concurrent claims.
    // On PGlite both share the one embedded session, interleaving claims between handler runs.
    const second: Database = database.kind === 'postgres' ? await openTestDatabase() : database;
    const runs: Array<{ id: number; worker: string }> = [];
    const handlerFor =
      (worker: string): JobHandlers[string] =>
      async (_payload, { job: running }) => {
        runs.push({ id: running.id, worker });
        await new Promise((resolve) => setTimeout(resolve, 5));
      };
    const stops = [
      startWorker({ db, handlers: { [kind]: handlerFor('a') }, logger: silent, pollMs: 5, batchSize: 3 }),
      startWorker({
        db: second.db,
        handlers: { [kind]: handlerFor('b') },
        logger: silent,
        pollMs: 5,
        batchSize: 3,
      }),
    ];
    try {
      const deadline = Date.now() + 15_000;
      while (runs.length < ids.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await Promise.all(stops.map((stop) => stop()));
      if (second !== database) await second.close();
    }
    const ran = runs.map((run) => run.id).sort((x, y) => x - y);
    expect(ran).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(runs.map((run) => run.worker)).size).toBe(2);
    const statuses = await db
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('kind', '=', kind)
      .execute();
    expect(statuses.every((row) => row.status === 'done' && row.attempts === 1)).toBe(true);
  });
});
