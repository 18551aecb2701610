import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import {
  applyKeyset,
  type CursorCodec,
  cursorScope,
  type PageParams,
  paginate,
} from '../../http/pagination.ts';
import {
  type Payout,
  type PayoutProvider,
  PayoutRejected,
  PayoutUnavailable,
} from '../../providers/payouts/index.ts';
import { InsufficientBalance, type Leg, paymentRequired, postMovement } from './ledger.ts';
import { payoutAccountOf } from './payout-accounts.ts';
import type { SettlementStatus } from './tables.ts';

type SettlementRow = NonNullable<Awaited<ReturnType<typeof findSettlement>>>;

function findSettlement(db: Db, businessId: number, id: string) {
  return db
    .selectFrom('oauth_billing_settlements')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function settlementView(row: SettlementRow) {
  return {
    id: row.id,
    timestamp: row.created_at.toISOString(),
    settlement_rail: 'xendit' as const,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    balance_before: row.balance_before,
    balance_after: row.balance_after,
    description: row.description,
    xendit_transfer_id: row.xendit_transfer_id,
    business_id: row.business_id,
    metadata: { ...row.metadata, ...(row.failure_code ? { failure_code: row.failure_code } : {}) },
  };
}

/** Rolls back a withdrawal whose idempotency key a concurrent request took first. */
class KeyTaken extends Error {}

/**
 * Moves `amount` of the developer's earnings into payouts in transit (402 when the earnings cannot
 * cover it) and asks the payout provider to pay it, outside the transaction. The provider's answer
 * sets the status; an unreachable provider leaves the settlement `pending` for the payout sync job,
 * which retries with the same idempotency key (the settlement id). The same `Idempotency-Key`
 * answers the first withdrawal again; reusing it for another amount is a 409.
 */
export async function withdraw(
  db: Db,
  provider: PayoutProvider,
  businessId: number,
  input: { amount: number; idempotencyKey: string | undefined },
) {
  const replay = async () => {
    if (!input.idempotencyKey) return undefined;
    const earlier = await db
      .selectFrom('oauth_billing_settlements')
      .selectAll()
      .where('business_id', '=', businessId)
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (!earlier) return undefined;
    if (earlier.amount !== input.amount)
      throw errors.conflict('Idempotency-Key was already used for another amount');
    return { settlement: settlementView(earlier), replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  if (!(await payoutAccountOf(db, businessId)))
    throw errors.conflict('This business has no payout account yet (nexus billing payout-account set)');

  const id = randomUUID();
  try {
    await db.transaction().execute(async (trx) => {
      const [earnings] = await postMovement(
        trx,
        'withdrawal',
        [
          { kind: 'developer_earnings', businessId, amount: -input.amount },
          { kind: 'payouts_in_transit', businessId, amount: input.amount },
        ],
        { settlementId: id },
      );
      const inserted = await trx
        .insertInto('oauth_billing_settlements')
        .values({
          id,
          business_id: businessId,
          status: 'pending',
          amount: input.amount,
          balance_before: earnings!.balanceBefore,
          balance_after: earnings!.balanceAfter,
          description: `OAuth billing earnings withdrawal of IDR ${input.amount}`,
          idempotency_key: input.idempotencyKey ?? null,
          metadata: JSON.stringify({}),
        })
        .onConflict((oc) => oc.columns(['business_id', 'idempotency_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw new KeyTaken();
    });
  } catch (error) {
    if (error instanceof InsufficientBalance)
      throw paymentRequired('The earnings balance cannot cover this withdrawal');
    if (error instanceof KeyTaken) {
      const raced = await replay();
      if (raced) return raced;
    }
    throw error;
  }
  await submitPayout(db, provider, businessId, id);
  return {
    settlement: settlementView((await findSettlement(db, businessId, id)) as SettlementRow),
    replayed: false,
  };
}

/** Sends (or re-sends, same key) a pending settlement to the provider and records its answer. */
export async function submitPayout(db: Db, provider: PayoutProvider, businessId: number, id: string) {
  const settlement = await findSettlement(db, businessId, id);
  const account = await payoutAccountOf(db, businessId);
  if (settlement?.status !== 'pending' || !account) return;
  try {
    const payout = await provider.createPayout({
      referenceId: settlement.id,
      amount: settlement.amount,
      currency: 'IDR',
      channelCode: account.channelCode,
      accountNumber: account.accountNumber,
      accountHolderName: account.accountHolderName,
      description: settlement.description,
    });
    await applyPayout(db, settlement, payout);
  } catch (error) {
    if (error instanceof PayoutRejected) {
      await closeSettlement(db, settlement, 'failed', error.code, null);
      return;
    }
    if (!(error instanceof PayoutUnavailable)) throw error;
  }
}

/** Records what the provider says of a payout: in progress, paid, or failed (money back to earnings). */
export async function applyPayout(db: Db, settlement: SettlementRow, payout: Payout) {
  if (payout.status === 'ACCEPTED' || payout.status === 'REQUESTED') {
    await db
      .updateTable('oauth_billing_settlements')
      .set({ status: 'requested', xendit_transfer_id: payout.id, updated_at: new Date() })
      .where('id', '=', settlement.id)
      .where('business_id', '=', settlement.business_id)
      .where('status', 'in', ['pending', 'requested'])
      .execute();
    return;
  }
  if (payout.status === 'SUCCEEDED') return closeSettlement(db, settlement, 'succeeded', null, payout.id);
  return closeSettlement(db, settlement, 'failed', payout.failureCode ?? payout.status, payout.id);
}

/**
 * Ends an open settlement in one transaction with its ledger movement: paid out of transit, or back
 * to earnings. The conditional update makes a second report of the same outcome a no-op. A payout
 * Xendit reverses after success also comes back to earnings.
 */
async function closeSettlement(
  db: Db,
  settlement: SettlementRow,
  to: Extract<SettlementStatus, 'succeeded' | 'failed'>,
  failureCode: string | null,
  transferId: string | null,
) {
  const from: SettlementStatus[] = failureCode === 'REVERSED' ? ['succeeded'] : ['pending', 'requested'];
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('oauth_billing_settlements')
      .set({
        status: to,
        failure_code: failureCode,
        updated_at: new Date(),
        ...(transferId ? { xendit_transfer_id: transferId } : {}),
      })
      .where('id', '=', settlement.id)
      .where('business_id', '=', settlement.business_id)
      .where('status', 'in', from)
      .returning(['status'])
      .executeTakeFirst();
    if (!row) return;
    const source: Leg['kind'] = from.includes('succeeded') ? 'payouts_settled' : 'payouts_in_transit';
    const legs: Leg[] =
      to === 'succeeded'
        ? [
            { kind: 'payouts_in_transit', businessId: settlement.business_id, amount: -settlement.amount },
            { kind: 'payouts_settled', businessId: null, amount: settlement.amount },
          ]
        : [
            {
              kind: source,
              businessId: source === 'payouts_settled' ? null : settlement.business_id,
              amount: -settlement.amount,
            },
            { kind: 'developer_earnings', businessId: settlement.business_id, amount: settlement.amount },
          ];
    await postMovement(trx, to === 'succeeded' ? 'payout_succeeded' : 'payout_failed', legs, {
      settlementId: settlement.id,
    });
  });
}

/**
 * One settlement's sync step: a pending one is (re-)sent, a requested one is asked about. A provider
 * that is down or does not know the payout leaves it as it is for the next run.
 */
export async function syncSettlement(db: Db, provider: PayoutProvider, businessId: number, id: string) {
  const settlement = await findSettlement(db, businessId, id);
  if (settlement?.status === 'pending') return submitPayout(db, provider, businessId, id);
  if (settlement?.status !== 'requested' || !settlement.xendit_transfer_id) return;
  try {
    await applyPayout(db, settlement, await provider.getPayout(settlement.xendit_transfer_id));
  } catch (error) {
    if (!(error instanceof PayoutUnavailable || error instanceof PayoutRejected)) throw error;
  }
}

/** The payout sync job: every open settlement, least recently updated first. */
export async function syncOpenSettlements(db: Db, provider: PayoutProvider, limit = 100): Promise<number> {
  const open = await db
    .selectFrom('oauth_billing_settlements')
    .select(['id', 'business_id'])
    .where('status', 'in', ['pending', 'requested'])
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  for (const settlement of open) await syncSettlement(db, provider, settlement.business_id, settlement.id);
  return open.length;
}

export function listSettlements(
  db: Db,
  cursors: CursorCodec,
  businessId: number,
  query: PageParams & { status?: string },
) {
  const { page_size, next_cursor, previous_cursor, status } = query;
  return paginate({
    codec: cursors,
    scope: cursorScope('oauth_billing_settlements', { business: businessId, status }),
    page: { page_size, next_cursor, previous_cursor },
    defaultPageSize: 25,
    fetch: (window) => {
      let q = db.selectFrom('oauth_billing_settlements').selectAll().where('business_id', '=', businessId);
      if (status) q = q.where('status', '=', status as SettlementStatus);
      return applyKeyset(q, ['created_at', 'id'], 'desc', window).execute();
    },
    keyOf: (row) => [row.created_at.toISOString(), row.id],
    map: settlementView,
  });
}
