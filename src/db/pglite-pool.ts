import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite is one in-process PostgreSQL session. Kysely's PostgreSQL dialect expects a `pg`-style
 * pool, so this adapter hands out that single session to one borrower at a time: a transaction
 * holds it from BEGIN to COMMIT and other queries wait, exactly as they would for a pool of size one.
 * The server's socket (`pglite-socket.ts`) borrows the same session through {@link PGlitePool.lease}
 * for each transaction of a `nexus` command, so the server's queries and every socket client take
 * turns on one queue and never land inside each other's transactions.
 */
export interface PgLikeClient {
  query(
    sql: string,
    params: readonly unknown[],
  ): Promise<{ command?: string; rowCount?: number; rows: unknown[] }>;
  release(destroy?: boolean): void;
}

/** The session lent whole: PostgreSQL wire-protocol messages in, the backend's answer out. */
export interface PGliteLease {
  exec(messages: Uint8Array): Promise<Uint8Array>;
  release(): void;
}

/** A borrower waiting longer than this almost certainly used `db` inside a transaction on `trx`. */
const ACQUIRE_TIMEOUT_MS = 60_000;

export class PGlitePool {
  private busy = false;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly pglite: PGlite) {}

  async connect(): Promise<PgLikeClient> {
    await this.acquire();
    let released = false;
    return {
      query: async (sql, params) => {
        const result = await this.pglite.query(sql, params as unknown[]);
        const { command, rowCount } = result as { command?: string; rowCount?: number };
        return { command, rowCount: rowCount ?? result.affectedRows, rows: result.rows };
      },
      release: () => {
        if (released) return;
        released = true;
        this.releaseNext();
      },
    };
  }

  /** Waits its turn like {@link connect}, then lends the raw session until `release`. */
  async lease(): Promise<PGliteLease> {
    await this.acquire();
    let released = false;
    return {
      exec: (messages) => {
        if (released) throw new Error('the embedded database lease was already released');
        return this.pglite.execProtocolRaw(messages);
      },
      release: () => {
        if (released) return;
        released = true;
        this.releaseNext();
      },
    };
  }

  async end(): Promise<void> {
    await this.pglite.close();
  }

  private acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error('Timed out waiting for the embedded database connection'));
      }, ACQUIRE_TIMEOUT_MS);
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(grant);
    });
  }

  private releaseNext(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.busy = false;
  }
}
