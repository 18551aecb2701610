import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { ApiError } from '../../http/errors.ts';
import type { AccountKind, MovementKind } from './tables.ts';

/** Accounts of the platform itself: one each, no business. */
const PLATFORM_KINDS = new Set<AccountKind>(['platform_funding', 'platform_fees', 'payouts_settled']);

/** One side of a movement: `amount` is added to the account's balance (negative takes from it). */
export interface Leg {
  kind: AccountKind;
  businessId: number | null;
  amount: number;
}

/** What the entries of a movement point at, for the lists that show them. */
export interface MovementRefs {
  applicationId?: number | null;
  reservationId?: string | null;
  chargeId?: string | null;
  settlementId?: string | null;
}

export interface PostedEntry {
  id: string;
  accountKind: AccountKind;
  businessId: number | null;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
}

/** The one refusal of the ledger: a leg would take an account below zero. */
export class InsufficientBalance extends Error {
  constructor(readonly kind: AccountKind) {
    super(`the ${kind} balance cannot cover this movement`);
  }
}

export function paymentRequired(message: string): ApiError {
  return new ApiError(402, 'insufficient_balance', message, {}, 'Insufficient balance');
}

async function accountId(trx: Db, kind: AccountKind, businessId: number | null): Promise<number> {
  if (PLATFORM_KINDS.has(kind) !== (businessId === null))
    throw new Error(`account ${kind} ${businessId === null ? 'needs' : 'takes no'} business`);
  // Created on first use; `on conflict do nothing` keeps concurrent first uses from failing.
  await sql`insert into billing_accounts (kind, business_id) values (${kind}, ${businessId})
    on conflict (kind, (coalesce(business_id, 0))) do nothing`.execute(trx);
  const row = await trx
    .selectFrom('billing_accounts')
    .select('id')
    .where('kind', '=', kind)
    .where((eb) => (businessId === null ? eb('business_id', 'is', null) : eb('business_id', '=', businessId)))
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Writes one movement inside the caller's transaction: each leg updates its account's balance
 * (the update locks the row, in account-id order so two movements never deadlock) and refuses to
 * take it below zero; then the entries are inserted together, each with the balance it left. The
 * deferred trigger of migration 0033 rejects the commit if the legs do not sum to zero.
 */
export async function postMovement(
  trx: Db,
  kind: MovementKind,
  legs: readonly Leg[],
  refs: MovementRefs = {},
): Promise<PostedEntry[]> {
  const movementId = randomUUID();
  const resolved = await Promise.all(
    legs
      .filter((leg) => leg.amount !== 0)
      .map(async (leg) => ({ ...leg, accountId: await accountId(trx, leg.kind, leg.businessId) })),
  );
  const ordered = [...resolved].sort((a, b) => a.accountId - b.accountId);
  const posted = new Map<(typeof resolved)[number], PostedEntry>();
  for (const leg of ordered) {
    const row = await trx
      .updateTable('billing_accounts')
      .set({ balance: sql`balance + ${leg.amount}` })
      .where('id', '=', leg.accountId)
      .where((eb) =>
        leg.kind === 'platform_funding' ? eb.lit(true) : eb(sql`balance + ${leg.amount}`, '>=', 0),
      )
      .returning('balance')
      .executeTakeFirst();
    if (!row) throw new InsufficientBalance(leg.kind);
    posted.set(leg, {
      id: randomUUID(),
      accountKind: leg.kind,
      businessId: leg.businessId,
      amount: leg.amount,
      balanceBefore: row.balance - leg.amount,
      balanceAfter: row.balance,
    });
  }
  const entries = resolved.map((leg) => posted.get(leg) as PostedEntry);
  if (entries.length) {
    await trx
      .insertInto('billing_ledger_entries')
      .values(
        resolved.map((leg, index) => ({
          id: entries[index]!.id,
          movement_id: movementId,
          movement_kind: kind,
          account_id: leg.accountId,
          amount: leg.amount,
          balance_after: entries[index]!.balanceAfter,
          application_id: refs.applicationId ?? null,
          reservation_id: refs.reservationId ?? null,
          charge_id: refs.chargeId ?? null,
          settlement_id: refs.settlementId ?? null,
        })),
      )
      .execute();
  }
  return entries;
}

/** The cached balance of an account (0 when it was never used). */
export async function balanceOf(db: Db, kind: AccountKind, businessId: number | null): Promise<number> {
  const row = await db
    .selectFrom('billing_accounts')
    .select('balance')
    .where('kind', '=', kind)
    .where((eb) => (businessId === null ? eb('business_id', 'is', null) : eb('business_id', '=', businessId)))
    .executeTakeFirst();
  return row?.balance ?? 0;
}

/**
 * Moves funds into a merchant's wallet from the platform funding account (`nexus billing credit`):
 * how a merchant gets a balance that reservations are held against.
 */
export async function creditMerchantWallet(db: Db, businessId: number, amount: number) {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error('amount must be a positive integer');
  return db.transaction().execute(async (trx) => {
    const [, wallet] = await postMovement(trx, 'top_up', [
      { kind: 'platform_funding', businessId: null, amount: -amount },
      { kind: 'merchant_wallet', businessId, amount },
    ]);
    return { balance: wallet!.balanceAfter };
  });
}
