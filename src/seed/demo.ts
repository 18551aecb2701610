import fs from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { randomString } from '../lib/ids.ts';
import { defaultPostalCodesFile } from '../lib/paths.ts';
import type { ServerKeys } from '../lib/secrets.ts';
import { anyBusinessExists, findBusinessByUsername, findStoreByName } from '../modules/businesses/queries.ts';
import {
  createApiKey,
  createBusiness,
  createStore,
  findMemberUserId,
} from '../modules/businesses/service.ts';
import { importPostalCodes, postalCodesLoaded } from '../modules/locations/postal-codes.ts';
import * as setup from '../modules/storefront-setup/service.ts';
import { seedDemoCatalog } from './demo-catalog.ts';

/**
 * The demo business a fresh installation starts with, so the first `curl` works. Seeding is
 * idempotent: it finds the demo business by username and only adds what is missing, then mints
 * a fresh business API key (stored keys are hashes and cannot be shown again), rotating out the
 * oldest demo key when the business is at its key limit.
 */
export const DEMO = {
  username: 'tokodemo',
  accountHolder: 'Toko Demo Nexus',
  ownerEmail: 'demo@nexus.local',
  ownerName: 'Demo Owner',
  storeName: 'Toko Demo',
  apiKeyName: 'Demo key',
} as const;

export interface DemoCredentials {
  business_id: number;
  business_unique_id: string;
  business_username: string;
  owner_email: string;
  /**
   * Generated when this run created the owner, and shown only then: stored as a hash, it cannot be
   * shown again (null afterwards). A fixed demo password would open every installation that kept it.
   */
  owner_password: string | null;
  api_key: string;
  store_id: number;
  store_unique_id: string;
  storefront_api_key: string;
  /** `NEXUS_PUBLIC_URL`'s origin (the hosted pages'). */
  allowed_origin: string;
  /** Every origin the demo store allows: the public URL's and, on a laptop, the dev servers'. */
  allowed_origins: string[];
  created: boolean;
  /** Set when this run created the demo catalog. */
  catalog: { product_ids: number[]; bundle_id: number; warehouse_unique_ids: string[] } | null;
}

/**
 * Who the demo business is: the defaults above, or another username/holder/owner so a second demo
 * business (e.g. one per test) can sit beside the first without finding or reusing it.
 */
export interface DemoIdentity {
  username: string;
  accountHolder: string;
  ownerEmail: string;
}

/** Ports of the usual local front-end dev servers: Next.js and most Node servers, Astro, Vite, the rest. */
export const DEVELOPMENT_PORTS = [3000, 4321, 5173, 8080] as const;

/**
 * The origins a storefront in development runs on. The demo store allows them on the embedded
 * database outside production (someone trying Nexus with a front end on their laptop); anywhere
 * else an installation is a real one, where localhost origins have no business.
 */
export function developmentOrigins(config: Config): string[] {
  if (config.databaseUrl || config.production) return [];
  return ['localhost', '127.0.0.1'].flatMap((host) =>
    DEVELOPMENT_PORTS.map((port) => `http://${host}:${port}`),
  );
}

async function ensureStore(db: Db, businessId: number) {
  return (
    (await findStoreByName(db, businessId, DEMO.storeName)) ??
    createStore(db, businessId, { name: DEMO.storeName })
  );
}

