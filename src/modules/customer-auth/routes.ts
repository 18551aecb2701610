import type { FastifyRequest } from 'fastify';
import { storefrontPrincipal } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';
import { throttleCustomerAuth } from './throttle.ts';

const auth = ['storefrontKey'] as const;

/** The store the storefront key opened, and what the service needs to act for it. */
function caller(request: FastifyRequest): { deps: service.AuthDeps; store: service.AuthStore } {
  const storefront = storefrontPrincipal(request);
  const { db, keys } = request.server.deps;
  return {
    deps: { db, customerJwtKey: keys.customerJwt },
    store: {
      storeId: storefront.storeId,
      businessId: storefront.businessId,
      storeUniqueId: storefront.storeUniqueId,
    },
  };
}

function originOf(request: FastifyRequest): string | undefined {
  const value = request.headers.origin;
  return Array.isArray(value) ? value[0] : value;
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'loginCustomer',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/auth/login',
    auth: [...auth],
    description:
      'Stores with is_customer_otp_required answer {message} and e-mail a 6-digit code (valid 10 minutes) ' +
      'to confirm with verifyCustomerOtp; other stores answer the tokens. `login_as: owner` checks the ' +
      'business owner’s account password instead and signs the owner in as the business’s customer with ' +
      'that e-mail. A wrong password and an unknown e-mail both answer 401. Rate limited per client IP and ' +
      'per account (429 rate_limited).',
    schema: {
      params: schemas.AuthParams,
      body: schemas.LoginRequest,
      response: { 200: schemas.LoginResponse },
    },
    handler: async (request, reply) => {
      const { deps, store } = caller(request);
      const email = service.normalizeEmail(request.body.email);
      await throttleCustomerAuth(request, reply, { businessId: store.businessId, email });
      return service.login(deps, store, request.body);
    },
  }),
  defineRoute({
    operationId: 'verifyCustomerOtp',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/auth/otp/verify',
    auth: [...auth],
    description:
      'The latest code e-mailed by loginCustomer, within 10 minutes and 5 attempts (the fifth wrong ' +
      'code voids it). Any failure answers 401.',
    schema: {
      params: schemas.AuthParams,
      body: schemas.OtpVerifyRequest,
      response: { 200: schemas.CustomerTokens },
    },
    handler: async (request, reply) => {
      const { deps, store } = caller(request);
      const email = service.normalizeEmail(request.body.email);
      await throttleCustomerAuth(request, reply, { businessId: store.businessId, email });
      return service.verifyOtp(deps, store, request.body);
    },
  }),
  defineRoute({
    operationId: 'refreshCustomerJwt',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/auth/jwt/refresh',
    auth: [...auth],
    description:
      'Single use: the answer carries the next refresh token. Presenting a refresh token that was ' +
      'already used revokes every token of its session and answers 401.',
    schema: {
      params: schemas.AuthParams,
      body: schemas.RefreshRequest,
      response: { 200: schemas.CustomerTokens },
    },
    handler: async (request) => {
      const { deps, store } = caller(request);
      return service.refresh(deps, store, request.body.refresh);
    },
  }),
  defineRoute({
    operationId: 'blacklistCustomerJwt',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/auth/jwt/blacklist',
    auth: [...auth],
    description:
      'Access tokens stop working at once; a refresh token ends its whole session. Tokens that are ' +
      'invalid, expired or not this store’s are ignored.',
    schema: {
      params: schemas.AuthParams,
      body: schemas.BlacklistRequest,
      response: { 204: schemas.NoContent },
    },
    handler: async (request, reply) => {
      const { deps, store } = caller(request);
      await service.blacklist(deps, store, request.body.tokens);
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'startCustomerPasswordReset',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/auth/forget-password',
    auth: [...auth],
    description:
      'Always 204. A customer with this e-mail receives a link valid for one hour: ' +
      '<Origin>/reset-password?token=… when the request Origin is one of the store’s allowed origins, ' +
      'else <server>/s/{store_unique_id}/reset-password?token=…. Rate limited like login.',
    schema: {
      params: schemas.AuthParams,
      body: schemas.ForgetPasswordRequest,
      response: { 204: schemas.NoContent },
    },
    handler: async (request, reply) => {
      const { deps, store } = caller(request);
      const email = service.normalizeEmail(request.body.email);
      await throttleCustomerAuth(request, reply, { businessId: store.businessId, email });
      await service.startPasswordReset({ ...deps, publicUrl: request.server.deps.config.publicUrl }, store, {
        email,
        origin: originOf(request),
      });
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'saveCustomerPassword',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/auth/save-password',
    auth: [...auth],
    description:
      'Spends the reset token (404 when unknown, expired or used), sets the password and signs the ' +
      'customer out everywhere; log in again with the new password.',
    schema: {
      params: schemas.AuthParams,
      body: schemas.SavePasswordRequest,
      response: { 204: schemas.NoContent },
    },
    handler: async (request, reply) => {
      const { deps, store } = caller(request);
      await service.savePassword(deps, store, request.body);
      return sendNoContent(reply);
    },
  }),
];
