import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { requestFingerprint, withIdempotency } from './idempotency.ts';

/**
 * Answers a route that creates an order with 201, honouring `Idempotency-Key` (beyond the contract)
 * the same way on every such route: without the header the order is simply created; with it, a retry
 * gets the first answer (`Idempotent-Replayed: true`), a replayed 4xx keeping its status and its
 * stored error envelope. `scope` says who may replay (credential and tenant).
 */
export async function createIdempotently<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  target: { scope: string; businessId: number },
  create: () => Promise<T>,
): Promise<T> {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) {
    reply.code(201);
    return create();
  }
  const result = await withIdempotency(
    db,
    {
      scope: target.scope,
      key,
      fingerprint: requestFingerprint('POST', request.url.split('?')[0] ?? request.url, request.body),
      businessId: target.businessId,
    },
    async () => ({ status: 201, body: await create() }),
  );
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  reply.code(result.status);
  return result.body as T;
}