export async function seedDemo(
  db: Db,
  config: Config,
  keys: ServerKeys,
  identity: DemoIdentity = DEMO,
): Promise<DemoCredentials> {
  let business = await findBusinessByUsername(db, identity.username);
  const created = !business;
  const ownerPassword = created ? randomString(20) : null;
  if (!business) {
    const result = await createBusiness(db, {
      accountHolder: identity.accountHolder,
      username: identity.username,
      owner: { email: identity.ownerEmail, name: DEMO.ownerName, password: ownerPassword! },
    });
    business = { id: result.business.id, unique_id: result.business.unique_id };
  }
  const store = await ensureStore(db, business.id);
  const ownerId = await findMemberUserId(db, business.id, identity.ownerEmail);
  const caller = { businessId: business.id, userId: ownerId ?? null };

  const storefrontKeys = await setup.listStorefrontKeys(db, caller, store.id);
  const storefrontKey =
    storefrontKeys.find((key) => key.status === 'active')?.token ??
    (await setup.createStorefrontKey(db, caller, store.id)).token;

  const origin = new URL(config.publicUrl).origin;
  const wanted = [...new Set([origin, ...developmentOrigins(config)])];
  const active = new Set(
    (await setup.listAllowedOrigins(db, caller, store.id))
      .filter((o) => o.status === 'active')
      .map((o) => o.origin),
  );
  for (const missing of wanted.filter((o) => !active.has(o))) {
    await setup.createAllowedOrigin(db, null, caller, store.id, missing);
  }

  const catalog = await seedDemoCatalog(db, config, keys, {
    businessId: business.id,
    userId: ownerId ?? null,
    storeId: store.id,
  });
  const apiKey = await createApiKey(db, {
    businessId: business.id,
    name: DEMO.apiKeyName,
    kind: 'secret',
    rotateName: DEMO.apiKeyName,
  });
  return {
    business_id: business.id,
    business_unique_id: business.unique_id,
    business_username: identity.username,
    owner_email: identity.ownerEmail,
    owner_password: ownerPassword,
    api_key: apiKey.token,
    store_id: store.id,
    store_unique_id: store.unique_id,
    storefront_api_key: storefrontKey ?? '',
    allowed_origin: origin,
    allowed_origins: [...new Set([...active, ...wanted])],
    created,
    catalog,
  };
}

/** What every start's banner shows of the demo business: ids and where browsers may call from. */
export interface DemoSummary {
  business_username: string;
  business_unique_id: string;
  store_id: number;
  store_unique_id: string;
  /** Publishable (browsers send it), yet the banner shows it only on a laptop. */
  storefront_api_key: string | null;
  allowed_origins: string[];
}

/** The demo business as it stands, when there is one (no secret: stored keys are hashes). */
export async function findDemo(db: Db): Promise<DemoSummary | null> {
  const business = await findBusinessByUsername(db, DEMO.username);
  if (!business) return null;
  const store = await findStoreByName(db, business.id, DEMO.storeName);
  if (!store) return null;
  const caller = { businessId: business.id, userId: null };
  const [keys, origins] = await Promise.all([
    setup.listStorefrontKeys(db, caller, store.id),
    setup.listAllowedOrigins(db, caller, store.id),
  ]);
  return {
    business_username: DEMO.username,
    business_unique_id: business.unique_id,
    store_id: store.id,
    store_unique_id: store.unique_id,
    storefront_api_key: keys.find((key) => key.status === 'active')?.token ?? null,
    allowed_origins: origins.filter((o) => o.status === 'active').map((o) => o.origin),
  };
}

/** First start against an empty database: create the demo business and hand back its credentials. */
export async function ensureDemoOnEmpty(
  db: Db,
  config: Config,
  keys: ServerKeys,
): Promise<DemoCredentials | null> {
  if (await anyBusinessExists(db)) return null;
  return seedDemo(db, config, keys);
}

/** What {@link importBundledPostalCodes} did, for the start-up log and `nexus migrate --postal-codes`. */
export type BundledPostalCodes =
  | { status: 'imported'; file: string; matched: number; unmatched: number }
  | { status: 'already_loaded' }
  | { status: 'no_file'; file: string };

/**
 * A fresh installation gets the postal codes the repository ships, so storefront address forms work
 * at once. `NEXUS_POSTAL_CODES_CSV` naming a missing file skips them (`nexus locations import FILE`
 * adds them later).
 */
export async function importBundledPostalCodes(db: Db): Promise<BundledPostalCodes> {
  const file = defaultPostalCodesFile();
  if (await postalCodesLoaded(db)) return { status: 'already_loaded' };
  if (!fs.existsSync(file)) return { status: 'no_file', file };
  const report = await importPostalCodes(db, file);
  return { status: 'imported', file, matched: report.matched, unmatched: report.unmatched };
}

/** The start-up log line of {@link importBundledPostalCodes}; nothing when they were already there. */
export function logBundledPostalCodes(log: FastifyBaseLogger, result: BundledPostalCodes): void {
  if (result.status === 'imported') {
    log.info(
      { file: result.file, matched: result.matched, unmatched: result.unmatched },
      'imported postal codes',
    );
  } else if (result.status === 'no_file') {
    log.info(
      { file: result.file },
      'no postal code file found; run `npm run nexus -- locations import FILE` to add postal codes',
    );
  }
}
