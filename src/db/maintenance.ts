import { sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * PGlite is a single embedded backend with no autovacuum, so nothing gathers planner statistics:
 * without them the planner picks sequential scans and catalog routes run 2-4x slower. Nexus does
 * it itself for the embedded database, at start-up and then periodically. PostgreSQL servers keep
 * autovacuum on and need nothing from us.
 */
const EMBEDDED_ANALYZE_INTERVAL_MS = 30 * 60 * 1000;

export async function refreshPlannerStatistics(database: Database): Promise<void> {
  if (database.kind !== 'pglite') return;
  await sql`analyze`.execute(database.db);
}

/** Starts the periodic refresh; returns a function that stops it. */
export function maintainPlannerStatistics(database: Database, onError: (err: unknown) => void): () => void {
  if (database.kind !== 'pglite') return () => {};
  const timer = setInterval(() => {
    refreshPlannerStatistics(database).catch(onError);
  }, EMBEDDED_ANALYZE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
