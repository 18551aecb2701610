import type { Db } from '../../db/database.ts';
import type { Credentials } from '../../http/auth/credentials.ts';
import { errors } from '../../http/errors.ts';
import { isUuid, newId } from '../../lib/ids.ts';
import * as q from './queries.ts';

/** Publishable keys are meant for browsers, but a store rarely needs more than a few live at once. */
export const MAX_ACTIVE_STOREFRONT_KEYS = 10;

export interface SetupCaller {
  businessId: number;
  userId: number | null;
}

function createdBy(row: {
  created_by_id: number | null;
  created_by_name: string | null;
  created_by_email: string | null;
}) {
  return row.created_by_id === null
    ? null
    : { id: row.created_by_id, name: row.created_by_name, email: row.created_by_email };
}

export function toStorefrontPublicApiKey(row: q.KeyRow) {
  return {
    id: row.id,
    // The contract shows the token only while the key is active.
    token: row.status === 'active' ? row.token : null,
    status: row.status,
    store_id: row.store_id,
    created_by: createdBy(row),
    inserted_at: row.inserted_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toStorefrontAllowedOrigin(row: q.OriginRow) {
  return {
    id: row.id,
    origin: row.origin,
    status: row.status,
    store_id: row.store_id,
    created_by: createdBy(row),
    inserted_at: row.inserted_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

async function requireStore(db: Db, caller: SetupCaller, storeId: number) {
  const store = await q.findBusinessStore(db, caller.businessId, storeId);
  if (!store) throw errors.notFound('Store not found');
  return store;
}

/**
 * `https://Shop.Example.com:443/` -> `https://shop.example.com`. Only a bare http(s) origin is
 * accepted: no credentials, path, query, fragment or wildcard, because the value is compared
 * byte-for-byte with the browser's `Origin` header.
 */
export function normalizeOrigin(input: string): string {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw errors.invalidField('origin', 'must be an http or https origin such as https://shop.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw errors.invalidField('origin', 'must use http or https');
  if (url.username || url.password) throw errors.invalidField('origin', 'must not contain credentials');
  if (raw.includes('*')) throw errors.invalidField('origin', 'must not contain wildcards');
  // URL parsers read a backslash as a path separator; refuse it rather than silently drop the path.
  if (raw.includes('\\')) throw errors.invalidField('origin', 'must not contain a path, query or fragment');
  const afterHost = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  if (afterHost !== '' && afterHost !== '/')
    throw errors.invalidField('origin', 'must not contain a path, query or fragment');
  return url.origin;
}

export async function listStorefrontKeys(db: Db, caller: SetupCaller, storeId: number) {
  await requireStore(db, caller, storeId);
  return (await q.listKeys(db, caller.businessId, storeId)).map(toStorefrontPublicApiKey);
}

export async function createStorefrontKey(db: Db, caller: SetupCaller, storeId: number) {
  return db.transaction().execute(async (trx) => {
    const store = await requireStore(trx, caller, storeId);
    // Lock the store row so concurrent creations cannot both slip under the limit.
    await q.lockStore(trx, store.id);
    if ((await q.countActiveKeys(trx, store.id)) >= MAX_ACTIVE_STOREFRONT_KEYS) {
      throw errors.conflict(
        `A store can have at most ${MAX_ACTIVE_STOREFRONT_KEYS} active storefront keys; revoke one first`,
      );
    }
    const { id } = await q.insertKey(trx, {
      businessId: caller.businessId,
      storeId: store.id,
      token: newId.storefrontKey(),
      userId: caller.userId,
    });
    return toStorefrontPublicApiKey((await q.findKey(trx, caller.businessId, store.id, id))!);
  });
}

export async function revokeStorefrontKey(
  db: Db,
  credentials: Credentials | null,
  caller: SetupCaller,
  storeId: number,
  id: string,
): Promise<void> {
  await requireStore(db, caller, storeId);
  const notFound = () => errors.notFound('Storefront public API key not found');
  if (!isUuid(id)) throw notFound();
  const revoked = await q.revokeKey(db, caller.businessId, storeId, id);
  if (revoked) {
    credentials?.forgetStorefrontKey(revoked.token);
    return;
  }
  // Revoking an already revoked key is a no-op; an unknown id is not.
  if (!(await q.findKey(db, caller.businessId, storeId, id))) throw notFound();
}

export async function listAllowedOrigins(db: Db, caller: SetupCaller, storeId: number) {
  await requireStore(db, caller, storeId);
  return (await q.listOrigins(db, caller.businessId, storeId)).map(toStorefrontAllowedOrigin);
}

export async function createAllowedOrigin(
  db: Db,
  credentials: Credentials | null,
  caller: SetupCaller,
  storeId: number,
  origin: string,
) {
  const store = await requireStore(db, caller, storeId);
  const normalized = normalizeOrigin(origin);
  const inserted = await q.insertOrigin(db, {
    businessId: caller.businessId,
    storeId: store.id,
    origin: normalized,
    userId: caller.userId,
  });
  if (!inserted) throw errors.invalidField('origin', 'has already been added to this store');
  credentials?.forgetOrigins(store.id);
  return toStorefrontAllowedOrigin((await q.findOrigin(db, caller.businessId, store.id, inserted.id))!);
}

export async function revokeAllowedOrigin(
  db: Db,
  credentials: Credentials | null,
  caller: SetupCaller,
  storeId: number,
  id: string,
): Promise<void> {
  await requireStore(db, caller, storeId);
  const notFound = () => errors.notFound('Storefront allowed origin not found');
  if (!isUuid(id)) throw notFound();
  const revoked = await q.revokeOrigin(db, caller.businessId, storeId, id);
  if (revoked) {
    credentials?.forgetOrigins(storeId);
    return;
  }
  if (!(await q.findOrigin(db, caller.businessId, storeId, id))) throw notFound();
}
