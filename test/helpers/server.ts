import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { expect, inject } from 'vitest';
import { randomString } from '../../src/lib/ids.ts';
import { REPO_ROOT } from '../../src/lib/paths.ts';

/**
 * Servers started the way `npm start` starts them (`node bin/start.js`: config, migrations, demo
 * seed, background worker, listen), in a child process of their own, on a fresh copy of the run's
 * template database, and driven over a real socket with `fetch`. What `app.inject` cannot show
 * shows here: a request that never answers, a frozen event loop, the worker's queued effects, what
 * the logs really contain, and how the process starts and stops.
 */

/** Every request gives up after this long: a hung server fails the test instead of hanging it. */
export const REQUEST_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

/** What the start-up banner prints for the demo business. */
export interface BannerDemo {
  business_unique_id: string;
  api_key: string;
  owner_email: string;
  owner_password: string | null;
  store_id: number;
  store_unique_id: string;
  storefront_api_key: string;
  allowed_origin: string;
}

/** A response as a test reads it (the fields of `app.inject`'s response the suites use). */
export interface SocketResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  rawPayload: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: a parsed body the assertions check, as app.inject types it.
  json(): any;
}

export interface SendOptions {
  /** JSON-encoded unless a Buffer (sent as is) or a string (sent as is). */
  body?: unknown;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface StartedServer {
  url: string;
  /**
   * The demo the server seeded on its first start: parsed from the banner on the embedded database;
   * on PostgreSQL, whose banner names no credential, from `nexus seed demo --json` (as an operator
   * there gets a key).
   */
  demo: BannerDemo | null;
  /** The server's own database on PostgreSQL runs (tests may read it); null on the embedded one. */
  databaseUrl: string | null;
  /** `NEXUS_DATA_DIR` (the embedded database, uploads) and `DATABASE_URL` of the server. */
  dataDir: string;
  /** `nexus <argv>` as installed, beside the running server, on its database. */
  command(argv: string[], env?: Record<string, string>): Promise<CommandRun>;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines written so far (the banner is not one). */
  logs(): Array<Record<string, unknown>>;
  send(method: string, pathOrUrl: string, options?: SendOptions): Promise<SocketResponse>;
  /**
   * SIGTERM, then the exit code (it must exit within 30 s); removes the server's database unless
   * `keepDatabase` (then `query` may read it and `removeDatabase` ends it).
   */
  stop(options?: { keepDatabase?: boolean }): Promise<number | null>;
  /** Runs a statement on the server's database once it has stopped (the embedded one is its own). */
  query(text: string): Promise<Array<Record<string, unknown>>>;
  removeDatabase(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment (e.g. NODE_ENV, drivers); the harness sets the port, database and public URL. */
  env?: Record<string, string>;
  /** `NEXUS_SEED_DEMO`: create the demo business on start (the server then prints its banner). */
  seedDemo?: boolean;
}

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/nexus.js <argv>` (what `npm run nexus` runs) with the test runner's environment plus `env`. */
export function runCommand(argv: string[], env: Record<string, string>): Promise<CommandRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'nexus.js'), ...argv],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, NODE_ENV: '', DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr }),
    );
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ServerDatabase {
  /** `NEXUS_DATA_DIR` and `DATABASE_URL` for a process that uses it. */
  env: Record<string, string>;
  databaseUrl: string | null;
  dataDir: string;
  remove(): Promise<void>;
}

/** A data directory (uploads; the embedded database) and a database with reference data and no business. */
export async function freshDatabase(): Promise<ServerDatabase> {
  const template = inject('serverTemplate');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-server-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (template.kind === 'pglite') {
    fs.cpSync(path.join(template.dataDir, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
    return {
      env: { NEXUS_DATA_DIR: dataDir, DATABASE_URL: '' },
      databaseUrl: null,
      dataDir,
      remove: async () => removeDir(),
    };
  }
  const name = `${template.template}_s${randomString(8).toLowerCase()}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: template.adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}" template "${template.template}"`);
  const url = new URL(template.adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), NEXUS_DATA_DIR: dataDir },
    databaseUrl: url.toString(),
    dataDir,
    remove: async () => {
      removeDir();
      await admin(`drop database if exists "${name}" with (force)`);
    },
  };
}

function bannerValue(stdout: string, label: string): string | undefined {
  return stdout.match(new RegExp(`^ {2}${label}\\s{2,}(.+)$`, 'm'))?.[1]?.trim();
}

function parseBanner(stdout: string): BannerDemo | null {
  const apiKey = bannerValue(stdout, 'Business API key');
  if (!apiKey) return null;
  const store = bannerValue(stdout, 'Store')?.match(/^id (\d+), unique_id (\S+)$/);
  const owner = bannerValue(stdout, 'Owner login')?.match(/^(\S+) \/ (\S+)/);
  return {
    business_unique_id: bannerValue(stdout, 'Business')?.match(/b_uid (\w+)/)?.[1] ?? '',
    api_key: apiKey,
    owner_email: owner?.[1] ?? '',
    owner_password: owner?.[2] ?? null,
    store_id: Number(store?.[1]),
    store_unique_id: store?.[2] ?? '',
    storefront_api_key: bannerValue(stdout, 'Storefront key') ?? '',
    allowed_origin: bannerValue(stdout, 'Allowed origin') ?? '',
  };
}

