import type { Db } from '../../db/database.ts';

const KEY_COLUMNS = [
  'k.id',
  'k.token',
  'k.status',
  'k.store_id',
  'k.inserted_at',
  'k.updated_at',
  'u.id as created_by_id',
  'u.name as created_by_name',
  'u.email as created_by_email',
] as const;

const ORIGIN_COLUMNS = [
  'o.id',
  'o.origin',
  'o.status',
  'o.store_id',
  'o.inserted_at',
  'o.updated_at',
  'u.id as created_by_id',
  'u.name as created_by_name',
  'u.email as created_by_email',
] as const;

/** The store, only when it belongs to the calling business. */
export function findBusinessStore(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('stores')
    .select(['id', 'unique_id'])
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}

/** Row lock on the store: serializes key creation so concurrent requests respect the key limit. */
export async function lockStore(db: Db, storeId: number): Promise<void> {
  await db.selectFrom('stores').select('id').where('id', '=', storeId).forUpdate().execute();
}

export function listKeys(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('storefront_public_api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.created_by_user_id')
    .select(KEY_COLUMNS)
    .where('k.business_id', '=', businessId)
    .where('k.store_id', '=', storeId)
    .orderBy('k.inserted_at', 'desc')
    .orderBy('k.id')
    .execute();
}
export type KeyRow = Awaited<ReturnType<typeof listKeys>>[number];

export function findKey(db: Db, businessId: number, storeId: number, id: string) {
  return db
    .selectFrom('storefront_public_api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.created_by_user_id')
    .select(KEY_COLUMNS)
    .where('k.business_id', '=', businessId)
    .where('k.store_id', '=', storeId)
    .where('k.id', '=', id)
    .executeTakeFirst();
}

export async function countActiveKeys(db: Db, storeId: number): Promise<number> {
  const row = await db
    .selectFrom('storefront_public_api_keys')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('store_id', '=', storeId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function insertKey(
  db: Db,
  values: { businessId: number; storeId: number; token: string; userId: number | null },
) {
  return db
    .insertInto('storefront_public_api_keys')
    .values({
      business_id: values.businessId,
      store_id: values.storeId,
      token: values.token,
      status: 'active',
      created_by_user_id: values.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function revokeKey(db: Db, businessId: number, storeId: number, id: string) {
  return db
    .updateTable('storefront_public_api_keys')
    .set({ status: 'revoked', revoked_at: new Date(), updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returning('token')
    .executeTakeFirst();
}

export function listOrigins(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('storefront_allowed_origins as o')
    .leftJoin('users as u', 'u.id', 'o.created_by_user_id')
    .select(ORIGIN_COLUMNS)
    .where('o.business_id', '=', businessId)
    .where('o.store_id', '=', storeId)
    .orderBy('o.inserted_at', 'desc')
    .orderBy('o.id')
    .execute();
}
export type OriginRow = Awaited<ReturnType<typeof listOrigins>>[number];

export function findOrigin(db: Db, businessId: number, storeId: number, id: string) {
  return db
    .selectFrom('storefront_allowed_origins as o')
    .leftJoin('users as u', 'u.id', 'o.created_by_user_id')
    .select(ORIGIN_COLUMNS)
    .where('o.business_id', '=', businessId)
    .where('o.store_id', '=', storeId)
    .where('o.id', '=', id)
    .executeTakeFirst();
}

/** Inserts unless the origin is already active for the store (the partial unique index decides). */
export function insertOrigin(
  db: Db,
  values: { businessId: number; storeId: number; origin: string; userId: number | null },
) {
  return db
    .insertInto('storefront_allowed_origins')
    .values({
      business_id: values.businessId,
      store_id: values.storeId,
      origin: values.origin,
      status: 'active',
      created_by_user_id: values.userId,
    })
    .onConflict((oc) => oc.columns(['store_id', 'origin']).where('status', '=', 'active').doNothing())
    .returning('id')
    .executeTakeFirst();
}

export function revokeOrigin(db: Db, businessId: number, storeId: number, id: string) {
  return db
    .updateTable('storefront_allowed_origins')
    .set({ status: 'revoked', revoked_at: new Date(), updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
}
