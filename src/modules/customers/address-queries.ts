import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { NewRow, RowUpdate } from '../../db/schema.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';
import './tables.ts';

/** The customer whose addresses these are; every query is bound to both ids. */
export interface AddressOwner {
  businessId: number;
  customerId: number;
}

/** 1 for the default address: the list shows it first, then the newest. */
const DEFAULT_FIRST = sql<number>`(case when a.is_default then 1 else 0 end)`;

function selectAddresses(db: Db, owner: AddressOwner) {
  return db
    .selectFrom('customer_addresses as a')
    .leftJoin('locations as l', 'l.id', 'a.location_id')
    .select([
      'a.id',
      'a.name',
      'a.phone',
      'a.email',
      'a.location_id',
      'l.subdistrict_name',
      'l.city_name',
      'l.province_name',
      'a.address',
      'a.postal_code',
      'a.notes',
      'a.is_default',
      DEFAULT_FIRST.as('default_rank'),
    ])
    .where('a.business_id', '=', owner.businessId)
    .where('a.customer_id', '=', owner.customerId);
}

export type AddressRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectAddresses>['executeTakeFirst']>>
>;

export function findAddress(db: Db, owner: AddressOwner, id: number) {
  return selectAddresses(db, owner).where('a.id', '=', id).executeTakeFirst();
}

export function listAddresses(db: Db, owner: AddressOwner, window: KeysetWindow) {
  return applyKeyset(selectAddresses(db, owner), [DEFAULT_FIRST, sql.ref('a.id')], 'desc', window).execute();
}

/** Every address of the customer, default first then newest (small: addresses per customer are capped). */
export function allAddresses(db: Db, owner: AddressOwner) {
  return selectAddresses(db, owner).orderBy('a.is_default', 'desc').orderBy('a.id', 'desc').execute();
}

export async function countAddresses(db: Db, owner: AddressOwner): Promise<number> {
  const row = await db
    .selectFrom('customer_addresses')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('business_id', '=', owner.businessId)
    .where('customer_id', '=', owner.customerId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export function findLocation(db: Db, locationId: number) {
  return db.selectFrom('locations').select('id').where('id', '=', locationId).executeTakeFirst();
}

/** The customer's default stops being one, so another address can take the single default slot. */
export async function clearDefault(trx: Db, owner: AddressOwner) {
  await trx
    .updateTable('customer_addresses')
    .set({ is_default: false })
    .where('business_id', '=', owner.businessId)
    .where('customer_id', '=', owner.customerId)
    .where('is_default', '=', true)
    .execute();
}

export async function insertAddress(trx: Db, values: NewRow<'customer_addresses'>): Promise<number> {
  const row = await trx
    .insertInto('customer_addresses')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAddress(
  trx: Db,
  owner: AddressOwner,
  id: number,
  values: RowUpdate<'customer_addresses'>,
) {
  await trx
    .updateTable('customer_addresses')
    .set({ ...values, last_updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('business_id', '=', owner.businessId)
    .where('customer_id', '=', owner.customerId)
    .execute();
}

export function deleteAddress(trx: Db, owner: AddressOwner, id: number) {
  return trx
    .deleteFrom('customer_addresses')
    .where('id', '=', id)
    .where('business_id', '=', owner.businessId)
    .where('customer_id', '=', owner.customerId)
    .returning('is_default')
    .executeTakeFirst();
}

/** After the default was deleted, the newest remaining address becomes the default. */
export async function promoteNewestAddress(trx: Db, owner: AddressOwner) {
  await trx
    .updateTable('customer_addresses')
    .set({ is_default: true })
    .where(
      'id',
      '=',
      trx
        .selectFrom('customer_addresses')
        .select('id')
        .where('business_id', '=', owner.businessId)
        .where('customer_id', '=', owner.customerId)
        .orderBy('id', 'desc')
        .limit(1),
    )
    .execute();
}