/** `fetch` with a deadline, answering the fields tests read. */
export async function sendTo(
  base: string,
  method: string,
  pathOrUrl: string,
  options: SendOptions = {},
): Promise<SocketResponse> {
  const url = new URL(pathOrUrl, base);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, String(value));
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | Blob | undefined;
  if (Buffer.isBuffer(options.body)) body = new Blob([new Uint8Array(options.body)]);
  else if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const response = await fetch(url, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw new Error(`${method} ${url.pathname} got no answer within ${timeoutMs} ms: ${String(error)}`);
  });
  const rawPayload = Buffer.from(await response.arrayBuffer());
  const text = rawPayload.toString('utf8');
  return {
    statusCode: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: text,
    rawPayload,
    json: () => JSON.parse(text),
  };
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const READY = '"msg":"Nexus is ready"';

/**
 * `node bin/start.js`, as `npm start` runs it, with the test runner's environment minus its own
 * database and Redis settings, plus `env`; its output is collected.
 */
export function spawnNexus(env: Record<string, string>): {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
} {
  const child = spawn(process.execPath, ['bin/start.js'], {
    cwd: REPO_ROOT,
    // NEXUS_LOG_FORMAT unset: on a pipe the server chooses JSON itself, which the suites parse.
    env: {
      ...process.env,
      NODE_ENV: '',
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'info',
      NEXUS_LOG_FORMAT: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test run that ends early (a crash, a killed runner) must not leave servers behind.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return { child, output: () => ({ stdout, stderr }) };
}

/**
 * Starts `node bin/start.js` on a fresh database and waits until it logs "Nexus is ready" (or
 * exits: then `child.exitCode` is set and the caller reads `stderr()`).
 */
export async function startServer(options: StartOptions = {}): Promise<StartedServer> {
  const database = await freshDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output } = spawnNexus({
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXUS_PUBLIC_URL: url,
    NEXUS_REDIS_PREFIX: `nexus-test-server:${randomString(8)}:`,
    NEXUS_STORAGE_DIR: '',
    // Unset: the server's own default (the embedded first start seeds it; PostgreSQL does not).
    NEXUS_SEED_DEMO: options.seedDemo === undefined ? '' : String(options.seedDemo),
    ...database.env,
    ...(options.env ?? {}),
  });
  const stdout = () => output().stdout;
  const stderr = () => output().stderr;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!stdout().includes(READY) && child.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!stdout().includes(READY) && child.exitCode === null) {
    child.kill('SIGKILL');
    await database.remove();
    throw new Error(`the server did not start within ${START_TIMEOUT_MS} ms\n${stdout()}\n${stderr()}`);
  }
  if (child.exitCode !== null) await database.remove();
  const command = (argv: string[], env: Record<string, string> = {}) =>
    runCommand(argv, { ...database.env, NEXUS_PUBLIC_URL: url, ...(options.env ?? {}), ...env });
  let demo = parseBanner(stdout());
  if (!demo && options.seedDemo && database.databaseUrl && child.exitCode === null) {
    const seeded = await command(['seed', 'demo', '--json']);
    if (seeded.code !== 0) throw new Error(`nexus seed demo failed beside the server: ${seeded.stderr}`);
    demo = JSON.parse(seeded.stdout) as BannerDemo;
  }
  let stopped: Promise<number | null> | undefined;
  let removed: Promise<void> | undefined;
  const removeDatabase = () => {
    removed ??= database.remove();
    return removed;
  };
  return {
    url,
    demo,
    databaseUrl: database.databaseUrl,
    dataDir: database.dataDir,
    command,
    child,
    stdout,
    stderr,
    logs: () =>
      stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    send: (method, pathOrUrl, sendOptions) => sendTo(url, method, pathOrUrl, sendOptions),
    stop: (stopOptions = {}) => {
      stopped ??= (async () => {
        child.kill('SIGTERM');
        const code = await exited(child, STOP_TIMEOUT_MS);
        if (code === 'timeout') child.kill('SIGKILL');
        if (!stopOptions.keepDatabase) await removeDatabase();
        if (code === 'timeout') throw new Error(`the server ignored SIGTERM for ${STOP_TIMEOUT_MS} ms`);
        return code;
      })();
      return stopped;
    },
    query: (text) => queryDatabase(database, text),
    removeDatabase,
  };
}

async function queryDatabase(
  database: ServerDatabase,
  text: string,
): Promise<Array<Record<string, unknown>>> {
  if (database.databaseUrl) {
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  }
  // A child process: PGlite keeps handles open after closing an on-disk database.
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    path.join(REPO_ROOT, 'test', 'fixtures', 'query-data-dir.ts'),
    database.dataDir,
    text,
  ]);
  return JSON.parse(stdout);
}

/** After a suite: the server still answers `/healthz` within one second. */
export async function expectResponsive(server: StartedServer): Promise<void> {
  const health = await server.send('GET', '/healthz', { timeoutMs: 1000 });
  expect(health.statusCode).toBe(200);
}
