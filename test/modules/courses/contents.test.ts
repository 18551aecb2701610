import { beforeAll, describe, expect, it } from 'vitest';
import { getTestContext } from '../../helpers/app.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  type Content,
  type ContentSummary,
  courseVariant,
  createContent,
  createSection,
  expectInsufficientScope,
  expectInvalid,
  expectNotFound,
  getSection,
  ISO,
  MISSING_UUID,
  UUID,
} from './fixtures.ts';

// The worker's app boots in the first hook (hook timeout), not inside the first test.
beforeAll(async () => {
  await getTestContext();
});

const contentsUrl = (sectionUuid: string) => `/v3/course-sections/${sectionUuid}/course-contents`;
const ordersUrl = (sectionUuid: string) => `/v3/course-sections/${sectionUuid}/course-content-orders`;
const contentUrl = (uuid: string) => `/v3/course-contents/${uuid}`;

async function newSection(tenant: Tenant) {
  const variant = await courseVariant(tenant);
  return { variant, section: await createSection(tenant, variant.id) };
}

async function titles(tenant: Tenant, sectionUuid: string) {
  return (await getSection(tenant, sectionUuid)).course_contents.map((c: ContentSummary) => [
    c.title,
    c.sequence_order,
  ]);
}

describe('createCourseContent', () => {
  it('creates a text content with the exact shape and defaults', async () => {
    const tenant = await createTenant('Materi');
    const { variant, section } = await newSection(tenant);
    const res = await tenant.request('POST', contentsUrl(section.uuid), { body: { title: ' Bacaan ' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      uuid: expect.stringMatching(UUID),
      title: 'Bacaan',
      text: null,
      type: 'text',
      duration: 0,
      video_url: null,
      sequence_order: 1,
      is_shown: true,
      is_preview: false,
      is_discussion_active: false,
      section_uuid: section.uuid,
      variant_id: variant.id,
      inserted_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
  });

  it('creates a video content with every field', async () => {
    const tenant = await createTenant('Materi');
    const { section } = await newSection(tenant);
    const content = await createContent(tenant, section.uuid, {
      title: 'Video 1',
      type: 'video',
      text: 'Ringkasan',
      duration: 754,
      video_url: 'https://cdn.example/v/1.mp4',
      is_shown: false,
      is_preview: true,
      is_discussion_active: true,
    });
    expect(content).toMatchObject({
      title: 'Video 1',
      type: 'video',
      text: 'Ringkasan',
      duration: 754,
      video_url: 'https://cdn.example/v/1.mp4',
      is_shown: false,
      is_preview: true,
      is_discussion_active: true,
      sequence_order: 1,
    });
  });

  it('appends by default and inserts at sequence_order', async () => {
    const tenant = await createTenant('Materi');
    const { section } = await newSection(tenant);
    await createContent(tenant, section.uuid, { title: 'B' });
    await createContent(tenant, section.uuid, { title: 'A', sequence_order: 1 });
    await createContent(tenant, section.uuid, { title: 'C', sequence_order: 3 });
    expect(await titles(tenant, section.uuid)).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 3],
    ]);
  });

  it('rejects bad input with 422 naming the field', async () => {
    const tenant = await createTenant('Materi');
    const { section } = await newSection(tenant);
    const post = (body: unknown) => tenant.request('POST', contentsUrl(section.uuid), { body });
    expectInvalid(await post({}), 'title');
    expectInvalid(await post({ title: ' ' }), 'title');
    expect(expectInvalid(await post({ title: 'x', type: 'pdf' }), 'type')).toEqual([
      'must be one of: text, video',
    ]);
    expect(expectInvalid(await post({ title: 'x', type: 'video' }), 'video_url')).toEqual([
      'is required for video content',
    ]);
    expectInvalid(await post({ title: 'x', type: 'video', video_url: 'ftp://files.example/a' }), 'video_url');
    expectInvalid(await post({ title: 'x', duration: -1 }), 'duration');
    expectInvalid(await post({ title: 'x', duration: 'long' }), 'duration');
    expectInvalid(await post({ title: 'x', text: 'y'.repeat(100_001) }), 'text');
    expectInvalid(await post({ title: 'x', is_preview: 'sometimes' }), 'is_preview');
    expect(expectInvalid(await post({ title: 'x', sequence_order: 2 }), 'sequence_order')).toEqual([
      'must be at most 1',
    ]);
    expect(await titles(tenant, section.uuid)).toEqual([]);
  });

  it('answers 409 once a section holds the most contents it may', async () => {
    const tenant = await createTenant('Materi');
    const { variant, section } = await newSection(tenant);
    const db = tenant.ctx.database.db;
    const { id: sectionId } = await db
      .selectFrom('course_sections')
      .select('id')
      .where('uuid', '=', section.uuid)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('course_contents')
      .values(
        Array.from({ length: 300 }, (_, i) => ({
          business_id: tenant.business.id,
          section_id: sectionId,
          variant_id: variant.id,
          title: `Materi ${i + 1}`,
          type: 'text' as const,
          sequence_order: i + 1,
        })),
      )
      .execute();
    const res = await tenant.request('POST', contentsUrl(section.uuid), { body: { title: 'Satu lagi' } });
    expect(res.statusCode, res.body).toBe(409);
  });

  it('answers 404 for another business’s section and 403 without product:update', async () => {
    const tenant = await createTenant('Materi');
    const other = await createTenant('Materi Lain');
    const { section: theirs } = await newSection(other);
    expectNotFound(await tenant.request('POST', contentsUrl(theirs.uuid), { body: { title: 'x' } }));
    expectNotFound(await tenant.request('POST', contentsUrl('12'), { body: { title: 'x' } }));
    expect((await getSection(other, theirs.uuid)).course_contents).toEqual([]);
    const key = await other.restrictedKey(['product:read']);
    expectInsufficientScope(
      await other.request('POST', contentsUrl(theirs.uuid), { key, body: { title: 'x' } }),
    );
  });
});

