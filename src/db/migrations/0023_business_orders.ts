import { type Kysely, sql } from 'kysely';

/**
 * Business orders (issue 13): the fields the Orders tag reads and writes beyond what checkout
 * stored, and an index for every list filter and search, each ending in the list's fixed order
 * (`created_at desc, id desc`) so a filtered first page is a short index range however many orders a
 * business has.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table orders
      add column tags text[] not null default '{}',
      add column utm_source text,
      add column utm_medium text,
      add column utm_campaign text,
      add column utm_content text,
      add column utm_term text,
      add column external_id text,
      add column platform text not null default 'scalev',
      add column is_repeat boolean not null default false,
      add column is_from_form boolean not null default false,
      add column advertiser_user_id bigint references users(id) on delete set null,
      add column awb_ca_status text not null default 'unavailable',
      add column shipment_provider_code text,
      add column courier_additional_info text,
      add column rtsproof_url text,
      add column mark_as_spam_by text,
      add column agent_context jsonb,
      add column last_updated_by_user_id bigint references users(id) on delete set null,
      add column is_purchase_fb boolean not null default false,
      add column is_purchase_tiktok boolean not null default false,
      add column is_purchase_kwai boolean not null default false,
      add column is_dropshipping boolean not null default false,
      add column dropshipper_name text,
      add column dropshipper_phone text`.execute(db);

  // Messages sent to the buyer about an order (a follow-up chat sent by hand, `addOrderMessageHistory`).
  await sql`
    create table order_messages (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      order_id uuid not null references orders(id) on delete cascade,
      follow_up_chat_id bigint references follow_up_chats(id) on delete set null,
      message text not null,
      provider text not null,
      sender_name text,
      sender_phone text,
      recipient_name text,
      recipient_phone text,
      is_from_bot boolean not null default false,
      sent_by_user_id bigint references users(id) on delete set null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index order_messages_order on order_messages (order_id, id)`.execute(db);
  await sql`create index order_messages_chat on order_messages (follow_up_chat_id) where follow_up_chat_id is not null`.execute(
    db,
  );
  await sql`create index order_messages_user on order_messages (sent_by_user_id) where sent_by_user_id is not null`.execute(
    db,
  );
  // The e-mails sent about an order (`listOrderEmails`): digital products, course access.
  await sql`alter table mail_messages add column order_id uuid references orders(id) on delete cascade`.execute(
    db,
  );
  await sql`create index mail_messages_order on mail_messages (order_id, id) where order_id is not null`.execute(
    db,
  );

  // Who the client says made a status change (`changeOrderStatus`'s `by`): shown before the member's name.
  await sql`alter table order_status_histories add column by_name text`.execute(db);

  // The list's own order, unfiltered and per filter.
  await sql`create index orders_business_created on orders (business_id, created_at desc, id desc)`.execute(
    db,
  );
  for (const column of [
    'status',
    'payment_status',
    'store_id',
    'platform',
    'payment_method',
    'awb_ca_status',
  ]) {
    await sql`create index ${sql.id(`orders_business_${column}_created`)}
      on orders (business_id, ${sql.ref(column)}, created_at desc, id desc)`.execute(db);
  }
  // Date ranges on each status time the list filters by, and statistics over any of them.
  for (const column of ['draft_time', 'confirmed_time', 'shipped_time', 'completed_time']) {
    await sql`create index ${sql.id(`orders_business_${column}`)} on orders (business_id, ${sql.ref(column)})
      where ${sql.ref(column)} is not null`.execute(db);
  }
  await sql`create index orders_business_tags on orders using gin (tags) where tags <> '{}'`.execute(db);
  // Search: exact order id, receipt, external id and gateway reference; phone by its key (digits,
  // leading 0 as 62: the key checkout's anti-spam index uses); e-mail and name case-insensitively.
  for (const column of ['shipment_receipt', 'external_id']) {
    await sql`create index ${sql.id(`orders_business_${column}`)} on orders (business_id, ${sql.ref(column)})
      where ${sql.ref(column)} is not null`.execute(db);
  }
  await sql`
    create index orders_business_phone_key on orders
      (business_id, (regexp_replace(regexp_replace(customer_phone, '[^0-9]', '', 'g'), '^0+', '62')), created_at desc)
      where customer_phone is not null`.execute(db);
  await sql`
    create index orders_business_email on orders (business_id, lower(customer_email), created_at desc)
      where customer_email is not null`.execute(db);
  // The UTM pick lists read each business's distinct values.
  for (const column of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term']) {
    await sql`create index ${sql.id(`orders_business_${column}`)} on orders (business_id, ${sql.ref(column)})
      where ${sql.ref(column)} is not null`.execute(db);
  }
  await sql`create index orders_handler on orders (business_id, handler_user_id, created_at desc)
    where handler_user_id is not null`.execute(db);
  await sql`create index orders_advertiser on orders (advertiser_user_id) where advertiser_user_id is not null`.execute(
    db,
  );
  await sql`create index orders_last_updated_by on orders (last_updated_by_user_id)
    where last_updated_by_user_id is not null`.execute(db);
  // The list's order replaces the old ones (business_id, id) and (business_id, status, id).
  await sql`drop index if exists orders_business_status`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mail_messages drop column order_id`.execute(db);
  await sql`drop table order_messages`.execute(db);
  await sql`alter table order_status_histories drop column by_name`.execute(db);
  await sql`create index if not exists orders_business_status on orders (business_id, status, id)`.execute(
    db,
  );
  await sql`
    alter table orders
      drop column tags, drop column utm_source, drop column utm_medium, drop column utm_campaign,
      drop column utm_content, drop column utm_term, drop column external_id, drop column platform,
      drop column is_repeat, drop column is_from_form, drop column advertiser_user_id,
      drop column awb_ca_status, drop column shipment_provider_code, drop column courier_additional_info,
      drop column rtsproof_url, drop column mark_as_spam_by, drop column agent_context,
      drop column last_updated_by_user_id, drop column is_purchase_fb, drop column is_purchase_tiktok,
      drop column is_purchase_kwai, drop column is_dropshipping, drop column dropshipper_name,
      drop column dropshipper_phone`.execute(db);
  // Dropping the columns dropped the indexes on them; these remain.
  for (const index of [
    'orders_business_created',
    'orders_business_status_created',
    'orders_business_payment_status_created',
    'orders_business_store_id_created',
    'orders_business_payment_method_created',
    'orders_business_draft_time',
    'orders_business_confirmed_time',
    'orders_business_shipped_time',
    'orders_business_completed_time',
    'orders_business_shipment_receipt',
    'orders_business_phone_key',
    'orders_business_email',
    'orders_handler',
  ]) {
    await sql`drop index if exists ${sql.id(index)}`.execute(db);
  }
}
