import { type Kysely, sql } from 'kysely';

/**
 * The authorization server (issue 14). An application is either a developer's app (`nexus oauth app
 * create`) or a platform client registered dynamically (RFC 7591). An authorization (the merchant's
 * approval on the hosted page) connects one or more businesses: each gets an installation recording
 * its granted scopes, webhook events and approved billing tags, and the approval starts a token
 * family that carries exactly those installations. Codes, access, refresh and launch tokens are
 * stored as SHA-256 digests of 256-bit random values; client secrets likewise.
 *
 * No issuer existed before this migration, so access-token rows can only be test fixtures; they are
 * dropped to give every token a family.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table oauth_applications
      add column registration text not null default 'developer'
        check (registration in ('developer', 'dynamic')),
      add column description text,
      add column logo_url text,
      add column homepage_url text,
      add column manage_url text,
      add column webhook_events text[] not null default '{}',
      add column token_endpoint_auth_method text not null default 'client_secret_post'
        check (token_endpoint_auth_method in ('client_secret_post', 'client_secret_basic', 'none')),
      add column grant_types text[] not null default '{authorization_code,refresh_token}',
      add column secret_rotated_at timestamptz`.execute(db);

  await sql`
    alter table oauth_installations
      add column is_enabled boolean not null default true,
      add column granted_webhook_events text[] not null default '{}',
      add column approved_billing_tags jsonb not null default '[]'::jsonb`.execute(db);

  await sql`
    create table oauth_token_families (
      id bigserial primary key,
      application_id bigint not null references oauth_applications(id) on delete cascade,
      user_id bigint not null references users(id) on delete cascade,
      installation_ids bigint[] not null,
      scopes text[] not null,
      resource text,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table oauth_authorization_codes (
      id bigserial primary key,
      application_id bigint not null references oauth_applications(id) on delete cascade,
      user_id bigint not null references users(id) on delete cascade,
      code_hash text not null unique,
      redirect_uri text not null,
      code_challenge text not null,
      scopes text[] not null,
      installation_ids bigint[] not null,
      resource text,
      expires_at timestamptz not null,
      used_at timestamptz,
      family_id bigint references oauth_token_families(id) on delete cascade,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`delete from oauth_access_tokens`.execute(db);
  await sql`
    alter table oauth_access_tokens
      add column family_id bigint not null references oauth_token_families(id) on delete cascade`.execute(db);
  await sql`create index oauth_access_tokens_family on oauth_access_tokens (family_id)`.execute(db);

  await sql`
    create table oauth_refresh_tokens (
      id bigserial primary key,
      family_id bigint not null references oauth_token_families(id) on delete cascade,
      token_hash text not null unique,
      expires_at timestamptz not null,
      rotated_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index oauth_refresh_tokens_family on oauth_refresh_tokens (family_id)`.execute(db);

  await sql`
    create table oauth_launch_tokens (
      id bigserial primary key,
      installation_id bigint not null references oauth_installations(id) on delete cascade,
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists oauth_launch_tokens`.execute(db);
  await sql`drop table if exists oauth_refresh_tokens`.execute(db);
  await sql`alter table oauth_access_tokens drop column if exists family_id`.execute(db);
  await sql`drop table if exists oauth_authorization_codes`.execute(db);
  await sql`drop table if exists oauth_token_families`.execute(db);
  await sql`
    alter table oauth_installations
      drop column if exists is_enabled,
      drop column if exists granted_webhook_events,
      drop column if exists approved_billing_tags`.execute(db);
  await sql`
    alter table oauth_applications
      drop column if exists registration,
      drop column if exists description,
      drop column if exists logo_url,
      drop column if exists homepage_url,
      drop column if exists manage_url,
      drop column if exists webhook_events,
      drop column if exists token_endpoint_auth_method,
      drop column if exists grant_types,
      drop column if exists secret_rotated_at`.execute(db);
}
