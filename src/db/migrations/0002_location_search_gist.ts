import { type Kysely, sql } from 'kysely';

/**
 * Location search filters with `search_text LIKE '%token%'` for every token. With the GIN trigram
 * index the planner still preferred a sequential scan of all 7,277 locations (16 ms on PostgreSQL);
 * a GiST trigram index with a 256-byte signature is chosen and answers in well under a millisecond.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists locations_search`.execute(db);
  await sql`create index locations_search on locations using gist (search_text gist_trgm_ops(siglen = 256))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists locations_search`.execute(db);
  await sql`create index locations_search on locations using gin (search_text gin_trgm_ops)`.execute(db);
}
