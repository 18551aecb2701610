import type { FastifyBaseLogger } from 'fastify';
import { maintainPlannerStatistics } from './db/maintenance.ts';
import { defaultJobHandlers, defaultJobSchedules } from './jobs/index.ts';
import { startWorker } from './jobs/worker.ts';
import type { Runtime } from './runtime.ts';

/**
 * Work the server does besides answering requests: the jobs worker (conversion events, e-mail,
 * payment expiry, and the recurring deadline sweep and retention; `nexus worker` runs the same loop
 * as a separate process when scaled out) and planner statistics for the embedded database.
 * Returns one stop function.
 */
export function startBackgroundWork(
  runtime: Runtime,
  logger: FastifyBaseLogger,
  env: Record<string, string | undefined> = process.env,
): () => Promise<void> {
  const { db } = runtime.database;
  const stopWorker = startWorker({
    db,
    handlers: defaultJobHandlers({ keys: runtime.keys, env }),
    schedules: defaultJobSchedules(env),
    logger,
    pollMs: 1000,
  });
  const stopStatistics = maintainPlannerStatistics(runtime.database, (err) =>
    logger.warn({ err }, 'refreshing planner statistics failed'),
  );
  return async () => {
    stopStatistics();
    await stopWorker();
  };
}
