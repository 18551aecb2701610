import { maintainPlannerStatistics } from './db/maintenance.ts';
import { defaultJobHandlers, defaultJobSchedules } from './jobs/index.ts';
import { startWorker, type WorkerLogger } from './jobs/worker.ts';
import type { PayoutProvider } from './providers/payouts/index.ts';
import type { ShipmentBookingProvider } from './providers/shipping/index.ts';
import type { Runtime } from './runtime.ts';

/**
 * Work the server does besides answering requests: the jobs worker (conversion events, e-mail, webhooks,
 * payment expiry, and the recurring deadline sweep, retention and courier tracking; `nexus worker`
 * runs the same loop as a separate process when scaled out) and planner statistics for the embedded
 * database. `booking` is the app's booking provider (`bookingProviderFor(app.deps)`), so tracking
 * reads what the app's routes booked. Returns one stop function.
 */
export function startBackgroundWork(
  runtime: Runtime,
  logger: WorkerLogger,
  options: {
    env?: Record<string, string | undefined>;
    pollMs?: number;
    scheduleCheckMs?: number;
    booking?: ShipmentBookingProvider;
    payouts?: PayoutProvider;
  } = {},
): () => Promise<void> {
  const { db } = runtime.database;
  const env = options.env ?? process.env;
  const stopWorker = startWorker({
    db,
    handlers: defaultJobHandlers({
      keys: runtime.keys,
      env,
      ...(options.booking ? { booking: options.booking } : {}),
      ...(options.payouts ? { payouts: options.payouts } : {}),
    }),
    schedules: defaultJobSchedules(env),
    logger,
    pollMs: options.pollMs ?? 1000,
    ...(options.scheduleCheckMs ? { scheduleCheckMs: options.scheduleCheckMs } : {}),
  });
  const stopStatistics = maintainPlannerStatistics(runtime.database, (err) =>
    logger.warn({ err }, 'refreshing planner statistics failed'),
  );
  return async () => {
    stopStatistics();
    await stopWorker();
  };
}
