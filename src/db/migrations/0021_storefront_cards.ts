import { type Kysely, sql } from 'kysely';

/**
 * The storefront's read model (issue 12): each store listing keeps its item card and its detail
 * page as ready JSON text, so a page of items is one index scan and no JSON is built per request.
 *
 * A stored text is current when no catalog change since it was rendered could alter it. Writes do
 * not touch the stored texts, so checkout's stock locks stay in their fixed order and no write ever
 * waits for a reader: triggers on every table a card reads append a row to
 * `catalog_changes` naming what changed (a product or a bundle) and the writing
 * transaction's id. A text is stored with the snapshot it was rendered under, and it is
 * current while every change to its product, bundle or store is visible in that snapshot
 * (`pg_visible_in_snapshot`). Only changes from transactions the snapshot did not see can make it
 * stale, and those are `xid >= pg_snapshot_xmin(snapshot)`: a short range of the indexes below.
 * A store's warehouse, which every card of the store depends on, changes rarely and by hand: that
 * trigger clears the store's texts outright (a renderer that read the old warehouse then fails
 * its repeatable-read write on the cleared row) rather than adding a check to every card read.
 * `modules/storefront/cards.ts` reads and renders; `jobs/retention.ts` trims old change rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['store_products', 'store_bundle_price_options']) {
    await sql`alter table ${sql.table(table)}
      add column card text,
      add column card_snapshot pg_snapshot,
      add column detail text,
      add column detail_snapshot pg_snapshot`.execute(db);
    // A page reads 26 cards: kept inline and uncompressed while the row fits a page, so sending
    // one costs no decompression (by default PostgreSQL compresses a row past 2 kB, and cards are
    // about 2 kB, pages 5). Past that, the detail page is compressed first, the card moved out last.
    await sql`alter table ${sql.table(table)} set (toast_tuple_target = 8160)`.execute(db);
    await sql`alter table ${sql.table(table)} alter column card set storage external`.execute(db);
  }
  await sql`
    create table catalog_changes (
      id bigserial primary key,
      product_id bigint,
      bundle_id bigint,
      xid xid8 not null default pg_current_xact_id(),
      created_at timestamptz not null default now(),
      check (num_nonnulls(product_id, bundle_id) = 1)
    )`.execute(db);
  await sql`create index catalog_changes_product on catalog_changes (product_id, xid)
    where product_id is not null`.execute(db);
  await sql`create index catalog_changes_bundle on catalog_changes (bundle_id, xid)
    where bundle_id is not null`.execute(db);
  await sql`create index catalog_changes_created on catalog_changes (created_at)`.execute(db);

  // Transition tables allow one event per trigger, so each table has a trigger per event, all
  // naming their rows `changed` (the new rows, or the old ones of a delete) for one function.
  const functions = [
    // Products: their cards, and the cards of bundles with a line on one of their variants.
    sql`create function catalog_products_changed() returns trigger language plpgsql as $$
      begin
        insert into catalog_changes (product_id) select id from changed;
        insert into catalog_changes (bundle_id)
          select distinct bl.bundle_id from changed p
          join variants v on v.product_id = p.id
          join bundle_lines bl on bl.variant_id = v.id;
        return null;
      end $$`,
    sql`create function catalog_variants_changed() returns trigger language plpgsql as $$
      begin
        insert into catalog_changes (product_id) select distinct product_id from changed;
        insert into catalog_changes (bundle_id)
          select distinct bl.bundle_id from changed v join bundle_lines bl on bl.variant_id = v.id;
        return null;
      end $$`,
    sql`create function catalog_stocks_changed() returns trigger language plpgsql as $$
      begin
        insert into catalog_changes (product_id)
          select distinct v.product_id from changed ws join variants v on v.id = ws.variant_id;
        insert into catalog_changes (bundle_id)
          select distinct bl.bundle_id from changed ws join bundle_lines bl on bl.variant_id = ws.variant_id;
        return null;
      end $$`,
    // A warehouse counts only while active; its stock rows cover every other change.
    sql`create function catalog_warehouses_changed() returns trigger language plpgsql as $$
      begin
        insert into catalog_changes (product_id)
          select distinct v.product_id from new_rows n
          join old_rows o on o.id = n.id
          join warehouse_stocks ws on ws.warehouse_id = n.id
          join variants v on v.id = ws.variant_id
          where n.is_active is distinct from o.is_active or n.business_id <> o.business_id;
        insert into catalog_changes (bundle_id)
          select distinct bl.bundle_id from new_rows n
          join old_rows o on o.id = n.id
          join warehouse_stocks ws on ws.warehouse_id = n.id
          join bundle_lines bl on bl.variant_id = ws.variant_id
          where n.is_active is distinct from o.is_active or n.business_id <> o.business_id;
        return null;
      end $$`,
    // A store's warehouse decides the stock of all its cards.
    sql`create function catalog_stores_changed() returns trigger language plpgsql as $$
      begin
        update store_products l
          set card = null, card_snapshot = null, detail = null, detail_snapshot = null
          from new_rows n join old_rows o on o.id = n.id
          where l.store_id = n.id and n.warehouse_id is distinct from o.warehouse_id;
        update store_bundle_price_options l
          set card = null, card_snapshot = null, detail = null, detail_snapshot = null
          from new_rows n join old_rows o on o.id = n.id
          where l.store_id = n.id and n.warehouse_id is distinct from o.warehouse_id;
        return null;
      end $$`,
    sql`create function catalog_bundles_changed() returns trigger language plpgsql as $$
      begin
        insert into catalog_changes (bundle_id) select id from changed;
        return null;
      end $$`,
    sql`create function catalog_bundle_parts_changed() returns trigger language plpgsql as $$
      begin
        insert into catalog_changes (bundle_id) select distinct bundle_id from changed;
        return null;
      end $$`,
    // Reference data today, changed only by migrations; a card shows its category's name and path.
    sql`create function catalog_taxonomies_changed() returns trigger language plpgsql as $$
      begin
        insert into catalog_changes (product_id)
          select p.id from changed t join products p on p.taxonomy_id = t.id;
        return null;
      end $$`,
  ];
  for (const statement of functions) await statement.execute(db);

  await itemCounts(db);

  const triggers: Array<[table: string, fn: string, events: string[]]> = [
    ['products', 'catalog_products_changed', ['update']],
    ['variants', 'catalog_variants_changed', ['insert', 'update', 'delete']],
    ['warehouse_stocks', 'catalog_stocks_changed', ['insert', 'update', 'delete']],
    ['bundles', 'catalog_bundles_changed', ['update']],
    ['bundle_price_options', 'catalog_bundle_parts_changed', ['update']],
    ['bundle_lines', 'catalog_bundle_parts_changed', ['insert', 'update', 'delete']],
    ['product_taxonomies', 'catalog_taxonomies_changed', ['update']],
  ];
  for (const [table, fn, events] of triggers) {
    for (const event of events) {
      const rows = event === 'delete' ? 'old' : 'new';
      await sql`create trigger ${sql.raw(`${table}_catalog_${event}`)}
        after ${sql.raw(event)} on ${sql.table(table)}
        referencing ${sql.raw(rows)} table as changed
        for each statement execute function ${sql.raw(fn)}()`.execute(db);
    }
  }
  for (const [table, fn] of [
    ['warehouses', 'catalog_warehouses_changed'],
    ['stores', 'catalog_stores_changed'],
  ] as const) {
    await sql`create trigger ${sql.raw(`${table}_catalog_update`)}
      after update on ${sql.table(table)}
      referencing old table as old_rows new table as new_rows
      for each statement execute function ${sql.raw(fn)}()`.execute(db);
  }
}

/**
 * The items count of a store without filters, kept by its listings' triggers in the writing
 * transaction (`countStorefrontItems` reads one row instead of counting every visible listing). A
 * listing only adds where it is visible; deletes and updates adjust a row that exists (a store being
 * deleted takes its row with it, and must not get it back).
 */
