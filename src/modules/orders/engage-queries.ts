import type { Db } from '../../db/database.ts';

/** The products and bundles an order's lines come from (its follow-up chats hang on them). */
export async function offersOfOrder(db: Db, businessId: number, orderId: string) {
  const rows = await db
    .selectFrom('orderlines as l')
    .leftJoin('variants as v', 'v.id', 'l.variant_id')
    .leftJoin('bundle_price_options as p', 'p.id', 'l.bundle_price_option_id')
    .select(['l.bundle_price_option_id', 'v.product_id', 'p.bundle_id'])
    .where('l.business_id', '=', businessId)
    .where('l.order_id', '=', orderId)
    .execute();
  const productIds = new Set<number>();
  const bundleIds = new Set<number>();
  for (const row of rows) {
    if (row.bundle_price_option_id !== null && row.bundle_id !== null) bundleIds.add(row.bundle_id);
    else if (row.product_id !== null) productIds.add(row.product_id);
  }
  return { productIds: [...productIds], bundleIds: [...bundleIds] };
}

export function listOrderMessages(db: Db, businessId: number, orderId: string) {
  return db
    .selectFrom('order_messages')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}
export type OrderMessageRow = Awaited<ReturnType<typeof listOrderMessages>>[number];

export async function insertOrderMessage(
  db: Db,
  message: {
    business_id: number;
    order_id: string;
    follow_up_chat_id: number;
    message: string;
    provider: string;
    sender_name: string | null;
    sender_phone: string | null;
    recipient_name: string | null;
    recipient_phone: string | null;
    sent_by_user_id: number | null;
  },
): Promise<void> {
  await db.insertInto('order_messages').values(message).execute();
}

/** The e-mails sent about an order, oldest first. */
export function listOrderEmails(db: Db, businessId: number, orderId: string) {
  return db
    .selectFrom('mail_messages')
    .select([
      'id',
      'kind',
      'to_address',
      'subject',
      'status',
      'provider_message_id',
      'created_at',
      'sent_at',
      'order_id',
    ])
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}
