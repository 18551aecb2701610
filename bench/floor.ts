import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '../src/db/database.ts';
import type { CursorCodec } from '../src/http/pagination.ts';
import { findBusinessWithUser } from '../src/modules/identity/queries.ts';
import { toBusinessAndUser } from '../src/modules/identity/service.ts';
import { searchLocations } from '../src/modules/locations/queries.ts';
import { parseLocationSearch, toLocation } from '../src/modules/locations/service.ts';
import { partnershipsOfPartner } from '../src/modules/partners/queries.ts';
import { toProductPartner } from '../src/modules/partners/service.ts';
import { toDigitalProductFile } from '../src/modules/product-content/digital-files.ts';
import { listFilesOfVariants } from '../src/modules/product-content/queries.ts';
import * as productMappers from '../src/modules/products/mappers.ts';
import * as productQueries from '../src/modules/products/queries.ts';
import { listProducts, loadProduct } from '../src/modules/products/service.ts';
import type { StorageProvider } from '../src/providers/storage/index.ts';
import type { BenchTenant } from './setup.ts';

/** The benchmark catalog's business, and the storage that signs digital file URLs like the app's. */
export interface FloorCatalog {
  businessId: number;
  storage: StorageProvider;
  /** The app's cursor codec, so the floor's cursors are the route's. */
  cursors: CursorCodec;
}

/** The page size of both lists: the routes' `defaultPageSize`, and what the products benchmark asks for. */
const PAGE_SIZE = 25;

/**
 * The floor: a bare Fastify instance (no plugins, no hooks, no schemas, logger off) in the same
 * process as the real app and on the same Kysely instance, so both sides share one database pool.
 * Each route performs only the database reads the real route's hot path needs, and returns the
 * rows with plain `JSON.stringify` serialization. Whatever the real route costs beyond its floor
 * is Nexus itself: routing with validation, the auth hook, rate limiting, the service layer,
 * cursors and schema-driven serialization.
 */
export async function startFloor(
  db: Db,
  tenant: BenchTenant,
  catalog: FloorCatalog | undefined,
): Promise<FastifyInstance> {
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

  if (catalog) addProductFloors(app, db, catalog);
  return app;
}

function addProductFloors(app: FastifyInstance, db: Db, catalog: FloorCatalog): void {
  const { businessId, storage, cursors } = catalog;

  /*
   * GET /floor/products: the cheapest correct answer, the products service's own `listProducts` on
   * its read model (the page's stored list items in one statement, missing ones rendered and
   * stored, then the page's digital files signed and written in), sent as the JSON text it returns.
   * No key, scope, rate limit or validation.
   */
  app.get('/floor/products', async (_request, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .send(
        await listProducts({ db, storage }, cursors, { businessId, userId: null }, { page_size: PAGE_SIZE }),
      ),
  );

  /*
   * GET /sql/products: the list's reads before issue 12, every item built from its rows on each
   * request, as the products service reads them for a first page without filters
   * (products/service.ts listProducts -> productPage), in the same order: `listProducts` with
   * ownership 'all' (the business's own products and those shared with it, two id-ordered
   * branches merged, PAGE_SIZE + 1 rows, each joined with its creator and last editor); then at
   * once `listVariantsOf` for the page (one query, stock summed per variant), `findBusinesses`
   * for the owners and `partnershipsOfPartner` for shared products (no query when none is shared);
   * then `listFilesOfVariants` for the page's variants, each file given a signed download URL.
   * Mapped with the same `toProductListItem`. It does NOT resolve the API key or check its scope,
   * rate-limit, validate the query string, build the cursor scope or sign cursors, and serializes
   * with plain JSON.stringify.
   */
  app.get('/sql/products', async () => {
    const rows = await productQueries.listProducts(db, businessId, {}, 'all', {
      values: null,
      backward: false,
      limit: PAGE_SIZE + 1,
    });
    const page = rows.slice(0, PAGE_SIZE);
    const shared = page.filter((p) => p.business_id !== businessId).map((p) => p.id);
    const [variantRows, owners, partnerRows] = await Promise.all([
      productQueries.listVariantsOf(
        db,
        page.map((p) => p.id),
      ),
      productQueries.findBusinesses(db, [...new Set(page.map((p) => p.business_id))]),
      partnershipsOfPartner(db, businessId, shared),
    ]);
    const fileRows = await listFilesOfVariants(
      db,
      businessId,
      variantRows.map((v) => v.id),
    );
    const variants = groupBy(variantRows, (v) => v.product_id);
    const files = new Map<number, productMappers.DigitalProductFile[]>();
    for (const [variantId, list] of groupBy(fileRows, (f) => f.variant_id)) {
      files.set(
        variantId,
        list.map((f) => toDigitalProductFile(f, storage)),
      );
    }
    const partners = groupBy(partnerRows, (p) => p.product_id);
    const business = new Map(owners.map((row) => [row.id, productMappers.toBusiness(row)]));
    return {
      data: page.map((row) => {
        const all = variants.get(row.id) ?? [];
        const context: productMappers.ListContext = {
          business: business.get(row.business_id)!,
          files,
          partners:
            row.business_id === businessId ? null : (partners.get(row.id) ?? []).map(toProductPartner),
        };
        return productMappers.toProductListItem(row, context, all, all.length);
      }),
    };
  });

  /*
   * GET /floor/products/:id: calls the products service's own `loadProduct` (what getProduct
   * runs, ownership 'all'), so the reads are exactly the real route's: `findProduct`, then at once
   * `findBusiness`, `listVariantsOf`, `findTaxonomy` (when the product has one),
   * `listProductStores`, `listProductWarehouses` and the partnerships of a shared product (no
   * query for an own product), then `listFilesOfVariants`; mapped with `toProduct`. The id is
   * parsed with Number(); no key, scope, rate limit or params validation; JSON.stringify.
   */
  app.get<{ Params: { id: string } }>('/floor/products/:id', async (request) =>
    loadProduct({ db, storage }, businessId, { id: Number(request.params.id) }, 'all'),
  );
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
