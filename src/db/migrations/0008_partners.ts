import { type Kysely, sql } from 'kysely';

/**
 * Partnerships: other businesses allowed to sell a product (as reseller, affiliate or affiliate
 * pro) or a bundle. A row is the owner's grant; whether it gives access right now also depends
 * on the product's program switches (is_product_sharing, is_affiliate_enabled, ...) and on
 * bundles.is_bundle_sharing, so switching a program off and on again keeps the partner list.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Commission rates are percentages ("12.5" = 12.5%); numeric(6,4) stops below 100.
  await sql`alter table products
    alter column affiliate_commission_rate type numeric(7,4),
    alter column affiliate_pro_commission_rate type numeric(7,4)`.execute(db);

  await sql`
    create table product_partners (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      product_id bigint not null references products(id) on delete cascade,
      partner_business_id bigint not null references businesses(id) on delete cascade,
      partnership_type text not null check (partnership_type in ('reseller', 'affiliate', 'affiliate_pro')),
      affiliate_status text not null check (affiliate_status in ('pending', 'approved', 'rejected', 'banned')),
      message_to_product_owner text,
      store_id bigint references stores(id) on delete set null,
      requested_at timestamptz,
      approved_at timestamptz,
      rejected_at timestamptz,
      created_by_user_id bigint references users(id) on delete set null,
      created_at timestamptz not null default now(),
      unique (product_id, partner_business_id),
      check (partner_business_id <> business_id)
    )`.execute(db);
  // listProductPartners pages by id within one product; the unique index above leads with
  // product_id but cannot serve the id order.
  await sql`create index product_partners_product_id on product_partners (product_id, id desc)`.execute(db);
  // "What is shared with me": the partner side of the grant, for the product list's is_owned=false.
  await sql`create index product_partners_partner on product_partners (partner_business_id, product_id)`.execute(
    db,
  );
  await sql`create index product_partners_business on product_partners (business_id)`.execute(db);

  await sql`
    create table bundle_partners (
      id bigserial primary key,
      business_id bigint not null references businesses(id) on delete cascade,
      bundle_id bigint not null references bundles(id) on delete cascade,
      partner_business_id bigint not null references businesses(id) on delete cascade,
      created_by_user_id bigint references users(id) on delete set null,
      created_at timestamptz not null default now(),
      unique (bundle_id, partner_business_id),
      check (partner_business_id <> business_id)
    )`.execute(db);
  await sql`create index bundle_partners_bundle_id on bundle_partners (bundle_id, id desc)`.execute(db);
  await sql`create index bundle_partners_partner on bundle_partners (partner_business_id, bundle_id)`.execute(
    db,
  );
  await sql`create index bundle_partners_business on bundle_partners (business_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists bundle_partners`.execute(db);
  await sql`drop table if exists product_partners`.execute(db);
  // A 100% rate does not fit the narrower type; it becomes the largest value that does.
  await sql`alter table products
    alter column affiliate_commission_rate type numeric(6,4) using least(affiliate_commission_rate, 99.9999),
    alter column affiliate_pro_commission_rate type numeric(6,4) using least(affiliate_pro_commission_rate, 99.9999)`.execute(
    db,
  );
}
