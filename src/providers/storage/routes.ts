import type { FastifyInstance } from 'fastify';

/**
 * Non-contract routes the sandbox storage provider serves (signed uploads and downloads on local
 * disk). Filled in by the storage provider; registered by buildApp.
 */
export function registerStorageRoutes(_app: FastifyInstance): void {}
