import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { loadClusterTemplate } from './cluster-template.ts';
import {
  DataDirInUseError,
  type DataDirLock,
  type Holder,
  lockDataDir,
  readLockHolder,
} from './data-dir-lock.ts';
import { PGlitePool } from './pglite-pool.ts';
import { type PGliteSocketServer, type ServeOptions, servePGlite } from './pglite-socket.ts';
import { prepareMarkedStatements } from './prepared.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  /**
   * `pglite-socket`: the embedded database of a running Nexus server, reached through the socket it
   * serves it on (a command started beside the server).
   */
  kind: 'postgres' | 'pglite' | 'pglite-socket';
  /** Human-readable location without credentials, for logs. */
  describe: string;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Embedded only: a tarball of the data directory (tests clone a migrated template from it). */
  dump?: () => Promise<Blob>;
  /**
   * Embedded on disk, server profile: serves the database on a Unix socket in the data directory
   * and records it in the lock, so `nexus` commands run beside the server (closed with the database).
   */
  serveSocket?: (options?: ServeOptions) => Promise<PGliteSocketServer>;
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
  /**
   * Who holds the embedded database: the long-running `server` (the default), which serves it to
   * others on a socket, or a one-off `command` of the CLI, which goes through that socket when a
   * server holds the files.
   */
  embeddedProfile?: 'server' | 'command';
  /**
   * The server's choice of WebAssembly compiler for the embedded engine (`NEXUS_EMBEDDED_WASM`);
   * commands always use the baseline one.
   */
  embeddedWasm?: 'baseline' | 'optimizing';
  /**
   * A `command` finding the data directory held by a server that is still starting waits for its
   * socket; this is told once, so the command can say what it waits for.
   */
  onWaitForServer?: (holder: Holder) => void;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  const profile = options.embeddedProfile ?? 'server';
  if (profile === 'command' && options.dataDir) return openForCommand(options.dataDir, options);
  const optimizing = profile === 'server' && options.embeddedWasm === 'optimizing';
  return openPGlite(options.dataDir, options.loadDataDir, profile, optimizing);
}

/** How long a command waits for a starting server (migrations, region data) to open its socket. */
const SERVER_START_WAIT_MS = 120_000;

/**
 * A command on an embedded data directory: through the socket of the server that holds it, or on
 * the files themselves when nobody does. A directory held by another command is refused at once.
 */
async function openForCommand(dataDir: string, options: OpenOptions): Promise<Database> {
  const deadline = Date.now() + SERVER_START_WAIT_MS;
  let told = false;
  for (;;) {
    const holder = readLockHolder(path.join(dataDir, 'pglite'));
    if (holder?.socket && holder.host === os.hostname()) return openServerSocket(holder, holder.socket);
    try {
      return await openPGlite(dataDir, options.loadDataDir, 'command', false);
    } catch (error) {
      const starting =
        error instanceof DataDirInUseError &&
        error.holder?.role === 'server' &&
        error.holder.host === os.hostname() &&
        !error.holder.socket;
      if (!starting || Date.now() > deadline) throw error;
      if (!told) options.onWaitForServer?.(error.holder as Holder);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function openServerSocket(holder: Holder, socket: string): Promise<Database> {
  const pool = new pg.Pool({
    host: path.dirname(socket),
    port: Number(path.basename(socket).split('.').pop()),
    user: 'nexus',
    database: 'nexus',
    max: 4,
    types: { getTypeParser: cachedTypeParser as typeof pg.types.getTypeParser },
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new Error(
      `the Nexus server (process ${holder.pid}) holds the embedded database but its socket ${socket} ` +
        `did not answer: ${(error as Error).message}`,
    );
  }
  return {
    db,
    kind: 'pglite-socket',
    describe: `embedded PGlite of the Nexus server (process ${holder.pid}) through ${socket}`,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * PostgreSQL's default 128 MB buffer pool was most of an embedded process's memory (the engine alone
 * was 277 MB resident after opening, 153 MB with a 16 MB pool). PGlite reads its files through
 * Node's `fs`, so a page missing from the pool comes from the operating system's page cache, not the
 * disk: a small pool costs a copy, not an I/O. Measured on the CLI (`nexus customers import` of
 * 100,000 rows: 21.5 s against 20.5 s) and on the server's hot reads (docs/performance.md,
 * "Process memory on the embedded database"). Both profiles use it.
 */
const EMBEDDED_PARAMS = ['-c', 'shared_buffers=16MB'];

/**
 * V8 compiles hot WebAssembly functions a second time with its optimizing compiler (TurboFan); for
 * PostgreSQL's wasm that costs about 60 MB of memory for as long as the process runs. The baseline
 * code (Liftoff) alone keeps the embedded server near 220 MB, at 10-25% less throughput on
 * query-heavy reads (docs/performance.md); `NEXUS_EMBEDDED_WASM=optimizing` buys it back. The flag is
 * process-wide and only read when wasm is compiled, so it is set just before the engine loads.
 */
function useBaselineWasmCompilerOnly(): void {
  v8.setFlagsFromString('--liftoff-only');
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    types: { getTypeParser: cachedTypeParser as typeof pg.types.getTypeParser },
  });
  prepareMarkedStatements(pool);
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
  profile: 'server' | 'command',
  optimizingWasm: boolean,
): Promise<Database> {
  let pgliteDir: string | undefined;
  let lock: DataDirLock | undefined;
  const unlock = () => lock?.release();
  if (dataDir) {
    pgliteDir = path.join(dataDir, 'pglite');
    fs.mkdirSync(pgliteDir, { recursive: true });
    lock = lockDataDir(pgliteDir, profile);
  }
  if (!optimizingWasm) useBaselineWasmCompilerOnly();
  // A new cluster starts from the shipped copy of initdb's (./cluster-template.ts says why).
  const isNew = !pgliteDir || !fs.existsSync(path.join(pgliteDir, 'PG_VERSION'));
  let pglite: PGlite;
  try {
    pglite = await createPGlite(pgliteDir, loadDataDir ?? (isNew ? loadClusterTemplate() : undefined));
  } catch (error) {
    unlock();
    throw error;
  }
  const pool = new PGlitePool(pglite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  let socketServer: PGliteSocketServer | undefined;
  return {
    db,
    kind: 'pglite',
    describe: pgliteDir ? `embedded PGlite at ${pgliteDir}` : 'embedded PGlite in memory',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      try {
        await socketServer?.close();
        await db.destroy();
      } finally {
        unlock();
      }
    },
    dump: () => pglite.dumpDataDir('none'),
    ...(dataDir && lock && profile === 'server'
      ? {
          serveSocket: async (serveOptions?: ServeOptions) => {
            socketServer ??= await servePGlite(pool, dataDir, serveOptions);
            lock?.publishSocket(socketServer.path);
            return socketServer;
          },
        }
      : {}),
  };
}

function createPGlite(pgliteDir: string | undefined, loadDataDir: Blob | File | undefined): Promise<PGlite> {
  return PGlite.create({
    ...(pgliteDir ? { dataDir: pgliteDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_PARAMS],
  });
}
