import { type Kysely, sql } from 'kysely';

/**
 * Checkout's anti-spam rules read a store's recent orders by buyer phone and by client IP, and its
 * probable-spam orders by e-mail. These indexes keep each of those reads a short range scan however
 * many orders the store has.
 *
 * The phone index is on the phone's key exactly as `phoneKey` in `checkout/queries.ts` writes it
 * (digits only, a leading `0` as `62`); a query can use it only while the two stay identical.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index orders_store_phone_key on orders
      (store_id, (regexp_replace(regexp_replace(customer_phone, '[^0-9]', '', 'g'), '^0+', '62')), created_at)
      where customer_phone is not null`.execute(db);
  await sql`
    create index orders_store_client_ip on orders (store_id, client_ip, created_at)
      where client_ip is not null`.execute(db);
  // Few orders are probable spam, so this one stays small.
  await sql`
    create index orders_store_spam_email on orders (store_id, customer_email)
      where is_probably_spam and customer_email is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists orders_store_spam_email`.execute(db);
  await sql`drop index if exists orders_store_client_ip`.execute(db);
  await sql`drop index if exists orders_store_phone_key`.execute(db);
}
