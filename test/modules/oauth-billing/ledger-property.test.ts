import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import { setPayoutAccount } from '../../../src/modules/oauth-billing/payout-accounts.ts';
import { expireReservation } from '../../../src/modules/oauth-billing/reservations.ts';
import { type IsolatedContext, isolatedContext } from '../../helpers/isolated.ts';
import { send } from '../../helpers/tenants.ts';
import { type Billing, billingSetup, RESERVATION_HEADER } from './fixtures.ts';

/**
 * The ledger's invariants under a random mix of reservations, releases, captures, refunds,
 * withdrawals and expiries, several at a time, on a database of its own (so "every entry" means
 * exactly this run's): every movement sums to zero, no balance but the platform's funding goes
 * negative, cached balances equal their entries, and replaying every idempotent request changes
 * nothing.
 */
let iso: IsolatedContext;
beforeAll(async () => {
  iso = await isolatedContext();
});
afterAll(async () => {
  await iso?.close();
});
const db = (): Db => iso.ctx.database.db;

/** mulberry32: a seeded generator, so a failing sequence can be replayed from its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function invariants() {
  const unbalanced = await sql<{ movement_id: string }>`
    select movement_id from billing_ledger_entries group by movement_id having sum(amount) <> 0`.execute(
    db(),
  );
  expect(unbalanced.rows).toEqual([]);
  const accounts = await sql<{ kind: string; balance: number; entries: string | null }>`
    select a.kind, a.balance, (select sum(e.amount) from billing_ledger_entries e where e.account_id = a.id) as entries
    from billing_accounts a`.execute(db());
  for (const account of accounts.rows) {
    expect(Number(account.entries ?? 0)).toBe(account.balance);
    if (account.kind !== 'platform_funding') expect(account.balance).toBeGreaterThanOrEqual(0);
  }
  const total = accounts.rows.reduce((sum, account) => sum + account.balance, 0);
  expect(total).toBe(0);
}

async function snapshot() {
  const { rows } = await sql<{ entries: string; balances: string }>`
    select (select count(*) from billing_ledger_entries) as entries,
           (select string_agg(id || ':' || balance, ',' order by id) from billing_accounts) as balances`.execute(
    db(),
  );
  return rows[0];
}

describe('OAuth billing ledger properties', () => {
  it('keeps every invariant through random concurrent operations, and idempotent retries change nothing', async () => {
    const next = random(20261207);
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
    const billing: Billing = await billingSetup('Property', 60_000, { on: iso.ctx });
    const { developer } = billing;
    await setPayoutAccount(db(), developer.business.id, {
      channelCode: 'ID_BCA',
      accountNumber: '1234567890',
      accountHolderName: 'Dev',
    });
    const reservations: string[] = [];
    const captured: string[] = [];
    const refundAnswers: number[] = [];
    const requests: Array<() => ReturnType<typeof send>> = [];
    let n = 0;

    const operations: Array<() => Promise<unknown>> = [
      async () => {
        const body = {
          billing_tag: pick(['store_create', 'discount_create']),
          billing_idempotency_key: `k${n++}`,
        };
        const send_ = () => billing.asApp('POST', '/v3/oauth/billing/reservations', body);
        const answer = await send_();
        expect([201, 402]).toContain(answer.statusCode);
        if (answer.statusCode === 201) {
          reservations.push(answer.json().id);
          requests.push(send_);
        }
      },
      async () => {
        const id = pick(reservations);
        if (id)
          expect([200, 409]).toContain(
            (await billing.asApp('POST', `/v3/oauth/billing/reservations/${id}/release`)).statusCode,
          );
      },
      async () => {
        // The newest reservation is the likeliest to be still held.
        const id = next() < 0.5 ? reservations[reservations.length - 1] : pick(reservations);
        if (!id) return;
        const answer = await billing.asApp(
          'POST',
          '/v3/stores',
          { name: 'Prop' },
          { [RESERVATION_HEADER]: id },
        );
        if (answer.headers['x-scalev-billing-charge-id']) captured.push(id);
      },
      async () => {
        const id = pick(captured);
        if (!id) return;
        const body = {
          billing_reservation_id: id,
          refund_idempotency_key: `r${n++}`,
          reason_code: 'p',
          reason: 'p',
        };
        const send_ = () => billing.asApp('POST', '/v3/oauth/billing/refunds', body);
        const answer = await send_();
        expect([201, 404, 409]).toContain(answer.statusCode);
        refundAnswers.push(answer.statusCode);
        if (answer.statusCode === 201) requests.push(send_);
      },
      async () => {
        const key = `w${n++}`;
        const amount = 1 + Math.floor(next() * 1500);
        const send_ = () =>
          send(iso.ctx, 'POST', '/v3/developer/oauth-billing/withdrawals', {
            body: { amount },
            headers: { authorization: `Bearer ${developer.apiKey}`, 'idempotency-key': key },
          });
        const answer = await send_();
        expect([201, 402]).toContain(answer.statusCode);
        if (answer.statusCode === 201) requests.push(send_);
      },
      async () => {
        const id = pick(reservations);
        if (!id) return;
        await db()
          .updateTable('oauth_billing_reservations')
          .set({ expires_at: new Date(Date.now() - 1000) })
          .where('id', '=', id)
          .where('billing_status', '=', 'reserved')
          .execute();
        await expireReservation(db(), id);
      },
    ];

    for (let round = 0; round < 16; round += 1) {
      await Promise.all(Array.from({ length: 4 }, () => pick(operations)!()));
      await invariants();
    }
    expect(reservations.length).toBeGreaterThan(3);
    expect(refundAnswers).toContain(201);
    const kinds = await db()
      .selectFrom('billing_ledger_entries')
      .select('movement_kind')
      .distinct()
      .execute();
    // The sequence (fixed seed) reaches every kind of movement, so every rule above was exercised.
    expect(kinds.map((k) => k.movement_kind).sort()).toEqual(
      ['capture', 'expiry', 'refund', 'release', 'reservation', 'top_up', 'withdrawal'].sort(),
    );

    const before = await snapshot();
    for (const retry of requests) expect((await retry()).statusCode).toBe(200);
    expect(await snapshot()).toEqual(before);
    await invariants();
  });
});
