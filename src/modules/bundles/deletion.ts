import type { Db } from '../../db/database.ts';

/**
 * Reasons a bundle or a bundle price option must not be deleted, as sentences for a 409 (the
 * shared `errors.blocked`: the reasons in the message and in `errors.blocked_by`, as product and
 * variant removal report theirs). Both run inside the deleting transaction with the bundle row locked.
 *
 * Store placements do not block: they disappear with the option (the relations routes show them
 * beforehand). Areas that later keep references a deletion would break (orders, carts with
 * history) add their checks here, e.g. "it appears in 3 orders".
 */
export async function bundleDeletionBlockers(
  _trx: Db,
  _businessId: number,
  _bundleId: number,
): Promise<string[]> {
  return [];
}

export async function priceOptionDeletionBlockers(
  _trx: Db,
  _businessId: number,
  _optionId: number,
): Promise<string[]> {
  return [];
}
