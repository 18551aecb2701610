import { type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';
import type { DB, NewRow, RowUpdate } from '../../db/schema.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';
import type { RecordRef } from '../../lib/refs.ts';
import './tables.ts';

/** Every column a customer object shows; the date of birth as text so no time zone can shift it. */
function customerColumns(eb: ExpressionBuilder<DB, 'customers'>) {
  return [
    'customers.id',
    'customers.uuid',
    'customers.business_id',
    'customers.store_id',
    'customers.name',
    'customers.email',
    'customers.phone',
    'customers.status',
    'customers.confirmed_at',
    'customers.is_generated_password',
    sql<boolean>`customers.password_hash is not null`.as('has_password'),
    eb.fn<string | null>('to_char', ['customers.date_of_birth', sql.lit('YYYY-MM-DD')]).as('date_of_birth'),
    'customers.sex',
    'customers.is_unsubscribe',
    'customers.notes',
    'customers.tags',
    'customers.created_at',
    'customers.last_updated_at',
  ] as const;
}

function selectCustomers(db: Db) {
  return db.selectFrom('customers').select(customerColumns);
}

export type CustomerRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectCustomers>['executeTakeFirst']>>
>;

function byRef<O>(query: SelectQueryBuilder<DB, 'customers', O>, ref: RecordRef) {
  if ('id' in ref) return query.where('customers.id', '=', ref.id);
  if ('uuid' in ref) return query.where('customers.uuid', '=', ref.uuid);
  return query.where(sql.lit(false));
}

export function findCustomer(db: Db, businessId: number, ref: RecordRef) {
  return byRef(selectCustomers(db).where('customers.business_id', '=', businessId), ref).executeTakeFirst();
}

/** The customer's id, row-locked for the caller's transaction: address changes of one customer run one at a time. */
export async function lockCustomer(trx: Db, businessId: number, ref: RecordRef) {
  const row = await byRef(
    trx.selectFrom('customers').select('customers.id').where('customers.business_id', '=', businessId),
    ref,
  )
    .forUpdate()
    .executeTakeFirst();
  return row?.id ?? null;
}

export function findCustomerIdByEmail(db: Db, businessId: number, email: string) {
  return db
    .selectFrom('customers')
    .select('id')
    .where('business_id', '=', businessId)
    .where('email', '=', email)
    .executeTakeFirst();
}

export interface CustomerFilters {
  search: string | null;
  tags: string[];
}

function filtered<O>(
  query: SelectQueryBuilder<DB, 'customers', O>,
  businessId: number,
  filters: CustomerFilters,
) {
  let q = query.where('customers.business_id', '=', businessId);
  if (filters.search) {
    const pattern = containsPattern(filters.search);
    q = q.where((eb) =>
      eb.or([
        eb('customers.name', 'ilike', pattern),
        eb('customers.email', 'ilike', pattern),
        eb('customers.phone', 'ilike', pattern),
      ]),
    );
  }
  if (filters.tags.length > 0) q = q.where(sql<SqlBool>`customers.tags && ${sql.val(filters.tags)}::text[]`);
  return q;
}

/** Newest first, one keyset page (`customers_business_id` serves the order). */
export function listCustomers(db: Db, businessId: number, filters: CustomerFilters, window: KeysetWindow) {
  return applyKeyset(
    filtered(selectCustomers(db), businessId, filters),
    ['customers.id'],
    'desc',
    window,
  ).execute();
}

export async function countCustomers(db: Db, businessId: number, filters: CustomerFilters): Promise<number> {
  const row = await filtered(db.selectFrom('customers'), businessId, filters)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** The business's distinct customer tags, alphabetically (case-insensitive), at most `limit`. */
export async function listCustomerTags(db: Db, businessId: number, search: string | null, limit: number) {
  const result = await sql<{ tag: string }>`
    select tags.tag from (
      select distinct t.tag
      from customers c, unnest(c.tags) as t(tag)
      where c.business_id = ${businessId}
        and c.tags <> '{}'
        ${search ? sql`and t.tag ilike ${containsPattern(search)}` : sql``}
    ) tags
    order by lower(tags.tag), tags.tag
    limit ${limit}
  `.execute(db);
  return result.rows.map((row) => row.tag);
}

export async function insertCustomer(trx: Db, values: NewRow<'customers'>): Promise<number> {
  const row = await trx.insertInto('customers').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCustomer(
  trx: Db,
  businessId: number,
  id: number,
  values: RowUpdate<'customers'>,
) {
  await trx
    .updateTable('customers')
    .set({ ...values, last_updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .execute();
}

/** The customer behind a storefront token: theirs only if they belong to the store's business. */
export function findStoreCustomer(db: Db, storeId: number, customerId: number) {
  return selectCustomers(db)
    .innerJoin('stores', 'stores.business_id', 'customers.business_id')
    .select(['stores.unique_id as store_unique_id', 'stores.name as store_name', 'stores.logo as store_logo'])
    .where('stores.id', '=', storeId)
    .where('customers.id', '=', customerId)
    .executeTakeFirst();
}

export function findPasswordHash(db: Db, businessId: number, customerId: number) {
  return db
    .selectFrom('customers')
    .select(['password_hash', 'is_generated_password'])
    .where('id', '=', customerId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}

/** The customer's own password; tokens issued before this moment stop working. */
export async function setPassword(trx: Db, businessId: number, id: number, passwordHash: string) {
  await trx
    .updateTable('customers')
    .set({
      password_hash: passwordHash,
      is_generated_password: false,
      tokens_valid_after: sql<Date>`now()`,
      last_updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .execute();
}

/** Every refresh token family of the customer stops working (a password change ends all sessions). */
export async function revokeRefreshTokens(trx: Db, customerId: number) {
  await trx
    .updateTable('customer_refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('customer_id', '=', customerId)
    .where('revoked_at', 'is', null)
    .execute();
}
