import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { PGliteLease, PGlitePool } from './pglite-pool.ts';

/**
 * The server's embedded database, served to `nexus` commands on a Unix domain socket while the
 * server runs (PGlite's files admit one process; see `data-dir-lock.ts`). A small PostgreSQL
 * wire-protocol server of our own over PGlite's `execProtocolRaw`, because
 * `@electric-sql/pglite-socket` pins an exact PGlite version (0.5.15 in its newest release, against
 * our 0.5.16) and seven extension packages as peer dependencies, which would install a second PGlite.
 *
 * Concurrency: PGlite is one PostgreSQL session. Every socket client borrows it through the same
 * {@link PGlitePool} queue as the server's own queries, from its first message until the backend
 * reports itself idle again (ReadyForQuery `I`) after a complete message cycle (a simple Query, or
 * extended-protocol messages up to their Sync). A client's transaction therefore holds the session
 * from BEGIN to COMMIT, and nothing else (the server's requests, its worker, other clients) runs
 * inside it; between transactions everyone takes turns in arrival order. A client idle inside a
 * transaction for {@link IDLE_IN_TRANSACTION_MS} is rolled back and disconnected (as PostgreSQL's
 * `idle_in_transaction_session_timeout`), so a stopped or forgotten command cannot stall the server.
 * When a client leaves, its open transaction is rolled back and `DISCARD ALL` clears what it may
 * have left on the shared session (settings, prepared statements, temporary tables, advisory locks).
 *
 * Security: the socket is never on TCP. It lives in a directory of its own with mode 0700 (the
 * socket file itself 0600), so only the account running the server can connect; like PostgreSQL's
 * `trust`/`peer` on local sockets, no password is asked. `COPY … FROM STDIN` is refused: PGlite's
 * single-user backend would read past the end of its input and stop the whole database.
 */

/** The name PostgreSQL clients look for in a socket directory (`host=<dir>`, port 5432). */
export const SOCKET_FILE = '.s.PGSQL.5432';
/** Under `NEXUS_DATA_DIR`. */
export const SOCKET_DIR = 'socket';
/** `sun_path` holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 103;
export const IDLE_IN_TRANSACTION_MS = 15_000;
const MAX_SESSIONS = 32;

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** A startup packet is small; anything larger is not a PostgreSQL client. */
const MAX_STARTUP_BYTES = 10_000;

export interface PGliteSocketServer {
  /** The socket file (`<directory>/.s.PGSQL.5432`). */
  path: string;
  /** What `pg` and `psql` take as `host`. */
  directory: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  idleInTransactionMs?: number;
  /** Where a session's unexpected failure is reported (the server's logger). */
  onError?: (error: unknown) => void;
}

// ---- wire format -----------------------------------------------------------------------------

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

const authenticationOk = () => message('R', int32(0));
const parameterStatus = (name: string, value: string) =>
  message('S', Buffer.concat([cstring(name), cstring(value)]));
const readyForQuery = (status: string) => message('Z', Buffer.from(status, 'latin1'));
const sync = () => message('S', Buffer.alloc(0));
const simpleQuery = (text: string) => message('Q', cstring(text));

function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  const fields = [`S${severity}`, `V${severity}`, `C${code}`, `M${text}`].map(cstring);
  return message('E', Buffer.concat([...fields, Buffer.from([0])]));
}

interface Frame {
  type: string;
  bytes: Buffer;
}

