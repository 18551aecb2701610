import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import { ApiError, errors } from '../../../src/http/errors.ts';
import { randomString } from '../../../src/lib/ids.ts';
import {
  type IdempotencyClaim,
  requestFingerprint,
  withIdempotency,
} from '../../../src/modules/orders/idempotency.ts';
import { getTestContext } from '../../helpers/app.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setup() {
  const ctx = await getTestContext();
  return { db: ctx.database.db, scope: `storefront:${randomString(12)}:1`, key: randomString(24) };
}

describe('withIdempotency', () => {
  it('runs once and replays the stored answer for the same request', async () => {
    const { db, scope, key } = await setup();
    const fingerprint = requestFingerprint('POST', '/v3/x', { a: 1, b: [1, 2] });
    let runs = 0;
    const run = async () => {
      runs += 1;
      return { status: 200, body: { order_id: `ORDER${runs}`, nested: { z: 1, a: 2 } } };
    };
    const first = await withIdempotency(db, { scope, key, fingerprint }, run);
    const second = await withIdempotency(db, { scope, key, fingerprint }, run);
    expect(first).toEqual({
      status: 200,
      body: { order_id: 'ORDER1', nested: { z: 1, a: 2 } },
      replayed: false,
    });
    expect(second).toEqual({ ...first, replayed: true });
    expect(Object.keys((second.body as { nested: object }).nested)).toEqual(['z', 'a']);
    expect(runs).toBe(1);
  });

  it('keeps keys apart per scope', async () => {
    const { db, scope, key } = await setup();
    const fingerprint = requestFingerprint('POST', '/v3/x', {});
    let runs = 0;
    const run = async () => ({ status: 200, body: { run: ++runs } });
    await withIdempotency(db, { scope, key, fingerprint }, run);
    const elsewhere = await withIdempotency(db, { scope: `${scope}:other`, key, fingerprint }, run);
    expect(elsewhere).toEqual({ status: 200, body: { run: 2 }, replayed: false });
  });

  it('refuses the same key for a different request with 422', async () => {
    const { db, scope, key } = await setup();
    await withIdempotency(
      db,
      { scope, key, fingerprint: requestFingerprint('POST', '/v3/x', { a: 1 }) },
      async () => ({
        status: 200,
        body: {},
      }),
    );
    const error = await withIdempotency(
      db,
      { scope, key, fingerprint: requestFingerprint('POST', '/v3/x', { a: 2 }) },
      async () => ({ status: 200, body: {} }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).statusCode).toBe(422);
    expect((error as ApiError).toBody().errors).toEqual({
      'Idempotency-Key': ['was already used for a different request'],
    });
  });

  it('validates the key itself', async () => {
    const { db, scope } = await setup();
    for (const key of ['', 'a'.repeat(256), 'with space', 'ünïcode']) {
      const error = await withIdempotency(db, { scope, key, fingerprint: 'f' }, async () => ({
        status: 200,
        body: {},
      })).catch((e: unknown) => e);
      expect((error as ApiError).statusCode, key).toBe(422);
      expect(Object.keys((error as ApiError).fieldErrors)).toEqual(['Idempotency-Key']);
    }
  });

  it('stores 4xx errors and replays them; does not store 5xx or crashes', async () => {
    const { db, scope, key } = await setup();
    const fingerprint = requestFingerprint('POST', '/v3/x', {});
    let runs = 0;
    const failing = async (): Promise<{ status: number; body: unknown }> => {
      runs += 1;
      throw errors.conflict('Out of stock: Kaos');
    };
    await expect(withIdempotency(db, { scope, key, fingerprint }, failing)).rejects.toBeInstanceOf(ApiError);
    const replay = await withIdempotency(db, { scope, key, fingerprint }, failing);
    expect(replay).toEqual({
      status: 409,
      body: {
        error: 'Out of stock: Kaos',
        error_code: 'state_conflict',
        message: 'Out of stock: Kaos',
        errors: {},
      },
      replayed: true,
    });
    expect(runs).toBe(1);

    const otherKey = randomString(24);
    await expect(
      withIdempotency(db, { scope, key: otherKey, fingerprint }, async () => {
        throw new Error('database went away');
      }),
    ).rejects.toThrow('database went away');
    const serverError = await withIdempotency(db, { scope, key: otherKey, fingerprint }, async () => ({
      status: 503,
      body: { error: 'unavailable' },
    }));
    expect(serverError.replayed).toBe(false);
    const retried = await withIdempotency(db, { scope, key: otherKey, fingerprint }, async () => ({
      status: 201,
      body: { ok: true },
    }));
    expect(retried).toEqual({ status: 201, body: { ok: true }, replayed: false });
  });

  it('runs concurrent duplicates once; the others wait and replay', async () => {
    const { db, scope, key } = await setup();
    const fingerprint = requestFingerprint('POST', '/v3/checkout', { items: [1] });
    let runs = 0;
    const run = async () => {
      runs += 1;
      await sleep(300);
      return { status: 200, body: { id: 'the-order' } };
    };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => withIdempotency(db, { scope, key, fingerprint }, run)),
    );
    expect(runs).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results.filter((r) => r.replayed)).toHaveLength(7);
    for (const result of results) expect(result.body).toEqual({ id: 'the-order' });
  });

  it('answers 409 when the first request is still running after the wait', async () => {
    const { db, scope, key } = await setup();
    const fingerprint = requestFingerprint('POST', '/v3/checkout', {});
    const slow = withIdempotency(db, { scope, key, fingerprint }, async () => {
      await sleep(600);
      return { status: 200, body: { done: true } };
    });
    await sleep(50);
    const error = await withIdempotency(db, { scope, key, fingerprint, waitMs: 100 }, async () => ({
      status: 200,
      body: {},
    })).catch((e: unknown) => e);
    expect((error as ApiError).statusCode).toBe(409);
    expect((error as ApiError).code).toBe('state_conflict');
    expect((await slow).body).toEqual({ done: true });
  });

  it('takes over abandoned claims and expired keys', async () => {
    const { db, scope, key } = await setup();
    const fingerprint = requestFingerprint('POST', '/v3/checkout', {});
    await db
      .insertInto('idempotency_keys')
      .values({ scope, key, fingerprint, state: 'pending', created_at: new Date(Date.now() - 120_000) })
      .execute();
    const result = await withIdempotency(db, { scope, key, fingerprint }, async () => ({
      status: 200,
      body: { n: 1 },
    }));
    expect(result).toEqual({ status: 200, body: { n: 1 }, replayed: false });

    await db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date(Date.now() - 25 * 3600_000) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    const reused = await withIdempotency(
      db,
      { scope, key, fingerprint: requestFingerprint('POST', '/v3/checkout', { new: true }) },
      async () => ({ status: 200, body: { n: 2 } }),
    );
    expect(reused).toEqual({ status: 200, body: { n: 2 }, replayed: false });
  });
});

