import { beforeAll, describe, expect, it } from 'vitest';
import { getTestContext } from '../../helpers/app.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  courseVariant,
  createContent,
  createSection,
  expectInsufficientScope,
  expectInvalid,
  expectNotFound,
  getSection,
  ISO,
  MISSING_UUID,
  type Section,
  UUID,
} from './fixtures.ts';

// The worker's app boots in the first hook (hook timeout), not inside the first test.
beforeAll(async () => {
  await getTestContext();
});

const sectionsUrl = (variantId: number | string) => `/v3/variants/${variantId}/course-sections`;
const ordersUrl = (variantId: number | string) => `/v3/variants/${variantId}/course-section-orders`;
const sectionUrl = (uuid: string) => `/v3/course-sections/${uuid}`;

async function courseOrder(tenant: Tenant, variantId: number) {
  const res = await tenant.request('GET', `/v3/variants/${variantId}/course`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().course_sections.map((s: Section) => [s.title, s.sequence_order]);
}

describe('createCourseSection', () => {
  it('creates a section with the exact shape and defaults', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    const res = await tenant.request('POST', sectionsUrl(variant.id), { body: { title: '  Pengantar  ' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      uuid: expect.stringMatching(UUID),
      title: 'Pengantar',
      type: 'default',
      sequence_order: 1,
      is_shown: true,
      variant_id: variant.id,
      course_contents: [],
      inserted_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    const hidden = await createSection(tenant, variant.unique_id, {
      title: 'Bonus',
      type: 'bonus',
      is_shown: false,
    });
    expect(hidden).toMatchObject({ title: 'Bonus', type: 'bonus', is_shown: false, sequence_order: 2 });
  });

  it('appends by default and inserts at sequence_order, shifting the rest', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    await createSection(tenant, variant.id, { title: 'B' });
    await createSection(tenant, variant.id, { title: 'C' });
    await createSection(tenant, variant.id, { title: 'A', sequence_order: 1 });
    await createSection(tenant, variant.id, { title: 'D', sequence_order: 4 });
    await createSection(tenant, variant.id, { title: 'B2', sequence_order: 3 });
    expect(await courseOrder(tenant, variant.id)).toEqual([
      ['A', 1],
      ['B', 2],
      ['B2', 3],
      ['C', 4],
      ['D', 5],
    ]);
  });

  it('rejects bad input with 422 naming the field', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    await createSection(tenant, variant.id);
    const post = (body: unknown) => tenant.request('POST', sectionsUrl(variant.id), { body });
    expectInvalid(await post({}), 'title');
    expectInvalid(await post({ title: '   ' }), 'title');
    expectInvalid(await post({ title: 'x'.repeat(256) }), 'title');
    expectInvalid(await post({ title: 'Ok', type: 'Not A Word' }), 'type');
    expectInvalid(await post({ title: 'Ok', is_shown: 'maybe' }), 'is_shown');
    expectInvalid(await post({ title: 'Ok', sequence_order: 0 }), 'sequence_order');
    expect(expectInvalid(await post({ title: 'Ok', sequence_order: 3 }), 'sequence_order')).toEqual([
      'must be at most 2',
    ]);
    expect(await courseOrder(tenant, variant.id)).toHaveLength(1);
  });

  it('answers 422 for a variant that is not a course', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant, 'physical');
    const res = await tenant.request('POST', sectionsUrl(variant.id), { body: { title: 'Bab 1' } });
    expectInvalid(res, 'variant_id');
  });

  it('answers 409 once a course holds the most sections it may', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    await tenant.ctx.database.db
      .insertInto('course_sections')
      .values(
        Array.from({ length: 200 }, (_, i) => ({
          business_id: tenant.business.id,
          variant_id: variant.id,
          title: `Bab ${i + 1}`,
          sequence_order: i + 1,
        })),
      )
      .execute();
    const res = await tenant.request('POST', sectionsUrl(variant.id), { body: { title: 'Satu lagi' } });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error_code).toBe('state_conflict');
  });

  it('answers 404 for another business’s variant and 403 without product:update', async () => {
    const tenant = await createTenant('Bab');
    const other = await createTenant('Bab Lain');
    const theirs = await courseVariant(other);
    expectNotFound(await tenant.request('POST', sectionsUrl(theirs.id), { body: { title: 'Bab' } }));
    expectNotFound(await tenant.request('POST', sectionsUrl('not-a-variant'), { body: { title: 'Bab' } }));
    const mine = await courseVariant(tenant);
    const key = await tenant.restrictedKey(['product:read']);
    expectInsufficientScope(
      await tenant.request('POST', sectionsUrl(mine.id), { key, body: { title: 'Bab' } }),
    );
  });
});

