import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomString } from '../../../src/lib/ids.ts';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { ORDER_STATUSES } from '../../../src/modules/orders/tables.ts';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, variantLine } from './fixtures.ts';

/**
 * getOrderStatistics against a hand computation: generated orders spread over days, statuses,
 * handlers and places, grouped here in JavaScript with Intl (independent of the SQL), compared with
 * the route's answer in several zones.
 */

interface Generated {
  status: (typeof ORDER_STATUSES)[number];
  draft: Date;
  confirmed: Date | null;
  cents: number;
  handler: { id: number; name: string } | null;
  place: { cityId: number | null; city: string | null; provinceId: number | null; province: string | null };
  storeId: number;
}

let tenant: Tenant;
let other: Tenant;
let secondStoreId: number;
const orders: Generated[] = [];

/** Instants on purpose: midnights in Jakarta and UTC, ISO week and month edges, New York's DST switches. */
const EDGES = [
  '2024-03-10T16:59:59Z', // Jakarta Sun 10 Mar 23:59:59
  '2024-03-10T17:00:00Z', // Jakarta Mon 11 Mar 00:00 (a new ISO week); still Sun 10 Mar in UTC
  '2024-03-10T06:59:00Z', // New York 01:59 EST, a minute before the spring-forward gap
  '2024-03-10T07:00:00Z', // New York 03:00 EDT, the same local day
  '2024-03-10T04:30:00Z', // New York Sat 9 Mar 23:30
  '2024-03-31T16:59:59Z', // Jakarta 31 Mar 23:59:59
  '2024-03-31T17:00:00Z', // Jakarta 1 Apr 00:00 (a new month); 31 Mar in UTC
  '2024-02-29T23:30:00Z', // leap day in UTC, 1 Mar in Jakarta and Kolkata (+05:30)
  '2023-12-31T18:00:00Z', // Jakarta Mon 1 Jan 2024 (ISO week 2024-W01); Sun 31 Dec 2023 in UTC
  '2024-11-03T05:30:00Z', // New York 01:30 EDT
  '2024-11-03T06:30:00Z', // New York 01:30 EST, the repeated hour, the same local day
];

/** A small deterministic generator (no Math.random: a failure must repeat). */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

const CONFIRMED_OR_LATER = new Set([
  'confirmed',
  'in_process',
  'ready',
  'shipped',
  'shipped_rts',
  'completed',
  'rts',
  'closed',
]);

beforeAll(async () => {
  tenant = await createTenant('Statistik');
  other = await createTenant('Lain');
  const db = tenant.ctx.database.db;
  const product = await insertProduct(tenant);
  const member = await db
    .insertInto('users')
    .values({
      email: `cs-${randomString(8).toLowerCase()}@example.test`,
      name: 'Sari CS',
      password_hash: null,
    })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  const handlers = [
    { id: tenant.owner.id, name: tenant.owner.name },
    { id: Number(member.id), name: member.name },
    null,
  ];
  const locations = await sql<{
    id: number;
    city_id: number;
    city_name: string;
    province_id: number;
    province_name: string;
  }>`select distinct on (province_id) id, city_id, city_name, province_id, province_name
       from locations order by province_id, id limit 2`.execute(db);
  const places = [
    ...locations.rows.map((l) => ({
      locationId: l.id,
      cityId: l.city_id,
      city: l.city_name,
      provinceId: l.province_id,
      province: l.province_name,
    })),
    {
      locationId: null,
      cityId: null,
      city: 'Kota Tanpa Lokasi',
      provinceId: null,
      province: 'Provinsi Teks',
    },
    { locationId: null, cityId: null, city: null, provinceId: null, province: null },
  ];
  secondStoreId = (await createStore(db, tenant.business.id, { name: 'Cabang Dua' })).id;

  const next = generator(13);
  const instants = [...EDGES.map((iso) => new Date(iso))];
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < 45; i++)
    instants.push(new Date(start + next(120 * 24 * 60) * 60_000 + next(60) * 1000));
  for (const [index, draft] of instants.entries()) {
    const status = ORDER_STATUSES[index % ORDER_STATUSES.length]!;
    const confirmed = CONFIRMED_OR_LATER.has(status)
      ? new Date(draft.getTime() + next(72) * 3_600_000)
      : null;
    const cents = 1_000_00 + next(5_000_000_00);
    const handler = handlers[next(handlers.length)]!;
    const place = places[next(places.length)]!;
    const storeId = next(4) === 0 ? secondStoreId : tenant.store.id;
    const created = await placeOrder(
      db,
      draftFor(tenant, [variantLine(product.variants[0]!, 1, { isInventory: false })]),
    );
    await sql`update orders set status = ${status}, draft_time = ${draft}, confirmed_time = ${confirmed},
        gross_revenue = ${(cents / 100).toFixed(2)}, handler_user_id = ${handler?.id ?? null},
        shipping_location_id = ${place.locationId}, shipping_city = ${place.city},
        shipping_province = ${place.province}, store_id = ${storeId}
      where id = ${created.id}`.execute(db);
    orders.push({ status, draft, confirmed, cents, handler, place, storeId });
  }
  // Another business's order on the same days: never counted.
  const foreign = await placeOrder(
    db,
    draftFor(other, [variantLine((await insertProduct(other)).variants[0]!, 1, { isInventory: false })]),
  );
  await sql`update orders set draft_time = ${new Date(EDGES[0]!)} where id = ${foreign.id}`.execute(db);
}, 120_000);