/** Splits complete messages off the front of `buffer`; the rest waits for more bytes. */
function takeFrames(buffer: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let offset = 0;
  while (buffer.length - offset >= 5) {
    const length = buffer.readInt32BE(offset + 1);
    if (length < 4) throw new Error('malformed message length');
    if (buffer.length - offset < 1 + length) break;
    frames.push({
      type: String.fromCharCode(buffer[offset] as number),
      bytes: buffer.subarray(offset, offset + 1 + length),
    });
    offset += 1 + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/** The transaction status of the backend's last ReadyForQuery in `output`, if it sent one. */
function lastReadyStatus(output: Uint8Array): string | undefined {
  let status: string | undefined;
  const view = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  let offset = 0;
  while (view.length - offset >= 5) {
    const length = view.readInt32BE(offset + 1);
    if (view[offset] === 0x5a /* Z */ && length === 5)
      status = String.fromCharCode(view[offset + 5] as number);
    offset += 1 + length;
  }
  return status;
}

/** SQL text of a Query or Parse message (Parse: name, then the statement). */
function statementText(frame: Frame): string {
  const body = frame.bytes.subarray(5);
  if (frame.type === 'Q') return body.toString('utf8');
  const nameEnd = body.indexOf(0);
  const textEnd = body.indexOf(0, nameEnd + 1);
  return body.subarray(nameEnd + 1, textEnd < 0 ? body.length : textEnd).toString('utf8');
}

/** Errs on the side of refusing: any statement naming both `copy` and `stdin`. */
function readsCopyFromClient(frame: Frame): boolean {
  if (frame.type !== 'Q' && frame.type !== 'P') return false;
  const text = statementText(frame);
  return /\bcopy\b/i.test(text) && /\bstdin\b/i.test(text);
}

/** Extended-protocol messages open a cycle that only Sync closes. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H']);

// ---- one client --------------------------------------------------------------------------------

interface Shared {
  pool: PGlitePool;
  greeting: Buffer;
  idleInTransactionMs: number;
  onError: (error: unknown) => void;
}

class Session {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private lease: PGliteLease | undefined;
  private status = 'I';
  /** Extended-protocol messages were forwarded since the last Sync. */
  private midCycle = false;
  /** After a refused Parse: the client's messages are dropped up to its Sync, as PostgreSQL does. */
  private discarding = false;
  /** Anything reached the backend, so the session may hold state worth discarding. */
  private used = false;
  private closed = false;
  private ended = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Work runs one step at a time, in order: reading, forwarding, timing out, cleaning up. */
  private queue: Promise<void> = Promise.resolve();
  readonly finished: Promise<void>;
  private finish: () => void = () => {};

  constructor(
    private readonly socket: net.Socket,
    private readonly shared: Shared,
  ) {
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.clearIdleTimer();
      this.schedule(() => this.drain());
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.schedule(() => this.end()));
  }

  /** Ends the session from the server's side (shutdown): the client is told why. */
  terminate(code: string, text: string): Promise<void> {
    this.schedule(async () => {
      if (this.ended) return;
      this.socket.end(errorResponse('FATAL', code, text));
      await this.end();
    });
    return this.finished;
  }

  private schedule(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch(async (error: unknown) => {
      this.shared.onError(error);
      this.socket.destroy();
      await this.end().catch(this.shared.onError);
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      if (!this.started) {
        if (!this.startup()) return;
        continue;
      }
      const { frames, rest } = takeFrames(this.buffer);
      this.buffer = rest;
      if (frames.length === 0) break;
      await this.handle(frames);
    }
    if (this.lease && !this.closed) this.armIdleTimer();
  }

  /** The startup exchange; false while its bytes have not all arrived. */
  private startup(): boolean {
    if (this.buffer.length < 8) return false;
    const length = this.buffer.readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_BYTES) {
      this.refuse('08P01', 'invalid startup packet');
      return false;
    }
    if (this.buffer.length < length) return false;
    const code = this.buffer.readInt32BE(4);
    this.buffer = this.buffer.subarray(length);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      // Nothing to encrypt on a local socket: "N", and the client goes on without it.
      this.socket.write('N');
    } else if (code === PROTOCOL_3) {
      this.started = true;
      this.socket.write(this.shared.greeting);
    } else if (code === CANCEL_REQUEST) {
      this.socket.end();
      this.closed = true;
    } else {
      this.refuse('0A000', 'unsupported frontend protocol');
    }
    return !this.closed;
  }

  private refuse(code: string, text: string): void {
    this.closed = true;
    this.socket.end(errorResponse('FATAL', code, text));
  }

  private async handle(frames: Frame[]): Promise<void> {
    let batch: Frame[] = [];
    for (const frame of frames) {
      if (this.discarding) {
        if (frame.type !== 'S') continue;
        this.discarding = false;
      }
      if (frame.type === 'X') {
        await this.forward(batch);
        this.socket.end();
        await this.end();
        return;
      }
      if (readsCopyFromClient(frame)) {
        await this.forward(batch);
        batch = [];
        this.socket.write(
          errorResponse(
            'ERROR',
            '0A000',
            'COPY … FROM STDIN is not available on the embedded database socket; insert the rows instead',
          ),
        );
        // A refused Query still ends in ReadyForQuery; a refused Parse skips to the client's Sync.
        // The backend answers a Sync of its own with its real transaction status.
        if (frame.type === 'Q') await this.forward([{ type: 'S', bytes: sync() }]);
        else this.discarding = true;
        continue;
      }
      batch.push(frame);
    }
    await this.forward(batch);
  }

  private async forward(frames: Frame[]): Promise<void> {
    if (frames.length === 0 || this.closed) return;
    this.lease ??= await this.shared.pool.lease();
    this.used = true;
    const output = await this.lease.exec(Buffer.concat(frames.map((frame) => frame.bytes)));
    for (const frame of frames) {
      if (frame.type === 'S') this.midCycle = false;
      else if (EXTENDED.has(frame.type)) this.midCycle = true;
    }
    this.status = lastReadyStatus(output) ?? this.status;
    if (output.length > 0 && !this.socket.destroyed) this.socket.write(output);
    if (this.status === 'I' && !this.midCycle) this.releaseLease();
  }

  private releaseLease(): void {
    this.clearIdleTimer();
    this.lease?.release();
    this.lease = undefined;
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.schedule(async () => {
        if (this.closed || !this.lease) return;
        this.socket.end(
          errorResponse(
            'FATAL',
            '25P03',
            'terminating connection due to idle-in-transaction timeout: the Nexus server shares this ' +
              `database and waits for no client longer than ${this.shared.idleInTransactionMs / 1000} s`,
          ),
        );
        await this.end();
      });
    }, this.shared.idleInTransactionMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Leaves the shared session as the client found it, then lets the next borrower in. */
  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.closed = true;
    this.clearIdleTimer();
    try {
      if (this.used) {
        this.lease ??= await this.shared.pool.lease();
        if (this.midCycle) this.status = lastReadyStatus(await this.lease.exec(sync())) ?? this.status;
        if (this.status !== 'I') await this.lease.exec(simpleQuery('ROLLBACK'));
        await this.lease.exec(simpleQuery('DISCARD ALL'));
        this.used = false;
      }
    } finally {
      this.releaseLease();
      this.finish();
    }
  }
}

