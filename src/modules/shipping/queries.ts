import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** Location ids are `integer`: a larger id names no location (and must not reach PostgreSQL). */
export const MAX_LOCATION_ID = 2_147_483_647;

/** A delivery location with the province and city couriers price by. */
export function findLocation(db: Db, locationId: number) {
  if (locationId > MAX_LOCATION_ID) return Promise.resolve(undefined);
  return db
    .selectFrom('locations')
    .select(['id', 'province_id', 'city_id', 'province_name', 'city_name', 'subdistrict_name', 'display'])
    .where('id', '=', locationId)
    .executeTakeFirst();
}
export interface LocationRow {
  id: number;
  province_id: number;
  city_id: number;
  province_name: string;
  city_name: string;
  subdistrict_name: string;
  display: string;
}

/** What shipping needs of a store: its own warehouse setting and the couriers it offers. */
export function findStoreShipping(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('stores')
    .select([
      'stores.id',
      'stores.warehouse_id',
      sql<string[]>`coalesce((
        select array_agg(sc.courier_code order by sc.courier_code)
        from store_couriers sc where sc.store_id = stores.id
      ), '{}')`.as('courier_codes'),
    ])
    .where('stores.id', '=', storeId)
    .where('stores.business_id', '=', businessId)
    .executeTakeFirst();
}
export type StoreShippingRow = NonNullable<Awaited<ReturnType<typeof findStoreShipping>>>;

function warehouseColumns(db: Db) {
  return db
    .selectFrom('warehouses as w')
    .leftJoin('locations as l', 'l.id', 'w.location_id')
    .select([
      'w.id',
      'w.business_id',
      'w.unique_id',
      'w.name',
      'w.address',
      'w.postal_code',
      'w.is_active',
      'w.location_id',
      'l.province_id',
      'l.city_id',
      'l.province_name',
      'l.city_name',
      'l.subdistrict_name',
    ]);
}

export function findWarehouse(db: Db, businessId: number, warehouseId: number) {
  return warehouseColumns(db)
    .where('w.id', '=', warehouseId)
    .where('w.business_id', '=', businessId)
    .executeTakeFirst();
}
export type WarehouseRow = NonNullable<Awaited<ReturnType<typeof findWarehouse>>>;

/**
 * Active warehouses with a location (others cannot be a shipping origin), by id, each with its
 * stock of these variants (rows it has for them; a missing row holds nothing), in one query.
 */
export function listShippingWarehouses(db: Db, businessId: number, variantIds: number[]) {
  return warehouseColumns(db)
    .select(
      variantIds.length === 0
        ? sql<Array<{ variant_id: number; qty: number }>>`'[]'::json`.as('stock')
        : sql<Array<{ variant_id: number; qty: number }>>`coalesce((
            select json_agg(json_build_object('variant_id', ws.variant_id, 'qty', ws.qty))
            from warehouse_stocks ws
            where ws.warehouse_id = w.id and ws.variant_id in (${sql.join(variantIds)})
          ), '[]'::json)`.as('stock'),
    )
    .where('w.business_id', '=', businessId)
    .where('w.is_active', '=', true)
    .where('w.location_id', 'is not', null)
    .orderBy('w.id')
    .execute();
}
export type ShippingWarehouseRow = Awaited<ReturnType<typeof listShippingWarehouses>>[number];
/** A shipping origin as `listShippingWarehouses` reads it, without its stock. */
export type ShippingWarehouse = Omit<ShippingWarehouseRow, 'stock'>;

/** Which of these variants belong to the business and whether their product tracks stock. */
export function findVariantsForShipping(db: Db, businessId: number, variantIds: number[]) {
  if (variantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select(['v.id', 'p.is_inventory'])
    .where('v.business_id', '=', businessId)
    .where('v.id', 'in', variantIds)
    .execute();
}

export function businessUsername(db: Db, businessId: number) {
  return db
    .selectFrom('businesses')
    .select(['id', 'username'])
    .where('id', '=', businessId)
    .executeTakeFirstOrThrow();
}

export interface ServiceFilter {
  /** null: every courier. */
  courierCodes: readonly string[] | null;
  serviceId?: number | null | undefined;
}

/** Every active courier service (with its courier), in id order: the catalog migration 0012 seeds. */
function readCourierCatalog(db: Db) {
  return db
    .selectFrom('courier_services as s')
    .innerJoin('couriers as c', 'c.code', 's.courier_code')
    .select([
      's.id',
      's.courier_code',
      's.service_code',
      's.name',
      's.is_cod_supported',
      's.is_pickup',
      'c.id as courier_id',
      'c.name as courier_name',
      'c.courier_type',
    ])
    .where('s.is_active', '=', true)
    .orderBy('s.id')
    .execute();
}

/**
 * The courier service catalog is platform reference data, fixed by a migration and never written
 * by the application (ids are the contract's `courier_service_id`s), so it is read once per
 * database and kept in process. Stores choose among it through `store_couriers`, read with the store.
 */
const courierCatalogs = new WeakMap<Db, Promise<Readonly<CourierServiceRow>[]>>();

function courierCatalog(db: Db): Promise<Readonly<CourierServiceRow>[]> {
  let catalog = courierCatalogs.get(db);
  if (!catalog) {
    catalog = readCourierCatalog(db).then((rows) => rows.map((row) => Object.freeze(row)));
    courierCatalogs.set(db, catalog);
    // A failed read (e.g. a dropped connection) is tried again by the next caller.
    catalog.catch(() => courierCatalogs.delete(db));
  }
  return catalog;
}

/** Active courier services (with their courier), in id order. */
export async function listCourierServices(db: Db, filter: ServiceFilter): Promise<CourierServiceRow[]> {
  if (filter.courierCodes !== null && filter.courierCodes.length === 0) return [];
  const codes = filter.courierCodes === null ? null : new Set(filter.courierCodes);
  const serviceId = filter.serviceId ?? null;
  return (await courierCatalog(db)).filter(
    (service) =>
      (codes === null || codes.has(service.courier_code)) && (serviceId === null || service.id === serviceId),
  );
}
export type CourierServiceRow = Awaited<ReturnType<typeof readCourierCatalog>>[number];

export function listCouriers(db: Db) {
  return db.selectFrom('couriers').select(['id', 'code', 'name', 'courier_type']).orderBy('id').execute();
}

export async function replaceStoreCouriers(
  db: Db,
  store: { id: number; businessId: number },
  courierCodes: readonly string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('store_couriers').where('store_id', '=', store.id).execute();
    if (courierCodes.length === 0) return;
    await trx
      .insertInto('store_couriers')
      .values(
        courierCodes.map((code) => ({
          store_id: store.id,
          business_id: store.businessId,
          courier_code: code,
        })),
      )
      .execute();
  });
}

/** A store by id alone: the operator's CLI names stores by id (and optionally their business). */
export function findStore(db: Db, storeId: number) {
  return db
    .selectFrom('stores')
    .select(['id', 'business_id', 'name'])
    .where('id', '=', storeId)
    .executeTakeFirst();
}
