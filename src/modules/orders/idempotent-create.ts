import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { ApiError, type ErrorBody } from '../../http/errors.ts';
import { requestFingerprint, withIdempotency } from './idempotency.ts';

/**
 * Called by the order's transaction, as its last statement, with the answer the route will send:
 * with an `Idempotency-Key` it stores the answer with the order (see `withIdempotency`), without
 * one it does nothing.
 */
export type StoreAnswer<T> = (trx: Db, answer: T) => Promise<void>;

const noStore: StoreAnswer<unknown> = async () => {};

/**
 * Answers a route that creates an order with 201 (or the contract's `status`), honouring `Idempotency-Key` (beyond the contract)
 * the same way on every such route: without the header the order is simply created; with it, a retry
 * gets the first answer (`Idempotent-Replayed: true`), a replayed 4xx keeping its status and its
 * stored error envelope (with this request's `request_id`). `scope` says who may replay (credential
 * and tenant). `create` passes `storeAnswer` to the order's transaction.
 */
export async function createIdempotently<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  target: {
    scope: string;
    businessId: number /** 201 unless the contract says otherwise. */;
    status?: 200 | 201;
  },
  create: (storeAnswer: StoreAnswer<T>) => Promise<T>,
): Promise<T> {
  const status = target.status ?? 201;
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) {
    reply.code(status);
    return create(noStore);
  }
  const result = await withIdempotency(
    db,
    {
      scope: target.scope,
      key,
      fingerprint: requestFingerprint('POST', request.url.split('?')[0] ?? request.url, request.body),
      businessId: target.businessId,
      ttlMs: request.server.deps.config.retention.idempotencyHours * 3_600_000,
    },
    async (claim) => ({
      status,
      body: await create((trx, answer) => claim.complete(trx, status, answer)),
    }),
  );
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  // A replayed error goes through the error handler like the first one did, so it carries this
  // request's id (the one in X-Request-Id) and is logged with its error code.
  if (result.status >= 400) throw ApiError.fromBody(result.status, result.body as ErrorBody);
  reply.code(result.status);
  return result.body as T;
}
