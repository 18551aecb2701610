import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';

/** Most sections a course and most contents a section may hold; reorders list at most this many. */
export const MAX_SECTIONS = 200;
export const MAX_CONTENTS = 300;

export const CONTENT_TYPES = ['text', 'video'] as const;
/** A plain `enum` so a wrong value reads "must be one of: text, video". */
const ContentType = (extra: { default?: string } = {}) =>
  Type.Unsafe<(typeof CONTENT_TYPES)[number]>({
    type: 'string',
    enum: [...CONTENT_TYPES],
    description: '`text`: an article in `text`; `video`: a lesson at `video_url` (text is its description).',
    ...extra,
  });

const PathVariantId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'Numeric variant id, its `variant_…` unique_id, or its UUID.',
});
const PathUuid = Type.String({ minLength: 1, maxLength: 64 });

export const VariantIdParams = Type.Object({ id: PathVariantId });
export const VariantIdPathParams = Type.Object({ variant_id: PathVariantId });
export const UuidParams = Type.Object({ uuid: PathUuid });
export const SectionUuidParams = Type.Object({ section_uuid: PathUuid });

const Title = Type.String({ minLength: 1, maxLength: 255 });
const SequenceOrder = Type.Integer({
  minimum: 1,
  description: '1-based position among its siblings; the others shift to make room.',
});
const SectionType = (extra: { default?: string } = {}) =>
  Type.String({
    pattern: '^[a-z][a-z0-9_]{0,31}$',
    description: 'Free label for how storefronts present the section (lower-case word).',
    ...extra,
  });
const Duration = (extra: { default?: number } = {}) =>
  Type.Integer({ minimum: 0, maximum: 360_000, description: 'Length in seconds.', ...extra });
const VideoUrl = Type.String({ maxLength: 2048, pattern: '^https?://[^\\s]+$', description: 'http(s) URL.' });
const Text = Type.String({ maxLength: 100_000 });

export const CourseContentSummary = Type.Object(
  {
    uuid: Type.String({ format: 'uuid' }),
    title: Type.String(),
    type: Type.String(),
    duration: Type.Integer(),
    video_url: Nullable(Type.String()),
    sequence_order: Type.Integer(),
    is_shown: Type.Boolean(),
    is_preview: Type.Boolean({ description: 'Open to visitors who have not bought the course.' }),
    is_discussion_active: Type.Boolean(),
    section_uuid: Type.String({ format: 'uuid' }),
    variant_id: Type.Integer(),
    inserted_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'CourseContentSummary', description: 'A content item without its text.' },
);

export const CourseContent = Type.Composite(
  [CourseContentSummary, Type.Object({ text: Nullable(Type.String()) })],
  { title: 'CourseContent' },
);

export const CourseSection = Type.Object(
  {
    uuid: Type.String({ format: 'uuid' }),
    title: Type.String(),
    type: Type.String(),
    sequence_order: Type.Integer(),
    is_shown: Type.Boolean(),
    variant_id: Type.Integer(),
    course_contents: Type.Array(CourseContentSummary),
    inserted_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'CourseSection' },
);

const Settings = Type.Record(Type.String(), Type.Unknown(), { maxProperties: 50 });

export const VariantCourse = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    unique_id: Type.String(),
    item_type: Type.String(),
    pricing_type: Type.String(),
    interval: Nullable(Type.String()),
    interval_count: Nullable(Type.Integer()),
    validity_period_unit: Nullable(Type.String()),
    validity_period: Nullable(Type.Integer()),
    product_id: Type.Integer(),
    description: Nullable(Type.String()),
    product_name: Type.String(),
    fullname: Type.String(),
    course_settings: Settings,
    course_sections: Type.Array(CourseSection),
  },
  { title: 'VariantCourse' },
);

export const UpdateVariantCourseRequest = Type.Object(
  {
    course_settings: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
        maxProperties: 50,
        description: 'Merged into the stored settings (JSON merge patch: a null value removes the key).',
      }),
    ),
  },
  { title: 'UpdateVariantCourseRequest' },
);

export const CreateCourseSectionRequest = Type.Object(
  {
    title: Title,
    type: Type.Optional(SectionType({ default: 'default' })),
    is_shown: Type.Optional(Type.Boolean({ default: true })),
    sequence_order: Type.Optional(SequenceOrder),
  },
  { title: 'CreateCourseSectionRequest' },
);

export const UpdateCourseSectionRequest = Type.Object(
  {
    title: Type.Optional(Title),
    type: Type.Optional(SectionType()),
    is_shown: Type.Optional(Type.Boolean()),
    sequence_order: Type.Optional(SequenceOrder),
  },
  { title: 'UpdateCourseSectionRequest' },
);

export const CourseSectionOrderRequest = Type.Object(
  {
    course_section_uuids: Type.Array(Type.String({ format: 'uuid' }), {
      maxItems: MAX_SECTIONS,
      description: 'Every section of the course, exactly once, in the new order.',
    }),
  },
  { title: 'CourseSectionOrderRequest' },
);

export const CreateCourseContentRequest = Type.Object(
  {
    title: Title,
    type: Type.Optional(ContentType({ default: 'text' })),
    text: Type.Optional(Nullable(Text)),
    duration: Type.Optional(Duration({ default: 0 })),
    video_url: Type.Optional(Nullable(VideoUrl)),
    is_shown: Type.Optional(Type.Boolean({ default: true })),
    is_preview: Type.Optional(Type.Boolean({ default: false })),
    is_discussion_active: Type.Optional(Type.Boolean({ default: false })),
    sequence_order: Type.Optional(SequenceOrder),
  },
  { title: 'CreateCourseContentRequest' },
);

export const UpdateCourseContentRequest = Type.Object(
  {
    title: Type.Optional(Title),
    type: Type.Optional(ContentType()),
    text: Type.Optional(Nullable(Text)),
    duration: Type.Optional(Duration()),
    video_url: Type.Optional(Nullable(VideoUrl)),
    is_shown: Type.Optional(Type.Boolean()),
    is_preview: Type.Optional(Type.Boolean()),
    is_discussion_active: Type.Optional(Type.Boolean()),
    sequence_order: Type.Optional(SequenceOrder),
  },
  { title: 'UpdateCourseContentRequest' },
);

export const CourseContentOrderRequest = Type.Object(
  {
    course_content_uuids: Type.Array(Type.String({ format: 'uuid' }), {
      maxItems: MAX_CONTENTS,
      description: 'Every content of the section, exactly once, in the new order.',
    }),
  },
  { title: 'CourseContentOrderRequest' },
);

export const VariantCustomer = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    status: Type.String(),
    confirmed_at: Nullable(Timestamp),
    created_at: Timestamp,
    last_updated_at: Timestamp,
    access: Type.Object({
      granted_at: Timestamp,
      expires_at: Nullable(Timestamp),
      source: Type.String({ description: 'What granted the access: order, subscription, manual, …' }),
    }),
  },
  { title: 'VariantCustomer' },
);

export const VariantCustomerList = Paginated(VariantCustomer, 'VariantCustomerListResponse');

export const ListVariantCustomersQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  search: Type.Optional(
    Type.String({ maxLength: 200, description: 'Customers whose name, email or phone contains this text.' }),
  ),
});
