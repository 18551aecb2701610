import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';

export const UTM_COLUMNS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const;
export type UtmColumn = (typeof UTM_COLUMNS)[number];

/** The business's distinct order tags, alphabetically (case-insensitive), at most `limit`. */
export async function listOrderTags(db: Db, businessId: number, search: string | null, limit: number) {
  const result = await sql<{ tag: string }>`
    select tags.tag from (
      select distinct t.tag
      from orders o, unnest(o.tags) as t(tag)
      where o.business_id = ${businessId}
        and o.tags <> '{}'
        ${search ? sql`and t.tag ilike ${containsPattern(search)}` : sql``}
    ) tags
    order by lower(tags.tag), tags.tag
    limit ${limit}`.execute(db);
  return result.rows.map((row) => row.tag);
}

/** The business's distinct values of one UTM field (its index serves the scan), at most `limit`. */
export async function listUtmValues(
  db: Db,
  businessId: number,
  column: UtmColumn,
  search: string | null,
  limit: number,
) {
  const result = await sql<{ value: string }>`
    select values.value from (
      select distinct ${sql.ref(column)} as value
      from orders
      where business_id = ${businessId}
        and ${sql.ref(column)} is not null
        ${search ? sql`and ${sql.ref(column)} ilike ${containsPattern(search)}` : sql``}
    ) values
    order by lower(values.value), values.value
    limit ${limit}`.execute(db);
  return result.rows.map((row) => row.value);
}
