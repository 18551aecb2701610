import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import type { RateLimitStore } from '../../src/http/rate-limit.ts';
import { loadServerKeys, type ServerKeys } from '../../src/lib/secrets.ts';
import { openRateLimitStore } from '../../src/runtime.ts';

export interface TestContext {
  app: FastifyInstance;
  database: Database;
  config: Config;
  keys: ServerKeys;
  rateLimit: RateLimitStore;
}

let shared: Promise<TestContext> | undefined;
const RUN_ID = inject('runId');

/** The config tests run with: the environment's, minus anything that would touch the developer's data. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({
    ...process.env,
    DATABASE_URL: inject('testDatabaseUrl') ?? '',
    NEXUS_DATA_DIR: '',
    LOG_LEVEL: 'silent',
    NEXUS_PUBLIC_URL: 'http://nexus.test',
    // Test databases restart their id sequences, so keep each run's Redis counters apart.
    NEXUS_REDIS_PREFIX: `nexus-test:${RUN_ID}:`,
    // Uploads go to a per-run temporary directory, never into the working tree.
    NEXUS_STORAGE_DRIVER: 'local',
    NEXUS_STORAGE_DIR: path.join(os.tmpdir(), `nexus-test-uploads-${RUN_ID}`),
  });
  return { ...base, ...overrides };
}

/** Opens this worker's database: a fresh clone of the PGlite template, or the run's PostgreSQL database. */
export async function openTestDatabase(): Promise<Database> {
  const url = inject('testDatabaseUrl');
  if (url) return openDatabase({ databaseUrl: url, poolSize: 5 });
  const template = inject('pgliteTemplate');
  if (!template) throw new Error('global setup did not prepare a database');
  return openDatabase({ loadDataDir: new Blob([fs.readFileSync(template)]) });
}

/**
 * Builds an app on an existing database (for tests that need a second instance or other config);
 * `extend` may register extra routes before the app is sealed.
 */
export async function buildTestApp(
  database: Database,
  config: Config,
  extend?: (app: FastifyInstance) => void,
): Promise<TestContext> {
  const keys = await loadServerKeys(database.db, config.secretKey);
  const rateLimit = await openRateLimitStore(config);
  const app = await buildApp({ config, database, keys, rateLimit }, { logger: false });
  extend?.(app);
  await app.ready();
  return { app, database, config, keys, rateLimit };
}

/** The worker's shared app. Tests isolate themselves by creating their own businesses. */
export function getTestContext(): Promise<TestContext> {
  shared ??= (async () => buildTestApp(await openTestDatabase(), testConfig()))();
  return shared;
}
