import { type Kysely, sql } from 'kysely';

/**
 * Checkout has no tables of its own (orders, carts and idempotency keys belong to their modules).
 * It needs one index: choosing a bank-transfer unique code reads the store's unpaid transfers by
 * amount, which must stay fast however many paid orders the store accumulates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index orders_awaited_transfers on orders (store_id, gross_revenue)
    where payment_method = 'bank_transfer' and payment_status = 'unpaid'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists orders_awaited_transfers`.execute(db);
}
