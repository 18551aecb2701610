import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlitePool } from './pglite-pool.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Human-readable location without credentials, for logs. */
  describe: string;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Embedded only: a tarball of the data directory (tests clone a migrated template from it). */
  dump?: () => Promise<Blob>;
}

const INT8_OID = 20;

/** int8 ids fit in a JS number far beyond any table size we will see; numeric stays a string. */
function parseInt8(value: string): number | bigint {
  const n = BigInt(value);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
}

// biome-ignore lint/suspicious/noExplicitAny: pg's parsers take the raw value and return anything.
type TypeParser = (value: any) => unknown;
const textParsers = new Map<number, TypeParser>();

/**
 * pg asks for a parser per field of every result (an order row has about 85): look each text-format
 * parser up once per type oid. Types registered later with `pg.types.setTypeParser` are not seen,
 * which is fine: nothing registers any after start.
 */
function cachedTypeParser(oid: number, format?: 'text' | 'binary'): TypeParser {
  if (format === 'binary') return pg.types.getTypeParser(oid, format) as TypeParser;
  let parser = textParsers.get(oid);
  if (parser === undefined) {
    parser = oid === INT8_OID ? parseInt8 : (pg.types.getTypeParser(oid, 'text') as TypeParser);
    textParsers.set(oid, parser);
  }
  return parser;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; `undefined` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** A dump from `PGlite.dumpDataDir()` to start from (tests clone a migrated template). */
  loadDataDir?: Blob | File | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPGlite(options.dataDir, options.loadDataDir);
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    types: { getTypeParser: cachedTypeParser as typeof pg.types.getTypeParser },
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(databaseUrl);
  return {
    db,
    kind: 'postgres',
    describe: `postgres://${url.host}${url.pathname}`,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPGlite(
  dataDir: string | undefined,
  loadDataDir: Blob | File | undefined,
): Promise<Database> {
  let pgliteDir: string | undefined;
  if (dataDir) {
    pgliteDir = path.join(dataDir, 'pglite');
    fs.mkdirSync(pgliteDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(pgliteDir ? { dataDir: pgliteDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { pg_trgm },
  });
  const pool = new PGlitePool(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return {
    db,
    kind: 'pglite',
    describe: pgliteDir ? `embedded PGlite at ${pgliteDir}` : 'embedded PGlite in memory',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
    dump: () => pglite.dumpDataDir('none'),
  };
}
