import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';
import type { CourseContentType } from './tables.ts';

/** How a path names a variant: its numeric id, its `variant_…` unique_id or its UUID. */
export type { RecordRef as VariantRef } from '../../lib/refs.ts';

import type { RecordRef as VariantRef } from '../../lib/refs.ts';

export function findVariant(db: Db, businessId: number, ref: VariantRef) {
  let query = db
    .selectFrom('variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .leftJoin('course_settings as cs', 'cs.variant_id', 'v.id')
    .select([
      'v.id',
      'v.uuid',
      'v.unique_id',
      'v.product_id',
      'v.description',
      'v.pricing_type',
      'v.interval',
      'v.interval_count',
      'v.validity_period',
      'v.validity_period_unit',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'p.name as product_name',
      'p.item_type',
      'cs.settings as course_settings',
    ])
    .where('v.business_id', '=', businessId);
  if ('id' in ref) query = query.where('v.id', '=', ref.id);
  else if ('uuid' in ref) query = query.where('v.uuid', '=', ref.uuid);
  else query = query.where('v.unique_id', '=', ref.unique_id);
  return query.executeTakeFirst();
}
export type VariantRow = NonNullable<Awaited<ReturnType<typeof findVariant>>>;

/**
 * Serializes structural changes of one course. NO KEY UPDATE leaves foreign-key checks of other
 * tables (stock, bundle lines) unblocked while a reorder runs.
 */
export async function lockVariant(db: Db, variantId: number): Promise<void> {
  await db.selectFrom('variants').select('id').where('id', '=', variantId).forNoKeyUpdate().execute();
}

export async function lockSection(db: Db, sectionId: number): Promise<void> {
  await db.selectFrom('course_sections').select('id').where('id', '=', sectionId).forNoKeyUpdate().execute();
}

/** Replaces the variant's course settings, creating the row on first write. */
export async function saveCourseSettings(
  db: Db,
  businessId: number,
  variantId: number,
  settings: Record<string, unknown>,
): Promise<void> {
  const json = JSON.stringify(settings);
  await db
    .insertInto('course_settings')
    .values({ variant_id: variantId, business_id: businessId, settings: json })
    .onConflict((oc) => oc.column('variant_id').doUpdateSet({ settings: json, updated_at: new Date() }))
    .execute();
}

export async function lockedCourseSettings(db: Db, variantId: number): Promise<Record<string, unknown>> {
  const row = await db
    .selectFrom('course_settings')
    .select('settings')
    .where('variant_id', '=', variantId)
    .forUpdate()
    .executeTakeFirst();
  return row?.settings ?? {};
}

const SECTION_COLUMNS = [
  's.id',
  's.uuid',
  's.variant_id',
  's.title',
  's.type',
  's.sequence_order',
  's.is_shown',
  's.inserted_at',
  's.updated_at',
] as const;

export function listSections(db: Db, variantId: number) {
  return db
    .selectFrom('course_sections as s')
    .select(SECTION_COLUMNS)
    .where('s.variant_id', '=', variantId)
    .orderBy('s.sequence_order')
    .execute();
}

export function findSection(db: Db, businessId: number, uuid: string) {
  return db
    .selectFrom('course_sections as s')
    .select(SECTION_COLUMNS)
    .where('s.business_id', '=', businessId)
    .where('s.uuid', '=', uuid)
    .executeTakeFirst();
}
export type SectionRow = NonNullable<Awaited<ReturnType<typeof findSection>>>;

export function findSectionById(db: Db, id: number) {
  return db
    .selectFrom('course_sections as s')
    .select(SECTION_COLUMNS)
    .where('s.id', '=', id)
    .executeTakeFirst();
}

/** Contents without their (possibly long) text: the shape nested in sections and courses. */
const CONTENT_SUMMARY_COLUMNS = [
  'c.id',
  'c.uuid',
  'c.section_id',
  's.uuid as section_uuid',
  'c.variant_id',
  'c.title',
  'c.type',
  'c.duration',
  'c.video_url',
  'c.sequence_order',
  'c.is_shown',
  'c.is_preview',
  'c.is_discussion_active',
  'c.inserted_at',
  'c.updated_at',
] as const;

/** Every content of a course in one query, ordered for grouping under their sections. */
export function listVariantContents(db: Db, variantId: number) {
  return db
    .selectFrom('course_contents as c')
    .innerJoin('course_sections as s', 's.id', 'c.section_id')
    .select(CONTENT_SUMMARY_COLUMNS)
    .where('c.variant_id', '=', variantId)
    .orderBy('c.section_id')
    .orderBy('c.sequence_order')
    .execute();
}
export type ContentSummaryRow = Awaited<ReturnType<typeof listVariantContents>>[number];

export function listSectionContents(db: Db, sectionId: number) {
  return db
    .selectFrom('course_contents as c')
    .innerJoin('course_sections as s', 's.id', 'c.section_id')
    .select(CONTENT_SUMMARY_COLUMNS)
    .where('c.section_id', '=', sectionId)
    .orderBy('c.sequence_order')
    .execute();
}

export function findContent(db: Db, businessId: number, uuid: string) {
  return db
    .selectFrom('course_contents as c')
    .innerJoin('course_sections as s', 's.id', 'c.section_id')
    .select([...CONTENT_SUMMARY_COLUMNS, 'c.text'])
    .where('c.business_id', '=', businessId)
    .where('c.uuid', '=', uuid)
    .executeTakeFirst();
}
export type ContentRow = NonNullable<Awaited<ReturnType<typeof findContent>>>;

export function findContentById(db: Db, id: number) {
  return db
    .selectFrom('course_contents as c')
    .innerJoin('course_sections as s', 's.id', 'c.section_id')
    .select([...CONTENT_SUMMARY_COLUMNS, 'c.text'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** Ids and uuids of the children of one parent, in their current order. */
export function sectionOrder(db: Db, variantId: number) {
  return db
    .selectFrom('course_sections')
    .select(['id', 'uuid'])
    .where('variant_id', '=', variantId)
    .orderBy('sequence_order')
    .execute();
}

export function contentOrder(db: Db, sectionId: number) {
  return db
    .selectFrom('course_contents')
    .select(['id', 'uuid'])
    .where('section_id', '=', sectionId)
    .orderBy('sequence_order')
    .execute();
}

/**
 * Gives each listed row the position of its index + 1 (+1 more from `gapAt` on, leaving room for
 * an insert). One statement, so the deferrable unique order is checked once, after every row moved.
 */
export async function writeOrder(
  db: Db,
  table: 'course_sections' | 'course_contents',
  ids: readonly number[],
  gapAt: number | null = null,
): Promise<void> {
  if (ids.length === 0) return;
  const rows = ids.map((id, index) => {
    const position = gapAt !== null && index + 1 >= gapAt ? index + 2 : index + 1;
    return sql`(${id}::bigint, ${position}::integer)`;
  });
  await sql`
    update ${sql.table(table)} as t
    set sequence_order = v.position, updated_at = now()
    from (values ${sql.join(rows)}) as v(id, position)
    where t.id = v.id and t.sequence_order <> v.position`.execute(db);
}

export interface SectionValues {
  title: string;
  type: string;
  is_shown: boolean;
}

export function insertSection(
  db: Db,
  values: SectionValues & { businessId: number; variantId: number; sequenceOrder: number },
) {
  return db
    .insertInto('course_sections')
    .values({
      business_id: values.businessId,
      variant_id: values.variantId,
      title: values.title,
      type: values.type,
      is_shown: values.is_shown,
      sequence_order: values.sequenceOrder,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateSection(db: Db, id: number, values: Partial<SectionValues>): Promise<void> {
  await db
    .updateTable('course_sections')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteSection(db: Db, id: number): Promise<void> {
  await db.deleteFrom('course_sections').where('id', '=', id).execute();
}

export interface ContentValues {
  title: string;
  text: string | null;
  type: CourseContentType;
  duration: number;
  video_url: string | null;
  is_shown: boolean;
  is_preview: boolean;
  is_discussion_active: boolean;
}

export function insertContent(
  db: Db,
  values: ContentValues & { businessId: number; variantId: number; sectionId: number; sequenceOrder: number },
) {
  const { businessId, variantId, sectionId, sequenceOrder, ...fields } = values;
  return db
    .insertInto('course_contents')
    .values({
      ...fields,
      business_id: businessId,
      variant_id: variantId,
      section_id: sectionId,
      sequence_order: sequenceOrder,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateContent(db: Db, id: number, values: Partial<ContentValues>): Promise<void> {
  await db
    .updateTable('course_contents')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteContent(db: Db, id: number): Promise<void> {
  await db.deleteFrom('course_contents').where('id', '=', id).execute();
}

/** One keyset page of the customers holding a current access to the variant, by customer id. */
export function listVariantCustomers(
  db: Db,
  filter: { businessId: number; variantId: number; search: string | null },
  window: KeysetWindow,
) {
  let query = db
    .selectFrom('variant_accesses as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select([
      'a.customer_id as id',
      'c.uuid',
      'c.name',
      'c.email',
      'c.phone',
      'c.status',
      'c.confirmed_at',
      'c.created_at',
      'c.last_updated_at',
      'a.granted_at',
      'a.expires_at',
      'a.source',
    ])
    .where('a.variant_id', '=', filter.variantId)
    .where('a.business_id', '=', filter.businessId)
    .where('c.business_id', '=', filter.businessId)
    .where((eb) => eb.or([eb('a.expires_at', 'is', null), eb('a.expires_at', '>', sql<Date>`now()`)]));
  if (filter.search !== null) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) =>
      eb.or([
        eb('c.name', 'ilike', pattern),
        eb('c.email', 'ilike', pattern),
        eb('c.phone', 'ilike', pattern),
      ]),
    );
  }
  return applyKeyset(query, ['a.customer_id'], 'desc', window).execute();
}
export type VariantCustomerRow = Awaited<ReturnType<typeof listVariantCustomers>>[number];

/**
 * Copies a course (settings, sections, contents) onto a variant that has none yet, in three
 * statements; sections pair up with their copies by sequence_order, which is unique per course.
 */
export async function copyCourse(db: Db, fromVariantId: number, toVariantId: number): Promise<void> {
  await sql`
    insert into course_settings (variant_id, business_id, settings)
    select ${toVariantId}, business_id, settings from course_settings where variant_id = ${fromVariantId}`.execute(
    db,
  );
  await sql`
    insert into course_sections (business_id, variant_id, title, type, sequence_order, is_shown)
    select business_id, ${toVariantId}, title, type, sequence_order, is_shown
    from course_sections where variant_id = ${fromVariantId}`.execute(db);
  await sql`
    insert into course_contents (business_id, section_id, variant_id, title, text, type, duration, video_url,
      sequence_order, is_shown, is_preview, is_discussion_active)
    select c.business_id, copy.id, ${toVariantId}, c.title, c.text, c.type, c.duration, c.video_url,
      c.sequence_order, c.is_shown, c.is_preview, c.is_discussion_active
    from course_contents c
    join course_sections original on original.id = c.section_id
    join course_sections copy on copy.variant_id = ${toVariantId} and copy.sequence_order = original.sequence_order
    where c.variant_id = ${fromVariantId}`.execute(db);
}
