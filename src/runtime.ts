import { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { type Database, type OpenOptions, openDatabase } from './db/database.ts';
import { refreshPlannerStatistics } from './db/maintenance.ts';
import { migrateToLatest } from './db/migrate.ts';
import { MemoryRateLimitStore, type RateLimitStore, RedisRateLimitStore } from './http/rate-limit.ts';
import { loadServerKeys, type ServerKeys } from './lib/secrets.ts';
import { loadRegions } from './modules/locations/regions.ts';

/** Everything a process needs besides HTTP: database (migrated), reference data, keys, rate-limit store. */
export interface Runtime {
  database: Database;
  keys: ServerKeys;
  rateLimit: RateLimitStore;
  close(): Promise<void>;
}

/**
 * The configured database. A `command` on the embedded database goes through the running server's
 * socket when a server holds the files, and opens them itself when none does.
 */
export async function openDatabaseFor(
  config: Config,
  embeddedProfile: 'server' | 'command' = 'server',
  options: Pick<OpenOptions, 'onWaitForServer'> = {},
): Promise<Database> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedProfile,
    embeddedWasm: config.embeddedWasm,
    ...options,
  });
}

/** Schema migrations, then the reference data every installation has (regions of Indonesia). */
export async function prepareDatabase(database: Database): Promise<string[]> {
  const { applied } = await migrateToLatest(database.db as never);
  await loadRegions(database.db);
  await refreshPlannerStatistics(database);
  return applied;
}

/** With `REDIS_URL` every instance shares one budget per credential; start-up waits until Redis answers. */
export async function openRateLimitStore(config: Config): Promise<RateLimitStore> {
  if (!config.redisUrl) return new MemoryRateLimitStore();
  const redis = new Redis(config.redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  redis.on('error', () => {
    // Later outages surface per request (the hook fails open and logs); avoid unhandled 'error' events.
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Cannot reach Redis at REDIS_URL (${(error as Error).message})`);
  }
  return new RedisRateLimitStore(redis, `${config.redisPrefix}rl:`);
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const database = await openDatabaseFor(config);
  try {
    await prepareDatabase(database);
    const keys = await loadServerKeys(database.db, config.secretKey);
    const rateLimit = await openRateLimitStore(config);
    return {
      database,
      keys,
      rateLimit,
      close: async () => {
        await rateLimit.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
