import { beforeAll, describe, expect, it } from 'vitest';
import { copyVariantCourse } from '../../../src/modules/courses/service.ts';
import { getTestContext } from '../../helpers/app.ts';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import {
  courseVariant,
  createContent,
  createSection,
  expectInsufficientScope,
  expectInvalid,
  expectNotFound,
  MISSING_UUID,
} from './fixtures.ts';

// The worker's app boots in the first hook (hook timeout), not inside the first test.
beforeAll(async () => {
  await getTestContext();
});

const courseUrl = (id: number | string) => `/v3/variants/${id}/course`;

describe('getVariantCourse', () => {
  it('answers an empty course with the exact shape', async () => {
    const tenant = await createTenant('Kursus');
    const product = await insertProduct(tenant, {
      name: 'Kelas Menulis',
      itemType: 'course',
      variants: [{ option1_value: 'Premium' }],
    });
    const variant = product.variants[0]!;
    const res = await tenant.request('GET', courseUrl(variant.id));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: variant.id,
      uuid: variant.uuid,
      unique_id: variant.unique_id,
      item_type: 'course',
      pricing_type: 'one_time',
      interval: null,
      interval_count: null,
      validity_period_unit: null,
      validity_period: null,
      product_id: product.id,
      description: null,
      product_name: 'Kelas Menulis',
      fullname: 'Kelas Menulis - Premium',
      course_settings: {},
      course_sections: [],
    });
  });

  it('lists sections in order with their contents, without content text', async () => {
    const tenant = await createTenant('Kursus');
    const variant = await courseVariant(tenant);
    const first = await createSection(tenant, variant.id, { title: 'Pengantar' });
    const second = await createSection(tenant, variant.id, { title: 'Praktik' });
    const video = await createContent(tenant, second.uuid, {
      type: 'video',
      video_url: 'https://video.example/1',
      duration: 300,
      text: 'Catatan panjang',
    });
    const article = await createContent(tenant, second.uuid, { text: 'Artikel' });
    const res = await tenant.request('GET', courseUrl(variant.id));
    expect(res.statusCode, res.body).toBe(200);
    const sections = res.json().course_sections;
    expect(sections.map((s: { uuid: string }) => s.uuid)).toEqual([first.uuid, second.uuid]);
    expect(sections[0]).toEqual({ ...first, course_contents: [] });
    const { text: _videoText, ...videoSummary } = video;
    const { text: _articleText, ...articleSummary } = article;
    expect(sections[1].course_contents).toEqual([videoSummary, articleSummary]);
    expect(sections[1].course_contents[0]).not.toHaveProperty('text');
  });

  it('accepts the numeric id, the unique_id and the uuid of the variant', async () => {
    const tenant = await createTenant('Kursus');
    const variant = await courseVariant(tenant);
    const byId = await tenant.request('GET', courseUrl(variant.id));
    for (const id of [variant.unique_id, variant.uuid, variant.uuid.toUpperCase()]) {
      const res = await tenant.request('GET', courseUrl(id));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual(byId.json());
    }
  });

  it('answers 404 for a variant that is not a course', async () => {
    const tenant = await createTenant('Kursus');
    const variant = await courseVariant(tenant, 'digital');
    expectNotFound(await tenant.request('GET', courseUrl(variant.id)));
  });

  it('answers 404 for unknown, malformed and other businesses’ variants', async () => {
    const tenant = await createTenant('Kursus');
    const other = await createTenant('Kursus Lain');
    const theirs = await courseVariant(other);
    for (const id of [
      '999999999',
      '99999999999999999999',
      'abc',
      'variant_unknown',
      MISSING_UUID,
      String(theirs.id),
      theirs.unique_id,
      theirs.uuid,
    ]) {
      expectNotFound(await tenant.request('GET', courseUrl(id)));
    }
  });

  it('requires product:read', async () => {
    const tenant = await createTenant('Kursus');
    const variant = await courseVariant(tenant);
    const key = await tenant.restrictedKey(['product:list']);
    expectInsufficientScope(await tenant.request('GET', courseUrl(variant.id), { key }));
    const allowed = await tenant.restrictedKey(['product:read']);
    expect((await tenant.request('GET', courseUrl(variant.id), { key: allowed })).statusCode).toBe(200);
  });
});

