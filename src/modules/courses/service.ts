import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { parseRecordRef } from '../../lib/refs.ts';
import { checkPosition, mergePatch, moveTo, orderFromUuids } from './ordering.ts';
import * as q from './queries.ts';
import {
  type CreateCourseContentRequest,
  type CreateCourseSectionRequest,
  MAX_CONTENTS,
  MAX_SECTIONS,
  type UpdateCourseContentRequest,
  type UpdateCourseSectionRequest,
} from './schemas.ts';

export interface CourseCaller {
  businessId: number;
  userId: number | null;
}

/** Stored settings stay small: they travel with every course a buyer opens. */
export const MAX_SETTINGS_BYTES = 16_384;
export const MAX_SETTINGS_KEYS = 50;

/** `123` is the numeric id, a UUID is the variant's uuid, `variant_…` its unique_id. */
export function parseVariantRef(raw: string): q.VariantRef | null {
  return parseRecordRef(raw, 'variant_');
}

/** "Kelas Menulis - Premium / Bulanan": the product name and the variant's option values. */
export function variantFullname(row: q.VariantRow): string {
  const options = [row.option1_value, row.option2_value, row.option3_value].filter((v): v is string => !!v);
  return options.length ? `${row.product_name} - ${options.join(' / ')}` : row.product_name;
}

