import { describe, expect, inject, it } from 'vitest';
import { expectResponsive, startServer } from '../helpers/server.ts';

/**
 * Issue 10, the production profile: the server started like `npm start` with `NODE_ENV=production`
 * (on this run's database: PostgreSQL when the run has one) seeds no demo business, prints no
 * credential, names every driver it runs, and refuses sandbox payment and shipping drivers unless
 * the operator allows them.
 */

const onPostgres = inject('serverTemplate').kind === 'postgres';

/**
 * Each test starts (and stops, and reads the database of) a real server: on a busy machine that
 * alone passes the suite's 20 s default, as the harness's own 90 s start-up allowance expects.
 */
const SERVER_TEST_TIMEOUT_MS = 120_000;

async function businesses(server: Awaited<ReturnType<typeof startServer>>): Promise<number> {
  const [row] = await server.query('select count(*)::int as count from businesses');
  return Number(row?.count);
}

describe('the production profile', () => {
  it(
    'refuses to start on sandbox payment and shipping drivers, in one line naming them',
    async () => {
      const server = await startServer({ env: { NODE_ENV: 'production' } });
      expect(server.child.exitCode).toBe(1);
      expect(server.stderr().trim()).toBe(
        'nexus: Invalid configuration: NEXUS_PAYMENTS_DRIVER and NEXUS_SHIPPING_DRIVER are sandbox with ' +
          'NODE_ENV=production; choose a real driver, or set NEXUS_ALLOW_SANDBOX=true to run on the sandbox anyway',
      );
      await server.removeDatabase();
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'starts when the sandbox is allowed: no demo data, no credential printed, every driver named',
    async () => {
      const server = await startServer({ env: { NODE_ENV: 'production', NEXUS_ALLOW_SANDBOX: 'true' } });
      try {
        expect(server.child.exitCode, server.stderr()).toBeNull();
        expect(server.demo).toBeNull();
        expect(server.stdout()).not.toMatch(/sk_[A-Za-z0-9]{20}|sfpk_|Owner login/);
        // The banner still says where things are and how to begin, as on every start.
        expect(server.stdout()).toContain(`  API reference     ${server.url}/docs`);
        expect(server.stdout()).toContain('  Get started       npm run nexus -- business create');
        const ready = server.logs().find((line) => line.msg === 'Nexus is ready');
        expect(ready).toMatchObject({
          drivers: {
            payments: 'sandbox',
            shipping: 'sandbox',
            storage: 'local',
            mail: 'sandbox',
            conversions: 'sandbox',
            bookings: 'sandbox',
            payouts: 'sandbox',
          },
        });
        expect(ready?.database).toContain(onPostgres ? 'postgres://' : 'embedded PGlite');
        expect(
          server.logs().find((line) => line.msg?.toString().startsWith('sandbox drivers in use')),
        ).toMatchObject({
          level: 40,
          sandbox: ['payments', 'shipping', 'mail', 'conversions', 'bookings', 'payouts'],
        });
        await expectResponsive(server);
        const me = await server.send('GET', '/v3/me', { headers: { authorization: 'Bearer sk_nothing' } });
        expect(me.statusCode).toBe(401);
        expect(await server.stop({ keepDatabase: true })).toBe(0);
        expect(await businesses(server)).toBe(0);
      } finally {
        await server.stop();
        await server.removeDatabase();
      }
    },
    SERVER_TEST_TIMEOUT_MS,
  );

  it(
    'seeds the demo by default only on the embedded database',
    async () => {
      const server = await startServer();
      try {
        expect(server.child.exitCode, server.stderr()).toBeNull();
        if (onPostgres) {
          expect(server.demo).toBeNull();
        } else {
          // A laptop's first start: the demo, with an owner password generated for this installation.
          expect(server.demo?.api_key).toMatch(/^sk_[A-Za-z0-9]{64}$/);
          expect(server.demo?.owner_password).toMatch(/^[A-Za-z0-9]{20}$/);
          expect(server.stdout()).not.toContain('nexus-demo-password');
          const me = await server.send('GET', '/v3/me', {
            headers: { authorization: `Bearer ${server.demo!.api_key}` },
          });
          expect(me.statusCode).toBe(200);
        }
        expect(await server.stop({ keepDatabase: true })).toBe(0);
        expect(await businesses(server)).toBe(onPostgres ? 0 : 1);
      } finally {
        await server.stop();
        await server.removeDatabase();
      }
    },
    SERVER_TEST_TIMEOUT_MS,
  );
});
