import { describe, expect, it } from 'vitest';
import { payoutAccountOf } from '../../src/modules/oauth-billing/payout-accounts.ts';
import { nexus } from '../helpers/cli.ts';
import { createTenant, send } from '../helpers/tenants.ts';
import { authorizeQuery, Browser, developerApp, hiddenInputs, pkce, tokens } from '../modules/oauth/flow.ts';

describe('nexus billing and oauth billing-tag', () => {
  it('prices an app action, shows it on the consent page, snapshots it on install and funds the wallet', async () => {
    const developer = await createTenant('CLI Billing Dev');
    const merchant = await createTenant('CLI Billing Shop');
    const app = await developerApp(developer, ['store:create']);
    const tag = await nexus(
      'oauth',
      'billing-tag',
      'create',
      '--business',
      developer.business.unique_id,
      '--client-id',
      app.client_id,
      '--code',
      'new_store',
      '--label',
      'New store',
      '--price',
      '7500',
      '--action',
      'store.create',
      '--json',
    );
    expect(tag.code, tag.stderr).toBe(0);
    expect(JSON.parse(tag.stdout)).toMatchObject({
      tag_code: 'new_store',
      price: 7500,
      action_key: 'store.create',
    });
    const unknown = await nexus(
      'oauth',
      'billing-tag',
      'create',
      '--business',
      developer.business.unique_id,
      '--client-id',
      app.client_id,
      '--code',
      'x',
      '--label',
      'X',
      '--price',
      '10',
      '--action',
      'no.such_action',
    );
    expect(unknown.code).toBe(2);
    const foreign = await nexus(
      'oauth',
      'billing-tag',
      'create',
      '--business',
      merchant.business.unique_id,
      '--client-id',
      app.client_id,
      '--code',
      'y',
      '--label',
      'Y',
      '--price',
      '10',
      '--action',
      'store.create',
    );
    expect(foreign.code).toBe(2);

    // The merchant sees the price before approving.
    const browser = new Browser(merchant);
    const page = await browser.open(authorizeQuery(app.client_id, pkce().challenge));
    const consent = await browser.submit({
      ...hiddenInputs(page.body),
      action: 'sign_in',
      email: merchant.owner.email,
      password: merchant.ownerPassword,
    });
    expect(consent.body).toContain('New store');
    expect(consent.body).toContain('IDR 7500');

    const { access_token } = await tokens(merchant, app);
    const reserve = () =>
      send(merchant.ctx, 'POST', '/v3/oauth/billing/reservations', {
        body: { billing_tag: 'new_store', billing_idempotency_key: `k-${Math.random()}` },
        headers: { authorization: `Bearer ${access_token}` },
      });
    expect((await reserve()).statusCode).toBe(402);
    const credit = await nexus(
      'billing',
      'credit',
      '--business',
      merchant.business.unique_id,
      '--amount',
      '8000',
      '--json',
    );
    expect(credit.code, credit.stderr).toBe(0);
    expect(JSON.parse(credit.stdout)).toMatchObject({ amount: 8000, balance: 8000 });
    expect(
      (await nexus('billing', 'credit', '--business', merchant.business.unique_id, '--amount', '0')).code,
    ).toBe(2);
    const reserved = await reserve();
    expect(reserved.statusCode, reserved.body).toBe(201);
    expect(reserved.json().amount).toBe(7500);

    const set = await nexus(
      'billing',
      'payout-account',
      'set',
      '--business',
      developer.business.unique_id,
      '--channel-code',
      'ID_BCA',
      '--account-number',
      '1234567890',
      '--account-holder',
      'Dev Studio',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(await payoutAccountOf(developer.ctx.database.db, developer.business.id)).toEqual({
      channelCode: 'ID_BCA',
      accountNumber: '1234567890',
      accountHolderName: 'Dev Studio',
    });
    const bad = await nexus(
      'billing',
      'payout-account',
      'set',
      '--business',
      developer.business.unique_id,
      '--channel-code',
      'bca',
      '--account-number',
      '12',
      '--account-holder',
      'Dev',
    );
    expect(bad.code).toBe(2);
  });
});
