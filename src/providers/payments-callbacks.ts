import type { FastifyInstance } from 'fastify';

/** Payment gateway callbacks (non-contract routes). Filled in by the payments area. */
export function registerPaymentCallbacks(_app: FastifyInstance): void {}
