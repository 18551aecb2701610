import type { Db } from '../../db/database.ts';
import type { OrderCaller } from './business-service.ts';
import * as q from './labels-queries.ts';

/** At most this many values in a pick list, alphabetically: what a filter drop-down shows. */
export const LABEL_LIMIT = 100;

const cleanSearch = (search: string | undefined) => search?.trim() || null;

export async function listOrderTags(db: Db, caller: OrderCaller, search: string | undefined) {
  return {
    data: await q.listOrderTags(db, caller.businessId, cleanSearch(search), LABEL_LIMIT),
    is_paginated: false as const,
  };
}

export async function listUtmValues(
  db: Db,
  caller: OrderCaller,
  column: q.UtmColumn,
  search: string | undefined,
) {
  return { data: await q.listUtmValues(db, caller.businessId, column, cleanSearch(search), LABEL_LIMIT) };
}
