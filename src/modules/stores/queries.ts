import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import type { StoreSettingColumns } from '../../db/schema.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';

/** A store row with every column the Store object shows. */
export function findStore(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('stores')
    .selectAll()
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}
export type StoreRow = NonNullable<Awaited<ReturnType<typeof findStore>>>;

/** Just enough to scope store sub-resources: the store only when it belongs to the business. */
export function findStoreRef(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('stores')
    .select(['id', 'unique_id', 'name'])
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}

export interface StoreFilters {
  search?: string | undefined;
  productId?: number | undefined;
  /** Custom domains do not exist yet: any domain filter, or has_domain=true, matches nothing. */
  matchesNothing: boolean;
}

export function listStores(db: Db, businessId: number, filters: StoreFilters, window: KeysetWindow) {
  let query = db.selectFrom('stores').selectAll().where('business_id', '=', businessId);
  if (filters.matchesNothing) query = query.where(sql<boolean>`false`);
  if (filters.search) query = query.where('name', 'ilike', containsPattern(filters.search));
  if (filters.productId !== undefined) {
    const productId = filters.productId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('store_products as sp')
          .select('sp.store_id')
          .whereRef('sp.store_id', '=', 'stores.id')
          .where('sp.product_id', '=', productId),
      ),
    );
  }
  return applyKeyset(query, ['id'], 'desc', window).execute();
}

export function listSimplifiedStores(db: Db, businessId: number, window: KeysetWindow) {
  const query = db
    .selectFrom('stores')
    .select(['id', 'unique_id', 'uuid', 'name', 'is_active', 'is_public'])
    .where('business_id', '=', businessId);
  return applyKeyset(query, ['id'], 'desc', window).execute();
}

export function insertStore(db: Db, values: { businessId: number; uniqueId: string; name: string }) {
  return db
    .insertInto('stores')
    .values({
      business_id: values.businessId,
      unique_id: values.uniqueId,
      name: values.name,
      is_public: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export type StoreColumnUpdate = Partial<{
  [K in keyof StoreSettingColumns | 'name' | 'is_public']: unknown;
}>;

export async function updateStore(db: Db, businessId: number, storeId: number, values: StoreColumnUpdate) {
  await db
    .updateTable('stores')
    .set({ ...(values as Record<string, never>), updated_at: new Date() })
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .execute();
}

export async function lockStore(db: Db, storeId: number): Promise<void> {
  await db.selectFrom('stores').select('id').where('id', '=', storeId).forUpdate().execute();
}

export function deleteStore(db: Db, businessId: number, storeId: number) {
  return db
    .deleteFrom('stores')
    .where('id', '=', storeId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}

/** What keeps a store from being deleted: live storefront keys and pages published on it. */
export async function storeDeleteBlockers(db: Db, storeId: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .exists(
          eb
            .selectFrom('storefront_public_api_keys')
            .select('id')
            .where('store_id', '=', storeId)
            .where('status', '=', 'active'),
        )
        .as('has_keys'),
      eb.exists(eb.selectFrom('pages').select('id').where('store_id', '=', storeId)).as('has_pages'),
      eb.exists(eb.selectFrom('orders').select('id').where('store_id', '=', storeId)).as('has_orders'),
    ])
    .executeTakeFirstOrThrow();
  return {
    hasKeys: Boolean(row.has_keys),
    hasPages: Boolean(row.has_pages),
    hasOrders: Boolean(row.has_orders),
  };
}

export function findWarehouse(db: Db, businessId: number, warehouseId: number) {
  return db
    .selectFrom('warehouses')
    .select(['id', 'unique_id', 'name'])
    .where('id', '=', warehouseId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}

export function warehousesByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('warehouses').select(['id', 'unique_id', 'name']).where('id', 'in', ids).execute();
}

export async function productsOfStores(db: Db, storeIds: number[]) {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('store_products as sp')
    .innerJoin('products as p', 'p.id', 'sp.product_id')
    .select(['sp.store_id', 'p.id', 'p.uuid', 'p.name', 'p.slug', 'p.item_type', 'sp.is_hidden_from_listing'])
    .where('sp.store_id', 'in', storeIds)
    .orderBy('sp.store_id')
    .orderBy('p.id', 'desc')
    .execute();
}

export async function priceOptionsOfStores(db: Db, storeIds: number[]) {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('store_bundle_price_options as sbpo')
    .innerJoin('bundle_price_options as bpo', 'bpo.id', 'sbpo.bundle_price_option_id')
    .innerJoin('bundles as b', 'b.id', 'bpo.bundle_id')
    .select([
      'sbpo.store_id',
      'bpo.id',
      'bpo.unique_id',
      'bpo.bundle_id',
      'bpo.name',
      'bpo.price',
      'sbpo.is_hidden_from_listing',
      'b.name as bundle_name',
      'b.public_name as bundle_public_name',
    ])
    .where('sbpo.store_id', 'in', storeIds)
    .orderBy('sbpo.store_id')
    .orderBy('bpo.bundle_id', 'desc')
    .orderBy('bpo.position')
    .orderBy('bpo.id')
    .execute();
}

export async function methodOtherIncomesOfStores(db: Db, storeIds: number[]) {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('store_method_other_incomes')
    .select(['store_id', 'payment_method', 'sub_payment_method', 'type', 'amount', 'percentage'])
    .where('store_id', 'in', storeIds)
    .orderBy('store_id')
    .orderBy('id')
    .execute();
}

export async function salesPeopleOfStores(db: Db, storeIds: number[]) {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('store_sales_people as sp')
    .innerJoin('users as u', 'u.id', 'sp.user_id')
    .select(['sp.store_id', 'sp.id', 'sp.user_id', 'u.name', 'u.email', 'sp.weight', 'sp.is_active'])
    .where('sp.store_id', 'in', storeIds)
    .orderBy('sp.store_id')
    .orderBy('sp.id')
    .execute();
}

export async function replaceMethodOtherIncomes(
  db: Db,
  businessId: number,
  storeId: number,
  rows: Array<{
    payment_method: string;
    sub_payment_method: string | null;
    type: 'fixed' | 'percentage';
    amount: string;
    percentage: string;
  }>,
): Promise<void> {
  await db.deleteFrom('store_method_other_incomes').where('store_id', '=', storeId).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('store_method_other_incomes')
    .values(rows.map((row) => ({ ...row, business_id: businessId, store_id: storeId })))
    .execute();
}

/** Verified members of the business among `userIds`. */
export async function verifiedMemberIds(db: Db, businessId: number, userIds: number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('business_users')
    .select('user_id')
    .where('business_id', '=', businessId)
    .where('is_verified', '=', true)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((row) => row.user_id));
}

/** Keeps the rows (and ids) of people who stay; removes the others. */
export async function replaceSalesPeople(
  db: Db,
  businessId: number,
  storeId: number,
  rows: Array<{ user_id: number; weight: number; is_active: boolean }>,
): Promise<void> {
  let removal = db.deleteFrom('store_sales_people').where('store_id', '=', storeId);
  if (rows.length > 0)
    removal = removal.where(
      'user_id',
      'not in',
      rows.map((row) => row.user_id),
    );
  await removal.execute();
  if (rows.length === 0) return;
  await db
    .insertInto('store_sales_people')
    .values(rows.map((row) => ({ ...row, business_id: businessId, store_id: storeId })))
    .onConflict((oc) =>
      oc.columns(['store_id', 'user_id']).doUpdateSet((eb) => ({
        weight: eb.ref('excluded.weight'),
        is_active: eb.ref('excluded.is_active'),
      })),
    )
    .execute();
}