describe('updateCourseContentOrders', () => {
  it('reorders every content of the section and answers the section', async () => {
    const tenant = await createTenant('Urutan');
    const { section } = await newSection(tenant);
    const a = await createContent(tenant, section.uuid, { title: 'A' });
    const b = await createContent(tenant, section.uuid, { title: 'B' });
    const c = await createContent(tenant, section.uuid, { title: 'C' });
    const res = await tenant.request('PATCH', ordersUrl(section.uuid), {
      body: { course_content_uuids: [b.uuid, c.uuid, a.uuid] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ uuid: section.uuid, title: section.title });
    expect(res.json().course_contents.map((x: ContentSummary) => [x.title, x.sequence_order])).toEqual([
      ['B', 1],
      ['C', 2],
      ['A', 3],
    ]);
    expect(await titles(tenant, section.uuid)).toEqual([
      ['B', 1],
      ['C', 2],
      ['A', 3],
    ]);
  });

  it('rejects a list that is not exactly the current contents, changing nothing', async () => {
    const tenant = await createTenant('Urutan');
    const { variant, section } = await newSection(tenant);
    const a = await createContent(tenant, section.uuid, { title: 'A' });
    const b = await createContent(tenant, section.uuid, { title: 'B' });
    const sibling = await createSection(tenant, variant.id);
    const stranger = await createContent(tenant, sibling.uuid);
    const patch = (body: unknown) => tenant.request('PATCH', ordersUrl(section.uuid), { body });
    expect(expectInvalid(await patch({ course_content_uuids: [a.uuid] }), 'course_content_uuids')).toEqual([
      `is missing: ${b.uuid}`,
    ]);
    expect(
      expectInvalid(
        await patch({ course_content_uuids: [b.uuid, stranger.uuid, b.uuid] }),
        'course_content_uuids',
      ),
    ).toEqual([
      `lists these more than once: ${b.uuid}`,
      `contains unknown ids: ${stranger.uuid}`,
      `is missing: ${a.uuid}`,
    ]);
    expectInvalid(await patch({ course_content_uuids: [a.uuid, 'x'] }), 'course_content_uuids.1');
    expectInvalid(await patch({}), 'course_content_uuids');
    expect(await titles(tenant, section.uuid)).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
  });

  it('answers 404 for another business’s section and 403 without product:update', async () => {
    const tenant = await createTenant('Urutan');
    const other = await createTenant('Urutan Lain');
    const { section: theirs } = await newSection(other);
    const only = await createContent(other, theirs.uuid);
    expectNotFound(
      await tenant.request('PATCH', ordersUrl(theirs.uuid), { body: { course_content_uuids: [only.uuid] } }),
    );
    expectNotFound(
      await tenant.request('PATCH', ordersUrl(MISSING_UUID), { body: { course_content_uuids: [] } }),
    );
    const key = await other.restrictedKey(['product:read']);
    expectInsufficientScope(
      await other.request('PATCH', ordersUrl(theirs.uuid), {
        key,
        body: { course_content_uuids: [only.uuid] },
      }),
    );
  });
});

describe('getCourseContent', () => {
  it('answers the content with its text', async () => {
    const tenant = await createTenant('Materi');
    const { section } = await newSection(tenant);
    const content = await createContent(tenant, section.uuid, { text: 'Isi lengkap materi' });
    const res = await tenant.request('GET', contentUrl(content.uuid));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(content);
    expect(res.json().text).toBe('Isi lengkap materi');
  });

  it('answers 404 for unknown, malformed and other businesses’ contents; 403 without product:read', async () => {
    const tenant = await createTenant('Materi');
    const other = await createTenant('Materi Lain');
    const theirs = await createContent(other, (await newSection(other)).section.uuid);
    for (const uuid of [MISSING_UUID, 'abc', '42', theirs.uuid]) {
      expectNotFound(await tenant.request('GET', contentUrl(uuid)));
    }
    const key = await other.restrictedKey(['product:list']);
    expectInsufficientScope(await other.request('GET', contentUrl(theirs.uuid), { key }));
  });
});

describe('updateCourseContent', () => {
  it('updates the given fields only', async () => {
    const tenant = await createTenant('Materi');
    const { section } = await newSection(tenant);
    const content: Content = await createContent(tenant, section.uuid, { text: 'Lama', duration: 60 });
    const res = await tenant.request('PATCH', contentUrl(content.uuid), {
      body: {
        title: 'Judul baru',
        type: 'video',
        video_url: 'http://video.example/x',
        is_preview: true,
        is_discussion_active: true,
        is_shown: false,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      ...content,
      title: 'Judul baru',
      type: 'video',
      video_url: 'http://video.example/x',
      is_preview: true,
      is_discussion_active: true,
      is_shown: false,
      updated_at: expect.stringMatching(ISO),
    });
    const cleared = await tenant.request('PATCH', contentUrl(content.uuid), {
      body: { type: 'text', video_url: null, text: null, duration: 0 },
    });
    expect(cleared.json()).toMatchObject({ type: 'text', video_url: null, text: null, duration: 0 });
  });

  it('moves a content within its section', async () => {
    const tenant = await createTenant('Materi');
    const { section } = await newSection(tenant);
    await createContent(tenant, section.uuid, { title: 'A' });
    await createContent(tenant, section.uuid, { title: 'B' });
    const c = await createContent(tenant, section.uuid, { title: 'C' });
    const res = await tenant.request('PATCH', contentUrl(c.uuid), { body: { sequence_order: 1 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sequence_order).toBe(1);
    expect(await titles(tenant, section.uuid)).toEqual([
      ['C', 1],
      ['A', 2],
      ['B', 3],
    ]);
  });

  it('rejects bad input with 422 naming the field', async () => {
    const tenant = await createTenant('Materi');
    const { section } = await newSection(tenant);
    const video = await createContent(tenant, section.uuid, {
      type: 'video',
      video_url: 'https://v.example/1',
    });
    const text = await createContent(tenant, section.uuid);
    const patch = (uuid: string, body: unknown) => tenant.request('PATCH', contentUrl(uuid), { body });
    expectInvalid(await patch(video.uuid, { video_url: null }), 'video_url');
    expectInvalid(await patch(text.uuid, { type: 'video' }), 'video_url');
    expectInvalid(await patch(text.uuid, { type: 'quiz' }), 'type');
    expectInvalid(await patch(text.uuid, { title: '' }), 'title');
    expectInvalid(await patch(text.uuid, { duration: 1.5 }), 'duration');
    expectInvalid(await patch(text.uuid, { video_url: 'not a url' }), 'video_url');
    expect(expectInvalid(await patch(text.uuid, { sequence_order: 3 }), 'sequence_order')).toEqual([
      'must be at most 2',
    ]);
    expect((await tenant.request('GET', contentUrl(video.uuid))).json()).toEqual(video);
    expect((await tenant.request('GET', contentUrl(text.uuid))).json()).toEqual(text);
  });

  it('answers 404 for another business’s content and 403 without product:update', async () => {
    const tenant = await createTenant('Materi');
    const other = await createTenant('Materi Lain');
    const theirs = await createContent(other, (await newSection(other)).section.uuid, { title: 'Asli' });
    expectNotFound(await tenant.request('PATCH', contentUrl(theirs.uuid), { body: { title: 'Diubah' } }));
    expect((await other.request('GET', contentUrl(theirs.uuid))).json().title).toBe('Asli');
    const key = await other.restrictedKey(['product:read']);
    expectInsufficientScope(
      await other.request('PATCH', contentUrl(theirs.uuid), { key, body: { title: 'x' } }),
    );
  });
});

describe('deleteCourseContent', () => {
  it('deletes the content and closes the gap', async () => {
    const tenant = await createTenant('Materi');
    const { section } = await newSection(tenant);
    await createContent(tenant, section.uuid, { title: 'A' });
    const b = await createContent(tenant, section.uuid, { title: 'B' });
    await createContent(tenant, section.uuid, { title: 'C' });
    const res = await tenant.request('DELETE', contentUrl(b.uuid));
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect(await titles(tenant, section.uuid)).toEqual([
      ['A', 1],
      ['C', 2],
    ]);
    expectNotFound(await tenant.request('GET', contentUrl(b.uuid)));
    expectNotFound(await tenant.request('DELETE', contentUrl(b.uuid)));
  });

  it('answers 404 for another business’s content and 403 without product:update', async () => {
    const tenant = await createTenant('Materi');
    const other = await createTenant('Materi Lain');
    const theirs = await createContent(other, (await newSection(other)).section.uuid);
    expectNotFound(await tenant.request('DELETE', contentUrl(theirs.uuid)));
    expectNotFound(await tenant.request('DELETE', contentUrl('x')));
    const key = await other.restrictedKey(['product:read']);
    expectInsufficientScope(await other.request('DELETE', contentUrl(theirs.uuid), { key }));
    expect((await other.request('GET', contentUrl(theirs.uuid))).statusCode).toBe(200);
  });
});
