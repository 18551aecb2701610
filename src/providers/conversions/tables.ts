import type { ColumnType, Generated } from 'kysely';

export interface ConversionSandboxEventsTable {
  id: Generated<number>;
  business_id: number;
  store_id: number;
  platform: string;
  pixel_id: string;
  test_event_code: string | null;
  request_body: ColumnType<unknown, string, string>;
  job_id: number | null;
  created_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    conversion_sandbox_events: ConversionSandboxEventsTable;
  }
}
