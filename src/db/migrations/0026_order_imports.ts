import { type Kysely, sql } from 'kysely';

/**
 * Orders CSV uploads (issue 13): each imported order remembers the key of the row it came from
 * (its `external_id`, else a digest of the row), unique per business, so running a file again
 * reports the rows already imported instead of creating their orders twice, even when two runs of
 * the same file race each other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table orders add column import_key text`.execute(db);
  await sql`create unique index orders_business_import_key on orders (business_id, import_key)
    where import_key is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table orders drop column import_key`.execute(db);
}