describe('updateCourseSectionOrders', () => {
  it('reorders every section at once and answers the course', async () => {
    const tenant = await createTenant('Urutan');
    const variant = await courseVariant(tenant);
    const a = await createSection(tenant, variant.id, { title: 'A' });
    const b = await createSection(tenant, variant.id, { title: 'B' });
    const c = await createSection(tenant, variant.id, { title: 'C' });
    // A full reversal swaps positions that a row-by-row unique check would trip over.
    const res = await tenant.request('PATCH', ordersUrl(variant.id), {
      body: { course_section_uuids: [c.uuid, b.uuid.toUpperCase(), a.uuid] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: variant.id, item_type: 'course' });
    expect(res.json().course_sections.map((s: Section) => [s.title, s.sequence_order])).toEqual([
      ['C', 1],
      ['B', 2],
      ['A', 3],
    ]);
    expect(await courseOrder(tenant, variant.id)).toEqual([
      ['C', 1],
      ['B', 2],
      ['A', 3],
    ]);
  });

  it('rejects a list that is not exactly the current sections, changing nothing', async () => {
    const tenant = await createTenant('Urutan');
    const variant = await courseVariant(tenant);
    const a = await createSection(tenant, variant.id, { title: 'A' });
    const b = await createSection(tenant, variant.id, { title: 'B' });
    const patch = (body: unknown) => tenant.request('PATCH', ordersUrl(variant.id), { body });
    expect(expectInvalid(await patch({ course_section_uuids: [b.uuid] }), 'course_section_uuids')).toEqual([
      `is missing: ${a.uuid}`,
    ]);
    expect(
      expectInvalid(
        await patch({ course_section_uuids: [b.uuid, a.uuid, MISSING_UUID] }),
        'course_section_uuids',
      ),
    ).toEqual([`contains unknown ids: ${MISSING_UUID}`]);
    expect(
      expectInvalid(await patch({ course_section_uuids: [b.uuid, b.uuid, a.uuid] }), 'course_section_uuids'),
    ).toEqual([`lists these more than once: ${b.uuid}`]);
    // Another course's section is as unknown here as a made-up one.
    const elsewhere = await createSection(tenant, (await courseVariant(tenant)).id);
    expectInvalid(await patch({ course_section_uuids: [b.uuid, elsewhere.uuid] }), 'course_section_uuids');
    expectInvalid(await patch({ course_section_uuids: ['nope', a.uuid] }), 'course_section_uuids.0');
    expectInvalid(await patch({ course_section_uuids: { a: 1 } }), 'course_section_uuids');
    expectInvalid(await patch({}), 'course_section_uuids');
    expect(await courseOrder(tenant, variant.id)).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
  });

  it('accepts an empty list for a course without sections', async () => {
    const tenant = await createTenant('Urutan');
    const variant = await courseVariant(tenant);
    const res = await tenant.request('PATCH', ordersUrl(variant.id), { body: { course_section_uuids: [] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().course_sections).toEqual([]);
  });

  it('concurrent reorders each apply whole', async () => {
    const tenant = await createTenant('Urutan');
    const variant = await courseVariant(tenant);
    const sections = [];
    for (const title of ['A', 'B', 'C', 'D'])
      sections.push(await createSection(tenant, variant.id, { title }));
    const uuids = sections.map((s) => s.uuid);
    const orders = [uuids, [...uuids].reverse(), [uuids[1], uuids[3], uuids[0], uuids[2]]];
    const results = await Promise.all(
      orders.map((course_section_uuids) =>
        tenant.request('PATCH', ordersUrl(variant.id), { body: { course_section_uuids } }),
      ),
    );
    for (const res of results) expect(res.statusCode, res.body).toBe(200);
    const final = (await tenant.request('GET', `/v3/variants/${variant.id}/course`)).json().course_sections;
    expect(final.map((s: Section) => s.sequence_order)).toEqual([1, 2, 3, 4]);
    expect(orders).toContainEqual(final.map((s: Section) => s.uuid));
  });

  it('answers 404 for another business’s variant, 422 for a non-course one, 403 without the scope', async () => {
    const tenant = await createTenant('Urutan');
    const other = await createTenant('Urutan Lain');
    const theirs = await courseVariant(other);
    const theirSection = await createSection(other, theirs.id);
    expectNotFound(
      await tenant.request('PATCH', ordersUrl(theirs.id), {
        body: { course_section_uuids: [theirSection.uuid] },
      }),
    );
    const digital = await courseVariant(tenant, 'digital');
    expectInvalid(
      await tenant.request('PATCH', ordersUrl(digital.id), { body: { course_section_uuids: [] } }),
      'variant_id',
    );
    const mine = await courseVariant(tenant);
    const key = await tenant.restrictedKey(['product:read']);
    expectInsufficientScope(
      await tenant.request('PATCH', ordersUrl(mine.id), { key, body: { course_section_uuids: [] } }),
    );
  });
});

describe('getCourseSection', () => {
  it('answers the section with its contents in order', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    const section = await createSection(tenant, variant.id, { title: 'Bab 1' });
    const first = await createContent(tenant, section.uuid, { title: 'Satu' });
    const second = await createContent(tenant, section.uuid, { title: 'Dua' });
    const res = await tenant.request('GET', sectionUrl(section.uuid.toUpperCase()));
    expect(res.statusCode, res.body).toBe(200);
    const { text: _t1, ...firstSummary } = first;
    const { text: _t2, ...secondSummary } = second;
    expect(res.json()).toEqual({ ...section, course_contents: [firstSummary, secondSummary] });
  });

  it('answers 404 for unknown, malformed and other businesses’ sections; 403 without product:read', async () => {
    const tenant = await createTenant('Bab');
    const other = await createTenant('Bab Lain');
    const theirs = await createSection(other, (await courseVariant(other)).id);
    for (const uuid of [MISSING_UUID, 'abc', '123', theirs.uuid]) {
      expectNotFound(await tenant.request('GET', sectionUrl(uuid)));
    }
    const mine = await createSection(tenant, (await courseVariant(tenant)).id);
    const key = await tenant.restrictedKey(['product:list']);
    expectInsufficientScope(await tenant.request('GET', sectionUrl(mine.uuid), { key }));
  });
});

describe('updateCourseSection', () => {
  it('updates fields and leaves the rest alone', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    const section = await createSection(tenant, variant.id, { title: 'Lama' });
    const res = await tenant.request('PATCH', sectionUrl(section.uuid), {
      body: { title: 'Baru', is_shown: false, type: 'bonus' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      ...section,
      title: 'Baru',
      is_shown: false,
      type: 'bonus',
      updated_at: expect.stringMatching(ISO),
    });
    expect(await getSection(tenant, section.uuid)).toEqual(res.json());
  });

  it('moves a section to sequence_order, shifting the others', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    for (const title of ['A', 'B', 'C', 'D']) await createSection(tenant, variant.id, { title });
    const sections = (await tenant.request('GET', `/v3/variants/${variant.id}/course`)).json()
      .course_sections;
    const moved = await tenant.request('PATCH', sectionUrl(sections[3].uuid), {
      body: { sequence_order: 2 },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().sequence_order).toBe(2);
    expect(await courseOrder(tenant, variant.id)).toEqual([
      ['A', 1],
      ['D', 2],
      ['B', 3],
      ['C', 4],
    ]);
    await tenant.request('PATCH', sectionUrl(sections[0].uuid), { body: { sequence_order: 4 } });
    expect(await courseOrder(tenant, variant.id)).toEqual([
      ['D', 1],
      ['B', 2],
      ['C', 3],
      ['A', 4],
    ]);
  });

  it('rejects bad input with 422 naming the field', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    const section = await createSection(tenant, variant.id);
    await createSection(tenant, variant.id);
    const patch = (body: unknown) => tenant.request('PATCH', sectionUrl(section.uuid), { body });
    expectInvalid(await patch({ title: '' }), 'title');
    expectInvalid(await patch({ title: '  ' }), 'title');
    expectInvalid(await patch({ title: null }), 'title');
    expectInvalid(await patch({ type: 'UPPER' }), 'type');
    expect(expectInvalid(await patch({ sequence_order: 3 }), 'sequence_order')).toEqual([
      'must be at most 2',
    ]);
    expect(await getSection(tenant, section.uuid)).toEqual(section);
  });

  it('answers 404 for another business’s section and 403 without product:update', async () => {
    const tenant = await createTenant('Bab');
    const other = await createTenant('Bab Lain');
    const theirs = await createSection(other, (await courseVariant(other)).id, { title: 'Milik mereka' });
    expectNotFound(await tenant.request('PATCH', sectionUrl(theirs.uuid), { body: { title: 'Diambil' } }));
    expect((await getSection(other, theirs.uuid)).title).toBe('Milik mereka');
    expectNotFound(await tenant.request('PATCH', sectionUrl('abc'), { body: { title: 'x' } }));
    const mine = await createSection(tenant, (await courseVariant(tenant)).id);
    const key = await tenant.restrictedKey(['product:read']);
    expectInsufficientScope(
      await tenant.request('PATCH', sectionUrl(mine.uuid), { key, body: { title: 'x' } }),
    );
  });
});

describe('deleteCourseSection', () => {
  it('deletes the section with its contents and closes the gap', async () => {
    const tenant = await createTenant('Bab');
    const variant = await courseVariant(tenant);
    await createSection(tenant, variant.id, { title: 'A' });
    const doomed = await createSection(tenant, variant.id, { title: 'B' });
    await createSection(tenant, variant.id, { title: 'C' });
    const content = await createContent(tenant, doomed.uuid);
    const res = await tenant.request('DELETE', sectionUrl(doomed.uuid));
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect(await courseOrder(tenant, variant.id)).toEqual([
      ['A', 1],
      ['C', 2],
    ]);
    expectNotFound(await tenant.request('GET', `/v3/course-contents/${content.uuid}`));
    expectNotFound(await tenant.request('DELETE', sectionUrl(doomed.uuid)));
  });

  it('answers 404 for another business’s section and 403 without product:update', async () => {
    const tenant = await createTenant('Bab');
    const other = await createTenant('Bab Lain');
    const theirs = await createSection(other, (await courseVariant(other)).id);
    expectNotFound(await tenant.request('DELETE', sectionUrl(theirs.uuid)));
    expectNotFound(await tenant.request('DELETE', sectionUrl('not-a-uuid')));
    await getSection(other, theirs.uuid);
    const key = await other.restrictedKey(['product:read']);
    expectInsufficientScope(await other.request('DELETE', sectionUrl(theirs.uuid), { key }));
    await getSection(other, theirs.uuid);
  });
});
