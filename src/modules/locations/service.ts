import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import {
  type CursorCodec,
  cursorScope,
  type PageParams,
  type PaginatedList,
  paginate,
} from '../../http/pagination.ts';
import * as q from './queries.ts';

/** Bounds that keep a search to a handful of cheap index probes however long the input is. */
export const MAX_SEARCH_TOKENS = 8;
export const MAX_TOKEN_LENGTH = 64;

export interface LocationSearch {
  tokens: string[];
  /** The tokens joined by single spaces: `Cempaka  Putih,` ranks like `cempaka putih`. */
  phrase: string;
}

/** Splits a buyer's search on whitespace and commas; null when nothing searchable is left. */
export function parseLocationSearch(search: string | undefined): LocationSearch | null {
  const tokens = (search ?? '')
    .trim()
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, MAX_SEARCH_TOKENS)
    .map((token) => token.slice(0, MAX_TOKEN_LENGTH));
  return tokens.length ? { tokens, phrase: tokens.join(' ') } : null;
}

/** A name or postal-code filter; blank means no filter. */
function optionalText(search: string | undefined): string | null {
  const name = search?.trim() ?? '';
  return name === '' ? null : name;
}

export function toLocation(row: q.LocationRow) {
  return {
    id: row.id,
    province_id: row.province_id,
    province_name: row.province_name,
    city_id: row.city_id,
    city_name: row.city_name,
    subdistrict_name: row.subdistrict_name,
    display: row.display,
    name: row.subdistrict_name,
  };
}
export type Location = ReturnType<typeof toLocation>;

export interface LocationListOptions {
  /** Names the list the cursors belong to (business search, storefront search, subdistricts). */
  list: string;
  /** Storefront lists bind their cursors to the store they were served to. */
  storeId?: number | undefined;
  cityId?: number | undefined;
  search?: string | undefined;
  page: PageParams;
  defaultPageSize: number;
}

/** The one location search behind every paginated location list. */
export function listLocations(
  db: Db,
  cursors: CursorCodec,
  options: LocationListOptions,
): Promise<PaginatedList<Location>> {
  const search = parseLocationSearch(options.search);
  const phrase = search?.phrase ?? null;
  return paginate({
    codec: cursors,
    // `search` is the only free-form part and comes last, so no search can imitate other parts.
    scope: cursorScope(options.list, { store: options.storeId, city: options.cityId, search: phrase }),
    page: options.page,
    defaultPageSize: options.defaultPageSize,
    fetch: (window) =>
      q.searchLocations(db, { tokens: search?.tokens ?? [], phrase, cityId: options.cityId }, window),
    keyOf: (row) => (phrase === null ? [row.id] : [row.rank, row.id]),
    map: toLocation,
  });
}

/** Postal codes of one location, optionally those starting with `search`; 404 for an unknown location. */
export async function listPostalCodes(db: Db, locationId: number, search?: string) {
  const rows = await q.listPostalCodes(db, locationId, optionalText(search));
  if (rows.length === 0) throw errors.notFound('Location not found');
  return rows.flatMap((row) =>
    row.id === null || row.postal_code === null || row.urban === null
      ? []
      : [{ postal_code: row.postal_code, urban: row.urban, location_id: row.location_id, id: row.id }],
  );
}

export async function listProvinces(db: Db, search?: string) {
  // Storefront clients read `province_id`/`province_name` (docs/decisions.md, Locations).
  return (await q.listProvinces(db, optionalText(search))).map((row) => ({
    id: row.id,
    name: row.name,
    province_id: row.id,
    province_name: row.name,
  }));
}

/** Cities by name, of one province when given; an unknown province simply has none. */
export async function listCities(
  db: Db,
  filter: { provinceId?: number | undefined; search?: string | undefined },
) {
  const rows = await q.listCities(db, { provinceId: filter.provinceId, name: optionalText(filter.search) });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    province_id: row.province_id,
    province_name: row.province_name,
    city_id: row.id,
    city_name: row.name,
  }));
}
