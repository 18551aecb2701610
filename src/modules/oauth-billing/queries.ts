import type { Db } from '../../db/database.ts';
import type { ReservationStatus } from './tables.ts';

/**
 * The installation a runtime call acts through, with what billing needs of it: the tags the merchant
 * approved and the developer business that owns the app (null for dynamically registered clients,
 * which have no owner to pay). Read from the OAuth module's tables, filtered by the merchant.
 */
export function findInstallationBilling(db: Db, installationId: number, merchantBusinessId: number) {
  return db
    .selectFrom('oauth_installations as i')
    .innerJoin('oauth_applications as a', 'a.id', 'i.application_id')
    .select(['i.id', 'i.application_id', 'i.approved_billing_tags', 'a.owner_business_id'])
    .where('i.id', '=', installationId)
    .where('i.business_id', '=', merchantBusinessId)
    .executeTakeFirst();
}

export function findReservationByKey(db: Db, installationId: number, key: string) {
  return db
    .selectFrom('oauth_billing_reservations')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('billing_idempotency_key', '=', key)
    .executeTakeFirst();
}

/** A reservation of this installation (the runtime token's own), or undefined. */
export function findInstallationReservation(db: Db, installationId: number, id: string) {
  return db
    .selectFrom('oauth_billing_reservations')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Moves a reservation out of `reserved` if it still is; the row lock makes the first mover win. */
export function closeReservation(
  db: Db,
  id: string,
  to: Extract<ReservationStatus, 'released' | 'expired' | 'captured'>,
  values: { at: Date; reason?: string; chargeId?: string; captureContext?: Record<string, unknown> },
  guard: { installationId?: number; dueBy?: Date; liveAt?: Date },
) {
  let query = db
    .updateTable('oauth_billing_reservations')
    .set({
      billing_status: to,
      ...(to === 'captured'
        ? {
            captured_at: values.at,
            charge_id: values.chargeId ?? null,
            capture_context: JSON.stringify(values.captureContext ?? {}),
          }
        : { released_at: values.at, released_reason: values.reason ?? null }),
    })
    .where('id', '=', id)
    .where('billing_status', '=', 'reserved');
  if (guard.installationId !== undefined) query = query.where('installation_id', '=', guard.installationId);
  if (guard.dueBy) query = query.where('expires_at', '<=', guard.dueBy);
  if (guard.liveAt) query = query.where('expires_at', '>', guard.liveAt);
  return query.returningAll().executeTakeFirst();
}

export type ReservationRow = NonNullable<Awaited<ReturnType<typeof findReservationByKey>>>;

export function findInstallationCharge(db: Db, installationId: number, id: string) {
  return db
    .selectFrom('oauth_billing_charges')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findChargeOfReservation(db: Db, installationId: number, reservationId: string) {
  return db
    .selectFrom('oauth_billing_charges')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('reservation_id', '=', reservationId)
    .executeTakeFirst();
}

export type ChargeRow = NonNullable<Awaited<ReturnType<typeof findInstallationCharge>>>;

export function findRefundByKey(db: Db, installationId: number, key: string) {
  return db
    .selectFrom('oauth_billing_refunds')
    .selectAll()
    .where('installation_id', '=', installationId)
    .where('refund_idempotency_key', '=', key)
    .executeTakeFirst();
}

export type RefundRow = NonNullable<Awaited<ReturnType<typeof findRefundByKey>>>;

/** Reserved holds whose time ran out, oldest first (the sweeper's batch). */
export function listDueReservations(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('oauth_billing_reservations')
    .select(['id'])
    .where('billing_status', '=', 'reserved')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}