async function itemCounts(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table store_item_counts (
      store_id bigint primary key references stores(id) on delete cascade,
      products integer not null default 0 check (products >= 0),
      price_options integer not null default 0 check (price_options >= 0)
    )`.execute(db);
  await sql`
    insert into store_item_counts (store_id, products, price_options)
    select s.id,
      (select count(*) from store_products sp where sp.store_id = s.id and not sp.is_hidden_from_listing),
      (select count(*) from store_bundle_price_options sb where sb.store_id = s.id and not sb.is_hidden_from_listing)
    from stores s`.execute(db);
  for (const [table, column] of [
    ['store_products', 'products'],
    ['store_bundle_price_options', 'price_options'],
  ] as const) {
    const fn = `${table}_counted`;
    await sql`create function ${sql.raw(fn)}() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into store_item_counts (store_id, ${sql.raw(column)})
            select store_id, count(*) filter (where not is_hidden_from_listing) from new_rows group by store_id
            on conflict (store_id) do update
              set ${sql.raw(column)} = store_item_counts.${sql.raw(column)} + excluded.${sql.raw(column)};
        else
          update store_item_counts c set ${sql.raw(column)} = c.${sql.raw(column)} + d.delta
          from (
            select store_id, sum(delta) as delta from (
              select store_id, 1 as delta from new_rows where not is_hidden_from_listing
              union all
              select store_id, -1 from old_rows where not is_hidden_from_listing
            ) visible group by store_id
          ) d
          where c.store_id = d.store_id and d.delta <> 0;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_count_insert`)} after insert on ${sql.table(table)}
      referencing new table as new_rows for each statement execute function ${sql.raw(fn)}()`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_count_update`)} after update on ${sql.table(table)}
      referencing old table as old_rows new table as new_rows
      for each statement execute function ${sql.raw(fn)}()`.execute(db);
    // A delete's function of its own: a trigger on delete has no new rows to name.
    await sql`create function ${sql.raw(`${table}_uncounted`)}() returns trigger language plpgsql as $$
      begin
        update store_item_counts c set ${sql.raw(column)} = c.${sql.raw(column)} - d.n
        from (select store_id, count(*) as n from old_rows where not is_hidden_from_listing group by store_id) d
        where c.store_id = d.store_id;
        return null;
      end $$`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_count_delete`)} after delete on ${sql.table(table)}
      referencing old table as old_rows for each statement execute function ${sql.raw(`${table}_uncounted`)}()`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['store_products', 'store_bundle_price_options']) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`drop trigger if exists ${sql.raw(`${table}_count_${event}`)} on ${sql.table(table)}`.execute(
        db,
      );
    }
    await sql`drop function if exists ${sql.raw(`${table}_counted`)}()`.execute(db);
    await sql`drop function if exists ${sql.raw(`${table}_uncounted`)}()`.execute(db);
  }
  await sql`drop table if exists store_item_counts`.execute(db);
  const triggers: Array<[string, string[]]> = [
    ['products', ['update']],
    ['variants', ['insert', 'update', 'delete']],
    ['warehouse_stocks', ['insert', 'update', 'delete']],
    ['bundles', ['update']],
    ['bundle_price_options', ['update']],
    ['bundle_lines', ['insert', 'update', 'delete']],
    ['product_taxonomies', ['update']],
    ['warehouses', ['update']],
    ['stores', ['update']],
  ];
  for (const [table, events] of triggers) {
    for (const event of events) {
      await sql`drop trigger if exists ${sql.raw(`${table}_catalog_${event}`)} on ${sql.table(table)}`.execute(
        db,
      );
    }
  }
  for (const fn of [
    'products',
    'variants',
    'stocks',
    'warehouses',
    'stores',
    'bundles',
    'bundle_parts',
    'taxonomies',
  ]) {
    await sql`drop function if exists ${sql.raw(`catalog_${fn}_changed`)}()`.execute(db);
  }
  await sql`drop table if exists catalog_changes`.execute(db);
  for (const table of ['store_products', 'store_bundle_price_options']) {
    await sql`alter table ${sql.table(table)} reset (toast_tuple_target)`.execute(db);
    await sql`alter table ${sql.table(table)}
      drop column if exists card, drop column if exists card_snapshot,
      drop column if exists detail, drop column if exists detail_snapshot`.execute(db);
  }
}
