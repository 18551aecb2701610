import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { errors } from '../../http/errors.ts';
import { InsufficientBalance, postMovement } from './ledger.ts';
import * as q from './queries.ts';
import type { InstalledApp } from './reservations.ts';
import { refundView } from './views.ts';

export interface RefundRequest {
  billing_reservation_id?: string | null;
  billing_charge_id?: string | null;
  refund_idempotency_key: string;
  reason_code: string;
  reason: string;
  metadata?: Record<string, unknown>;
}

/** The charge the request names (by reservation, charge, or both naming the same one), the caller's own. */
async function chargeOf(db: Db, caller: InstalledApp, body: RefundRequest) {
  const { billing_reservation_id: reservationId, billing_charge_id: chargeId } = body;
  if (!reservationId && !chargeId)
    throw errors.badRequest('Send billing_reservation_id or billing_charge_id', {
      billing_charge_id: ['or billing_reservation_id is required'],
    });
  const byCharge = chargeId ? await q.findInstallationCharge(db, caller.installationId, chargeId) : undefined;
  const byReservation = reservationId
    ? await q.findChargeOfReservation(db, caller.installationId, reservationId)
    : undefined;
  if ((chargeId && !byCharge) || (reservationId && !byReservation)) throw errors.notFound('Charge not found');
  const charge = (byCharge ?? byReservation) as q.ChargeRow;
  if (byCharge && byReservation && byCharge.id !== byReservation.id)
    throw errors.badRequest('billing_reservation_id and billing_charge_id name different charges', {
      billing_reservation_id: ['is not the reservation of billing_charge_id'],
    });
  return charge;
}

/**
 * A full reversal of a captured charge: developer earnings and the platform fee go back to the
 * merchant's wallet in one movement. The same idempotency key answers the first refund again; a
 * charge refunded under another key, or a key reused for another charge, is a 409, as is a refund the
 * developer's earnings no longer cover (they were withdrawn).
 */
export async function createRefund(db: Db, caller: InstalledApp, body: RefundRequest) {
  const charge = await chargeOf(db, caller, body);
  const replay = async () => {
    const earlier = await q.findRefundByKey(db, caller.installationId, body.refund_idempotency_key);
    if (!earlier) return undefined;
    if (earlier.charge_id !== charge.id)
      throw errors.conflict('refund_idempotency_key was already used for another charge');
    return { refund: refundView(earlier, charge), replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;

  let refund: q.RefundRow | undefined;
  try {
    refund = await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('oauth_billing_charges')
        .set({ refunded_at: new Date() })
        .where('id', '=', charge.id)
        .where('installation_id', '=', caller.installationId)
        .where('refunded_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!claimed) return undefined;
      const entries = await postMovement(
        trx,
        'refund',
        [
          {
            kind: 'developer_earnings',
            businessId: charge.developer_business_id,
            amount: -charge.developer_net_amount,
          },
          { kind: 'platform_fees', businessId: null, amount: -charge.platform_fee_amount },
          { kind: 'merchant_wallet', businessId: charge.merchant_business_id, amount: charge.gross_amount },
        ],
        { applicationId: charge.application_id, reservationId: charge.reservation_id, chargeId: charge.id },
      );
      await trx
        .updateTable('oauth_billing_reservations')
        .set({ billing_status: 'refunded' })
        .where('id', '=', charge.reservation_id)
        .where('installation_id', '=', caller.installationId)
        .execute();
      const entryOf = (kind: string) => entries.find((e) => e.accountKind === kind)?.id as string;
      return trx
        .insertInto('oauth_billing_refunds')
        .values({
          id: randomUUID(),
          charge_id: charge.id,
          installation_id: caller.installationId,
          refund_idempotency_key: body.refund_idempotency_key,
          amount: charge.gross_amount,
          reason_code: body.reason_code,
          reason: body.reason,
          metadata: JSON.stringify(body.metadata ?? {}),
          merchant_entry_id: entryOf('merchant_wallet'),
          developer_entry_id: entryOf('developer_earnings'),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  } catch (error) {
    if (error instanceof InsufficientBalance)
      throw errors.conflict("The developer's earnings no longer cover this refund");
    // The same key, sent at once for two different charges: the other one committed first.
    if (!isUniqueViolation(error)) throw error;
  }
  if (refund) return { refund: refundView(refund, charge), replayed: false };
  // Lost a race with a retry of the same key, or the charge was refunded under another key.
  const raced = await replay();
  if (raced) return raced;
  throw errors.conflict('The charge was already refunded');
}
