import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { filtersOf, type OrderCaller } from './business-service.ts';
import { orderStatistics, type StatisticsRow, type StatisticsShape } from './statistics-queries.ts';
import type { OrderStatisticsItemObject, OrderStatisticsQueryObject } from './statistics-schemas.ts';

/** PostgreSQL's zone names by their lower case (it matches names case-insensitively), per database. */
const zoneNames = new WeakMap<Db, Promise<Map<string, string>>>();

function knownZones(db: Db) {
  let zones = zoneNames.get(db);
  if (!zones) {
    zones = sql<{ name: string }>`select name from pg_timezone_names`
      .execute(db)
      .then((result) => new Map(result.rows.map(({ name }) => [name.toLowerCase(), name])));
    zones.catch(() => zoneNames.delete(db));
    zoneNames.set(db, zones);
  }
  return zones;
}

/**
 * The zone the buckets are cut in, as PostgreSQL spells it. Only named zones: PostgreSQL would also
 * take abbreviations and POSIX strings such as `UTC+7`, whose sign is the reverse of ISO 8601's.
 */
async function zoneOf(db: Db, tz: string | undefined) {
  const name = (await knownZones(db)).get((tz ?? 'Asia/Jakarta').trim().toLowerCase());
  if (!name) throw errors.invalidField('tz', 'is not a known IANA time zone (e.g. Asia/Jakarta, UTC)');
  return name;
}

/** `getOrderStatistics`: counts and gross revenue per group, the list's filters applied. */
export async function getOrderStatistics(db: Db, caller: OrderCaller, query: OrderStatisticsQueryObject) {
  const filters = filtersOf(caller, query);
  const breakdown = query.breakdown_date ?? 'off';
  const custom = query.custom_breakdown_key ?? 'off';
  const shape: StatisticsShape = {
    time: query.datetime_type ?? 'draft_time',
    tz: await zoneOf(db, query.tz),
    unit: breakdown === 'off' ? null : breakdown,
    byStatus: query.is_breakdown_status === 'true',
    custom: custom === 'off' ? null : custom,
    minimumDays: query.minimum_days ?? 0,
  };
  const rows = filters.none ? [] : await orderStatistics(db, caller.businessId, filters, shape);
  const data = rows.map((row) => itemOf(row, shape));
  // Without a breakdown the answer is the one total, also when nothing matched.
  if (data.length === 0 && !shape.unit && !shape.byStatus && !shape.custom) {
    data.push({ count: 0, gross_revenue: 0 });
  }
  return { data, is_paginated: true as const };
}

function itemOf(row: StatisticsRow, shape: StatisticsShape): OrderStatisticsItemObject {
  const item: OrderStatisticsItemObject = { count: row.count, gross_revenue: Number(row.gross_revenue) };
  if (shape.byStatus) item.status = row.status as OrderStatisticsItemObject['status'];
  if (shape.unit) item[shape.unit] = row.bucket ?? undefined;
  if (shape.custom) {
    item.custom_breakdown_id = row.key_id === null ? null : Number(row.key_id);
    item.custom_breakdown_name = row.key_name;
  }
  return item;
}
