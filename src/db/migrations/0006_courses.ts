import { type Kysely, sql } from 'kysely';

/**
 * Courses: the skeleton (settings, sections, contents) a course variant delivers, plus the minimal
 * customers and variant accesses that say who may open it. Customers get their full area later;
 * its columns follow the contract's Customer object so that area extends this table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table course_settings (
      variant_id bigint primary key references variants(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      settings jsonb not null default '{}'::jsonb,
      inserted_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  // Orders are unique per parent, but reorders rewrite every position in one statement: a
  // deferrable constraint is checked at the end of that statement instead of row by row.
  await sql`
    create table course_sections (
      id bigserial primary key,
      uuid uuid not null unique default gen_random_uuid(),
      business_id bigint not null references businesses(id) on delete cascade,
      variant_id bigint not null references variants(id) on delete cascade,
      title text not null,
      type text not null default 'default',
      sequence_order integer not null check (sequence_order > 0),
      is_shown boolean not null default true,
      inserted_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint course_sections_order unique (variant_id, sequence_order) deferrable initially immediate
    )`.execute(db);

  await sql`
    create table course_contents (
      id bigserial primary key,
      uuid uuid not null unique default gen_random_uuid(),
      business_id bigint not null references businesses(id) on delete cascade,
      section_id bigint not null references course_sections(id) on delete cascade,
      -- The section's variant, copied so a whole course loads with one query per level.
      variant_id bigint not null references variants(id) on delete cascade,
      title text not null,
      text text,
      type text not null check (type in ('text', 'video')),
      duration integer not null default 0 check (duration >= 0),
      video_url text,
      sequence_order integer not null check (sequence_order > 0),
      is_shown boolean not null default true,
      is_preview boolean not null default false,
      is_discussion_active boolean not null default false,
      inserted_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint course_contents_order unique (section_id, sequence_order) deferrable initially immediate
    )`.execute(db);
  await sql`create index course_contents_variant on course_contents (variant_id, section_id, sequence_order)`.execute(
    db,
  );

  await sql`
    create table customers (
      id bigserial primary key,
      uuid uuid not null unique default gen_random_uuid(),
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint references stores(id) on delete set null,
      name text not null,
      email text check (email = lower(email)),
      phone text,
      status text not null default 'active',
      confirmed_at timestamptz,
      created_at timestamptz not null default now(),
      last_updated_at timestamptz not null default now(),
      unique (business_id, email)
    )`.execute(db);

  await sql`
    create table variant_accesses (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      customer_id bigint not null references customers(id) on delete cascade,
      variant_id bigint not null references variants(id) on delete cascade,
      granted_at timestamptz not null default now(),
      expires_at timestamptz,
      source text not null default 'manual',
      unique (customer_id, variant_id)
    )`.execute(db);
  // listVariantCustomers pages one variant's holders by customer id.
  await sql`create index variant_accesses_variant on variant_accesses (variant_id, customer_id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'variant_accesses',
    'customers',
    'course_contents',
    'course_sections',
    'course_settings',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
