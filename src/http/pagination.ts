import { type Expression, type SelectQueryBuilder, sql } from 'kysely';
import { hmac, safeEqual } from '../lib/crypto.ts';
import { errors } from './errors.ts';

export type CursorValue = string | number;

/**
 * Opaque, tamper-evident cursors: `base64url(json(key values)).signature`. The signature covers a
 * scope string naming the list, the tenant, the filters and the sort, so a forged cursor, a cursor
 * from another list, another business or other filters all fail verification with a 400.
 */
export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  encode(scope: string, values: readonly CursorValue[]): string {
    const payload = Buffer.from(JSON.stringify(values)).toString('base64url');
    return `${payload}.${this.sign(scope, payload)}`;
  }

  decode(scope: string, cursor: string): CursorValue[] {
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined || !safeEqual(signature, this.sign(scope, payload))) {
      throw errors.invalidCursor();
    }
    const values: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw errors.invalidCursor();
    }
    return values;
  }

  private sign(scope: string, payload: string): string {
    return hmac(this.key, `${scope}\n${payload}`).subarray(0, 18).toString('base64url');
  }
}

export interface PageParams {
  page_size?: number;
  next_cursor?: string;
  previous_cursor?: string;
}

export interface PaginatedList<T> {
  data: T[];
  is_paginated: true;
  has_next: boolean;
  has_previous: boolean;
  next_cursor: string | null;
  previous_cursor: string | null;
  page_size: number;
}

/** Where to read from: after `values` in list order, or before them when paging backwards. */
export interface KeysetWindow {
  values: CursorValue[] | null;
  backward: boolean;
  /** Rows to fetch: one more than the page so the far side's `has_*` is known without a count. */
  limit: number;
}

export type SortOrder = 'asc' | 'desc';

/**
 * Applies a keyset window to a query ordered by `columns` (all in `order`, the last one unique).
 * Row-value comparison `(a, b) > (x, y)` lets PostgreSQL use the matching composite index.
 */
export function applyKeyset<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: ReadonlyArray<string | Expression<unknown>>,
  order: SortOrder,
  window: KeysetWindow,
): SelectQueryBuilder<DB, TB, O> {
  const ascending = window.backward ? order === 'desc' : order === 'asc';
  const refs = columns.map((column) => (typeof column === 'string' ? sql.ref(column) : column));
  let q = query;
  if (window.values) {
    if (window.values.length !== refs.length) throw errors.invalidCursor();
    const comparison = ascending ? sql.raw('>') : sql.raw('<');
    q = q.where(sql<boolean>`(${sql.join(refs)}) ${comparison} (${sql.join(window.values)})`);
  }
  for (const ref of refs) q = q.orderBy(ref, ascending ? 'asc' : 'desc');
  // Written out (a validated page size, never client text): a statement prepared with its limit as a
  // parameter never gets a generic plan from PostgreSQL (db/prepared.ts).
  return q.limit(sql.lit(window.limit));
}

export interface PaginateOptions<Row, Out> {
  codec: CursorCodec;
  /** Everything the cursor must not be replayed across: list, tenant, filters, sort. */
  scope: string;
  page: PageParams;
  defaultPageSize: number;
  fetch: (window: KeysetWindow) => Promise<Row[]>;
  keyOf: (row: Row) => CursorValue[];
  map: (row: Row) => Out;
}

export async function paginate<Row, Out>(options: PaginateOptions<Row, Out>): Promise<PaginatedList<Out>> {
  const { page, codec, scope } = options;
  if (page.next_cursor && page.previous_cursor) {
    throw errors.badRequest('Send only one of next_cursor or previous_cursor');
  }
  const pageSize = page.page_size ?? options.defaultPageSize;
  const cursor = page.next_cursor || page.previous_cursor;
  const backward = Boolean(page.previous_cursor);
  const values = cursor ? codec.decode(scope, cursor) : null;

  let rows = await options.fetch({ values, backward, limit: pageSize + 1 });
  const more = rows.length > pageSize;
  if (more) rows = rows.slice(0, pageSize);
  if (backward) rows.reverse();

  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasNext = backward ? rows.length > 0 : more;
  const hasPrevious = backward ? more : Boolean(cursor) && rows.length > 0;
  return {
    data: rows.map(options.map),
    is_paginated: true,
    has_next: hasNext,
    has_previous: hasPrevious,
    next_cursor: hasNext && last ? codec.encode(scope, options.keyOf(last)) : null,
    previous_cursor: hasPrevious && first ? codec.encode(scope, options.keyOf(first)) : null,
    page_size: pageSize,
  };
}

/** A stable scope string from a list name and the parameters that shape it. */
export function cursorScope(list: string, parts: Record<string, string | number | null | undefined>): string {
  return [list, ...Object.entries(parts).map(([k, v]) => `${k}=${v ?? ''}`)].join('|');
}
