import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { deleteInBatches } from '../../db/batches.ts';
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';

/**
 * `Idempotency-Key` support (beyond the contract), with the semantics Stripe and Spree use:
 *
 * - The first request with a key claims it (a `pending` row with a random claim token) and runs.
 *   The work's own transaction stores the answer as its last statement (`claim.complete`), so the
 *   answer commits with the order or not at all: a crash after the commit still leaves the answer,
 *   and a retry replays it instead of creating a second order. Work that does not call `complete`
 *   has its answer stored right after it returns.
 * - A 4xx thrown as an `ApiError` is stored and re-thrown (nothing was committed). 5xx answers and
 *   unexpected exceptions are not stored: the claim is released so the client can retry.
 * - A retry with the same key and the same request (fingerprint) gets the stored answer with
 *   `replayed: true`; the route sends it with `Idempotent-Replayed: true`.
 * - The same key with a different request is a 422 on `Idempotency-Key`.
 * - A retry that arrives while the first is still running waits for it (polling the stored row,
 *   up to `waitMs`, 5 s by default) and then replays its answer; if the first is still running
 *   after that, the retry gets 409 `state_conflict`.
 * - A claim left `pending` for over a minute (its process died) is taken over, but never while a
 *   transaction holds its row (one that may still commit: the take-over skips locked rows), and a
 *   take-over changes the claim token, so the first request's transaction can no longer store its
 *   answer and rolls back (409). Either the first request commits or the retry does, never both.
 * - Keys are remembered for `ttlMs` (24 hours by default, `NEXUS_RETENTION_IDEMPOTENCY_HOURS`);
 *   after that the key may be reused, and retention deletes the row with the answer it kept.
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
  /** How long a key is remembered (default 24 hours). */
  ttlMs?: number;
}

export interface IdempotentResult {
  status: number;
  body: unknown;
  /** True when this is a stored answer to an earlier request (set `Idempotent-Replayed: true`). */
  replayed: boolean;
}

/** What the work holds while it runs: the way to store its answer inside its own transaction. */
export interface IdempotencyClaim {
  /**
   * Stores the answer in `trx`, the transaction doing the work, as its last statement. Throws a
   * 409 (rolling the work back) when a retry took the claim over meanwhile.
   */
  complete(trx: Db, status: number, body: unknown): Promise<void>;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const DEFAULT_WAIT_MS = 5_000;
const POLL_MS = 50;
const STALE_PENDING_MS = 60_000;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

interface Held {
  id: number;
  token: string;
}

export async function withIdempotency(
  db: Db,
  options: IdempotencyOptions,
  run: (claim: IdempotencyClaim) => Promise<{ status: number; body: unknown }>,
): Promise<IdempotentResult> {
  if (!IDEMPOTENCY_KEY_PATTERN.test(options.key))
    throw errors.invalidField('Idempotency-Key', 'must be 1 to 255 visible ASCII characters');
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
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
      age > ttlMs ? 'expired' : row.state === 'pending' && age > STALE_PENDING_MS ? 'abandoned' : null;
    if (stale) {
      const taken = await takeOver(db, row.id, stale, options.fingerprint, ttlMs);
      if (taken) return execute(db, taken, run);
    }
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

/** Retention: deletes keys claimed before `before` (and the answers they keep), in batches. */
export function purgeIdempotencyKeys(db: Db, before: Date): Promise<number> {
  return deleteInBatches(async (limit) => {
    const result = await db
      .deleteFrom('idempotency_keys')
      .where(
        'id',
        'in',
        db
          .selectFrom('idempotency_keys')
          .select('id')
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

async function claim(db: Db, options: IdempotencyOptions): Promise<Held | null> {
  const token = randomUUID();
  const row = await db
    .insertInto('idempotency_keys')
    .values({
      business_id: options.businessId ?? null,
      scope: options.scope,
      key: options.key,
      fingerprint: options.fingerprint,
      state: 'pending',
      claim_token: token,
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? { id: row.id, token } : null;
}

/**
 * Re-claims an expired key or an abandoned pending claim under a new token. The age test is
 * repeated against the database clock, so of several waiters only the first succeeds (it resets
 * `created_at`), and a row locked by a transaction storing its answer is skipped, not waited for.
 */
async function takeOver(
  db: Db,
  id: number,
  reason: 'expired' | 'abandoned',
  fingerprint: string,
  ttlMs: number,
): Promise<Held | null> {
  const token = randomUUID();
  const condition =
    reason === 'expired'
      ? sql`created_at < now() - make_interval(secs => ${ttlMs / 1000})`
      : sql`state = 'pending' and created_at < now() - make_interval(secs => ${STALE_PENDING_MS / 1000})`;
  const result = await sql<{ id: number }>`
    update idempotency_keys set
      fingerprint = ${fingerprint}, state = 'pending', claim_token = ${token},
      response_status = null, response_body = null, created_at = now(), completed_at = null
    where id = (select id from idempotency_keys where id = ${id} and ${condition} for update skip locked)
    returning id
  `.execute(db);
  return result.rows.length > 0 ? { id, token } : null;
}

async function execute(
  db: Db,
  held: Held,
  run: (claim: IdempotencyClaim) => Promise<{ status: number; body: unknown }>,
): Promise<IdempotentResult> {
  let storedInWork = false;
  const claim: IdempotencyClaim = {
    complete: async (trx, status, body) => {
      if (!(await store(trx, held, status, body)))
        throw errors.conflict('A retry of this request took over its Idempotency-Key; its answer counts');
      storedInWork = true;
    },
  };
  let result: { status: number; body: unknown };
  try {
    result = await run(claim);
  } catch (error) {
    // Fenced by the claim token and `pending`: an answer the work's transaction committed stays.
    if (error instanceof ApiError && error.statusCode < 500)
      await store(db, held, error.statusCode, error.toBody());
    else await release(db, held);
    throw error;
  }
  if (result.status >= 500) await release(db, held);
  else if (!storedInWork) await store(db, held, result.status, result.body);
  return { ...result, replayed: false };
}

/** Completes our claim; false when it is no longer ours (taken over) or no longer pending. */
async function store(db: Db, held: Held, status: number, body: unknown): Promise<boolean> {
  const row = await db
    .updateTable('idempotency_keys')
    .set({
      state: 'completed',
      response_status: status,
      response_body: JSON.stringify(body ?? null),
      completed_at: new Date(),
    })
    .where('id', '=', held.id)
    .where('claim_token', '=', held.token)
    .where('state', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

async function release(db: Db, held: Held): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('id', '=', held.id)
    .where('claim_token', '=', held.token)
    .where('state', '=', 'pending')
    .execute();
}
