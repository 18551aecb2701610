import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundWork } from '../../src/background.ts';
import type { Db } from '../../src/db/database.ts';
import { PAYOUT_SYNC_JOB, RESERVATION_EXPIRY_SWEEP_JOB } from '../../src/modules/oauth-billing/jobs.ts';
import { setPayoutAccount } from '../../src/modules/oauth-billing/payout-accounts.ts';
import { type IsolatedContext, isolatedContext } from '../helpers/isolated.ts';
import { send } from '../helpers/tenants.ts';
import { billingSetup, earn, PRICE, reserve, walletOf } from '../modules/oauth-billing/fixtures.ts';

/**
 * OAuth Billing's recurring jobs, through the worker loop the server runs, on a database of this
 * suite's own (the sweeps span every business). Time passing is played by moving `expires_at` and
 * the schedules into the past.
 */
let iso: IsolatedContext;
let stop: () => Promise<void>;
const problems: string[] = [];

beforeAll(async () => {
  iso = await isolatedContext();
  const note = (object: object, message?: string) => problems.push(`${message} ${JSON.stringify(object)}`);
  stop = startBackgroundWork(
    iso.runtime,
    { info: () => {}, warn: note, error: note },
    { pollMs: 50, scheduleCheckMs: 50 },
  );
});
afterAll(async () => {
  await stop?.();
  await iso?.close();
  expect(problems).toEqual([]);
});

const db = (): Db => iso.ctx.database.db;

async function dueNow(kind: string) {
  await db()
    .updateTable('job_schedules')
    .set({ next_run_at: sql<Date>`now()` })
    .where('kind', '=', kind)
    .execute();
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen: last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('OAuth billing jobs, through the running worker', () => {
  it('releases a reservation past its expiry back to the wallet and leaves live ones held', async () => {
    const billing = await billingSetup('Expiry job', 3 * PRICE, { on: iso.ctx });
    const due = await reserve(billing, 'due');
    const live = await reserve(billing, 'live');
    await db()
      .updateTable('oauth_billing_reservations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', due.id)
      .execute();
    await dueNow(RESERVATION_EXPIRY_SWEEP_JOB);
    const expired = await eventually(
      () =>
        db()
          .selectFrom('oauth_billing_reservations')
          .selectAll()
          .where('id', '=', due.id)
          .executeTakeFirstOrThrow(),
      (row) => row.billing_status === 'expired',
      'the expiry sweep',
    );
    expect(expired.released_reason).toBe('expired');
    expect(await walletOf(billing.merchant)).toBe(2 * PRICE);
    const held = await db()
      .selectFrom('oauth_billing_reservations')
      .select('billing_status')
      .where('id', '=', live.id)
      .executeTakeFirstOrThrow();
    expect(held.billing_status).toBe('reserved');
    // Expired holds cannot be released or captured any more.
    expect((await billing.asApp('POST', `/v3/oauth/billing/reservations/${due.id}/release`)).statusCode).toBe(
      409,
    );
  });

  it('settles a sandbox payout on the payout sync', async () => {
    const billing = await billingSetup('Payout job', 3 * PRICE, { on: iso.ctx });
    await earn(billing, 1);
    const { developer } = billing;
    await setPayoutAccount(db(), developer.business.id, {
      channelCode: 'ID_BCA',
      accountNumber: '1234567890',
      accountHolderName: 'Dev',
    });
    const created = await send(iso.ctx, 'POST', '/v3/developer/oauth-billing/withdrawals', {
      body: { amount: 4000 },
      headers: { authorization: `Bearer ${developer.apiKey}` },
    });
    expect(created.statusCode, created.body).toBe(201);
    await dueNow(PAYOUT_SYNC_JOB);
    await eventually(
      () =>
        db()
          .selectFrom('oauth_billing_settlements')
          .select('status')
          .where('id', '=', created.json().id)
          .executeTakeFirstOrThrow(),
      (row) => row.status === 'succeeded',
      'the payout sync',
    );
    const { rows } = await sql<{ balance: number }>`
      select balance from billing_accounts where kind = 'payouts_in_transit' and business_id = ${developer.business.id}`.execute(
      db(),
    );
    expect(rows[0]!.balance).toBe(0);
  });
});
