import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ItemType } from '../../../src/db/schema.ts';
import { randomString } from '../../../src/lib/ids.ts';
import '../../../src/modules/courses/tables.ts';
import { type FixtureVariant, insertProduct } from '../../helpers/catalog.ts';
import type { Tenant } from '../../helpers/tenants.ts';

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MISSING_UUID = '00000000-0000-4000-8000-000000000000';

export interface Section {
  uuid: string;
  title: string;
  type: string;
  sequence_order: number;
  is_shown: boolean;
  variant_id: number;
  course_contents: ContentSummary[];
  inserted_at: string;
  updated_at: string;
}

export interface ContentSummary {
  uuid: string;
  title: string;
  type: string;
  duration: number;
  video_url: string | null;
  sequence_order: number;
  is_shown: boolean;
  is_preview: boolean;
  is_discussion_active: boolean;
  section_uuid: string;
  variant_id: number;
  inserted_at: string;
  updated_at: string;
}

export interface Content extends ContentSummary {
  text: string | null;
}

/** A variant of a fresh product of `itemType` (a course unless told otherwise). */
export async function courseVariant(tenant: Tenant, itemType: ItemType = 'course'): Promise<FixtureVariant> {
  const product = await insertProduct(tenant, { name: `Kelas ${randomString(5)}`, itemType });
  return product.variants[0]!;
}

export async function createSection(
  tenant: Tenant,
  variantId: number | string,
  body: Record<string, unknown> = {},
): Promise<Section> {
  const res = await tenant.request('POST', `/v3/variants/${variantId}/course-sections`, {
    body: { title: `Bab ${randomString(4)}`, ...body },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function createContent(
  tenant: Tenant,
  sectionUuid: string,
  body: Record<string, unknown> = {},
): Promise<Content> {
  const res = await tenant.request('POST', `/v3/course-sections/${sectionUuid}/course-contents`, {
    body: { title: `Materi ${randomString(4)}`, ...body },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function getSection(tenant: Tenant, uuid: string): Promise<Section> {
  const res = await tenant.request('GET', `/v3/course-sections/${uuid}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Asserts a 422 naming `field` among its field errors, and returns that field's messages. */
export function expectInvalid(res: LightMyRequestResponse, field: string): string[] {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.json().error_code).toBe('validation_failed');
  expect(res.json().errors).toHaveProperty([field]);
  return res.json().errors[field];
}

export function expectNotFound(res: LightMyRequestResponse): void {
  expect(res.statusCode, res.body).toBe(404);
  expect(res.json().error_code).toBe('not_found');
}

export function expectInsufficientScope(res: LightMyRequestResponse): void {
  expect(res.statusCode, res.body).toBe(403);
  expect(res.json().error_code).toBe('insufficient_scope');
}

export async function insertCustomer(
  tenant: Tenant,
  values: { name?: string; email?: string | null; phone?: string | null } = {},
): Promise<{ id: number; uuid: string }> {
  const suffix = randomString(6).toLowerCase();
  return tenant.ctx.database.db
    .insertInto('customers')
    .values({
      business_id: tenant.business.id,
      store_id: tenant.store.id,
      name: values.name ?? `Pembeli ${suffix}`,
      email: values.email === undefined ? `buyer-${suffix}@example.test` : values.email,
      phone: values.phone ?? null,
    })
    .returning(['id', 'uuid'])
    .executeTakeFirstOrThrow();
}

export async function grantAccess(
  tenant: Tenant,
  customerId: number,
  variantId: number,
  values: { expiresAt?: Date | null; source?: string } = {},
): Promise<void> {
  await tenant.ctx.database.db
    .insertInto('variant_accesses')
    .values({
      business_id: tenant.business.id,
      customer_id: customerId,
      variant_id: variantId,
      expires_at: values.expiresAt ?? null,
      source: values.source ?? 'order',
    })
    .execute();
}
