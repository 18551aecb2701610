import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlitePool } from '../../src/db/pglite-pool.ts';
import { type PGliteSocketServer, SOCKET_FILE, servePGlite } from '../../src/db/pglite-socket.ts';

/**
 * The server's socket for `nexus` commands (src/db/pglite-socket.ts): PostgreSQL clients share the
 * one PGlite session with the server's own queries, a whole transaction at a time.
 */

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-socket-'));
let pool: PGlitePool;
let server: PGliteSocketServer;
const IDLE_MS = 1_500;

beforeAll(async () => {
  pool = new PGlitePool(await PGlite.create());
  server = await servePGlite(pool, root, { idleInTransactionMs: IDLE_MS });
  await serverQuery('create table marks (id serial primary key, label text not null)');
}, 60_000);

afterAll(async () => {
  await server.close();
  await pool.end();
  fs.rmSync(root, { recursive: true, force: true });
});

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ host: server.directory, port: 5432, user: 'nexus', database: 'nexus' });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A query of the server's own, through the pool its Kysely instance uses. */
async function serverQuery(text: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = await pool.connect();
  try {
    return (await client.query(text, params)).rows as Array<Record<string, unknown>>;
  } finally {
    client.release();
  }
}

const count = async (label: string) =>
  Number((await serverQuery('select count(*)::int as n from marks where label = $1', [label]))[0]?.n);

/** Whether `promise` has settled after `ms` (without waiting for it beyond that). */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}

describe('the embedded database socket', () => {
  it('lives in a private directory: the socket 0600, its directory 0700', () => {
    expect(server.path).toBe(path.join(root, 'socket', SOCKET_FILE));
    expect(fs.statSync(server.path).isSocket()).toBe(true);
    expect(fs.statSync(server.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(server.directory).mode & 0o777).toBe(0o700);
  });

  it('answers simple and parameterised queries and errors like PostgreSQL', async () => {
    const client = await connect();
    try {
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      const typed = await client.query('select $1::int8 as big, $2::text as word', [
        '9007199254740993',
        'ok',
      ]);
      expect(typed.rows).toEqual([{ big: '9007199254740993', word: 'ok' }]);
      await expect(client.query('select * from no_such_table')).rejects.toMatchObject({ code: '42P01' });
      await expect(client.query('select $1::int', ['x'])).rejects.toMatchObject({ code: '22P02' });
      expect((await client.query('select $1::text as after', ['still fine'])).rows).toEqual([
        { after: 'still fine' },
      ]);
    } finally {
      await client.end();
    }
  });

  it("holds the session for a client's whole transaction: the server's queries wait for its COMMIT", async () => {
    const client = await connect();
    try {
      await client.query('begin');
      await client.query("insert into marks (label) values ('tx')");
      const read = serverQuery("select count(*)::int as n from marks where label = 'tx'");
      // Inside the client's transaction the server's query would see (and could commit) its row.
      expect(await settledWithin(read, 300)).toBe(false);
      await client.query("insert into marks (label) values ('tx')");
      await client.query('commit');
      expect(await read).toEqual([{ n: 2 }]);
    } finally {
      await client.end();
    }
  });

  it('never lets two clients into one transaction, and serves them in turn between transactions', async () => {
    const [a, b] = [await connect(), await connect()];
    try {
      await a.query('begin');
      await a.query("insert into marks (label) values ('turns')");
      const fromB = b.query("select count(*)::int as n from marks where label = 'turns'");
      expect(await settledWithin(fromB, 300)).toBe(false);
      await a.query('rollback');
      expect((await fromB).rows).toEqual([{ n: 0 }]);
      // Outside transactions the two alternate freely.
      const both = await Promise.all([
        a.query('select 1 as a'),
        b.query('select 2 as b'),
        a.query('select 3 as c'),
      ]);
      expect(both.map((result) => result.rows[0])).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('rolls back the open transaction of a client that goes away, however it leaves', async () => {
    const polite = await connect();
    await polite.query('begin');
    await polite.query("insert into marks (label) values ('left')");
    await polite.end();
    expect(await count('left')).toBe(0);

    const abrupt = await connect();
    await abrupt.query('begin');
    await abrupt.query("insert into marks (label) values ('cut')");
    (abrupt as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect(await count('cut')).toBe(0);
  });

  it('rolls back and disconnects a client idle inside a transaction, so the server is not held up', async () => {
    const client = await connect();
    const ended = new Promise<Error>((resolve) => client.on('error', resolve));
    await client.query('begin');
    await client.query("insert into marks (label) values ('idle')");
    const started = Date.now();
    expect(await count('idle')).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 200);
    expect(await ended).toMatchObject({ code: '25P03' });
    await expect(client.query('select 1')).rejects.toThrow();
  });

  it('discards what a client set on the shared session when it leaves', async () => {
    const client = await connect();
    await client.query("set statement_timeout = '1234ms'");
    await client.query('prepare mine as select 1');
    await client.end();
    expect(await serverQuery('show statement_timeout')).toEqual([{ statement_timeout: '0' }]);
    expect(await serverQuery('select count(*)::int as n from pg_prepared_statements')).toEqual([{ n: 0 }]);
  });

  it('refuses COPY … FROM STDIN, which would stop the embedded database, and carries on', async () => {
    const client = await connect();
    try {
      await expect(client.query('copy marks (label) from stdin')).rejects.toMatchObject({ code: '0A000' });
      await expect(client.query('copy marks (label) from stdin where $1', [1])).rejects.toMatchObject({
        code: '0A000',
      });
      await client.query('begin');
      await expect(client.query('COPY marks FROM STDIN')).rejects.toMatchObject({ code: '0A000' });
      await client.query("insert into marks (label) values ('after copy')");
      await client.query('commit');
      expect(await count('after copy')).toBe(1);
      const out = await client.query('copy (select 1) to stdout');
      expect(out.command).toBe('COPY');
    } finally {
      await client.end();
    }
    expect(await serverQuery('select 1 as alive')).toEqual([{ alive: 1 }]);
  });

  it('ends its clients and removes the socket when closed; a long data path gets a socket elsewhere', async () => {
    const longDir = path.join(root, 'x'.repeat(60), 'y'.repeat(40));
    fs.mkdirSync(longDir, { recursive: true });
    const second = await servePGlite(pool, longDir);
    expect(second.path.startsWith(path.join(os.tmpdir(), 'nexus-db-'))).toBe(true);
    expect(fs.statSync(second.directory).mode & 0o777).toBe(0o700);

    const client = new pg.Client({ host: second.directory, port: 5432, user: 'nexus', database: 'nexus' });
    const ended = new Promise<Error>((resolve) => client.on('error', resolve));
    await client.connect();
    await client.query('begin');
    await client.query("insert into marks (label) values ('closing')");
    await second.close();
    expect(await ended).toMatchObject({ code: '57P01' });
    expect(fs.existsSync(second.directory)).toBe(false);
    expect(await count('closing')).toBe(0);
  });
});
