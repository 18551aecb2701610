import type { ColumnType, Generated } from 'kysely';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<JobStatus>;
  run_at: ColumnType<Date, Date | undefined, Date>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  last_error: string | null;
  locked_at: Date | null;
  locked_by: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

/** One row per recurring job kind: when its next run is due (see `enqueueDueSchedules`). */
export interface JobSchedulesTable {
  kind: string;
  next_run_at: Date;
}

declare module '../db/schema.ts' {
  interface DB {
    jobs: JobsTable;
    job_schedules: JobSchedulesTable;
  }
}