describe('updateVariantCourse', () => {
  it('merges course_settings as a JSON merge patch and answers the course', async () => {
    const tenant = await createTenant('Kursus');
    const variant = await courseVariant(tenant);
    const section = await createSection(tenant, variant.id);
    const first = await tenant.request('PATCH', courseUrl(variant.id), {
      body: { course_settings: { is_sequential: true, theme: { color: 'blue', font: 'serif' }, note: 'x' } },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().course_settings).toEqual({
      is_sequential: true,
      theme: { color: 'blue', font: 'serif' },
      note: 'x',
    });
    expect(first.json().course_sections).toEqual([section]);

    const second = await tenant.request('PATCH', courseUrl(variant.id), {
      body: { course_settings: { theme: { color: 'red' }, note: null } },
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().course_settings).toEqual({
      is_sequential: true,
      theme: { color: 'red', font: 'serif' },
    });
    const read = await tenant.request('GET', courseUrl(variant.uuid));
    expect(read.json()).toEqual(second.json());
  });

  it('an empty body changes nothing', async () => {
    const tenant = await createTenant('Kursus');
    const variant = await courseVariant(tenant);
    const before = await tenant.request('GET', courseUrl(variant.id));
    const res = await tenant.request('PATCH', courseUrl(variant.id), { body: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(before.json());
  });

  it('rejects settings that are not an object, too many keys or too large', async () => {
    const tenant = await createTenant('Kursus');
    const variant = await courseVariant(tenant);
    for (const course_settings of ['on', [1, 2], 5]) {
      expectInvalid(
        await tenant.request('PATCH', courseUrl(variant.id), { body: { course_settings } }),
        'course_settings',
      );
    }
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expectInvalid(
      await tenant.request('PATCH', courseUrl(variant.id), { body: { course_settings: many } }),
      'course_settings',
    );
    // 30 keys fit at once, 30 more overflow the stored total.
    const half = (offset: number) =>
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i + offset}`, i]));
    expect(
      (await tenant.request('PATCH', courseUrl(variant.id), { body: { course_settings: half(0) } }))
        .statusCode,
    ).toBe(200);
    expectInvalid(
      await tenant.request('PATCH', courseUrl(variant.id), { body: { course_settings: half(30) } }),
      'course_settings',
    );
    const big = await tenant.request('PATCH', courseUrl(variant.id), {
      body: { course_settings: { blob: 'x'.repeat(20_000) } },
    });
    expect(expectInvalid(big, 'course_settings')).toEqual(['must be at most 16384 bytes as JSON']);
  });

  it('answers 422 for a variant that is not a course, 404 for another business’s', async () => {
    const tenant = await createTenant('Kursus');
    const physical = await courseVariant(tenant, 'physical');
    expectInvalid(await tenant.request('PATCH', courseUrl(physical.id), { body: {} }), 'id');
    const other = await createTenant('Kursus Lain');
    const theirs = await courseVariant(other);
    expectNotFound(
      await tenant.request('PATCH', courseUrl(theirs.id), { body: { course_settings: { a: 1 } } }),
    );
    const untouched = await other.request('GET', courseUrl(theirs.id));
    expect(untouched.json().course_settings).toEqual({});
  });

  it('requires product:update', async () => {
    const tenant = await createTenant('Kursus');
    const variant = await courseVariant(tenant);
    const key = await tenant.restrictedKey(['product:read']);
    expectInsufficientScope(await tenant.request('PATCH', courseUrl(variant.id), { key, body: {} }));
  });
});

describe('copyVariantCourse (for duplicateProduct)', () => {
  it('copies settings, sections and contents with new uuids', async () => {
    const tenant = await createTenant('Kursus');
    const source = await courseVariant(tenant);
    const target = await courseVariant(tenant);
    await tenant.request('PATCH', courseUrl(source.id), {
      body: { course_settings: { is_sequential: true } },
    });
    const a = await createSection(tenant, source.id, { title: 'A' });
    const b = await createSection(tenant, source.id, { title: 'B', is_shown: false });
    await createContent(tenant, b.uuid, {
      title: 'B1',
      text: 'isi',
      type: 'video',
      video_url: 'https://v.example/1',
    });
    await createContent(tenant, b.uuid, { title: 'B2', is_preview: true });
    await createContent(tenant, a.uuid, { title: 'A1' });
    await copyVariantCourse(tenant.ctx.database.db, tenant.business.id, source.id, target.id);

    const original = (await tenant.request('GET', courseUrl(source.id))).json();
    const copy = (await tenant.request('GET', courseUrl(target.id))).json();
    expect(copy.course_settings).toEqual({ is_sequential: true });
    type Shape = { uuid: string; title: string; course_contents: Array<{ uuid: string; title: string }> };
    const outline = (course: { course_sections: Shape[] }) =>
      course.course_sections.map((s) => [s.title, s.course_contents.map((c) => c.title)]);
    expect(outline(copy)).toEqual([
      ['A', ['A1']],
      ['B', ['B1', 'B2']],
    ]);
    expect(outline(copy)).toEqual(outline(original));
    expect(copy.course_sections[1]).toMatchObject({ is_shown: false, variant_id: target.id });
    expect(copy.course_sections[0].uuid).not.toBe(original.course_sections[0].uuid);
    const copiedVideo = copy.course_sections[1].course_contents[0];
    expect(copiedVideo).toMatchObject({
      type: 'video',
      video_url: 'https://v.example/1',
      variant_id: target.id,
    });
    expect((await tenant.request('GET', `/v3/course-contents/${copiedVideo.uuid}`)).json().text).toBe('isi');
  });

  it('refuses variants of another business', async () => {
    const tenant = await createTenant('Kursus');
    const other = await createTenant('Kursus Lain');
    const theirs = await courseVariant(other);
    const mine = await courseVariant(tenant);
    await expect(
      copyVariantCourse(tenant.ctx.database.db, tenant.business.id, theirs.id, mine.id),
    ).rejects.toThrow('Variant not found');
  });
});
