import type { JobHandlers } from '../../jobs/worker.ts';
import { enqueueMail } from '../mail/service.ts';
import { passwordResetMail } from './emails.ts';
import * as q from './queries.ts';
import {
  newResetToken,
  PASSWORD_RESET_JOB,
  type PasswordResetJobPayload,
  RESET_TTL_MINUTES,
} from './service.ts';

/**
 * The worker half of startCustomerPasswordReset: an active customer with that e-mail gets a reset
 * token (stored hashed, valid one hour, single use) and the e-mail with its link; an unknown
 * address gets nothing, and the caller never learns which it was.
 */
export function customerAuthJobHandlers(): JobHandlers {
  return {
    [PASSWORD_RESET_JOB]: async (raw, { db }) => {
      const payload = raw as PasswordResetJobPayload;
      await db.transaction().execute(async (trx) => {
        const store = await q.findAuthStore(trx, payload.store_id);
        if (!store || store.business_id !== payload.business_id) return;
        const customer = await q.findCustomerByEmail(trx, payload.business_id, payload.email);
        if (!customer?.email || customer.status !== 'active') return;
        const { token, hash } = newResetToken();
        await q.insertPasswordReset(trx, {
          token_hash: hash,
          business_id: payload.business_id,
          store_id: store.id,
          customer_id: customer.id,
          expires_at: new Date(Date.now() + RESET_TTL_MINUTES * 60_000),
        });
        const link = `${payload.link_base}/reset-password?token=${encodeURIComponent(token)}`;
        await enqueueMail(trx, {
          businessId: payload.business_id,
          to: customer.email,
          kind: 'customer_password_reset',
          maxAttempts: 6,
          ...passwordResetMail({ storeName: store.name, link, validMinutes: RESET_TTL_MINUTES }),
        });
      });
    },
  };
}
