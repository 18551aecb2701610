import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { InsufficientBalance, paymentRequired, postMovement } from './ledger.ts';
import * as q from './queries.ts';
import { reservationView } from './views.ts';

/** The installed app a runtime call comes from (the auth hook's OAuth business principal). */
export interface InstalledApp {
  applicationId: number;
  installationId: number;
  merchantBusinessId: number;
}

export interface ReservationRequest {
  billing_tag: string;
  billing_idempotency_key: string;
  metadata?: Record<string, unknown>;
}

const holdLegs = (merchant: number, amount: number) => [
  { kind: 'merchant_wallet' as const, businessId: merchant, amount: -amount },
  { kind: 'merchant_holds' as const, businessId: merchant, amount },
];
const releaseLegs = (merchant: number, amount: number) => [
  { kind: 'merchant_holds' as const, businessId: merchant, amount: -amount },
  { kind: 'merchant_wallet' as const, businessId: merchant, amount },
];

/**
 * Holds the approved price of one billing tag against the merchant's wallet. The price is the one
 * the installation approved (never the app's current one). The same idempotency key answers the
 * first reservation again, whatever happened to it since; reusing it for another tag is a 409. A
 * wallet that cannot cover the price is a 402 and leaves nothing behind.
 */
export async function createReservation(
  db: Db,
  caller: InstalledApp,
  body: ReservationRequest,
  ttlSeconds: number,
): Promise<{ reservation: ReturnType<typeof reservationView>; replayed: boolean }> {
  const installation = await q.findInstallationBilling(db, caller.installationId, caller.merchantBusinessId);
  if (!installation) throw errors.notFound('Installation not found');
  if (installation.owner_business_id === null)
    throw errors.forbidden('This client has no developer business and cannot bill');
  const tag = installation.approved_billing_tags.find((t) => t.tag_code === body.billing_tag);
  if (!tag) throw errors.invalidField('billing_tag', 'is not a billing tag this installation approved');

  const replay = async () => {
    const existing = await q.findReservationByKey(db, caller.installationId, body.billing_idempotency_key);
    if (!existing) return undefined;
    if (existing.billing_tag !== body.billing_tag)
      throw errors.conflict('billing_idempotency_key was already used for another billing tag');
    return { reservation: reservationView(existing), replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const id = randomUUID();
  try {
    const created = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('oauth_billing_reservations')
        .values({
          id,
          application_id: caller.applicationId,
          installation_id: caller.installationId,
          merchant_business_id: caller.merchantBusinessId,
          developer_business_id: installation.owner_business_id as number,
          billing_tag: tag.tag_code,
          action_key: tag.action_key,
          billing_idempotency_key: body.billing_idempotency_key,
          amount: tag.price,
          expires_at: new Date(Date.now() + ttlSeconds * 1000),
          metadata: JSON.stringify(body.metadata ?? {}),
        })
        // A concurrent retry with the same key waits here for the first one's outcome.
        .onConflict((oc) => oc.columns(['installation_id', 'billing_idempotency_key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      await postMovement(trx, 'reservation', holdLegs(caller.merchantBusinessId, tag.price), {
        applicationId: caller.applicationId,
        reservationId: id,
      });
      return row;
    });
    if (created) return { reservation: reservationView(created), replayed: false };
  } catch (error) {
    if (error instanceof InsufficientBalance)
      throw paymentRequired("The merchant's billing balance cannot cover this reservation");
    throw error;
  }
  const raced = await replay();
  if (!raced) throw new Error('reservation vanished after an idempotency conflict');
  return raced;
}

/** Gives a reserved hold back to the merchant's wallet; releasing a released one answers it again. */
export async function releaseReservation(db: Db, caller: InstalledApp, rawId: string) {
  if (!isUuid(rawId)) throw errors.notFound('Reservation not found');
  const id = rawId.toLowerCase();
  const released = await db.transaction().execute(async (trx) => {
    const row = await q.closeReservation(
      trx,
      id,
      'released',
      { at: new Date(), reason: 'released_by_app' },
      { installationId: caller.installationId },
    );
    if (row)
      await postMovement(trx, 'release', releaseLegs(row.merchant_business_id, row.amount), {
        applicationId: row.application_id,
        reservationId: row.id,
      });
    return row;
  });
  if (released) return reservationView(released);
  const current = await q.findInstallationReservation(db, caller.installationId, id);
  if (!current) throw errors.notFound('Reservation not found');
  if (current.billing_status === 'released') return reservationView(current);
  throw new ApiError(
    409,
    'state_conflict',
    `The reservation is ${current.billing_status}; only a reserved hold can be released`,
    { billing_status: [current.billing_status] },
    'Conflict',
  );
}

/** The sweeper's step: a hold past `expires_at` goes back to the wallet, unless something beat it. */
export async function expireReservation(db: Db, id: string, now: Date = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await q.closeReservation(trx, id, 'expired', { at: now, reason: 'expired' }, { dueBy: now });
    if (!row) return false;
    await postMovement(trx, 'expiry', releaseLegs(row.merchant_business_id, row.amount), {
      applicationId: row.application_id,
      reservationId: row.id,
    });
    return true;
  });
}
