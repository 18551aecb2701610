export { defaultJobHandlers, defaultJobSchedules, type JobRuntime } from './handlers.ts';
export { type ClaimedJob, type EnqueueOptions, enqueueJob, enqueueJobs } from './queue.ts';
export { enqueueDueSchedules, ensureSchedules, type RecurringJob } from './schedule.ts';
export {
  defaultBackoff,
  type JobContext,
  type JobHandler,
  type JobHandlers,
  PermanentJobError,
  runJobsOnce,
  startWorker,
  type WorkerLogger,
  type WorkerOptions,
} from './worker.ts';
