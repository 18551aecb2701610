import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_location_search_gist.ts';
import * as m0003 from './migrations/0003_catalog_core.ts';

/** Every migration, in order. Names are permanent once released: add, never rename. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_location_search_gist': m0002,
  '0003_catalog_core': m0003,
};

export interface MigrateOutcome {
  applied: string[];
}

/**
 * Brings the schema up to date. Safe to run from several instances at once: Kysely holds a
 * PostgreSQL advisory lock while migrating.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrateOutcome> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'nexus_migrations',
    migrationLockTableName: 'nexus_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed} failed: ${cause}`);
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}
