/**
 * The bank-transfer unique code: a few Rupiah taken off the order so its transfer amount differs
 * from every other transfer the store is waiting for, and the merchant can tell whose money
 * arrived by the amount alone (e.g. 150,000 becomes 149,724).
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { type Cents, formatCents, toCents } from '../../lib/money.ts';
import * as q from './queries.ts';

/** A store that switched unique codes on without a maximum gets codes up to this many Rupiah. */
export const DEFAULT_MAX_UNIQUE_CODE = 999;
/** How far back unpaid transfers are considered still awaited. */
export const AWAITED_TRANSFER_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;
const RUPIAH = 100n;

export interface UniqueCodeRequest {
  storeId: number;
  paymentMethod: string;
  store: { is_unique_code: boolean; max_unique_code_amount: number };
  /** What the buyer would transfer without a code. */
  grossRevenue: string;
  now?: Date;
}

/**
 * The deduction (in cents) for a new order, 0 when the store does not use unique codes or the
 * order is not a bank transfer. The code is drawn at random among 1..max Rupiah such that no unpaid
 * bank-transfer order of the store from the last days already awaits the resulting amount (one
 * query over the candidate range); when every value is taken it is drawn from all of them. Random rather than
 * smallest-free, so two checkouts racing for the same amount rarely pick the same code.
 * Never takes the amount below 1 Rupiah.
 */
export async function assignUniqueCode(db: Db, request: UniqueCodeRequest): Promise<Cents> {
  if (request.paymentMethod !== 'bank_transfer' || !request.store.is_unique_code) return 0n;
  const gross = toCents(request.grossRevenue);
  const wholeRupiah = gross / RUPIAH;
  const configured = request.store.max_unique_code_amount || DEFAULT_MAX_UNIQUE_CODE;
  const max = Math.min(configured, Number(wholeRupiah - 1n));
  if (max < 1) return 0n;
  const now = request.now ?? new Date();
  const taken = await q.awaitedTransferAmounts(
    db,
    request.storeId,
    { low: formatCents(gross - BigInt(max) * RUPIAH), high: formatCents(gross - RUPIAH) },
    new Date(now.getTime() - AWAITED_TRANSFER_DAYS * DAY_MS),
  );
  const takenCodes = new Set(taken.map((amount) => Number((gross - toCents(amount)) / RUPIAH)));
  return BigInt(pickFree(max, takenCodes)) * RUPIAH;
}

const RANDOM_TRIES = 32;

/** A random code in 1..max not in `taken` (a few draws, then a scan); any code when none is free. */
export function pickFree(max: number, taken: ReadonlySet<number>): number {
  for (let attempt = 0; attempt < RANDOM_TRIES; attempt++) {
    const code = randomInt(1, max + 1);
    if (!taken.has(code)) return code;
  }
  const free: number[] = [];
  for (let code = 1; code <= max; code++) if (!taken.has(code)) free.push(code);
  return free.length > 0 ? free[randomInt(free.length)]! : randomInt(1, max + 1);
}
