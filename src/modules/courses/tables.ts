import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<
  Record<string, unknown>,
  Record<string, unknown> | string | undefined,
  Record<string, unknown> | string
>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type CourseContentType = 'text' | 'video';

export interface CourseSettingsTable {
  variant_id: number;
  business_id: number;
  settings: Json;
  inserted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CourseSectionsTable {
  id: Generated<number>;
  uuid: Generated<string>;
  business_id: number;
  variant_id: number;
  title: string;
  type: Generated<string>;
  sequence_order: number;
  is_shown: Generated<boolean>;
  inserted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CourseContentsTable {
  id: Generated<number>;
  uuid: Generated<string>;
  business_id: number;
  section_id: number;
  variant_id: number;
  title: string;
  text: string | null;
  type: CourseContentType;
  duration: Generated<number>;
  video_url: string | null;
  sequence_order: number;
  is_shown: Generated<boolean>;
  is_preview: Generated<boolean>;
  is_discussion_active: Generated<boolean>;
  inserted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Who may use a variant's digital delivery (courses first); orders and subscriptions write rows. */
export interface VariantAccessesTable {
  id: Generated<number>;
  business_id: number;
  customer_id: number;
  variant_id: number;
  granted_at: Generated<Date>;
  expires_at: NullableTimestamp;
  source: Generated<string>;
}

declare module '../../db/schema.ts' {
  interface DB {
    course_settings: CourseSettingsTable;
    course_sections: CourseSectionsTable;
    course_contents: CourseContentsTable;
    variant_accesses: VariantAccessesTable;
  }
}
