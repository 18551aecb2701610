import fs from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { defaultPostalCodesFile } from '../lib/paths.ts';
import {
  createApiKey,
  createBusiness,
  createStore,
  MAX_ACTIVE_API_KEYS,
} from '../modules/businesses/service.ts';
import { importPostalCodes } from '../modules/locations/postal-codes.ts';
import * as setup from '../modules/storefront-setup/service.ts';

/**
 * The demo business a fresh installation starts with, so the first `curl` works. Seeding is
 * idempotent: it finds the demo business by username and only adds what is missing, then mints
 * a fresh business API key (stored keys are hashes and cannot be shown again).
 */
export const DEMO = {
  username: 'tokodemo',
  accountHolder: 'Toko Demo Nexus',
  ownerEmail: 'demo@nexus.local',
  ownerName: 'Demo Owner',
  ownerPassword: 'nexus-demo-password',
  storeName: 'Toko Demo',
  apiKeyName: 'Demo key',
} as const;

export interface DemoCredentials {
  business_id: number;
  business_unique_id: string;
  business_username: string;
  owner_email: string;
  owner_password: string;
  api_key: string;
  store_id: number;
  store_unique_id: string;
  storefront_api_key: string;
  allowed_origin: string;
  created: boolean;
}

async function findDemoBusiness(db: Db) {
  return db
    .selectFrom('businesses')
    .select(['id', 'unique_id'])
    .where('username', '=', DEMO.username)
    .executeTakeFirst();
}

async function ensureStore(db: Db, businessId: number) {
  const existing = await db
    .selectFrom('stores')
    .select(['id', 'unique_id'])
    .where('business_id', '=', businessId)
    .where('name', '=', DEMO.storeName)
    .orderBy('id')
    .executeTakeFirst();
  return existing ?? createStore(db, businessId, { name: DEMO.storeName });
}

/** Keeps room under the per-business key limit by revoking the oldest demo keys. */
async function makeRoomForKey(db: Db, businessId: number): Promise<void> {
  const live = await db
    .selectFrom('api_keys')
    .select(['id', 'name'])
    .where('business_id', '=', businessId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  const excess = live.length - (MAX_ACTIVE_API_KEYS - 1);
  const oldestDemoKeys = live.filter((key) => key.name === DEMO.apiKeyName).slice(0, Math.max(0, excess));
  if (oldestDemoKeys.length) {
    await db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where(
        'id',
        'in',
        oldestDemoKeys.map((key) => key.id),
      )
      .execute();
  }
}

export async function seedDemo(db: Db, config: Config): Promise<DemoCredentials> {
  let business = await findDemoBusiness(db);
  const created = !business;
  if (!business) {
    const result = await createBusiness(db, {
      accountHolder: DEMO.accountHolder,
      username: DEMO.username,
      owner: { email: DEMO.ownerEmail, name: DEMO.ownerName, password: DEMO.ownerPassword },
    });
    business = { id: result.business.id, unique_id: result.business.unique_id };
  }
  const store = await ensureStore(db, business.id);
  const owner = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', DEMO.ownerEmail)
    .executeTakeFirst();
  const caller = { businessId: business.id, userId: owner?.id ?? null };

  const keys = await setup.listStorefrontKeys(db, caller, store.id);
  const storefrontKey =
    keys.find((key) => key.status === 'active')?.token ??
    (await setup.createStorefrontKey(db, caller, store.id)).token;

  const origin = new URL(config.publicUrl).origin;
  const origins = await setup.listAllowedOrigins(db, caller, store.id);
  if (!origins.some((o) => o.status === 'active' && o.origin === origin)) {
    await setup.createAllowedOrigin(db, null, caller, store.id, origin);
  }

  await makeRoomForKey(db, business.id);
  const apiKey = await createApiKey(db, { businessId: business.id, name: DEMO.apiKeyName, kind: 'secret' });
  return {
    business_id: business.id,
    business_unique_id: business.unique_id,
    business_username: DEMO.username,
    owner_email: DEMO.ownerEmail,
    owner_password: DEMO.ownerPassword,
    api_key: apiKey.token,
    store_id: store.id,
    store_unique_id: store.unique_id,
    storefront_api_key: storefrontKey ?? '',
    allowed_origin: origin,
    created,
  };
}

/** First start against an empty database: create the demo business and hand back its credentials. */
export async function ensureDemoOnEmpty(db: Db, config: Config): Promise<DemoCredentials | null> {
  const any = await db.selectFrom('businesses').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  return seedDemo(db, config);
}

/**
 * A fresh installation next to the reference data gets postal codes too, so storefront address
 * forms work at once; elsewhere `nexus locations import FILE` does it.
 */
export async function importBundledPostalCodes(db: Db, log: FastifyBaseLogger): Promise<void> {
  const file = defaultPostalCodesFile();
  const loaded = await db.selectFrom('postal_codes').select('id').limit(1).executeTakeFirst();
  if (loaded) return;
  if (!fs.existsSync(file)) {
    log.info(
      { file },
      'no postal code file found; run `npm run nexus -- locations import FILE` to add postal codes',
    );
    return;
  }
  const report = await importPostalCodes(db, file);
  log.info({ file, matched: report.matched, unmatched: report.unmatched }, 'imported postal codes');
}