const localDate = (at: Date, tz: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);

/** The Monday of the ISO week a local date falls in. */
function mondayOf(date: string) {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

type Unit = 'day' | 'week' | 'month';
type Custom = 'handler_id' | 'city' | 'province';

/** What the answer must be, computed from the generated orders alone. */
function handComputed(options: {
  tz: string;
  unit?: Unit;
  byStatus?: boolean;
  custom?: Custom;
  time?: 'draft' | 'confirmed';
  keep?: (order: Generated) => boolean;
}) {
  const groups = new Map<string, { item: Record<string, unknown>; cents: number }>();
  for (const order of orders) {
    const at = options.time === 'confirmed' ? order.confirmed : order.draft;
    if (!at || (options.keep && !options.keep(order))) continue;
    const item: Record<string, unknown> = {};
    if (options.byStatus) item.status = order.status;
    if (options.unit) {
      const date = localDate(at, options.tz);
      item[options.unit] =
        options.unit === 'day' ? date : options.unit === 'week' ? mondayOf(date) : date.slice(0, 7);
    }
    if (options.custom === 'handler_id') {
      item.custom_breakdown_id = order.handler?.id ?? null;
      item.custom_breakdown_name = order.handler?.name ?? null;
    } else if (options.custom === 'city') {
      item.custom_breakdown_id = order.place.cityId;
      item.custom_breakdown_name = order.place.city;
    } else if (options.custom === 'province') {
      item.custom_breakdown_id = order.place.provinceId;
      item.custom_breakdown_name = order.place.province;
    }
    const key = JSON.stringify(item);
    const group = groups.get(key) ?? { item, cents: 0 };
    group.cents += order.cents;
    group.item.count = ((group.item.count as number) ?? 0) + 1;
    groups.set(key, group);
  }
  return [...groups.values()].map(({ item, cents }) => ({ ...item, gross_revenue: cents / 100 }));
}

const bySortKey = (items: Array<Record<string, unknown>>) =>
  [...items].sort((a, b) =>
    JSON.stringify(a, Object.keys(a).sort()).localeCompare(JSON.stringify(b, Object.keys(b).sort())),
  );

async function statistics(query: Record<string, string | number>, key?: string) {
  return tenant.request('GET', '/v3/orders/statistics', { query, ...(key ? { key } : {}) });
}

async function data(query: Record<string, string | number>) {
  const response = await statistics(query);
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json();
  expect(body.is_paginated).toBe(true);
  return body.data as Array<Record<string, unknown>>;
}

describe('getOrderStatistics', () => {
  it('counts per day and status in Jakarta by default, in date then lifecycle order', async () => {
    const answer = await data({ breakdown_date: 'day', is_breakdown_status: 'true' });
    const expected = handComputed({ tz: 'Asia/Jakarta', unit: 'day', byStatus: true });
    expect(bySortKey(answer)).toEqual(bySortKey(expected));
    const order = answer.map((item) => [item.day, ORDER_STATUSES.indexOf(item.status as never)] as const);
    expect(order).toEqual([...order].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || a[1] - b[1]));
    // The order at 17:00 UTC on Sunday 10 March is Monday 11 March in Jakarta.
    expect(answer.some((item) => item.day === '2024-03-11')).toBe(true);
  });

  it.each([
    ['UTC', 'day'],
    ['UTC', 'week'],
    ['Asia/Jakarta', 'week'],
    ['Asia/Jakarta', 'month'],
    ['America/New_York', 'day'],
    ['America/New_York', 'week'],
    ['Asia/Kolkata', 'month'],
    ['asia/jakarta', 'day'],
  ] as const)('cuts %s %ss as the hand computation does', async (tz, unit) => {
    const answer = await data({ tz, breakdown_date: unit });
    const expected = handComputed({ tz, unit });
    expect(bySortKey(answer)).toEqual(bySortKey(expected));
    expect(answer.map((item) => item[unit])).toEqual([...answer.map((item) => item[unit])].sort());
  });

  // A range on the bucketed time reads each bucket as an index range of its own (statistics-queries.ts
  // bucketRange): the same answer, for windows starting and ending inside a bucket.
  it.each([
    ['Asia/Jakarta', 'day', '2024-02-20T09:00:00Z', '2024-04-02T03:00:00Z'],
    ['UTC', 'week', '2024-02-28T12:00:00Z', '2024-03-31T17:30:00Z'],
    ['America/New_York', 'day', '2024-03-01T00:00:00Z', '2024-03-12T00:00:00Z'],
    ['America/New_York', 'week', '2024-01-03T00:00:00Z', '2024-04-30T00:00:00Z'],
    ['Asia/Kolkata', 'month', '2024-01-15T00:00:00Z', '2024-04-20T00:00:00Z'],
  ] as const)(
    'cuts %s %ss within a draft time range as the hand computation does',
    async (tz, unit, since, until) => {
      const inRange = (order: Generated) => order.draft >= new Date(since) && order.draft <= new Date(until);
      const range = { draft_time_since: since, draft_time_until: until };
      expect(bySortKey(await data({ tz, breakdown_date: unit, ...range }))).toEqual(
        bySortKey(handComputed({ tz, unit, keep: inRange })),
      );
      expect(
        bySortKey(
          await data({
            tz,
            breakdown_date: unit,
            is_breakdown_status: 'true',
            custom_breakdown_key: 'city',
            ...range,
          }),
        ),
      ).toEqual(bySortKey(handComputed({ tz, unit, byStatus: true, custom: 'city', keep: inRange })));
    },
  );

  it('tells Jakarta from UTC at midnight and starts weeks on Monday', async () => {
    const week = (items: Array<Record<string, unknown>>, monday: string) =>
      items.find((item) => item.week === monday)?.count ?? 0;
    const jakarta = await data({ breakdown_date: 'week', tz: 'Asia/Jakarta' });
    const utc = await data({ breakdown_date: 'week', tz: 'UTC' });
    for (const item of [...jakarta, ...utc]) {
      expect(new Date(`${item.week}T00:00:00Z`).getUTCDay()).toBe(1);
    }
    // 2023-12-31T18:00Z is in the week of Monday 1 January in Jakarta, of Monday 25 December in UTC.
    expect(week(jakarta, '2023-12-25')).toBe(0);
    expect(week(utc, '2023-12-25')).toBeGreaterThan(0);
  });

  it('breaks down by handler, city and province with their names', async () => {
    for (const custom of ['handler_id', 'city', 'province'] as const) {
      const answer = await data({ custom_breakdown_key: custom, is_breakdown_status: 'true' });
      expect(bySortKey(answer), custom).toEqual(
        bySortKey(handComputed({ tz: 'UTC', byStatus: true, custom })),
      );
    }
    const months = await data({ custom_breakdown_key: 'handler_id', breakdown_date: 'month' });
    expect(bySortKey(months)).toEqual(
      bySortKey(handComputed({ tz: 'Asia/Jakarta', unit: 'month', custom: 'handler_id' })),
    );
  });

  it('counts at the chosen status time: orders never confirmed are not counted at confirmed_time', async () => {
    const answer = await data({
      datetime_type: 'confirmed_time',
      breakdown_date: 'day',
      is_breakdown_status: 'true',
    });
    const expected = handComputed({ tz: 'Asia/Jakarta', unit: 'day', byStatus: true, time: 'confirmed' });
    expect(bySortKey(answer)).toEqual(bySortKey(expected));
    expect(answer.every((item) => CONFIRMED_OR_LATER.has(item.status as string))).toBe(true);
    // No order reached rts_time here: nothing to count, and without a breakdown that is one zero total.
    expect(await data({ datetime_type: 'rts_time' })).toEqual([{ count: 0, gross_revenue: 0 }]);
  });

  it('applies the list filters: status, store, and a draft time range', async () => {
    const since = '2024-03-01T00:00:00Z';
    const until = '2024-03-31T16:59:59Z';
    const inRange = (order: Generated) => order.draft >= new Date(since) && order.draft <= new Date(until);
    expect(
      bySortKey(await data({ draft_time_since: since, draft_time_until: until, breakdown_date: 'day' })),
    ).toEqual(bySortKey(handComputed({ tz: 'Asia/Jakarta', unit: 'day', keep: inRange })));
    expect(await data({ status: 'completed' })).toEqual(
      handComputed({ tz: 'UTC', keep: (order) => order.status === 'completed' }),
    );
    expect(await data({ store_id: String(secondStoreId), is_breakdown_status: 'true' })).toEqual(
      expect.arrayContaining(
        handComputed({ tz: 'UTC', byStatus: true, keep: (order) => order.storeId === secondStoreId }),
      ),
    );
    // Another business's id matches nothing.
    expect(await data({ business_id: String(other.business.id) })).toEqual([{ count: 0, gross_revenue: 0 }]);
  });

  it('totals every order of its own business only, when nothing is broken down', async () => {
    const total = orders.reduce((sum, order) => sum + order.cents, 0);
    expect(await data({})).toEqual([{ count: orders.length, gross_revenue: total / 100 }]);
  });

  it('minimum_days counts only orders whose day is at least that many days before today', async () => {
    const cutoff = '2024-03-20';
    const today = localDate(new Date(), 'Asia/Jakarta');
    const days = Math.round(
      (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${cutoff}T00:00:00Z`)) / 86_400_000,
    );
    const answer = await data({ minimum_days: days, breakdown_date: 'day' });
    expect(bySortKey(answer)).toEqual(
      bySortKey(
        handComputed({
          tz: 'Asia/Jakarta',
          unit: 'day',
          keep: (order) => localDate(order.draft, 'Asia/Jakarta') <= cutoff,
        }),
      ),
    );
    const counted = answer.reduce((sum, item) => sum + (item.count as number), 0);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThan(orders.length);
    expect(answer.every((item) => (item.day as string) <= cutoff)).toBe(true);
  });

  it('refuses an unknown zone, a POSIX offset and bad breakdowns with 422', async () => {
    const bad: Array<Record<string, string | number>> = [
      { tz: 'Mars/Olympus_Mons' },
      { tz: 'UTC+7' },
      { tz: 'WIB' },
      { tz: '' },
      { breakdown_date: 'year' },
      { custom_breakdown_key: 'store_id' },
      { datetime_type: 'created_at' },
      { is_breakdown_status: 'yes' },
      { minimum_days: -1 },
      { minimum_days: 'soon' },
      { draft_time_since: 'yesterday' },
      { draft_time_since: '2024-03-02T00:00:00Z', draft_time_until: '2024-03-01T00:00:00Z' },
    ];
    for (const query of bad) {
      const response = await statistics(query);
      expect(response.statusCode, JSON.stringify(query)).toBe(422);
      expect(response.json().error_code).toBe('validation_failed');
    }
    const tz = await statistics({ tz: 'Mars/Olympus_Mons' });
    expect(tz.json().errors).toHaveProperty('tz');
  });

  it('needs order:statistics:list', async () => {
    const denied = await statistics({}, await tenant.restrictedKey(['order:list']));
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error_code).toBe('insufficient_scope');
    const allowed = await statistics({}, await tenant.restrictedKey(['order:statistics:list']));
    expect(allowed.statusCode).toBe(200);
  });

  it("never counts another business's orders", async () => {
    const response = await other.request('GET', '/v3/orders/statistics', {
      query: { breakdown_date: 'day' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual([
      { day: localDate(new Date(EDGES[0]!), 'Asia/Jakarta'), count: 1, gross_revenue: expect.any(Number) },
    ]);
  });
});
