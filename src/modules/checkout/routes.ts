import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { storefrontPrincipal } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { createIdempotently } from '../orders/idempotent-create.ts';
import { PublicOrderSchema } from '../orders/schemas.ts';
import { type CheckoutContext, createCheckout } from './checkout.ts';
import type { CheckoutStore } from './rules.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

const auth = ['storefrontKey', 'guestToken'] as const;

function storeOf(request: FastifyRequest): CheckoutStore & { keyId: string } {
  const principal = storefrontPrincipal(request);
  return {
    storeId: principal.storeId,
    businessId: principal.businessId,
    storeUniqueId: principal.storeUniqueId,
    keyId: principal.keyId,
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'createPublicCheckout',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/checkout',
    aliases: ['/v3/stores/{store_id}/public/guest-checkout'],
    auth: [...auth],
    description:
      "Answers 201 with the public order. Beyond the contract: an `Idempotency-Key` header makes a retry return the first answer (with `Idempotent-Replayed: true`) instead of creating a second order; the same key with another body is a 422. A sold-out item is a 409 naming it in `errors.items`. The store's anti-spam settings may refuse an order with 403 `order_blocked` (the store's `blocked_message`) or keep it with `is_probably_spam: true`.",
    schema: {
      params: schemas.CheckoutParams,
      body: schemas.CheckoutRequest,
      response: { 201: PublicOrderSchema },
    },
    handler: async (request, reply) => {
      const { db, config } = request.server.deps;
      const store = storeOf(request);
      const guestToken = request.auth.guestToken;
      const context: CheckoutContext = {
        store,
        shopper: { guestToken },
        publicUrl: config.publicUrl,
        clientIp: request.ip ?? null,
        userAgent: header(request, 'user-agent')?.slice(0, 512) ?? null,
      };
      return createIdempotently(
        request,
        reply,
        db,
        {
          scope: `storefront:${store.keyId}:${store.storeId}${guestToken ? `:${guestToken}` : ''}`,
          businessId: store.businessId,
        },
        (storeAnswer) => createCheckout(db, context, request.body, storeAnswer),
      );
    },
  }),
  defineRoute({
    operationId: 'listPublicCheckoutShippingOptions',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/checkout/shipping-options',
    auth: [...auth],
    description: 'Cheapest first. `items` win over the guest cart; digital-only orders get an empty list.',
    schema: {
      params: schemas.CheckoutParams,
      body: Type.Optional(schemas.ShippingOptionsRequest),
      response: { 200: schemas.ShippingOptionList },
    },
    handler: async (request) => ({
      data: await service.listShippingOptions(
        request.server.deps.db,
        storeOf(request),
        { guestToken: request.auth.guestToken },
        request.body ?? {},
      ),
      is_paginated: false as const,
    }),
  }),
  defineRoute({
    operationId: 'getPublicCheckoutSummary',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/checkout/summary',
    auth: [...auth],
    description:
      'The totals checkout would charge: shipping recomputed (client `shipping_cost` ignored), other charge and e-payment `service_fee` included in `gross_revenue`. Accepts `discount_code_code` as checkout does.',
    schema: {
      params: schemas.CheckoutParams,
      body: Type.Optional(schemas.SummaryRequest),
      response: { 200: schemas.CheckoutSummary },
    },
    handler: async (request) =>
      service.summarize(
        request.server.deps.db,
        storeOf(request),
        { guestToken: request.auth.guestToken },
        request.body ?? {},
      ),
  }),
  defineRoute({
    operationId: 'checkDiscountCode',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/discount-codes/check',
    auth: [...auth],
    description:
      'Always 200 for a resolvable store: unknown or ineligible codes answer `is_eligible: false`, `discount_code: null` and the reason in `eligibility_details`.',
    schema: {
      params: schemas.CheckoutParams,
      body: schemas.DiscountCheckRequest,
      response: { 200: schemas.DiscountCheckResult },
    },
    handler: async (request) =>
      service.checkDiscountCode(
        request.server.deps.db,
        storeOf(request),
        request.auth.guestToken,
        request.body,
      ),
  }),
];
