export { defaultJobHandlers, type JobRuntime } from './handlers.ts';
export { type ClaimedJob, type EnqueueOptions, enqueueJob, enqueueJobs } from './queue.ts';
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
