import pino from 'pino';
import { assertProductionDrivers, driversOf } from '../../config.ts';
import { defaultJobHandlers, defaultJobSchedules } from '../../jobs/handlers.ts';
import { runJobsOnce, startWorker } from '../../jobs/worker.ts';
import { logDestination } from '../../lib/logging.ts';
import { loadServerKeys } from '../../lib/secrets.ts';
import { type Command, UsageError } from '../command.ts';

function positiveInt(values: Record<string, unknown>, name: string, fallback: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got "${text}"`);
  return Number(text);
}

export const workerCommands: Command[] = [
  {
    name: ['worker'],
    summary:
      'Run background jobs (e-mail, webhooks, payment expiry, retention, conversion events, courier tracking) as a separate process.',
    details:
      'The server already runs a worker; start more with this command when scaling out. Workers share\n' +
      'the jobs table and never run the same job twice. Courier tracking runs here only with a real\n' +
      "booking provider (the sandbox's bookings live in the server). Stops cleanly on SIGINT/SIGTERM.",
    options: {
      once: { type: 'boolean', description: 'Run the jobs that are due now, then exit' },
      'poll-ms': {
        type: 'string',
        valueName: 'ms',
        description: 'Pause between polls of an empty queue (1000)',
      },
      batch: { type: 'string', valueName: 'n', description: 'Jobs claimed and run together (10)' },
    },
    run: async (ctx, values) => {
      const pollMs = positiveInt(values, 'poll-ms', 1000, 3_600_000);
      const batchSize = positiveInt(values, 'batch', 10, 500);
      assertProductionDrivers(ctx.config);
      const db = (await ctx.database()).db;
      const keys = await loadServerKeys(db, ctx.config.secretKey);
      const handlers = defaultJobHandlers({ keys, env: process.env });
      const schedules = defaultJobSchedules(process.env);
      // The server's rule: readable lines on a terminal, JSON on a pipe (NEXUS_LOG_FORMAT).
      const destination = await logDestination(ctx.config.logFormat);
      const logger = destination
        ? pino({ level: ctx.config.logLevel }, destination)
        : pino({ level: ctx.config.logLevel });
      if (values.once) {
        const ran = await runJobsOnce({ db, handlers, schedules, logger, batchSize });
        ctx.out(`Ran ${ran} job${ran === 1 ? '' : 's'}.`);
        return;
      }
      const stop = startWorker({ db, handlers, schedules, logger, pollMs, batchSize });
      logger.info({ kinds: Object.keys(handlers), drivers: driversOf(ctx.config) }, 'worker started');
      await new Promise<void>((done) => {
        const finish = () => done();
        process.once('SIGINT', finish);
        process.once('SIGTERM', finish);
      });
      logger.info('worker stopping: finishing the jobs in hand');
      await stop();
    },
  },
];
