import { type Kysely, sql } from 'kysely';

/**
 * Tenancy, credentials, stores with their storefront keys and origins, and the location tables.
 * Plain SQL: DDL reads best as the statement PostgreSQL runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table nexus_settings (
      key text primary key,
      value text not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table users (
      id bigserial primary key,
      email text not null unique check (email = lower(email)),
      name text not null,
      phone text,
      password_hash text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table businesses (
      id bigserial primary key,
      unique_id text not null unique,
      username text not null unique,
      account_holder text not null,
      email text,
      phone text,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table business_roles (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      name text not null,
      is_owner boolean not null default false,
      created_at timestamptz not null default now(),
      unique (business_id, name)
    )`.execute(db);

  await sql`
    create table business_users (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      user_id bigint not null references users(id) on delete cascade,
      role_id bigint not null references business_roles(id),
      business_phone text,
      is_verified boolean not null,
      is_locked boolean not null default false,
      metadata jsonb not null default '{}'::jsonb,
      invited_at timestamptz not null default now(),
      verified_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (business_id, user_id)
    )`.execute(db);
  // listBusinessUsers pages a user's memberships by id in both directions.
  await sql`create index business_users_user_id_id on business_users (user_id, id)`.execute(db);

  await sql`
    create table api_keys (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      created_by_user_id bigint references users(id) on delete set null,
      name text not null,
      kind text not null check (kind in ('secret', 'restricted')),
      token_hash text not null unique,
      token_last4 text not null,
      scopes text[] not null default '{}',
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index api_keys_business_id on api_keys (business_id)`.execute(db);

  await sql`
    create table oauth_applications (
      id bigserial primary key,
      owner_business_id bigint references businesses(id) on delete cascade,
      name text not null,
      client_id text not null unique,
      client_secret_hash text,
      redirect_uris text[] not null default '{}',
      scopes text[] not null default '{}',
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table oauth_installations (
      id bigserial primary key,
      application_id bigint not null references oauth_applications(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      authorized_by_user_id bigint not null references users(id) on delete cascade,
      scopes text[] not null default '{}',
      status text not null check (status in ('active', 'revoked')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (application_id, business_id)
    )`.execute(db);
  await sql`create index oauth_installations_user on oauth_installations (application_id, authorized_by_user_id)`.execute(
    db,
  );

  await sql`
    create table oauth_access_tokens (
      id bigserial primary key,
      application_id bigint not null references oauth_applications(id) on delete cascade,
      user_id bigint not null references users(id) on delete cascade,
      token_hash text not null unique,
      scopes text[] not null default '{}',
      expires_at timestamptz not null,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table stores (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      unique_id text not null unique,
      name text not null,
      is_public boolean not null default true,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index stores_business_id_id on stores (business_id, id)`.execute(db);

  await sql`
    create table storefront_public_api_keys (
      id uuid primary key default gen_random_uuid(),
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      token text not null unique,
      status text not null check (status in ('active', 'revoked')),
      created_by_user_id bigint references users(id) on delete set null,
      revoked_at timestamptz,
      inserted_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index storefront_public_api_keys_store on storefront_public_api_keys (store_id, inserted_at)`.execute(
    db,
  );

  await sql`
    create table storefront_allowed_origins (
      id uuid primary key default gen_random_uuid(),
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint not null references stores(id) on delete cascade,
      origin text not null,
      status text not null check (status in ('active', 'revoked')),
      created_by_user_id bigint references users(id) on delete set null,
      revoked_at timestamptz,
      inserted_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create unique index storefront_allowed_origins_active
      on storefront_allowed_origins (store_id, origin) where status = 'active'`.execute(db);

  await sql`
    create table pages (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      store_id bigint references stores(id) on delete set null,
      unique_id text not null unique,
      name text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table page_public_api_keys (
      id uuid primary key default gen_random_uuid(),
      business_id bigint not null references businesses(id) on delete cascade,
      page_id bigint not null references pages(id) on delete cascade,
      token text not null unique,
      status text not null check (status in ('active', 'revoked')),
      created_by_user_id bigint references users(id) on delete set null,
      revoked_at timestamptz,
      inserted_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table provinces (
      id integer primary key,
      name text not null
    )`.execute(db);

  await sql`
    create table cities (
      id integer primary key,
      province_id integer not null references provinces(id),
      name text not null
    )`.execute(db);
  await sql`create index cities_province on cities (province_id, id)`.execute(db);

  await sql`
    create table locations (
      id integer primary key,
      province_id integer not null references provinces(id),
      city_id integer not null references cities(id),
      province_name text not null,
      city_name text not null,
      subdistrict_name text not null,
      display text not null,
      search_text text not null
    )`.execute(db);
  await sql`create index locations_city on locations (city_id, id)`.execute(db);
  await sql`create index locations_search on locations using gin (search_text gin_trgm_ops)`.execute(db);

  await sql`
    create table postal_codes (
      id bigserial primary key,
      location_id integer not null references locations(id) on delete cascade,
      postal_code text not null,
      urban text not null,
      unique (location_id, urban, postal_code)
    )`.execute(db);
  await sql`create index postal_codes_location on postal_codes (location_id, postal_code)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'postal_codes',
    'locations',
    'cities',
    'provinces',
    'page_public_api_keys',
    'pages',
    'storefront_allowed_origins',
    'storefront_public_api_keys',
    'stores',
    'oauth_access_tokens',
    'oauth_installations',
    'oauth_applications',
    'api_keys',
    'business_users',
    'business_roles',
    'businesses',
    'users',
    'nexus_settings',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
