import { describe, expect, inject, it } from 'vitest';
import { randomString } from '../../src/lib/ids.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { getTestContext } from '../helpers/app.ts';
import { nexus } from '../helpers/cli.ts';
import { send } from '../helpers/tenants.ts';

async function json(...argv: string[]) {
  const res = await nexus(...argv, '--json');
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

/** A storefront call from a browser page on `origin`. */
async function fromBrowser(demo: { store_unique_id: string; storefront_api_key: string }, origin: string) {
  return send(await getTestContext(), 'GET', `/v3/stores/${demo.store_unique_id}/public/items`, {
    headers: { origin, 'x-scalev-storefront-api-key': demo.storefront_api_key },
  });
}

/** The dev servers' origins are allowed on the embedded database only: PostgreSQL is a real installation. */
const embedded = inject('testDatabaseUrl') === null;

/** localhost and 127.0.0.1 on the ports of Next.js (and most Node servers), Astro, Vite and the rest. */
const DEV_ORIGINS = [3000, 4321, 5173, 8080].flatMap((port) => [
  `http://localhost:${port}`,
  `http://127.0.0.1:${port}`,
]);

const sorted = (origins: string[]) => [...origins].sort();

/**
 * A demo business of this file's own (`nexus seed demo` seeds the one demo business, which other
 * files seed too, at the same time on PostgreSQL runs), seeded by the same code.
 */
async function ownDemo() {
  const ctx = await getTestContext();
  const tag = randomString(8).toLowerCase();
  return seedDemo(ctx.database.db, ctx.config, ctx.keys, {
    username: `origins${tag}`,
    accountHolder: `Origins ${tag}`,
    ownerEmail: `origins-${tag}@example.test`,
  });
}

describe('allowed origins for local development', () => {
  it('lets the demo store answer the usual dev servers on the embedded database, and adds more by command', async () => {
    const demo = await ownDemo();
    const expected = ['http://nexus.test', ...(embedded ? DEV_ORIGINS : [])];
    expect(sorted(demo.allowed_origins)).toEqual(sorted(expected));

    const store = demo.store_unique_id;
    const added = await json('store', 'origins', 'add', 'http://LocalHost:9999/', '--store', store);
    expect(added.origin).toMatchObject({ origin: 'http://localhost:9999', status: 'active' });
    const listed = await json('store', 'origins', 'list', '--store', String(demo.store_id));
    expect(sorted(listed.origins.map((o: { origin: string }) => o.origin))).toEqual(
      sorted([...expected, 'http://localhost:9999']),
    );

    const browsers = [
      'http://localhost:9999',
      ...(embedded ? ['http://localhost:5173', 'http://127.0.0.1:8080'] : []),
    ];
    for (const origin of browsers) {
      const answer = await fromBrowser(demo, origin);
      expect(answer.statusCode, origin).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
    }
    const stranger = await fromBrowser(demo, 'http://localhost:1234');
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().error_code).toBe('origin_not_allowed');

    // Seeding again adds nothing twice.
    const ctx = await getTestContext();
    const again = await seedDemo(ctx.database.db, ctx.config, ctx.keys, {
      username: demo.business_username,
      accountHolder: 'unused',
      ownerEmail: demo.owner_email,
    });
    expect(again.store_id).toBe(demo.store_id);
    expect(sorted(again.allowed_origins)).toEqual(sorted([...expected, 'http://localhost:9999']));
  });

  it('explains a bad origin, an unknown store and a missing argument', async () => {
    const demo = await ownDemo();
    const store = demo.store_unique_id;
    const withPath = await nexus('store', 'origins', 'add', 'http://localhost:3000/app', '--store', store);
    expect(withPath.code).toBe(1);
    expect(withPath.stderr).toContain('origin must not contain a path, query or fragment');
    const twice = await nexus('store', 'origins', 'add', 'http://nexus.test', '--store', store);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('origin has already been added to this store');
    const unknown = await nexus('store', 'origins', 'add', 'http://localhost:7000', '--store', 'store_nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No store with id or unique_id store_nope');
    const missing = await nexus('store', 'origins', 'add', '--store', String(demo.store_id));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ORIGIN is required');
  });
});
