import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPayoutAccount } from '../../../src/modules/oauth-billing/payout-accounts.ts';
import { syncSettlement } from '../../../src/modules/oauth-billing/settlements.ts';
import { XenditPayoutProvider } from '../../../src/providers/payouts/index.ts';
import { buildTestApp, getTestContext, type TestContext, testConfig } from '../../helpers/app.ts';
import { send, type Tenant } from '../../helpers/tenants.ts';
import { STUB_SECRET_KEY, XenditPayoutsStub } from '../../providers/xendit-payouts-stub.ts';
import { billingSetup, earn } from './fixtures.ts';

const BASE = '/v3/developer/oauth-billing';
const account = { channelCode: 'ID_BCA', accountNumber: '1234567890', accountHolderName: 'Dev Studio' };

async function developerWithEarnings(name: string, captures = 2) {
  const billing = await billingSetup(name, 5 * 10_000);
  await earn(billing, captures);
  return billing;
}

function withdraw(
  tenant: Tenant,
  amount: unknown,
  options: { key?: string; ctx?: TestContext; extra?: object } = {},
) {
  return send(options.ctx ?? tenant.ctx, 'POST', `${BASE}/withdrawals`, {
    body: { amount, ...options.extra },
    headers: {
      authorization: `Bearer ${tenant.apiKey}`,
      ...(options.key ? { 'idempotency-key': options.key } : {}),
    },
  });
}

const earningsOf = async (tenant: Tenant) => (await tenant.request('GET', `${BASE}/earnings`)).json().balance;

