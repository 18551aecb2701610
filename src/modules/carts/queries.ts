import type { Db } from '../../db/database.ts';
import type { RecordRef } from '../../lib/refs.ts';

export interface CartRow {
  id: number;
  business_id: number;
  store_id: number;
  guest_token: string;
}

const CART_COLUMNS = ['id', 'business_id', 'store_id', 'guest_token'] as const;

/** The store's unexpired cart behind a guest token; another store's or an expired cart is no cart. */
export function findCart(db: Db, storeId: number, guestToken: string, now: Date) {
  return db
    .selectFrom('carts')
    .select(CART_COLUMNS)
    .where('guest_token', '=', guestToken)
    .where('store_id', '=', storeId)
    .where('expires_at', '>', now)
    .$narrowType<{ guest_token: string }>()
    .executeTakeFirst();
}

/**
 * The store's cart, guest or customer, held so changes to one cart run one at a time; an expired
 * guest cart is no cart (customer carts do not expire).
 */
export function lockCart(trx: Db, storeId: number, cartId: number, now: Date) {
  return trx
    .selectFrom('carts')
    .select('id')
    .where('id', '=', cartId)
    .where('store_id', '=', storeId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .forUpdate()
    .executeTakeFirst();
}

/** The customer's cart in this store (at most one, never expiring). */
export function findCustomerCart(db: Db, storeId: number, customerId: number) {
  return db
    .selectFrom('carts')
    .select(['id', 'business_id', 'store_id'])
    .where('customer_id', '=', customerId)
    .where('store_id', '=', storeId)
    .executeTakeFirst();
}

/** Creates the customer's cart unless a concurrent request just did (then nothing is returned). */
export function insertCustomerCart(
  db: Db,
  values: { businessId: number; storeId: number; customerId: number; now: Date },
) {
  return db
    .insertInto('carts')
    .values({
      business_id: values.businessId,
      store_id: values.storeId,
      customer_id: values.customerId,
      guest_token: null,
      created_at: values.now,
      updated_at: values.now,
      expires_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['customer_id', 'store_id']).where('customer_id', 'is not', null).doNothing(),
    )
    .returning(['id', 'business_id', 'store_id'])
    .executeTakeFirst();
}

export async function deleteCart(trx: Db, cartId: number): Promise<void> {
  await trx.deleteFrom('carts').where('id', '=', cartId).execute();
}

export function insertCart(
  db: Db,
  values: { businessId: number; storeId: number; guestToken: string; expiresAt: Date; now: Date },
): Promise<CartRow> {
  return db
    .insertInto('carts')
    .values({
      business_id: values.businessId,
      store_id: values.storeId,
      guest_token: values.guestToken,
      created_at: values.now,
      updated_at: values.now,
      expires_at: values.expiresAt,
    })
    .returning(CART_COLUMNS)
    .$narrowType<{ guest_token: string }>()
    .executeTakeFirstOrThrow();
}

/** A change keeps a guest cart alive for another lifetime; a customer cart stays without expiry (null). */
export async function touchCart(trx: Db, cartId: number, now: Date, expiresAt: Date | null): Promise<void> {
  await trx
    .updateTable('carts')
    .set({ updated_at: now, expires_at: expiresAt })
    .where('id', '=', cartId)
    .execute();
}

export function cartLines(db: Db, cartId: number) {
  return db
    .selectFrom('cart_items')
    .select(['id', 'variant_id', 'bundle_price_option_id', 'quantity'])
    .where('cart_id', '=', cartId)
    .orderBy('id')
    .execute();
}

export async function countLines(trx: Db, cartId: number): Promise<number> {
  const row = await trx
    .selectFrom('cart_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cart_id', '=', cartId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type LineKey = { variantId: number } | { bundlePriceOptionId: number };

export function findLineByItem(trx: Db, cartId: number, key: LineKey) {
  const query = trx.selectFrom('cart_items').select(['id', 'quantity']).where('cart_id', '=', cartId);
  return (
    'variantId' in key
      ? query.where('variant_id', '=', key.variantId)
      : query.where('bundle_price_option_id', '=', key.bundlePriceOptionId)
  ).executeTakeFirst();
}

/** New lines (one for an add, several for a merge). */
export async function insertLines(
  trx: Db,
  values: { cartId: number; businessId: number; lines: Array<{ key: LineKey; quantity: number }>; now: Date },
): Promise<void> {
  if (values.lines.length === 0) return;
  await trx
    .insertInto('cart_items')
    .values(
      values.lines.map(({ key, quantity }) => ({
        cart_id: values.cartId,
        business_id: values.businessId,
        variant_id: 'variantId' in key ? key.variantId : null,
        bundle_price_option_id: 'bundlePriceOptionId' in key ? key.bundlePriceOptionId : null,
        quantity,
        created_at: values.now,
        updated_at: values.now,
      })),
    )
    .execute();
}

/** Sets a line's quantity; false when the line is not in this cart. */
export async function setLineQuantity(
  trx: Db,
  cartId: number,
  lineId: number,
  quantity: number,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('cart_items')
    .set({ quantity, updated_at: now })
    .where('id', '=', lineId)
    .where('cart_id', '=', cartId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteLines(trx: Db, cartId: number, lineIds: number[]): Promise<number> {
  if (lineIds.length === 0) return 0;
  const result = await trx
    .deleteFrom('cart_items')
    .where('cart_id', '=', cartId)
    .where('id', 'in', lineIds)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteAllLines(trx: Db, storeId: number, cartId: number): Promise<void> {
  await trx
    .deleteFrom('cart_items')
    .where('cart_id', '=', cartId)
    .where('cart_id', 'in', (eb) => eb.selectFrom('carts').select('id').where('store_id', '=', storeId))
    .execute();
}

/** Deletes up to `limit` expired carts (their lines cascade); the caller loops until none are left. */
export async function deleteExpiredBatch(db: Db, now: Date, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('carts')
    .where(
      'id',
      'in',
      db.selectFrom('carts').select('id').where('expires_at', '<=', now).orderBy('expires_at').limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Numeric ids of the business's variants named by uuid or `variant_…`. */
export function variantIdByRef(db: Db, businessId: number, ref: RecordRef) {
  let query = db.selectFrom('variants').select('id').where('business_id', '=', businessId);
  if ('id' in ref) query = query.where('id', '=', ref.id);
  else if ('uuid' in ref) query = query.where('uuid', '=', ref.uuid);
  else query = query.where('unique_id', '=', ref.unique_id);
  return query.executeTakeFirst();
}

export function bundlePriceOptionIdByUniqueId(db: Db, businessId: number, uniqueId: string) {
  return db
    .selectFrom('bundle_price_options')
    .select('id')
    .where('business_id', '=', businessId)
    .where('unique_id', '=', uniqueId)
    .executeTakeFirst();
}
