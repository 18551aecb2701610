import type { FastifyRequest } from 'fastify';
import type { BusinessPrincipal, StorefrontPrincipal } from './principal.ts';

/** The business principal of a route that declares business credentials (the auth hook guarantees it). */
export function businessPrincipal(request: FastifyRequest): BusinessPrincipal {
  const principal = request.auth.business;
  if (!principal)
    throw new Error(`Route ${request.routeOptions.url} read a business principal it does not declare`);
  return principal;
}

/** Business id and acting user, the pair services need to scope and attribute their writes. */
export function businessCaller(request: FastifyRequest): { businessId: number; userId: number | null } {
  const principal = businessPrincipal(request);
  return { businessId: principal.businessId, userId: principal.userId };
}

/** The storefront principal of a route that declares the storefront key (the auth hook guarantees it). */
export function storefrontPrincipal(request: FastifyRequest): StorefrontPrincipal {
  const principal = request.auth.storefront;
  if (!principal)
    throw new Error(`Route ${request.routeOptions.url} read a storefront principal it does not declare`);
  return principal;
}

/** The store a storefront route serves (resolved from its public key by the auth hook). */
export function storefrontStoreId(request: FastifyRequest): number {
  return storefrontPrincipal(request).storeId;
}
