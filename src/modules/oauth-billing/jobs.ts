import type { JobHandlers } from '../../jobs/worker.ts';
import type { PayoutProvider } from '../../providers/payouts/index.ts';
import * as q from './queries.ts';
import { expireReservation } from './reservations.ts';
import { syncOpenSettlements } from './settlements.ts';

/** Releases reservations whose `expires_at` passed (recurring). */
export const RESERVATION_EXPIRY_SWEEP_JOB = 'oauth_billing.expire_reservations';
export const RESERVATION_EXPIRY_SWEEP_MS = 30_000;
/** Re-sends pending payouts and polls requested ones until they succeed or fail (recurring). */
export const PAYOUT_SYNC_JOB = 'oauth_billing.sync_payouts';
export const PAYOUT_SYNC_MS = 60_000;

const BATCH = 200;

export function oauthBillingJobHandlers(payouts: PayoutProvider): JobHandlers {
  return {
    [RESERVATION_EXPIRY_SWEEP_JOB]: async (_payload, context) => {
      let expired = 0;
      // Each reservation in its own transaction: one failure never holds back the others.
      for (const { id } of await q.listDueReservations(context.db, new Date(), BATCH))
        if (await expireReservation(context.db, id)) expired += 1;
      if (expired > 0) context.logger.info({ expired }, 'expired OAuth billing reservations released');
    },
    [PAYOUT_SYNC_JOB]: async (_payload, context) => {
      await syncOpenSettlements(context.db, payouts);
    },
  };
}
