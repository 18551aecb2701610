import type { FastifyRequest } from 'fastify';
import { businessPrincipal } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { ErrorEnvelope } from '../../http/schemas.ts';
import { BILLING_ACTIONS } from './actions.ts';
import * as developer from './developer.ts';
import { createRefund } from './refunds.ts';
import { createReservation, type InstalledApp, releaseReservation } from './reservations.ts';
import * as schemas from './schemas.ts';
import { listSettlements, withdraw } from './settlements.ts';

/** Runtime routes take installed-app OAuth tokens only (the contract's bearerAuth, no API keys). */
const installedApp = ['oauthApp'] as const;
const developerAuth = ['apiKey'] as const;
const DEVELOPER_SCOPE = 'business:manage_developer_settings';

function installedAppOf(request: FastifyRequest): InstalledApp {
  const principal = businessPrincipal(request);
  if (!principal.oauth) throw new Error('an installed-app route resolved no OAuth installation');
  return {
    applicationId: principal.oauth.applicationId,
    installationId: principal.oauth.installationId,
    merchantBusinessId: principal.businessId,
  };
}

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'createOAuthBillingReservation',
    method: 'POST',
    path: '/v3/oauth/billing/reservations',
    auth: [...installedApp],
    description:
      'Holds the approved price of `billing_tag` against the merchant wallet (201; the same `billing_idempotency_key` answers the first reservation again with 200). 402 when the wallet cannot cover it. A later call of the app that matches the action and sends `X-Scalev-Billing-Reservation-Id` captures it.',
    schema: {
      body: schemas.ReservationRequest,
      response: {
        200: schemas.Reservation,
        201: schemas.Reservation,
        402: ErrorEnvelope,
        409: ErrorEnvelope,
      },
    },
    handler: async (request, reply) => {
      const { db, config } = request.server.deps;
      const { reservation, replayed } = await createReservation(
        db,
        installedAppOf(request),
        request.body,
        config.oauthBilling.reservationTtlSeconds,
      );
      reply.code(replayed ? 200 : 201);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reservation;
    },
  }),
  defineRoute({
    operationId: 'releaseOAuthBillingReservation',
    method: 'POST',
    path: '/v3/oauth/billing/reservations/{id}/release',
    auth: [...installedApp],
    description:
      'Pre-capture only; releasing a released reservation answers it again. 409 once captured or expired.',
    schema: {
      params: schemas.IdParams,
      response: { 200: schemas.Reservation, 404: ErrorEnvelope, 409: ErrorEnvelope },
    },
    handler: async (request) =>
      releaseReservation(request.server.deps.db, installedAppOf(request), request.params.id),
  }),
  defineRoute({
    operationId: 'createOAuthBillingRefund',
    method: 'POST',
    path: '/v3/oauth/billing/refunds',
    auth: [...installedApp],
    description:
      'Full reversal of a captured charge of this installation (201; the same `refund_idempotency_key` answers the first refund again with 200).',
    schema: {
      body: schemas.RefundRequest,
      response: {
        200: schemas.Refund,
        201: schemas.Refund,
        400: ErrorEnvelope,
        404: ErrorEnvelope,
        409: ErrorEnvelope,
      },
    },
    handler: async (request, reply) => {
      const { refund, replayed } = await createRefund(
        request.server.deps.db,
        installedAppOf(request),
        request.body,
      );
      reply.code(replayed ? 200 : 201);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return refund;
    },
  }),
  defineRoute({
    operationId: 'getDeveloperOAuthBillingEarnings',
    method: 'GET',
    path: '/v3/developer/oauth-billing/earnings',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    schema: { response: { 200: schemas.Earnings } },
    handler: async (request) =>
      developer.earnings(request.server.deps.db, businessPrincipal(request).businessId),
  }),
  defineRoute({
    operationId: 'listDeveloperOAuthBillingActions',
    method: 'GET',
    path: '/v3/developer/oauth-billing/actions',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    schema: { response: { 200: schemas.ActionList } },
    handler: async () => ({ data: [...BILLING_ACTIONS], is_paginated: false as const }),
  }),
  defineRoute({
    operationId: 'listDeveloperOAuthBillingReservations',
    method: 'GET',
    path: '/v3/developer/oauth-billing/reservations',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    description: 'Reservations of apps this business owns, newest first.',
    schema: { querystring: schemas.ReservationListQuery, response: { 200: schemas.ReservationList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return developer.listReservations(db, cursors, businessPrincipal(request).businessId, request.query);
    },
  }),
  defineRoute({
    operationId: 'getDeveloperOAuthBillingReservation',
    method: 'GET',
    path: '/v3/developer/oauth-billing/reservations/{id}',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    schema: { params: schemas.IdParams, response: { 200: schemas.Reservation, 404: ErrorEnvelope } },
    handler: async (request) =>
      developer.getReservation(
        request.server.deps.db,
        businessPrincipal(request).businessId,
        request.params.id,
      ),
  }),
  defineRoute({
    operationId: 'listDeveloperOAuthBillingCharges',
    method: 'GET',
    path: '/v3/developer/oauth-billing/charges',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    description: 'Charges of apps this business owns, newest capture first.',
    schema: { querystring: schemas.ChargeListQuery, response: { 200: schemas.ChargeList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return developer.listCharges(db, cursors, businessPrincipal(request).businessId, request.query);
    },
  }),
  defineRoute({
    operationId: 'getDeveloperOAuthBillingCharge',
    method: 'GET',
    path: '/v3/developer/oauth-billing/charges/{id}',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    schema: { params: schemas.IdParams, response: { 200: schemas.Charge, 404: ErrorEnvelope } },
    handler: async (request) =>
      developer.getCharge(request.server.deps.db, businessPrincipal(request).businessId, request.params.id),
  }),
  defineRoute({
    operationId: 'listDeveloperOAuthBillingLedger',
    method: 'GET',
    path: '/v3/developer/oauth-billing/ledger',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    description:
      'Entries of the earnings account, newest first: captures (accrual), withdrawals, refunds and failed payouts (adjustment).',
    schema: { querystring: schemas.LedgerQuery, response: { 200: schemas.LedgerList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return developer.listLedger(db, cursors, businessPrincipal(request).businessId, request.query);
    },
  }),
  defineRoute({
    operationId: 'listDeveloperOAuthBillingSettlements',
    method: 'GET',
    path: '/v3/developer/oauth-billing/settlements',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    description:
      'Withdrawals of this business, newest first; `status` is pending, requested, succeeded or failed.',
    schema: { querystring: schemas.SettlementQuery, response: { 200: schemas.SettlementList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return listSettlements(db, cursors, businessPrincipal(request).businessId, request.query);
    },
  }),
  defineRoute({
    operationId: 'createDeveloperOAuthBillingWithdrawal',
    method: 'POST',
    path: '/v3/developer/oauth-billing/withdrawals',
    auth: [...developerAuth],
    scope: DEVELOPER_SCOPE,
    description:
      'Pays `amount` of the earnings out through Xendit (201; with `Idempotency-Key`, a retry answers the first withdrawal with 200). 402 when the earnings cannot cover it; 409 without a payout account. A failed payout returns the money to earnings.',
    schema: {
      headers: schemas.WithdrawalHeaders,
      body: schemas.WithdrawalRequest,
      response: { 200: schemas.Settlement, 201: schemas.Settlement, 402: ErrorEnvelope, 409: ErrorEnvelope },
    },
    handler: async (request, reply) => {
      const { db, payouts } = request.server.deps;
      const { settlement, replayed } = await withdraw(db, payouts, businessPrincipal(request).businessId, {
        amount: request.body.amount,
        idempotencyKey: request.headers['idempotency-key'],
      });
      reply.code(replayed ? 200 : 201);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return settlement;
    },
  }),
];
