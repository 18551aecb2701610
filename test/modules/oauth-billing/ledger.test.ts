import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  balanceOf,
  creditMerchantWallet,
  InsufficientBalance,
  postMovement,
} from '../../../src/modules/oauth-billing/ledger.ts';
import { createTenant } from '../../helpers/tenants.ts';

async function accountTotals(db: Awaited<ReturnType<typeof createTenant>>['ctx']['database']['db']) {
  const { rows } = await sql<{ id: number; balance: number; entries: string | null }>`
    select a.id, a.balance, (select sum(e.amount) from billing_ledger_entries e where e.account_id = a.id) as entries
    from billing_accounts a`.execute(db);
  return rows;
}

describe('OAuth billing ledger', () => {
  it('credits a wallet with a balanced movement and keeps each balance equal to its entries', async () => {
    const tenant = await createTenant('Ledger credit');
    const db = tenant.ctx.database.db;
    expect(await creditMerchantWallet(db, tenant.business.id, 5000)).toEqual({ balance: 5000 });
    expect(await creditMerchantWallet(db, tenant.business.id, 250)).toEqual({ balance: 5250 });
    expect(await balanceOf(db, 'merchant_wallet', tenant.business.id)).toBe(5250);
    for (const account of await accountTotals(db)) expect(Number(account.entries ?? 0)).toBe(account.balance);
    const { rows } = await sql<{
      total: string;
    }>`select sum(amount) as total from billing_ledger_entries`.execute(db);
    expect(Number(rows[0]!.total)).toBe(0);
  });

  it('rejects at commit a movement whose entries do not sum to zero', async () => {
    const tenant = await createTenant('Ledger unbalanced');
    const db = tenant.ctx.database.db;
    await creditMerchantWallet(db, tenant.business.id, 100);
    const wallet = await db
      .selectFrom('billing_accounts')
      .select('id')
      .where('kind', '=', 'merchant_wallet')
      .where('business_id', '=', tenant.business.id)
      .executeTakeFirstOrThrow();
    const movementId = randomUUID();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('billing_ledger_entries')
          .values({
            id: randomUUID(),
            movement_id: movementId,
            movement_kind: 'top_up',
            account_id: wallet.id,
            amount: 7,
            balance_after: 107,
            application_id: null,
            reservation_id: null,
            charge_id: null,
            settlement_id: null,
          })
          .execute();
      }),
    ).rejects.toThrow(/does not sum to zero/);
    const left = await db
      .selectFrom('billing_ledger_entries')
      .select('id')
      .where('movement_id', '=', movementId)
      .execute();
    expect(left).toEqual([]);
  });

  it('keeps entries append-only', async () => {
    const tenant = await createTenant('Ledger append only');
    const db = tenant.ctx.database.db;
    await creditMerchantWallet(db, tenant.business.id, 100);
    await expect(
      sql`update billing_ledger_entries set amount = amount * 2 where amount = 100`.execute(db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from billing_ledger_entries where amount = 100`.execute(db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('never lets two movements racing for the last balance both succeed', async () => {
    const tenant = await createTenant('Ledger race');
    const db = tenant.ctx.database.db;
    const id = tenant.business.id;
    await creditMerchantWallet(db, id, 1000);
    const hold = () =>
      db.transaction().execute((trx) =>
        postMovement(trx, 'reservation', [
          { kind: 'merchant_wallet', businessId: id, amount: -700 },
          { kind: 'merchant_holds', businessId: id, amount: 700 },
        ]),
      );
    const outcomes = await Promise.allSettled([hold(), hold(), hold()]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected'))
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientBalance);
    expect(await balanceOf(db, 'merchant_wallet', id)).toBe(300);
    expect(await balanceOf(db, 'merchant_holds', id)).toBe(700);
  });
});
