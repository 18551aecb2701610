import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern, escapeLike } from '../../db/like.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';

const LOCATION_COLUMNS = [
  'l.id',
  'l.province_id',
  'l.province_name',
  'l.city_id',
  'l.city_name',
  'l.subdistrict_name',
  'l.display',
] as const;

export interface LocationFilter {
  /** Lower-cased words that must each occur in the location's search text. */
  tokens: readonly string[];
  /** The whole search, lower-cased, that ranks the matches; null lists by id. */
  phrase: string | null;
  cityId?: number | undefined;
}

/**
 * 0 = the subdistrict is exactly what was typed, 1 = it starts with it, 2 = contains it,
 * 3 = the city contains it, 4 = only an urban or province name matched. `strpos`/`starts_with`
 * compare literally, so the phrase needs no LIKE escaping here.
 */
function rankOf(phrase: string) {
  return sql<number>`case
    when lower(l.subdistrict_name) = ${phrase} then 0
    when starts_with(lower(l.subdistrict_name), ${phrase}) then 1
    when strpos(lower(l.subdistrict_name), ${phrase}) > 0 then 2
    when strpos(lower(l.city_name), ${phrase}) > 0 then 3
    else 4 end`;
}

/** One keyset page of locations, ordered by (rank, id) when searching and by id otherwise. */
export function searchLocations(db: Db, filter: LocationFilter, window: KeysetWindow) {
  let query = db.selectFrom('locations as l').select(LOCATION_COLUMNS);
  if (filter.cityId !== undefined) query = query.where('l.city_id', '=', filter.cityId);
  // search_text and tokens are both lower-case, so a plain LIKE (served by the trigram index) suffices.
  for (const token of filter.tokens) query = query.where('l.search_text', 'like', containsPattern(token));
  if (filter.phrase === null) {
    // A constant rank keeps one row type for both orders; only (id) goes into the keyset.
    return applyKeyset(query.select(sql<number>`0`.as('rank')), ['l.id'], 'asc', window).execute();
  }
  const rank = rankOf(filter.phrase);
  return applyKeyset(query.select(rank.as('rank')), [rank, 'l.id'], 'asc', window).execute();
}
export type LocationRow = Awaited<ReturnType<typeof searchLocations>>[number];

/**
 * The location's postal codes in one query: the location row is always there when it exists, so
 * no row at all means an unknown location and a row with a null postal code means none match.
 */
export function listPostalCodes(db: Db, locationId: number, prefix: string | null) {
  return db
    .selectFrom('locations as l')
    .leftJoin('postal_codes as p', (join) => {
      const onLocation = join.onRef('p.location_id', '=', 'l.id');
      return prefix === null ? onLocation : onLocation.on('p.postal_code', 'like', `${escapeLike(prefix)}%`);
    })
    .select(['l.id as location_id', 'p.id', 'p.postal_code', 'p.urban'])
    .where('l.id', '=', locationId)
    .orderBy('p.postal_code')
    .orderBy('p.urban')
    .execute();
}

/**
 * Case-insensitive byte order: the same on every PostgreSQL whatever its default collation, so
 * `Daerah Istimewa Yogyakarta` sorts before `DKI Jakarta` in development and production alike.
 */
const byName = (column: 'name' | 'c.name') => sql`lower(${sql.ref(column)}) collate "C"`;

export function listProvinces(db: Db, name: string | null) {
  let query = db.selectFrom('provinces').select(['id', 'name']);
  if (name !== null) query = query.where('name', 'ilike', containsPattern(name));
  return query.orderBy(byName('name')).orderBy('id').execute();
}

export function listCities(db: Db, filter: { provinceId?: number | undefined; name: string | null }) {
  let query = db
    .selectFrom('cities as c')
    .innerJoin('provinces as p', 'p.id', 'c.province_id')
    .select(['c.id', 'c.name', 'c.province_id', 'p.name as province_name']);
  if (filter.provinceId !== undefined) query = query.where('c.province_id', '=', filter.provinceId);
  if (filter.name !== null) query = query.where('c.name', 'ilike', containsPattern(filter.name));
  return query.orderBy(byName('c.name')).orderBy('c.id').execute();
}
