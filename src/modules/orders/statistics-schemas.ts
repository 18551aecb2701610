import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';
import { ListOrdersQuery } from './business-schemas.ts';
import { ORDER_STATUSES } from './tables.ts';

/** Every `<status>_time` an order stamps, the moments statistics can be counted at. */
export const STATISTICS_TIMES = ORDER_STATUSES.map((status) => `${status}_time` as const);
export type StatisticsTime = (typeof STATISTICS_TIMES)[number];
export const BREAKDOWN_DATES = ['off', 'day', 'week', 'month'] as const;
export const CUSTOM_BREAKDOWN_KEYS = [
  'off',
  'handler_id',
  'advertiser_id',
  'page_id',
  'city',
  'province',
] as const;

const literals = <T extends string>(values: readonly T[]) => values.map((value) => Type.Literal(value));

/** The list's filters (the reference: "the same parameters as the orders list"), without its paging. */
const {
  page_size: _size,
  next_cursor: _next,
  previous_cursor: _previous,
  columns: _columns,
  ...filters
} = ListOrdersQuery.properties;

export const OrderStatisticsQuery = Type.Object({
  ...filters,
  datetime_type: Type.Optional(
    Type.Union(literals(STATISTICS_TIMES), {
      default: 'draft_time',
      description: 'The moment an order is counted at; orders without that time are not counted.',
    }),
  ),
  tz: Type.Optional(
    Type.String({
      maxLength: 64,
      default: 'Asia/Jakarta',
      description: 'IANA time zone the days, weeks and months are cut in.',
    }),
  ),
  breakdown_date: Type.Optional(Type.Union(literals(BREAKDOWN_DATES), { default: 'off' })),
  is_breakdown_status: Type.Optional(
    Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'false' }),
  ),
  custom_breakdown_key: Type.Optional(Type.Union(literals(CUSTOM_BREAKDOWN_KEYS), { default: 'off' })),
  minimum_days: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 36500,
      default: 0,
      description:
        'Counts only orders at least this many days old: whose day (in `tz`) is at least this many days before today.',
    }),
  ),
});
export type OrderStatisticsQueryObject = Static<typeof OrderStatisticsQuery>;

/** One group: the reference's CollectionItem; each breakdown's fields appear only when it is on. */
export const OrderStatisticsItem = Type.Object(
  {
    count: Type.Integer(),
    gross_revenue: Type.Number({ description: 'Sum of the orders’ gross revenue, in rupiah (a number).' }),
    status: Type.Optional(Type.Union(literals(ORDER_STATUSES))),
    day: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD in `tz`.' })),
    week: Type.Optional(
      Type.String({ format: 'date', description: 'The Monday (YYYY-MM-DD in `tz`) the ISO week starts on.' }),
    ),
    month: Type.Optional(Type.String({ description: 'YYYY-MM in `tz`.' })),
    custom_breakdown_id: Type.Optional(Nullable(Type.Integer())),
    custom_breakdown_name: Type.Optional(Nullable(Type.String())),
  },
  { title: 'OrderStatisticsItem' },
);
export type OrderStatisticsItemObject = Static<typeof OrderStatisticsItem>;

export const OrderStatistics = Type.Object(
  { data: Type.Array(OrderStatisticsItem), is_paginated: Type.Literal(true) },
  { title: 'OrderStatistics' },
);
