import { type Kysely, sql } from 'kysely';

/**
 * An order's status history keeps who moved it as they were named then (`by_name`, written with each
 * entry since this release), so the business view of an order depends on the order alone and can be
 * kept rendered while the order row is unchanged (orders/view-cache.ts). Entries written before name
 * their member as the member is named now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update order_status_histories h set by_name = u.name
    from users u
    where h.by_name is null and h.actor_user_id = u.id`.execute(db);
}

export async function down(): Promise<void> {
  // The names stay: before this release they were read from the member at the time of reading.
}
