import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, getTestContext, testConfig } from '../helpers/app.ts';

/**
 * Route schemas compile on first use (src/http/lazy-schemas.ts), not when the app starts: the
 * embedded server's memory budget (issue 11). A schema that would not compile must still be found by
 * the suite, not by the first customer to call the route. (Every other test validates and
 * serializes through these lazily built functions.)
 */
describe('lazily compiled route schemas', () => {
  let fresh: Awaited<ReturnType<typeof buildTestApp>> | undefined;
  afterAll(async () => {
    await fresh?.app.close();
  });

  it('are not compiled at start, and every one of them compiles', async () => {
    const { database } = await getTestContext();
    fresh = await buildTestApp(database, testConfig());
    // Validators and serializers of every built operation (and the docs, health and fallbacks).
    expect(fresh.app.compileAllSchemas()).toBeGreaterThan(300);
    expect(fresh.app.compileAllSchemas()).toBe(0);
  });
});
