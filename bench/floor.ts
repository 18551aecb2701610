import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '../src/db/database.ts';
import { findBusinessWithUser } from '../src/modules/identity/queries.ts';
import { toBusinessAndUser } from '../src/modules/identity/service.ts';
import { searchLocations } from '../src/modules/locations/queries.ts';
import { parseLocationSearch, toLocation } from '../src/modules/locations/service.ts';
import type { BenchTenant } from './setup.ts';

/** The storefront search page size (`defaultPageSize` of the real route). */
const PAGE_SIZE = 25;

/**
 * The floor: a bare Fastify instance (no plugins, no hooks, no schemas, logger off) in the same
 * process as the real app and on the same Kysely instance, so both sides share one database pool.
 * Each route performs only the database reads the real route's hot path needs, and returns the
 * rows with plain `JSON.stringify` serialization. Whatever the real route costs beyond its floor
 * is Nexus itself: routing with validation, the auth hook, rate limiting, the service layer,
 * cursors and schema-driven serialization.
 */
export async function startFloor(db: Db, tenant: BenchTenant): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });

  /*
   * GET /floor/me: reads the business row joined with the acting user's row in one query, with the
   * very query function `describeIdentity` uses (identity/queries.ts findBusinessWithUser), for the
   * benchmark tenant's ids fixed at start-up, mapped with the same `toBusinessAndUser`. It does NOT resolve the API key (the real route
   * looks up the key by its SHA-256 hash, cached for NEXUS_AUTH_CACHE_SECONDS, and touches
   * last_used_at at most once a minute) and does not rate-limit.
   */
  app.get('/floor/me', async () => {
    const row = await findBusinessWithUser(db, tenant.businessId, tenant.userId);
    return row ? toBusinessAndUser(row) : {};
  });

  /*
   * GET /floor/locations?search=...: splits the search like the service (parseLocationSearch) and
   * runs the same query the locations service runs (locations/queries.ts searchLocations: one
   * trigram-filtered, ranked first page of PAGE_SIZE + 1 rows), mapping the rows to the contract's
   * Location objects. It does NOT check the storefront key (cached in the real route), rate-limit,
   * validate the query string, or sign pagination cursors.
   */
  app.get<{ Querystring: { search?: string } }>('/floor/locations', async (request) => {
    const search = parseLocationSearch(request.query.search);
    const rows = await searchLocations(
      db,
      { tokens: search?.tokens ?? [], phrase: search?.phrase ?? null },
      { values: null, backward: false, limit: PAGE_SIZE + 1 },
    );
    return { data: rows.slice(0, PAGE_SIZE).map(toLocation) };
  });

  return app;
}
