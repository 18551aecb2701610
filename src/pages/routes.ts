import type { FastifyInstance } from 'fastify';

/** Hosted, server-rendered buyer pages (order, payment, success). Filled in by the public-orders area. */
export function registerHostedPages(_app: FastifyInstance): void {}