describe('createDeveloperOAuthBillingWithdrawal (sandbox rail)', () => {
  it('moves earnings into a payout and answers a retry with the same settlement', async () => {
    const { developer } = await developerWithEarnings('Withdraw');
    expect((await withdraw(developer, 5000)).statusCode).toBe(409);
    await setPayoutAccount(developer.ctx.database.db, developer.business.id, account);

    const first = await withdraw(developer, 5000, { key: 'w-1' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      settlement_rail: 'xendit',
      status: 'requested',
      amount: 5000,
      currency: 'IDR',
      balance_before: 18_000,
      balance_after: 13_000,
      business_id: developer.business.id,
    });
    expect(first.json().xendit_transfer_id).toMatch(/^sandbox-disb-/);
    expect(await earningsOf(developer)).toBe(13_000);
    const retry = await withdraw(developer, 5000, { key: 'w-1' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    expect(await earningsOf(developer)).toBe(13_000);
    expect((await withdraw(developer, 4000, { key: 'w-1' })).statusCode).toBe(409);

    const ledger = await developer.request('GET', `${BASE}/ledger`, { query: { entry_type: 'withdrawal' } });
    expect(ledger.json().data).toMatchObject([
      { amount: -5000, balance_before: 18_000, balance_after: 13_000 },
    ]);
    const list = await developer.request('GET', `${BASE}/settlements`, { query: { status: 'requested' } });
    expect(list.json().data.map((s: { id: string }) => s.id)).toEqual([first.json().id]);
    expect(
      (await developer.request('GET', `${BASE}/settlements`, { query: { status: 'failed' } })).json().data,
    ).toEqual([]);
  });

  it('answers 402 beyond the earnings and rejects bad input and other credentials', async () => {
    const billing = await developerWithEarnings('Withdraw bad', 1);
    const { developer, merchant } = billing;
    await setPayoutAccount(developer.ctx.database.db, developer.business.id, account);
    const broke = await withdraw(developer, 9001);
    expect(broke.statusCode).toBe(402);
    expect(broke.json().error_code).toBe('insufficient_balance');
    expect((await withdraw(developer, 0)).statusCode).toBe(422);
    expect((await withdraw(developer, 1.5)).statusCode).toBe(422);
    expect((await withdraw(developer, 10, { extra: { settlement_rail: 'bank' } })).statusCode).toBe(422);
    // The merchant has no earnings of its own; an app token is no developer credential.
    expect((await withdraw(merchant, 10)).statusCode).toBe(409);
    const asApp = await billing.asApp('POST', `${BASE}/withdrawals`, { amount: 10 });
    expect(asApp.statusCode).toBe(401);
    const narrow = await developer.restrictedKey(['order:list']);
    const denied = await send(developer.ctx, 'POST', `${BASE}/withdrawals`, {
      body: { amount: 10 },
      headers: { authorization: `Bearer ${narrow}` },
    });
    expect(denied.statusCode).toBe(403);
    expect((await merchant.request('GET', `${BASE}/settlements`)).json().data).toEqual([]);
    expect(await earningsOf(developer)).toBe(9000);
  });
});

describe('withdrawals through Xendit payouts (local stub)', () => {
  const stub = new XenditPayoutsStub();
  let xendit: TestContext;
  let provider: XenditPayoutProvider;

  beforeAll(async () => {
    await stub.start();
    provider = new XenditPayoutProvider({ secretKey: STUB_SECRET_KEY, baseUrl: stub.url, timeoutMs: 2000 });
    const shared = await getTestContext();
    const config = testConfig();
    xendit = await buildTestApp(shared.database, {
      ...config,
      oauthBilling: {
        ...config.oauthBilling,
        payouts: { driver: 'xendit', xendit: { secretKey: STUB_SECRET_KEY, baseUrl: stub.url } },
      },
    });
  });
  afterAll(async () => {
    await xendit?.app.close();
    await stub.stop();
  });

  async function settlement(tenant: Tenant, id: string) {
    const list = await send(xendit, 'GET', `${BASE}/settlements`, {
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    });
    return list.json().data.find((s: { id: string }) => s.id === id);
  }

  it('sends the payout with its idempotency key and settles it when Xendit reports success', async () => {
    const { developer } = await developerWithEarnings('Xendit ok');
    await setPayoutAccount(developer.ctx.database.db, developer.business.id, account);
    const response = await withdraw(developer, 7000, { ctx: xendit });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created.status).toBe('requested');
    const sent = stub.requests.find((r) => r.method === 'POST' && r.body?.reference_id === created.id)!;
    expect(sent.headers['idempotency-key']).toBe(created.id);
    expect(sent.body).toMatchObject({
      amount: 7000,
      currency: 'IDR',
      channel_code: 'ID_BCA',
      channel_properties: { account_number: '1234567890', account_holder_name: 'Dev Studio' },
    });
    expect(created.xendit_transfer_id).toMatch(/^disb-/);
    stub.outcome = 'SUCCEEDED';
    await syncSettlement(developer.ctx.database.db, provider, developer.business.id, created.id);
    expect((await settlement(developer, created.id)).status).toBe('succeeded');
    expect(await earningsOf(developer)).toBe(11_000);
  });

  it('returns a failed payout to the earnings with ledger entries', async () => {
    const { developer } = await developerWithEarnings('Xendit failed');
    await setPayoutAccount(developer.ctx.database.db, developer.business.id, account);
    const created = (await withdraw(developer, 7000, { ctx: xendit })).json();
    expect(await earningsOf(developer)).toBe(11_000);
    stub.outcome = 'FAILED';
    await syncSettlement(developer.ctx.database.db, provider, developer.business.id, created.id);
    stub.outcome = 'SUCCEEDED';
    const failed = await settlement(developer, created.id);
    expect(failed).toMatchObject({ status: 'failed', metadata: { failure_code: 'INVALID_DESTINATION' } });
    expect(await earningsOf(developer)).toBe(18_000);
    const adjustments = await developer.request('GET', `${BASE}/ledger`, {
      query: { entry_type: 'adjustment' },
    });
    expect(adjustments.json().data).toMatchObject([
      { amount: 7000, balance_before: 11_000, balance_after: 18_000 },
    ]);
  });

  it('keeps a payout pending while Xendit is down and sends it once with the same key later', async () => {
    const { developer } = await developerWithEarnings('Xendit down');
    await setPayoutAccount(developer.ctx.database.db, developer.business.id, account);
    stub.failure = 503;
    const created = (await withdraw(developer, 3000, { ctx: xendit })).json();
    stub.failure = null;
    expect(created).toMatchObject({ status: 'pending', xendit_transfer_id: null });
    await syncSettlement(developer.ctx.database.db, provider, developer.business.id, created.id);
    const requested = await settlement(developer, created.id);
    expect(requested.status).toBe('requested');
    const posts = stub.requests.filter(
      (r) => r.method === 'POST' && r.headers['idempotency-key'] === created.id,
    );
    expect(posts.length).toBe(2);
  });
});