describe('withIdempotency and the work its claim guards', () => {
  /** The work of one request: a row written in a transaction that also stores the answer. */
  const work = (db: Db, marker: string, label: string) => async (claim: IdempotencyClaim) =>
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto('jobs')
        .values({ kind: marker, payload: JSON.stringify({ label }), status: 'done' })
        .execute();
      await claim.complete(trx, 201, { order: label });
      return { status: 201, body: { order: label } };
    });

  const written = async (db: Db, marker: string) =>
    (await db.selectFrom('jobs').select('payload').where('kind', '=', marker).execute()).map(
      (row) => (row.payload as { label: string }).label,
    );

  it('lets a retry take over a slow first request, whose transaction then rolls back: one order', async () => {
    const { db, scope, key } = await setup();
    const fingerprint = requestFingerprint('POST', '/v3/checkout', { items: [1] });
    const marker = `idempotency.test.${key}`;
    const first = withIdempotency(db, { scope, key, fingerprint }, async (claim) => {
      // The first request is slow: meanwhile its claim looks abandoned and a retry takes it over.
      await db
        .updateTable('idempotency_keys')
        .set({ created_at: new Date(Date.now() - 120_000) })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .execute();
      const retry = await withIdempotency(db, { scope, key, fingerprint }, work(db, marker, 'retry'));
      expect(retry).toEqual({ status: 201, body: { order: 'retry' }, replayed: false });
      // Only now does the first request's own transaction reach its end.
      return work(db, marker, 'first')(claim);
    });
    const error = await first.catch((e: unknown) => e);
    expect((error as ApiError).statusCode).toBe(409);
    expect(await written(db, marker)).toEqual(['retry']);
    const later = await withIdempotency(db, { scope, key, fingerprint }, work(db, marker, 'third'));
    expect(later).toEqual({ status: 201, body: { order: 'retry' }, replayed: true });
    expect(await written(db, marker)).toEqual(['retry']);
  });

  it('keeps an answer the work committed even when the request fails after the commit', async () => {
    const { db, scope, key } = await setup();
    const fingerprint = requestFingerprint('POST', '/v3/checkout', {});
    const marker = `idempotency.test.${key}`;
    const crashed = await withIdempotency(db, { scope, key, fingerprint }, async (claim) => {
      await work(db, marker, 'first')(claim);
      throw new Error('the process lost its connection after the commit');
    }).catch((e: unknown) => e);
    expect(crashed).toBeInstanceOf(Error);
    const retry = await withIdempotency(db, { scope, key, fingerprint }, work(db, marker, 'retry'));
    expect(retry).toEqual({ status: 201, body: { order: 'first' }, replayed: true });
    expect(await written(db, marker)).toEqual(['first']);
  });
});

describe('requestFingerprint', () => {
  it('ignores key order but not values, paths or methods', () => {
    const base = requestFingerprint('POST', '/v3/a', { a: 1, b: { c: 2, d: [1, 2] } });
    expect(requestFingerprint('post', '/v3/a', { b: { d: [1, 2], c: 2 }, a: 1 })).toBe(base);
    expect(requestFingerprint('POST', '/v3/a', { a: 1, b: { c: 2, d: [2, 1] } })).not.toBe(base);
    expect(requestFingerprint('POST', '/v3/b', { a: 1, b: { c: 2, d: [1, 2] } })).not.toBe(base);
    expect(requestFingerprint('PUT', '/v3/a', { a: 1, b: { c: 2, d: [1, 2] } })).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
