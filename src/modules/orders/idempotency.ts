import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';

/**
 * `Idempotency-Key` support (beyond the contract), with the semantics Stripe and Spree use:
 *
 * - The first request with a key runs; its answer is stored when it is 2xx or 4xx (a 4xx thrown as
 *   an `ApiError` is stored and re-thrown). 5xx answers and unexpected exceptions are not stored:
 *   the key is released so the client can retry.
 * - A retry with the same key and the same request (fingerprint) gets the stored answer with
 *   `replayed: true`; the route sends it with `Idempotent-Replayed: true`.
 * - The same key with a different request is a 422 on `Idempotency-Key`.
 * - A retry that arrives while the first is still running waits for it (polling the stored row,
 *   up to `waitMs`, 5 s by default) and then replays its answer; if the first is still running
 *   after that, the retry gets 409 `state_conflict`. The unique (scope, key) row claimed before the
 *   work starts is what guarantees the work runs once, across processes.
 * - A claim left `pending` for over a minute (its process died) is taken over; keys expire after
 *   24 hours, after which the key may be reused for a new request.
 */
export interface IdempotencyOptions {
  /** Who may replay: credential kind + credential id + tenant, e.g. `storefront:<key id>:<store id>`. */
  scope: string;
  /** The client's `Idempotency-Key` header value. */
  key: string;
  /** `requestFingerprint(...)` of the request. */
  fingerprint: string;
  businessId?: number | null;
  /** How long a concurrent duplicate waits for the first request (tests shorten it). */
  waitMs?: number;
}

export interface IdempotentResult {
  status: number;
  body: unknown;
  /** True when this is a stored answer to an earlier request (set `Idempotent-Replayed: true`). */
  replayed: boolean;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const DEFAULT_WAIT_MS = 5_000;
const POLL_MS = 50;
const STALE_PENDING_MS = 60_000;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export async function withIdempotency(
  db: Db,
  options: IdempotencyOptions,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<IdempotentResult> {
  if (!IDEMPOTENCY_KEY_PATTERN.test(options.key))
    throw errors.invalidField('Idempotency-Key', 'must be 1 to 255 visible ASCII characters');
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  for (;;) {
    const claimed = await claim(db, options);
    if (claimed !== null) return execute(db, claimed, run);
    const row = await db
      .selectFrom('idempotency_keys')
      .select(['id', 'fingerprint', 'state', 'response_status', 'response_body', 'created_at'])
      .where('scope', '=', options.scope)
      .where('key', '=', options.key)
      .executeTakeFirst();
    // Released (the first attempt failed) between our insert and our read: claim it again.
    if (!row) continue;
    const age = Date.now() - row.created_at.getTime();
    const stale =
      age > IDEMPOTENCY_TTL_MS
        ? 'expired'
        : row.state === 'pending' && age > STALE_PENDING_MS
          ? 'abandoned'
          : null;
    if (stale && (await takeOver(db, row.id, stale, options.fingerprint))) return execute(db, row.id, run);
    if (row.fingerprint !== options.fingerprint)
      throw errors.invalidField('Idempotency-Key', 'was already used for a different request');
    if (row.state === 'completed') {
      return { status: row.response_status!, body: JSON.parse(row.response_body!), replayed: true };
    }
    if (Date.now() >= deadline)
      throw errors.conflict('A request with this Idempotency-Key is still being processed; retry shortly');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** SHA-256 over method, path and the body with its keys sorted (key order does not change a request). */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, item]) => `${JSON.stringify(k)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Deletes expired keys; for the background worker. */
export async function purgeExpiredIdempotencyKeys(db: Db, now: Date = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function claim(db: Db, options: IdempotencyOptions): Promise<number | null> {
  const row = await db
    .insertInto('idempotency_keys')
    .values({
      business_id: options.businessId ?? null,
      scope: options.scope,
      key: options.key,
      fingerprint: options.fingerprint,
      state: 'pending',
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Re-claims an expired key or an abandoned pending claim. The age test is repeated in the UPDATE,
 * against the database clock, so of several waiters only the first succeeds (it resets `created_at`).
 */
async function takeOver(db: Db, id: number, reason: 'expired' | 'abandoned', fingerprint: string) {
  let query = db
    .updateTable('idempotency_keys')
    .set({
      fingerprint,
      state: 'pending',
      response_status: null,
      response_body: null,
      created_at: sql`now()`,
      completed_at: null,
    })
    .where('id', '=', id);
  query =
    reason === 'expired'
      ? query.where('created_at', '<', sql<Date>`now() - make_interval(secs => ${IDEMPOTENCY_TTL_MS / 1000})`)
      : query
          .where('state', '=', 'pending')
          .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${STALE_PENDING_MS / 1000})`);
  return (await query.returning('id').executeTakeFirst()) !== undefined;
}

async function execute(
  db: Db,
  id: number,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<IdempotentResult> {
  let result: { status: number; body: unknown };
  try {
    result = await run();
  } catch (error) {
    if (error instanceof ApiError && error.statusCode < 500) {
      await store(db, id, error.statusCode, error.toBody());
    } else {
      await release(db, id);
    }
    throw error;
  }
  if (result.status >= 500) await release(db, id);
  else await store(db, id, result.status, result.body);
  return { ...result, replayed: false };
}

async function store(db: Db, id: number, status: number, body: unknown): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      state: 'completed',
      response_status: status,
      response_body: JSON.stringify(body ?? null),
      completed_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

async function release(db: Db, id: number): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('id', '=', id).execute();
}
