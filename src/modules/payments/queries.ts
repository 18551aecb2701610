import './tables.ts';
import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { isUuid } from '../../lib/ids.ts';
import type { OrderStatus, OrdersTable } from '../orders/tables.ts';
import { ACTIVE_ATTEMPT_STATUSES, type PaymentAttemptStatus, type PaymentAttemptsTable } from './tables.ts';

export type AttemptRow = Selectable<PaymentAttemptsTable>;

/** The order's one attempt that is being created, waiting for the buyer, or paid. */
export function findActiveAttempt(db: Db, businessId: number, orderId: string) {
  return db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .where('status', 'in', [...ACTIVE_ATTEMPT_STATUSES])
    .executeTakeFirst();
}

/** The order's most recent attempt of any status (the operator's simulate command). */
export function findLatestAttempt(db: Db, businessId: number, orderId: string) {
  return db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findAttemptById(db: Db, id: string) {
  return db.selectFrom('payment_attempts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAttemptByProviderReference(db: Db, provider: string, reference: string) {
  return db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('provider', '=', provider as AttemptRow['provider'])
    .where('provider_reference', '=', reference)
    .executeTakeFirst();
}

/** Claims the order's active slot; false when another attempt holds it (the partial unique index). */
export async function insertAttempt(db: Db, values: Insertable<PaymentAttemptsTable>): Promise<boolean> {
  const row = await db
    .insertInto('payment_attempts')
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Takes over an attempt whose creator stopped (crash, timeout) before finishing it. */
export async function takeOverStaleAttempt(db: Db, id: string, staleBefore: Date): Promise<boolean> {
  const row = await db
    .updateTable('payment_attempts')
    .set({ claimed_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'creating')
    .where('claimed_at', '<', staleBefore)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markAttemptError(db: Db, id: string, message: string): Promise<void> {
  await db
    .updateTable('payment_attempts')
    .set({ status: 'error', last_error: message.slice(0, 2000), updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'creating')
    .execute();
}

/**
 * Stores what the gateway issued. A callback may already have moved the attempt on (a buyer who
 * paid within a second), so only `creating` becomes `pending`.
 */
export async function completeAttempt(
  trx: Db,
  id: string,
  values: {
    provider_reference: string;
    pg_payment_info: Record<string, unknown>;
    request: Record<string, unknown>;
    response: Record<string, unknown>;
    expires_at: Date;
  },
): Promise<void> {
  await trx
    .updateTable('payment_attempts')
    .set({
      provider_reference: values.provider_reference,
      pg_payment_info: JSON.stringify(values.pg_payment_info),
      request: JSON.stringify(values.request),
      response: JSON.stringify(values.response),
      expires_at: values.expires_at,
      status: sql<PaymentAttemptStatus>`case when status = 'creating' then 'pending' else status end`,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Whose attempt this is, read without a lock: the order row is locked first (see `applyPaymentOutcome`). */
export function findAttemptOwner(trx: Db, id: string) {
  return trx
    .selectFrom('payment_attempts')
    .select(['business_id', 'order_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function lockAttempt(trx: Db, id: string) {
  return trx.selectFrom('payment_attempts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function setAttemptStatus(
  trx: Db,
  id: string,
  status: PaymentAttemptStatus,
  extra: { paid_amount?: string | null; last_error?: string | null } = {},
): Promise<void> {
  await trx
    .updateTable('payment_attempts')
    .set({ status, ...extra, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Ends the order's attempts still waiting for the buyer (the order expired or was paid otherwise). */
export async function closeWaitingAttempts(
  trx: Db,
  businessId: number,
  orderId: string,
  status: 'expired' | 'failed',
  exceptId?: string,
): Promise<void> {
  let query = trx
    .updateTable('payment_attempts')
    .set({ status, updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .where('status', 'in', ['creating', 'pending']);
  if (exceptId) query = query.where('id', '<>', exceptId);
  await query.execute();
}

/**
 * Orders of every business past their payment deadline, still open and unpaid, oldest deadline
 * first, after the keyset `after`: the system's expiry sweep (no tenant to filter by: each order is
 * then expired within its own business). Served by the `orders_payment_deadline` partial index.
 */
export function findOverdueOrders(
  db: Db,
  query: {
    now: Date;
    after: { at: Date; id: string } | null;
    limit: number;
    statuses: OrderStatus[];
    neverExpire: string[];
  },
) {
  let select = db
    .selectFrom('orders')
    .select(['id', 'business_id', 'payment_expiration_at'])
    .where('payment_status', '=', 'unpaid')
    .where('status', 'in', query.statuses)
    .where('payment_expiration_at', 'is not', null)
    .where('payment_expiration_at', '<=', query.now)
    .where('payment_method', 'not in', query.neverExpire);
  if (query.after) {
    const { at, id } = query.after;
    select = select.where((eb) =>
      eb.or([
        eb('payment_expiration_at', '>', at),
        eb.and([eb('payment_expiration_at', '=', at), eb('id', '>', id)]),
      ]),
    );
  }
  return select
    .orderBy('payment_expiration_at')
    .orderBy('id')
    .limit(query.limit)
    .$narrowType<{ payment_expiration_at: Date }>()
    .execute();
}

export function lockOrder(trx: Db, businessId: number, orderId: string) {
  return trx
    .selectFrom('orders')
    .select([
      'id',
      'business_id',
      'status',
      'payment_status',
      'payment_method',
      'payment_expiration_at',
      'pg_reference_id',
      'discount_code_id',
    ])
    .where('business_id', '=', businessId)
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateOrderPayment(
  trx: Db,
  businessId: number,
  orderId: string,
  values: Pick<
    Updateable<OrdersTable>,
    'pg_payment_info' | 'pg_reference_id' | 'epayment_provider' | 'payment_expiration_at'
  >,
): Promise<void> {
  await trx
    .updateTable('orders')
    .set({ ...values, last_updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('id', '=', orderId)
    .execute();
}

/** Where a business's order is found by the buyer's routes: its store and `secret_slug`. */
export function findOrderSlug(db: Db, businessId: number, orderId: string) {
  return db
    .selectFrom('orders')
    .select(['store_id', 'secret_slug'])
    .where('business_id', '=', businessId)
    .where('id', '=', orderId)
    .executeTakeFirst();
}

/** Orders the operator names by UUID, business-facing `order_id` or `secret_slug`. */
export function findOrdersForOperator(db: Db, reference: string, businessId: number | null) {
  let query = db
    .selectFrom('orders')
    .select(['id', 'business_id', 'store_id', 'order_id', 'secret_slug'])
    .where((eb) =>
      eb.or([
        eb('order_id', '=', reference),
        eb('secret_slug', '=', reference),
        // Only a well-formed UUID may reach the uuid column: anything else is a database error.
        ...(isUuid(reference) ? [eb('id', '=', reference.toLowerCase())] : []),
      ]),
    )
    .limit(2);
  if (businessId !== null) query = query.where('business_id', '=', businessId);
  return query.execute();
}
