import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteSpec } from '../../src/http/route.ts';
import { ALL_ROUTES } from '../../src/modules/index.ts';
import { buildTestApp, getTestContext, type TestContext, testConfig } from '../helpers/app.ts';
import {
  itemPropertiesOf,
  type JsonSchema,
  type KnownValues,
  propertiesOf,
  sampleOf,
} from '../helpers/schema-sample.ts';
import { BANDUNG, checkoutShop, JNE_REG, variantItem } from '../modules/checkout/fixtures.ts';
import { shopper } from '../modules/customer-shopping/fixtures.ts';

/**
 * "Never a 500 for a client mistake", swept over every implemented operation: each route gets junk
 * in one path parameter, one query parameter or one body field at a time (the rest plausible, from
 * its own schema, so the junk reaches the handler), with a credential it accepts. Any 5xx fails.
 * `NEXUS_SWEEP=full` tries every junk value everywhere (minutes); the default is a quick subset.
 */

const FULL = process.env.NEXUS_SWEEP === 'full';

const JUNK_VALUES: unknown[] = FULL
  ? [
      null,
      -1,
      0,
      1.5,
      2147483648,
      9007199254740992,
      1e300,
      '',
      'x',
      '-1',
      '2147483648',
      'a'.repeat(5000),
      '\u0000',
      true,
      [],
      {},
      [{}],
      '2026-13-45',
      '99999999999999999999',
    ]
  : [null, 2147483648, -1, 'x', '\u0000', {}, [], 'a'.repeat(5000)];

const JUNK_SEGMENTS = FULL
  ? [
      '0',
      '-1',
      '2147483648',
      '99999999999999999999',
      'abc',
      '%00',
      "a'b",
      'a'.repeat(500),
      '1.5',
      '%F0%9F%98%80',
      '%ZZ',
    ]
  : ['0', '2147483648', '99999999999999999999', 'abc', '%00', 'a'.repeat(500)];

const JUNK_QUERY = FULL
  ? [
      '',
      'x',
      '-1',
      '0',
      '99999999999999999999',
      '2147483648',
      '1.5',
      'a'.repeat(3000),
      '\u0000',
      'true',
      '2026-13-45',
    ]
  : ['', 'x', '-1', '2147483648', '99999999999999999999', 'a'.repeat(3000)];

/** Credentials and request headers a client may get wrong (each replaces the working one). */
const JUNK_HEADERS: Record<string, string[]> = {
  authorization: [
    'Bearer ',
    'Bearer x',
    'Basic YTpi',
    `Bearer sk_${'a'.repeat(64)}`,
    `Bearer ${'a'.repeat(5000)}`,
  ],
  'x-scalev-storefront-api-key': ['', 'x', `sfpk_${'a'.repeat(64)}`, 'a'.repeat(5000)],
  'x-scalev-guest-token': ['', 'x', '../../etc/passwd', 'a'.repeat(5000)],
  'idempotency-key': ['', ' ', 'a'.repeat(5000)],
};

const JUNK_CONTENT_TYPES = [
  'text/plain',
  'application/json; charset=latin1',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
];

const RAW_BODIES = ['not json', '[]', 'null', '"text"', '{"a":', '{}'];

interface Failure {
  operationId: string;
  request: string;
  status: number;
  body: string;
}

let ctx: TestContext;
let headersFor: (route: RouteSpec) => Record<string, string>;
let storeParam: (route: RouteSpec) => string;
let known: KnownValues = {};

beforeAll(async () => {
  const shared = await getTestContext();
  const raised = 1_000_000;
  ctx = await buildTestApp(
    shared.database,
    testConfig({
      rateLimit: {
        keyPerHour: raised,
        keyPer10s: raised,
        ipPerHour: raised,
        ipPer10s: raised,
        customerAuthIpPer15m: raised,
        customerAuthAccountPer15m: raised,
      },
    }),
  );
  const shop = await checkoutShop({ name: 'Toko Sweep' });
  const guestToken = await shop.client.cartWith([variantItem(shop.shirt)]);
  const customer = await shopper(shop.tenant);
  const { tenant } = shop;
  headersFor = (route): Record<string, string> => {
    if (route.auth.includes('apiKey')) return { authorization: `Bearer ${tenant.apiKey}` };
    if (route.auth.includes('customer')) return { authorization: `Bearer ${customer.token}` };
    if (route.auth.includes('storefrontKey'))
      return { 'x-scalev-storefront-api-key': shop.client.key, 'x-scalev-guest-token': guestToken };
    return {};
  };
  known = {
    product_id: shop.shirt.id,
    variant_id: shop.shirt.variants[0]!.id,
    bundle_price_option_id: shop.priceOption.id,
    warehouse_id: shop.warehouse.id,
    location_id: BANDUNG,
    shipping_location_id: BANDUNG,
    courier_service_id: JNE_REG,
    customer_id: customer.id,
  };
  storeParam = (route) => (route.auth.includes('apiKey') ? String(tenant.store.id) : tenant.store.unique_id);
}, 60_000);