export function toContentSummary(row: q.ContentSummaryRow) {
  return {
    uuid: row.uuid,
    title: row.title,
    type: row.type,
    duration: row.duration,
    video_url: row.video_url,
    sequence_order: row.sequence_order,
    is_shown: row.is_shown,
    is_preview: row.is_preview,
    is_discussion_active: row.is_discussion_active,
    section_uuid: row.section_uuid,
    variant_id: row.variant_id,
    inserted_at: row.inserted_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toContent(row: q.ContentRow) {
  return { ...toContentSummary(row), text: row.text };
}

export function toSection(row: q.SectionRow, contents: readonly q.ContentSummaryRow[]) {
  return {
    uuid: row.uuid,
    title: row.title,
    type: row.type,
    sequence_order: row.sequence_order,
    is_shown: row.is_shown,
    variant_id: row.variant_id,
    course_contents: contents.map(toContentSummary),
    inserted_at: row.inserted_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export async function requireVariant(db: Db, caller: CourseCaller, raw: string) {
  const ref = parseVariantRef(raw);
  const variant = ref && (await q.findVariant(db, caller.businessId, ref));
  if (!variant) throw errors.notFound('Variant not found');
  return variant;
}

/**
 * Only variants of course products have a course. Reading another kind's course finds nothing
 * (404); writing one is a mistake about the variant named in `field` (422).
 */
async function requireCourseVariant(db: Db, caller: CourseCaller, raw: string, field: string | null) {
  const variant = await requireVariant(db, caller, raw);
  if (variant.item_type !== 'course') {
    if (field === null)
      throw errors.notFound('Course not found: the variant does not belong to a course product');
    throw errors.invalidField(
      field,
      `is a ${variant.item_type} variant; only course variants have course sections`,
    );
  }
  return variant;
}

async function requireSection(db: Db, caller: CourseCaller, uuid: string) {
  const section = isUuid(uuid) ? await q.findSection(db, caller.businessId, uuid.toLowerCase()) : undefined;
  if (!section) throw errors.notFound('Course section not found');
  return section;
}

async function requireContent(db: Db, caller: CourseCaller, uuid: string) {
  const content = isUuid(uuid) ? await q.findContent(db, caller.businessId, uuid.toLowerCase()) : undefined;
  if (!content) throw errors.notFound('Course content not found');
  return content;
}

/** The whole skeleton in three queries: variant with settings, sections, every content. */
async function loadCourse(db: Db, variant: q.VariantRow) {
  const sections = await q.listSections(db, variant.id);
  const bySection = new Map<number, q.ContentSummaryRow[]>();
  for (const content of await q.listVariantContents(db, variant.id)) {
    const list = bySection.get(content.section_id);
    if (list) list.push(content);
    else bySection.set(content.section_id, [content]);
  }
  return {
    id: variant.id,
    uuid: variant.uuid,
    unique_id: variant.unique_id,
    item_type: variant.item_type,
    pricing_type: variant.pricing_type,
    interval: variant.interval,
    interval_count: variant.interval_count,
    validity_period_unit: variant.validity_period_unit,
    validity_period: variant.validity_period,
    product_id: variant.product_id,
    description: variant.description,
    product_name: variant.product_name,
    fullname: variantFullname(variant),
    course_settings: variant.course_settings ?? {},
    course_sections: sections.map((section) => toSection(section, bySection.get(section.id) ?? [])),
  };
}

/** Reads back a section a transaction just wrote; a concurrent delete may have won the race. */
async function loadSection(db: Db, sectionId: number) {
  const section = await q.findSectionById(db, sectionId);
  if (!section) throw errors.notFound('Course section not found');
  return toSection(section, await q.listSectionContents(db, sectionId));
}

async function loadContent(db: Db, contentId: number) {
  const content = await q.findContentById(db, contentId);
  if (!content) throw errors.notFound('Course content not found');
  return toContent(content);
}

function requireTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw errors.invalidField('title', 'must not be blank');
  return trimmed;
}

export async function getVariantCourse(db: Db, caller: CourseCaller, variantId: string) {
  return loadCourse(db, await requireCourseVariant(db, caller, variantId, null));
}

export async function updateVariantCourse(
  db: Db,
  caller: CourseCaller,
  variantId: string,
  body: { course_settings?: Record<string, unknown> | undefined },
) {
  return db.transaction().execute(async (trx) => {
    const variant = await requireCourseVariant(trx, caller, variantId, 'id');
    let settings = variant.course_settings ?? {};
    if (body.course_settings) {
      // The variant lock also covers the first write, when there is no settings row to lock yet.
      await q.lockVariant(trx, variant.id);
      const merged = mergePatch(await q.lockedCourseSettings(trx, variant.id), body.course_settings);
      if (Object.keys(merged).length > MAX_SETTINGS_KEYS)
        throw errors.invalidField('course_settings', `must have at most ${MAX_SETTINGS_KEYS} keys`);
      if (Buffer.byteLength(JSON.stringify(merged)) > MAX_SETTINGS_BYTES)
        throw errors.invalidField('course_settings', `must be at most ${MAX_SETTINGS_BYTES} bytes as JSON`);
      await q.saveCourseSettings(trx, caller.businessId, variant.id, merged);
      settings = merged;
    }
    return loadCourse(trx, { ...variant, course_settings: settings });
  });
}

export async function createCourseSection(
  db: Db,
  caller: CourseCaller,
  variantId: string,
  body: Static<typeof CreateCourseSectionRequest>,
) {
  const title = requireTitle(body.title);
  return db.transaction().execute(async (trx) => {
    const variant = await requireCourseVariant(trx, caller, variantId, 'variant_id');
    await q.lockVariant(trx, variant.id);
    const order = await q.sectionOrder(trx, variant.id);
    if (order.length >= MAX_SECTIONS)
      throw errors.conflict(`A course can have at most ${MAX_SECTIONS} sections`);
    const position = body.sequence_order ?? order.length + 1;
    checkPosition(position, order.length + 1);
    await q.writeOrder(
      trx,
      'course_sections',
      order.map((s) => s.id),
      position,
    );
    const { id } = await q.insertSection(trx, {
      businessId: caller.businessId,
      variantId: variant.id,
      title,
      type: body.type ?? 'default',
      is_shown: body.is_shown ?? true,
      sequenceOrder: position,
    });
    return loadSection(trx, id);
  });
}

export async function updateCourseSectionOrders(
  db: Db,
  caller: CourseCaller,
  variantId: string,
  uuids: string[],
) {
  return db.transaction().execute(async (trx) => {
    const variant = await requireCourseVariant(trx, caller, variantId, 'variant_id');
    await q.lockVariant(trx, variant.id);
    const ids = orderFromUuids(await q.sectionOrder(trx, variant.id), uuids, 'course_section_uuids');
    await q.writeOrder(trx, 'course_sections', ids);
    return loadCourse(trx, variant);
  });
}

export async function getCourseSection(db: Db, caller: CourseCaller, uuid: string) {
  const section = await requireSection(db, caller, uuid);
  return toSection(section, await q.listSectionContents(db, section.id));
}

export async function updateCourseSection(
  db: Db,
  caller: CourseCaller,
  uuid: string,
  body: Static<typeof UpdateCourseSectionRequest>,
) {
  const { sequence_order: position, ...fields } = body;
  if (fields.title !== undefined) fields.title = requireTitle(fields.title);
  return db.transaction().execute(async (trx) => {
    const section = await requireSection(trx, caller, uuid);
    if (position !== undefined) {
      await q.lockVariant(trx, section.variant_id);
      const ids = (await q.sectionOrder(trx, section.variant_id)).map((s) => s.id);
      // Deleted while this request waited for the lock.
      if (!ids.includes(section.id)) throw errors.notFound('Course section not found');
      checkPosition(position, ids.length);
      await q.writeOrder(trx, 'course_sections', moveTo(ids, section.id, position));
    }
    if (Object.keys(fields).length) await q.updateSection(trx, section.id, fields);
    return loadSection(trx, section.id);
  });
}

/** Deletes the section with its contents and closes the gap in the order. */
export async function deleteCourseSection(db: Db, caller: CourseCaller, uuid: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const section = await requireSection(trx, caller, uuid);
    await q.lockVariant(trx, section.variant_id);
    await q.deleteSection(trx, section.id);
    const ids = (await q.sectionOrder(trx, section.variant_id)).map((s) => s.id);
    await q.writeOrder(trx, 'course_sections', ids);
  });
}

/** A video lesson is nothing without its video. */
function checkVideo(type: string, videoUrl: string | null | undefined): void {
  if (type === 'video' && !videoUrl) throw errors.invalidField('video_url', 'is required for video content');
}

export async function createCourseContent(
  db: Db,
  caller: CourseCaller,
  sectionUuid: string,
  body: Static<typeof CreateCourseContentRequest>,
) {
  const title = requireTitle(body.title);
  const type = body.type ?? 'text';
  checkVideo(type, body.video_url);
  return db.transaction().execute(async (trx) => {
    const section = await requireSection(trx, caller, sectionUuid);
    await q.lockSection(trx, section.id);
    const order = await q.contentOrder(trx, section.id);
    if (order.length >= MAX_CONTENTS)
      throw errors.conflict(`A course section can have at most ${MAX_CONTENTS} contents`);
    const position = body.sequence_order ?? order.length + 1;
    checkPosition(position, order.length + 1);
    await q.writeOrder(
      trx,
      'course_contents',
      order.map((c) => c.id),
      position,
    );
    const { id } = await q.insertContent(trx, {
      businessId: caller.businessId,
      variantId: section.variant_id,
      sectionId: section.id,
      sequenceOrder: position,
      title,
      text: body.text ?? null,
      type,
      duration: body.duration ?? 0,
      video_url: body.video_url ?? null,
      is_shown: body.is_shown ?? true,
      is_preview: body.is_preview ?? false,
      is_discussion_active: body.is_discussion_active ?? false,
    });
    return loadContent(trx, id);
  });
}

export async function updateCourseContentOrders(
  db: Db,
  caller: CourseCaller,
  sectionUuid: string,
  uuids: string[],
) {
  return db.transaction().execute(async (trx) => {
    const section = await requireSection(trx, caller, sectionUuid);
    await q.lockSection(trx, section.id);
    const ids = orderFromUuids(await q.contentOrder(trx, section.id), uuids, 'course_content_uuids');
    await q.writeOrder(trx, 'course_contents', ids);
    return loadSection(trx, section.id);
  });
}

export async function getCourseContent(db: Db, caller: CourseCaller, uuid: string) {
  return toContent(await requireContent(db, caller, uuid));
}

export async function updateCourseContent(
  db: Db,
  caller: CourseCaller,
  uuid: string,
  body: Static<typeof UpdateCourseContentRequest>,
) {
  const { sequence_order: position, ...fields } = body;
  if (fields.title !== undefined) fields.title = requireTitle(fields.title);
  return db.transaction().execute(async (trx) => {
    const content = await requireContent(trx, caller, uuid);
    checkVideo(
      fields.type ?? content.type,
      fields.video_url === undefined ? content.video_url : fields.video_url,
    );
    if (position !== undefined) {
      await q.lockSection(trx, content.section_id);
      const ids = (await q.contentOrder(trx, content.section_id)).map((c) => c.id);
      if (!ids.includes(content.id)) throw errors.notFound('Course content not found');
      checkPosition(position, ids.length);
      await q.writeOrder(trx, 'course_contents', moveTo(ids, content.id, position));
    }
    if (Object.keys(fields).length) await q.updateContent(trx, content.id, fields);
    return loadContent(trx, content.id);
  });
}

export async function deleteCourseContent(db: Db, caller: CourseCaller, uuid: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const content = await requireContent(trx, caller, uuid);
    await q.lockSection(trx, content.section_id);
    await q.deleteContent(trx, content.id);
    const ids = (await q.contentOrder(trx, content.section_id)).map((c) => c.id);
    await q.writeOrder(trx, 'course_contents', ids);
  });
}

/**
 * For duplicateProduct (products area): gives `toVariantId` a copy of `fromVariantId`'s course.
 * Run it inside the duplication's transaction; both variants must belong to `businessId`.
 */
export async function copyVariantCourse(
  db: Db,
  businessId: number,
  fromVariantId: number,
  toVariantId: number,
): Promise<void> {
  const from = await q.findVariant(db, businessId, { id: fromVariantId });
  const to = await q.findVariant(db, businessId, { id: toVariantId });
  if (!from || !to) throw errors.notFound('Variant not found');
  await q.copyCourse(db, from.id, to.id);
}