// ---- the server --------------------------------------------------------------------------------

/** What PostgreSQL reports at connection start; clients (psql, drivers) read some of these. */
const REPORTED_SETTINGS = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'DateStyle',
  'IntervalStyle',
  'TimeZone',
  'integer_datetimes',
  'standard_conforming_strings',
  'is_superuser',
  'application_name',
];

async function greeting(pool: PGlitePool): Promise<Buffer> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query(
      'select name, current_setting(name) as value from unnest($1::text[]) as name',
      [REPORTED_SETTINGS],
    );
    return Buffer.concat([
      authenticationOk(),
      ...(rows as Array<{ name: string; value: string }>).map((row) => parameterStatus(row.name, row.value)),
      // No cancellation on this socket: the key only satisfies clients that expect one.
      message('K', Buffer.concat([int32(process.pid), int32(randomInt(2 ** 31))])),
      readyForQuery('I'),
    ]);
  } finally {
    client.release();
  }
}

/**
 * A private directory for the socket: `<dataDir>/socket`, or one under the system's temporary
 * directory when that path would be too long for a socket address.
 */
function socketDirectory(dataDir: string): { directory: string; temporary: boolean } {
  const directory = path.join(path.resolve(dataDir), SOCKET_DIR);
  if (Buffer.byteLength(path.join(directory, SOCKET_FILE)) <= MAX_SOCKET_PATH_BYTES) {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(directory);
    if (!stat.isDirectory()) throw new Error(`${directory} is not a directory`);
    if (process.getuid && stat.uid !== process.getuid()) {
      throw new Error(`${directory} belongs to another user; remove it so the server can create its own`);
    }
    fs.chmodSync(directory, 0o700);
    return { directory, temporary: false };
  }
  return { directory: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-db-')), temporary: true };
}

/** Serves `pool`'s database on a socket in `dataDir` (see the top of this file). */
export async function servePGlite(
  pool: PGlitePool,
  dataDir: string,
  options: ServeOptions = {},
): Promise<PGliteSocketServer> {
  const shared: Shared = {
    pool,
    greeting: await greeting(pool),
    idleInTransactionMs: options.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS,
    onError: options.onError ?? (() => {}),
  };
  const { directory, temporary } = socketDirectory(dataDir);
  const socketPath = path.join(directory, SOCKET_FILE);
  // Left by a server that crashed: the data-directory lock this server holds says none is running.
  fs.rmSync(socketPath, { force: true });

  const sessions = new Set<Session>();
  const server = net.createServer((socket) => {
    if (sessions.size >= MAX_SESSIONS) {
      socket.end(errorResponse('FATAL', '53300', 'sorry, too many clients already'));
      return;
    }
    const session = new Session(socket, shared);
    sessions.add(session);
    void session.finished.then(() => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, 0o600);

  let closing: Promise<void> | undefined;
  return {
    path: socketPath,
    directory,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all(
          [...sessions].map((session) => session.terminate('57P01', 'the Nexus server is shutting down')),
        );
        await stopped;
        fs.rmSync(temporary ? directory : socketPath, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
