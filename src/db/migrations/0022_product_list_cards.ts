import { type Kysely, sql } from 'kysely';

/**
 * The business product list's read model (issue 12, db/read-model.ts): each product's list item as
 * JSON, rendered as its own business sees it with every variant shown and its digital files left
 * out, and the offsets where each variant's files go (files carry URLs signed per response, so they
 * are read and spliced in per request). A row is current while no change to its product was logged
 * since its snapshot; the products, variants and stock triggers of 0021 already log them. The item
 * also shows the owner business and the users who created and last updated the product, so their
 * triggers below log a change to every product that shows them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table product_list_cards (
      product_id bigint primary key references products(id) on delete cascade,
      business_id bigint not null references businesses(id) on delete cascade,
      card text,
      variant_ids bigint[],
      file_slots integer[],
      snapshot pg_snapshot
    )`.execute(db);
  // A page reads 25 items of a few kB each: inline and uncompressed (see 0021).
  await sql`alter table product_list_cards set (toast_tuple_target = 8160)`.execute(db);
  await sql`alter table product_list_cards alter column card set storage external`.execute(db);

  await sql`create function catalog_businesses_changed() returns trigger language plpgsql as $$
    begin
      insert into catalog_changes (product_id)
        select p.id from new_rows n join old_rows o on o.id = n.id
        join products p on p.business_id = n.id
        where (n.username, n.account_holder, n.email, n.phone)
          is distinct from (o.username, o.account_holder, o.email, o.phone);
      return null;
    end $$`.execute(db);
  await sql`create function catalog_users_changed() returns trigger language plpgsql as $$
    begin
      insert into catalog_changes (product_id)
        select p.id from new_rows n join old_rows o on o.id = n.id
        join products p on p.created_by_user_id = n.id or p.last_updated_by_user_id = n.id
        where (n.name, n.email) is distinct from (o.name, o.email);
      return null;
    end $$`.execute(db);
  for (const table of ['businesses', 'users']) {
    await sql`create trigger ${sql.raw(`${table}_catalog_update`)}
      after update on ${sql.table(table)}
      referencing old table as old_rows new table as new_rows
      for each statement execute function ${sql.raw(`catalog_${table}_changed`)}()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['businesses', 'users']) {
    await sql`drop trigger if exists ${sql.raw(`${table}_catalog_update`)} on ${sql.table(table)}`.execute(
      db,
    );
    await sql`drop function if exists ${sql.raw(`catalog_${table}_changed`)}()`.execute(db);
  }
  await sql`drop table if exists product_list_cards`.execute(db);
}
