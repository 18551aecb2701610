import { type Kysely, sql } from 'kysely';

/**
 * App webhooks (issue 14): an app's receiver URL and its signing secret, and the endpoint row through
 * which each installation subscribes (webhooks/app-subscriptions.ts).
 *
 * The client secret is stored as a digest, so it cannot sign: the app gets a webhook secret of its
 * own, sealed like endpoint secrets (lib/sealed.ts). An installation's endpoint row carries the
 * app's `client_id` for the `X-Scalev-App-Id` header, one row per installation (the unique index),
 * and goes with the installation. No code wrote `oauth_installation_id` before this migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table oauth_applications
      add column webhook_url text check (webhook_url is null or length(webhook_url) between 1 and 2000),
      add column webhook_secret_ciphertext text,
      add constraint oauth_applications_webhook_secret
        check (webhook_url is null or webhook_secret_ciphertext is not null)`.execute(db);
  await sql`
    alter table webhook_endpoints
      add column oauth_client_id text,
      add constraint webhook_endpoints_installation_fk foreign key (oauth_installation_id)
        references oauth_installations(id) on delete cascade,
      add constraint webhook_endpoints_app
        check ((oauth_installation_id is null) = (oauth_client_id is null))`.execute(db);
  await sql`
    create unique index webhook_endpoints_installation on webhook_endpoints (oauth_installation_id)
    where oauth_installation_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists webhook_endpoints_installation`.execute(db);
  await sql`
    alter table webhook_endpoints
      drop constraint if exists webhook_endpoints_app,
      drop constraint if exists webhook_endpoints_installation_fk,
      drop column if exists oauth_client_id`.execute(db);
  await sql`
    alter table oauth_applications
      drop constraint if exists oauth_applications_webhook_secret,
      drop column if exists webhook_secret_ciphertext,
      drop column if exists webhook_url`.execute(db);
}
