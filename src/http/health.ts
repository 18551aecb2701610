import type { FastifyInstance } from 'fastify';

export interface HealthOptions {
  ping: () => Promise<void>;
  /** True once shutdown has begun: readiness fails so load balancers stop sending traffic. */
  isDraining: () => boolean;
}

/** `/healthz`: the process is alive. `/readyz`: it can serve traffic (database reachable, not draining). */
export function registerHealth(app: FastifyInstance, options: HealthOptions): void {
  const config = { rateLimit: false as const };
  app.get('/healthz', { schema: { hide: true }, config }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config }, async (request, reply) => {
    if (options.isDraining()) return reply.code(503).send({ status: 'draining' });
    try {
      await options.ping();
      return { status: 'ready' };
    } catch (error) {
      request.log.error({ err: error }, 'readiness check failed: database unreachable');
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
}
