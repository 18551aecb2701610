import { createHash } from 'node:crypto';
import { type Expression, sql } from 'kysely';
import type pg from 'pg';

/**
 * Named (prepared) statements for a few hot reads on PostgreSQL. Kysely sends every statement
 * unnamed, so PostgreSQL parses and plans it on each execution; for the storefront's listing and
 * page reads that planning cost more than running them (docs/performance.md, issue 12). A read
 * marked with `PREPARED` (`.modifyFront(PREPARED)`) is sent with a name derived from its text, so each
 * connection parses it once and PostgreSQL may keep a generic plan.
 *
 * Only marked reads are named: a prepared statement's parameters are not folded into its plan, so
 * a partial index whose predicate compares with a parameter, or `ON CONFLICT` inferring a partial
 * unique index, behave differently (docs/performance.md). A marked read writes its constant
 * predicates as SQL, not parameters, and names its columns: a `select *` (`selectAll`) held by a
 * connection fails with "cached plan must not change result type" once a migration adds a column
 * while the server runs. PGlite ignores the mark (the comment is just a comment).
 */
const MARK = '/* nexus:prepared */';
export const PREPARED: Expression<unknown> = sql.raw(MARK);
const PREFIX = `select ${MARK}`;

/** Distinct marked texts are few (one per shape of filters); past this, texts go unnamed. */
const MAX_NAMES = 500;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `nexus_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** Makes every client of the pool send marked statements by name. */
export function prepareMarkedStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
      if (typeof text === 'string' && text.startsWith(PREFIX) && Array.isArray(values)) {
        const name = nameOf(text);
        if (name) return query({ name, text, values }, ...rest);
      }
      return query(text, values, ...rest);
    };
  });
}
