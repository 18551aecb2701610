import type { FastifyBaseLogger } from 'fastify';
import { maintainPlannerStatistics } from './db/maintenance.ts';
import { defaultJobHandlers } from './jobs/index.ts';
import { startWorker } from './jobs/worker.ts';
import { deleteExpiredCarts } from './modules/carts/service.ts';
import type { Runtime } from './runtime.ts';

const CART_CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Work the server does besides answering requests: the jobs worker (conversion events and other
 * queued work; `nexus worker` runs the same loop as a separate process when scaled out), expired
 * cart cleanup, and planner statistics for the embedded database. Returns one stop function.
 */
export function startBackgroundWork(runtime: Runtime, logger: FastifyBaseLogger): () => Promise<void> {
  const { db } = runtime.database;
  const stopWorker = startWorker({
    db,
    handlers: defaultJobHandlers({ keys: runtime.keys, env: process.env }),
    logger,
    pollMs: 1000,
  });
  const stopStatistics = maintainPlannerStatistics(runtime.database, (err) =>
    logger.warn({ err }, 'refreshing planner statistics failed'),
  );
  const cartCleanup = setInterval(() => {
    deleteExpiredCarts(db, new Date()).catch((err: unknown) =>
      logger.warn({ err }, 'expired cart cleanup failed'),
    );
  }, CART_CLEANUP_INTERVAL_MS);
  cartCleanup.unref();
  return async () => {
    clearInterval(cartCleanup);
    stopStatistics();
    await stopWorker();
  };
}
