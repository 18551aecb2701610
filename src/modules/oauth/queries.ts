import type { Db } from '../../db/database.ts';
import type { ApprovedBillingTag } from '../../db/schema.ts';

/** Applications, installations and the authorization server's one-time and bearer credentials. */

const APPLICATION_COLUMNS = [
  'id',
  'registration',
  'name',
  'description',
  'logo_url',
  'homepage_url',
  'manage_url',
  'client_id',
  'client_secret_hash',
  'redirect_uris',
  'scopes',
  'webhook_events',
  'webhook_url',
  'token_endpoint_auth_method',
  'grant_types',
  'is_active',
  'created_at',
] as const;

export function findApplicationByClientId(db: Db, clientId: string) {
  return db
    .selectFrom('oauth_applications')
    .select(APPLICATION_COLUMNS)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
}
export type ApplicationRecord = NonNullable<Awaited<ReturnType<typeof findApplicationByClientId>>>;

export function findApplicationById(db: Db, id: number) {
  return db
    .selectFrom('oauth_applications')
    .select(APPLICATION_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function insertApplication(
  db: Db,
  values: {
    registration: 'developer' | 'dynamic';
    owner_business_id: number | null;
    name: string;
    description?: string | null;
    logo_url?: string | null;
    homepage_url?: string | null;
    manage_url?: string | null;
    client_id: string;
    client_secret_hash: string | null;
    redirect_uris: string[];
    scopes: string[];
    webhook_events?: string[];
    token_endpoint_auth_method: 'client_secret_post' | 'client_secret_basic' | 'none';
    grant_types: string[];
  },
) {
  return db
    .insertInto('oauth_applications')
    .values(values)
    .returning(APPLICATION_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function listDeveloperApplications(db: Db, ownerBusinessId: number) {
  return db
    .selectFrom('oauth_applications')
    .select(APPLICATION_COLUMNS)
    .where('owner_business_id', '=', ownerBusinessId)
    .orderBy('id')
    .execute();
}

export function setClientSecretHash(db: Db, ownerBusinessId: number, clientId: string, hash: string) {
  return db
    .updateTable('oauth_applications')
    .set({ client_secret_hash: hash, secret_rotated_at: new Date(), updated_at: new Date() })
    .where('owner_business_id', '=', ownerBusinessId)
    .where('client_id', '=', clientId)
    .returning('id')
    .executeTakeFirst();
}

/** The businesses a user may connect: those where they are a verified member of an active business. */
export function listConnectableBusinesses(db: Db, userId: number) {
  return db
    .selectFrom('business_users as bu')
    .innerJoin('businesses as b', 'b.id', 'bu.business_id')
    .select(['b.id', 'b.unique_id', 'b.account_holder'])
    .where('bu.user_id', '=', userId)
    .where('bu.is_verified', '=', true)
    .where('b.is_active', '=', true)
    .orderBy('b.id')
    .execute();
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash'])
    .where(db.fn('lower', ['email']), '=', email.toLowerCase())
    .executeTakeFirst();
}

export function setUserPassword(db: Db, email: string, passwordHash: string) {
  return db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: new Date() })
    .where(db.fn('lower', ['email']), '=', email.toLowerCase())
    .returning('id')
    .executeTakeFirst();
}

/**
 * Connects (or reconnects) one business: an earlier uninstall is undone and the grant replaced, so
 * the installation always records what the merchant approved last.
 */
export function upsertInstallation(
  db: Db,
  values: {
    application_id: number;
    business_id: number;
    authorized_by_user_id: number;
    scopes: string[];
    granted_webhook_events: string[];
    approved_billing_tags: ApprovedBillingTag[];
  },
) {
  const tags = JSON.stringify(values.approved_billing_tags);
  return db
    .insertInto('oauth_installations')
    .values({ ...values, approved_billing_tags: tags, status: 'active' })
    .onConflict((oc) =>
      oc.columns(['application_id', 'business_id']).doUpdateSet({
        authorized_by_user_id: values.authorized_by_user_id,
        scopes: values.scopes,
        granted_webhook_events: values.granted_webhook_events,
        approved_billing_tags: tags,
        status: 'active',
        is_enabled: true,
        updated_at: new Date(),
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
}

const INSTALLATION_COLUMNS = [
  'i.id',
  'i.application_id',
  'i.business_id',
  'i.scopes',
  'i.status',
  'i.is_enabled',
  'i.granted_webhook_events',
  'i.approved_billing_tags',
  'i.updated_at',
  'a.client_id',
  'a.name as application_name',
  'a.manage_url',
  'a.webhook_url',
  'a.webhook_events as application_webhook_events',
] as const;

export function findInstallations(db: Db, applicationId: number, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('oauth_installations as i')
    .innerJoin('oauth_applications as a', 'a.id', 'i.application_id')
    .select(INSTALLATION_COLUMNS)
    .where('i.application_id', '=', applicationId)
    .where('i.id', 'in', [...ids])
    .orderBy('i.id')
    .execute();
}
export type InstallationRow = Awaited<ReturnType<typeof findInstallations>>[number];

export function findInstallationForBusiness(db: Db, applicationId: number, businessId: number) {
  return db
    .selectFrom('oauth_installations as i')
    .innerJoin('oauth_applications as a', 'a.id', 'i.application_id')
    .select(INSTALLATION_COLUMNS)
    .where('i.application_id', '=', applicationId)
    .where('i.business_id', '=', businessId)
    .executeTakeFirst();
}

export function setInstallationState(
  db: Db,
  id: number,
  change: { status?: 'active' | 'revoked'; is_enabled?: boolean },
) {
  return db
    .updateTable('oauth_installations')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** An owned app's webhook settings; the sealed secret only to know whether one exists. */
export function findOwnedAppWebhook(db: Db, ownerBusinessId: number, clientId: string) {
  return db
    .selectFrom('oauth_applications')
    .select(['id', 'client_id', 'webhook_url', 'webhook_events', 'webhook_secret_ciphertext'])
    .where('owner_business_id', '=', ownerBusinessId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
}

export function setApplicationWebhook(
  db: Db,
  applicationId: number,
  change: { webhook_url: string; webhook_events?: string[]; webhook_secret_ciphertext?: string },
) {
  return db
    .updateTable('oauth_applications')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', applicationId)
    .returning(['client_id', 'webhook_url', 'webhook_events'])
    .executeTakeFirstOrThrow();
}

/** What an installation's webhook subscription follows: the installation and its app's settings. */
export function installationWebhookSources(
  db: Db,
  of: { applicationId: number } | { installationIds: readonly number[] },
) {
  let query = db
    .selectFrom('oauth_installations as i')
    .innerJoin('oauth_applications as a', 'a.id', 'i.application_id')
    .select([
      'i.id',
      'i.business_id',
      'i.status',
      'i.is_enabled',
      'i.granted_webhook_events',
      'a.client_id',
      'a.is_active as application_is_active',
      'a.webhook_url',
      'a.webhook_secret_ciphertext',
      'a.webhook_events',
    ])
    .orderBy('i.id');
  if ('applicationId' in of) query = query.where('i.application_id', '=', of.applicationId);
  else if (of.installationIds.length === 0) return Promise.resolve([]);
  else query = query.where('i.id', 'in', [...of.installationIds]);
  return query.execute();
}