afterAll(async () => {
  await ctx?.app.close();
  await ctx?.rateLimit.close();
});

function pathOf(route: RouteSpec, junk?: { name: string; value: string }): string {
  return route.path.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    if (junk?.name === name) return junk.value;
    if (name === 'store_id') return storeParam(route);
    return name in known ? String(known[name]) : '1';
  });
}

/** A junk value as the failure list shows it (long ones shortened). */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 20)}…(${text.length})` : text;
}

/** Every request of the sweep for one route: junk in one place at a time. */
function* requestsFor(route: RouteSpec): Generator<[string, InjectOptions]> {
  const schema = route.schema as { body?: JsonSchema; querystring?: JsonSchema; params?: JsonSchema };
  const headers = headersFor(route);
  const base = { method: route.method, headers } as const;
  const body = sampleOf(schema.body, known) as Record<string, unknown> | undefined;
  const withBody = (payload: unknown): Partial<InjectOptions> =>
    payload === undefined ? {} : { payload: payload as never };

  for (const name of route.path.match(/\{([a-z_]+)\}/g)?.map((p) => p.slice(1, -1)) ?? []) {
    for (const value of JUNK_SEGMENTS)
      yield [
        `path ${name}=${show(value)}`,
        { ...base, url: pathOf(route, { name, value }), ...withBody(body) },
      ];
  }
  const url = pathOf(route);
  for (const [name, values] of Object.entries(JUNK_HEADERS)) {
    for (const value of values) {
      yield [
        `header ${name}=${show(value)}`,
        { ...base, url, headers: { ...headers, [name]: value }, ...withBody(body) },
      ];
    }
  }
  if (schema.body) {
    for (const type of JUNK_CONTENT_TYPES) {
      yield [
        `content-type ${type}`,
        { ...base, url, payload: JSON.stringify(body), headers: { ...headers, 'content-type': type } },
      ];
    }
  }
  for (const name of propertiesOf(schema.querystring)) {
    for (const value of JUNK_QUERY)
      yield [`query ${name}=${show(value)}`, { ...base, url, query: { [name]: value }, ...withBody(body) }];
    yield [`query ${name} twice`, { ...base, url: `${url}?${name}=1&${name}=2` }];
  }
  if (!schema.body) return;
  for (const raw of RAW_BODIES) {
    yield [
      `body ${raw}`,
      { ...base, url, payload: raw, headers: { ...headers, 'content-type': 'application/json' } },
    ];
  }
  for (const name of propertiesOf(schema.body)) {
    for (const value of JUNK_VALUES)
      yield [`body ${name}=${show(value)}`, { ...base, url, payload: { ...body, [name]: value } }];
    const items = itemPropertiesOf(schema.body, name);
    const sample = Array.isArray(body?.[name]) ? (body[name] as Record<string, unknown>[])[0] : undefined;
    for (const itemName of items) {
      for (const value of JUNK_VALUES) {
        yield [
          `body ${name}[0].${itemName}=${show(value)}`,
          { ...base, url, payload: { ...body, [name]: [{ ...(sample ?? {}), [itemName]: value }] } },
        ];
      }
    }
  }
}

async function sweep(routes: readonly RouteSpec[]): Promise<{ failures: Failure[]; sent: number }> {
  const failures: Failure[] = [];
  let sent = 0;
  for (const route of routes) {
    for (const [junk, request] of requestsFor(route)) {
      sent++;
      const res = await ctx.app.inject({ ...request, remoteAddress: '10.9.9.9' });
      if (res.statusCode >= 500) {
        failures.push({
          operationId: route.operationId,
          request: `${request.method} ${route.path}: ${junk}`,
          status: res.statusCode,
          body: res.body.slice(0, 300),
        });
      }
    }
  }
  return { failures, sent };
}

// Deletions last, so the store and its key survive the rest of the sweep.
const ordered = [...ALL_ROUTES].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));

describe('robustness sweep', () => {
  it(
    'answers junk in any path parameter, query parameter or body field without a server error',
    async () => {
      const { failures, sent } = await sweep(ordered);
      expect(sent).toBeGreaterThan(1000);
      expect(failures).toEqual([]);
    },
    FULL ? 1_800_000 : 240_000,
  );
});
