import { deleteInBatches } from '../../db/batches.ts';
import type { Db } from '../../db/database.ts';
import * as q from './queries.ts';

/**
 * Deletes login codes, password-reset tokens and refresh tokens that expired before `before`, and
 * revoked access-token ids whose token expired before `now` (nobody can present it any more).
 * Returns the rows deleted per table.
 */
export async function purgeExpiredCustomerCredentials(
  db: Db,
  before: Date,
  now: Date = new Date(),
): Promise<Record<q.ExpiringCredentialTable, number>> {
  const purge = (table: q.ExpiringCredentialTable, until: Date) =>
    deleteInBatches((limit) => q.deleteExpiredBatch(db, table, until, limit));
  return {
    customer_otps: await purge('customer_otps', before),
    customer_password_resets: await purge('customer_password_resets', before),
    customer_refresh_tokens: await purge('customer_refresh_tokens', before),
    customer_revoked_tokens: await purge('customer_revoked_tokens', now),
  };
}
