import { describe, expect, it } from 'vitest';
import { billedCall, billingSetup, PRICE, reserve } from './fixtures.ts';

const BASE = '/v3/developer/oauth-billing';
const SCOPE = 'business:manage_developer_settings';

describe('developer OAuth billing reads', () => {
  it('lists actions, earnings, reservations, charges and ledger entries of the apps the business owns', async () => {
    const billing = await billingSetup('Dev reads', 5 * PRICE);
    const { developer } = billing;
    const reservations = [];
    for (const key of ['a', 'b', 'c']) reservations.push(await reserve(billing, key));
    const chargeA = (await billedCall(billing, reservations[0]!.id)) as string;
    await billedCall(billing, reservations[1]!.id);

    const actions = await developer.request('GET', `${BASE}/actions`);
    expect(actions.statusCode).toBe(200);
    expect(actions.json().is_paginated).toBe(false);
    expect(actions.json().data.map((a: { action_key: string }) => a.action_key)).toContain('store.create');

    expect((await developer.request('GET', `${BASE}/earnings`)).json()).toEqual({
      balance: 18_000,
      currency: 'IDR',
    });

    const page1 = await developer.request('GET', `${BASE}/reservations`, { query: { page_size: 2 } });
    expect(page1.statusCode, page1.body).toBe(200);
    expect(page1.json()).toMatchObject({ is_paginated: true, has_next: true, page_size: 2 });
    const page2 = await developer.request('GET', `${BASE}/reservations`, {
      query: { page_size: 2, next_cursor: page1.json().next_cursor },
    });
    const ids = [...page1.json().data, ...page2.json().data].map((r: { id: string }) => r.id);
    expect(ids.sort()).toEqual(reservations.map((r) => r.id).sort());
    const reserved = await developer.request('GET', `${BASE}/reservations`, {
      query: { billing_status: 'reserved' },
    });
    expect(reserved.json().data.map((r: { id: string }) => r.id)).toEqual([reservations[2]!.id]);
    const byKey = await developer.request('GET', `${BASE}/reservations`, {
      query: { billing_idempotency_key: 'b' },
    });
    expect(byKey.json().data).toHaveLength(1);
    const one = await developer.request('GET', `${BASE}/reservations/${reservations[0]!.id}`);
    expect(one.json()).toMatchObject({ billing_status: 'captured', charge_id: chargeA });

    const charges = await developer.request('GET', `${BASE}/charges`);
    expect(charges.json().data).toHaveLength(2);
    const requestId = charges.json().data[0].request_id;
    const byRequest = await developer.request('GET', `${BASE}/charges`, { query: { request_id: requestId } });
    expect(byRequest.json().data).toHaveLength(1);
    // The filters reservations and charges share, on charges: one that matches, one that cannot.
    const byKeyAndAction = await developer.request('GET', `${BASE}/charges`, {
      query: { billing_idempotency_key: 'a', action_key: charges.json().data[0].action_key },
    });
    expect(byKeyAndAction.json().data.map((c: { id: string }) => c.id)).toEqual([chargeA]);
    const otherMerchant = await developer.request('GET', `${BASE}/charges`, {
      query: { merchant_business_id: 999_999_999 },
    });
    expect(otherMerchant.statusCode, otherMerchant.body).toBe(200);
    expect(otherMerchant.json().data).toEqual([]);
    expect((await developer.request('GET', `${BASE}/charges/${chargeA}`)).json()).toMatchObject({
      id: chargeA,
    });

    const ledger = await developer.request('GET', `${BASE}/ledger`, { query: { entry_type: 'accrual' } });
    expect(ledger.statusCode, ledger.body).toBe(200);
    expect(ledger.json().data).toHaveLength(2);
    const [latest, earliest] = ledger.json().data;
    expect(earliest).toMatchObject({
      entry_type: 'accrual',
      amount: 9000,
      balance_before: 0,
      balance_after: 9000,
    });
    expect(latest).toMatchObject({ balance_before: 9000, balance_after: 18_000 });
    const none = await developer.request('GET', `${BASE}/ledger`, { query: { entry_type: 'withdrawal' } });
    expect(none.json().data).toEqual([]);
  });

  it("shows a business nothing of another developer's apps", async () => {
    const billing = await billingSetup('Dev isolation');
    const reservation = await reserve(billing, 'a');
    const chargeId = (await billedCall(billing, reservation.id)) as string;
    // The merchant is not the developer: the money it paid is not its earnings.
    const { merchant } = billing;
    expect((await merchant.request('GET', `${BASE}/earnings`)).json()).toEqual({
      balance: 0,
      currency: 'IDR',
    });
    expect((await merchant.request('GET', `${BASE}/reservations`)).json().data).toEqual([]);
    expect((await merchant.request('GET', `${BASE}/charges`)).json().data).toEqual([]);
    expect((await merchant.request('GET', `${BASE}/ledger`)).json().data).toEqual([]);
    expect((await merchant.request('GET', `${BASE}/reservations/${reservation.id}`)).statusCode).toBe(404);
    expect((await merchant.request('GET', `${BASE}/charges/${chargeId}`)).statusCode).toBe(404);
    expect((await merchant.request('GET', `${BASE}/charges/not-a-uuid`)).statusCode).toBe(404);
  });

  it('needs the developer-settings scope and a business credential', async () => {
    const billing = await billingSetup('Dev auth');
    const { developer } = billing;
    const narrow = await developer.restrictedKey(['order:list']);
    const allowed = await developer.restrictedKey([SCOPE]);
    for (const path of ['earnings', 'actions', 'reservations', 'charges', 'ledger']) {
      const denied = await developer.request('GET', `${BASE}/${path}`, { key: narrow });
      expect(denied.statusCode, path).toBe(403);
      expect(denied.json().error_code).toBe('insufficient_scope');
      expect((await developer.request('GET', `${BASE}/${path}`, { key: allowed })).statusCode, path).toBe(
        200,
      );
      // An installed app's OAuth token is not a developer credential.
      expect((await billing.asApp('GET', `${BASE}/${path}`)).statusCode, path).toBe(401);
    }
    const bad = await developer.request('GET', `${BASE}/reservations`, { query: { page_size: 0 } });
    expect(bad.statusCode).toBe(422);
    const badType = await developer.request('GET', `${BASE}/ledger`, { query: { entry_type: 'bonus' } });
    expect(badType.statusCode).toBe(422);
  });
});
