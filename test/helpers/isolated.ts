import fs from 'node:fs';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import type { Runtime } from '../../src/runtime.ts';
import { buildTestApp, type TestContext, testConfig } from './app.ts';
import { freshDatabase } from './server.ts';

/**
 * An app on a database of its own (a fresh copy of the run's template), for tests of work that
 * spans every business, like the background worker's sweeps and retention: on the shared database
 * they would reach into other test files' rows. `runtime` is what the server hands its background
 * work (`startBackgroundWork`).
 */
export interface IsolatedContext {
  ctx: TestContext;
  runtime: Runtime;
  close(): Promise<void>;
}

async function openIsolatedDatabase(): Promise<{ database: Database; remove(): Promise<void> }> {
  const template = inject('pgliteTemplate');
  if (template) {
    const database = await openDatabase({ loadDataDir: new Blob([fs.readFileSync(template)]) });
    return { database, remove: async () => {} };
  }
  const fresh = await freshDatabase();
  const database = await openDatabase({ databaseUrl: fresh.databaseUrl!, poolSize: 5 });
  return { database, remove: () => fresh.remove() };
}

export async function isolatedContext(): Promise<IsolatedContext> {
  const { database, remove } = await openIsolatedDatabase();
  const ctx = await buildTestApp(database, testConfig());
  const runtime: Runtime = {
    database,
    keys: ctx.keys,
    rateLimit: ctx.rateLimit,
    close: async () => {},
  };
  return {
    ctx,
    runtime,
    close: async () => {
      await ctx.app.close();
      await ctx.rateLimit.close();
      await database.close();
      await remove();
    },
  };
}
