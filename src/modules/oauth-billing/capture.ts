import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import { isUuid } from '../../lib/ids.ts';
import { billingAction, matchesAction } from './actions.ts';
import { postMovement } from './ledger.ts';
import * as q from './queries.ts';

/** Names the reservation a billed call spends; sent by the app with its OAuth token. */
export const RESERVATION_HEADER = 'x-scalev-billing-reservation-id';
/** Answered on a billed call whose reservation became a charge. */
export const CHARGE_HEADER = 'x-scalev-billing-charge-id';

/** The platform's cut, rounded down: the developer keeps the fraction (bps < 10000, so net ≥ 1). */
export function platformFee(gross: number, bps: number): number {
  return Math.floor((gross * bps) / 10_000);
}

export interface BilledCall {
  installationId: number;
  reservationId: string;
  requestId: string;
  method: string;
  /** The route's contract path (`/v3/orders/{id}`), matched against the action's templates. */
  path: string;
  responseStatus: number;
  feeBps: number;
}

/**
 * Turns a live reservation into a charge when the call it names is one its action bills and the
 * capture rule holds (a 2xx answer): holds → developer earnings + platform fees, one movement.
 * Anything else (wrong action, failed call, already closed or expired) captures nothing, so the
 * hold stays until the app releases it or the sweeper expires it. Returns the charge id.
 */
export async function captureReservation(
  db: Db,
  call: BilledCall,
  now = new Date(),
): Promise<string | undefined> {
  const reservation = await q.findInstallationReservation(db, call.installationId, call.reservationId);
  if (reservation?.billing_status !== 'reserved') return undefined;
  const action = billingAction(reservation.action_key);
  if (!action || !matchesAction(action, call.method, call.path)) return undefined;
  if (call.responseStatus < 200 || call.responseStatus > 299) return undefined;

  const chargeId = randomUUID();
  const captureContext = {
    method: call.method,
    endpoint_template: `${call.method} ${call.path}`,
    response_status: call.responseStatus,
    request_id: call.requestId,
  };
  return db.transaction().execute(async (trx) => {
    const row = await q.closeReservation(
      trx,
      reservation.id,
      'captured',
      { at: now, chargeId, captureContext },
      { installationId: call.installationId, liveAt: now },
    );
    if (!row) return undefined;
    const fee = platformFee(row.amount, call.feeBps);
    const net = row.amount - fee;
    await trx
      .insertInto('oauth_billing_charges')
      .values({
        id: chargeId,
        reservation_id: row.id,
        application_id: row.application_id,
        installation_id: row.installation_id,
        merchant_business_id: row.merchant_business_id,
        developer_business_id: row.developer_business_id,
        billing_tag: row.billing_tag,
        action_key: row.action_key,
        billing_idempotency_key: row.billing_idempotency_key,
        gross_amount: row.amount,
        platform_fee_bps: call.feeBps,
        platform_fee_amount: fee,
        developer_net_amount: net,
        request_id: call.requestId,
        metadata: JSON.stringify(row.metadata),
        capture_context: JSON.stringify(captureContext),
        captured_at: now,
      })
      .execute();
    await postMovement(
      trx,
      'capture',
      [
        { kind: 'merchant_holds', businessId: row.merchant_business_id, amount: -row.amount },
        { kind: 'developer_earnings', businessId: row.developer_business_id, amount: net },
        { kind: 'platform_fees', businessId: null, amount: fee },
      ],
      { applicationId: row.application_id, reservationId: row.id, chargeId },
    );
    return chargeId;
  });
}

/**
 * The capture point: after a business route answered an OAuth call that names a reservation, and
 * before the answer leaves, the reservation is captured. A capture failure never changes the
 * call's answer (the work is done); it is logged and the hold stays for release or expiry.
 */
export function registerBillingCapture(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const raw = request.headers[RESERVATION_HEADER];
    const reservationId = Array.isArray(raw) ? raw[0] : raw;
    const installationId = request.auth?.business?.oauth?.installationId;
    const contract = request.routeOptions.config.contract;
    if (!reservationId || installationId === undefined || !contract || !isUuid(reservationId)) return payload;
    try {
      const chargeId = await captureReservation(request.server.deps.db, {
        installationId,
        reservationId: reservationId.toLowerCase(),
        requestId: String(request.id),
        method: request.method,
        path: contract.path,
        responseStatus: reply.statusCode,
        feeBps: request.server.deps.config.oauthBilling.platformFeeBps,
      });
      if (chargeId) reply.header(CHARGE_HEADER, chargeId);
    } catch (error) {
      request.log.error({ err: error, reservationId }, 'OAuth billing capture failed');
    }
    return payload;
  });
}
