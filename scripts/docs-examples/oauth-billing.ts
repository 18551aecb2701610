import { createHash, randomBytes } from 'node:crypto';
import { createDeveloperApp } from '../../src/modules/oauth/apps.ts';
import { createBillingTag } from '../../src/modules/oauth-billing/billing-tags.ts';
import { creditMerchantWallet } from '../../src/modules/oauth-billing/ledger.ts';
import { setPayoutAccount } from '../../src/modules/oauth-billing/payout-accounts.ts';
import { authorize, REDIRECT_URI } from './oauth.ts';
import type { RecordingContext } from './recorder.ts';

/**
 * The demo business prices an action of its own app, installs it on itself (it is developer and
 * merchant at once), funds its wallet, and the app reserves, captures by its billed call, releases
 * and refunds; then the developer reads its earnings and withdraws them through the sandbox rail.
 */
export async function recordOAuthBilling(context: RecordingContext): Promise<void> {
  const { recorder: r, demo, db } = context;
  const app = await createDeveloperApp(db, {
    ownerBusinessId: demo.business_id,
    name: 'Store Builder',
    redirectUris: [REDIRECT_URI],
    scopes: ['store:create'],
  });
  await createBillingTag(db, {
    applicationId: app.id,
    tagCode: 'store_create',
    label: 'New store',
    price: 5000,
    actionKey: 'store.create',
  });
  await creditMerchantWallet(db, demo.business_id, 12_000);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const code = await authorize(context, app.client_id, challenge, 'store:create');
  const tokens = (
    await r.call('exchangeOAuthToken', {
      body: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: app.client_id,
        client_secret: app.client_secret as string,
      },
      quiet: true,
    })
  ).json();
  const asApp = { authorization: `Bearer ${tokens.access_token}` };
  const reserve = (key: string, status?: number) =>
    r.call('createOAuthBillingReservation', {
      headers: asApp,
      body: {
        billing_tag: 'store_create',
        billing_idempotency_key: key,
        metadata: { store_name: 'Toko Cabang' },
      },
      ...(status ? { status } : {}),
    });

  const captured = (await reserve('store-cabang-1', 201)).json();
  await reserve('store-cabang-1', 200);
  await r.call('createOAuthBillingReservation', {
    headers: asApp,
    body: { billing_tag: 'store_create_v2', billing_idempotency_key: 'store-cabang-9' },
    status: 422,
  });
  const released = (await reserve('store-cabang-2', 201)).json();
  await reserve('store-cabang-3', 402);
  const store = await r.app.inject({
    method: 'POST',
    url: '/v3/stores',
    headers: { ...asApp, 'x-scalev-billing-reservation-id': captured.id },
    payload: { name: 'Toko Cabang' },
  });
  const chargeId = String(store.headers['x-scalev-billing-charge-id']);
  if (!chargeId || store.statusCode !== 200)
    throw new Error(`billed call: ${store.statusCode} ${store.body}`);
  await r.call('createOAuthBillingReservation', {
    headers: asApp,
    body: { billing_tag: 'store_create', billing_idempotency_key: 'store-cabang-1' },
    quiet: true,
  });

  await r.call('releaseOAuthBillingReservation', { headers: asApp, params: { id: released.id } });
  await r.call('releaseOAuthBillingReservation', {
    headers: asApp,
    params: { id: captured.id },
    status: 409,
  });
  await r.call('releaseOAuthBillingReservation', {
    headers: asApp,
    params: { id: '0b7c5d7e-1f2a-4c3b-9d8e-7f6a5b4c3d2e' },
    status: 404,
  });

  const base = await r.call('getDeveloperOAuthBillingEarnings');
  if (base.json().balance !== 4500) throw new Error(`earnings: ${JSON.stringify(base.json())}`);
  await r.call('listDeveloperOAuthBillingActions');
  await r.call('listDeveloperOAuthBillingReservations', { query: { page_size: 25 } });
  await r.call('getDeveloperOAuthBillingReservation', { params: { id: captured.id } });
  await r.call('getDeveloperOAuthBillingReservation', {
    params: { id: '0b7c5d7e-1f2a-4c3b-9d8e-7f6a5b4c3d2e' },
    status: 404,
  });
  await r.call('listDeveloperOAuthBillingCharges', { query: { page_size: 25 } });
  await r.call('getDeveloperOAuthBillingCharge', { params: { id: chargeId } });
  await r.call('getDeveloperOAuthBillingCharge', {
    params: { id: '0b7c5d7e-1f2a-4c3b-9d8e-7f6a5b4c3d2e' },
    status: 404,
  });
  await r.call('listDeveloperOAuthBillingLedger', { query: { entry_type: 'accrual' } });

  await r.call('createDeveloperOAuthBillingWithdrawal', { body: { amount: 1000 }, status: 409 });
  await setPayoutAccount(db, demo.business_id, {
    channelCode: 'ID_BCA',
    accountNumber: '1234567890',
    accountHolderName: 'Toko Demo',
  });
  const withdrawal = { amount: 1000, settlement_rail: 'xendit' };
  await r.call('createDeveloperOAuthBillingWithdrawal', {
    headers: { authorization: `Bearer ${demo.api_key}`, 'idempotency-key': 'payout-2026-12' },
    body: withdrawal,
    status: 201,
  });
  await r.call('createDeveloperOAuthBillingWithdrawal', {
    headers: { authorization: `Bearer ${demo.api_key}`, 'idempotency-key': 'payout-2026-12' },
    body: withdrawal,
    status: 200,
  });
  await r.call('createDeveloperOAuthBillingWithdrawal', { body: { amount: 1_000_000 }, status: 402 });
  await r.call('listDeveloperOAuthBillingSettlements');

  const refund = {
    billing_reservation_id: captured.id,
    refund_idempotency_key: 'refund-store-cabang-1',
    reason_code: 'duplicate_store',
    reason: 'The merchant created this store twice.',
  };
  await r.call('createOAuthBillingRefund', { headers: asApp, body: refund, status: 409 });
  const second = (await reserve('store-cabang-4', 201)).json();
  const billed = await r.app.inject({
    method: 'POST',
    url: '/v3/stores',
    headers: { ...asApp, 'x-scalev-billing-reservation-id': second.id },
    payload: { name: 'Toko Cabang Dua' },
  });
  if (!billed.headers['x-scalev-billing-charge-id']) throw new Error('second billed call was not captured');
  const refundSecond = {
    ...refund,
    billing_reservation_id: second.id,
    refund_idempotency_key: 'refund-store-cabang-4',
  };
  await r.call('createOAuthBillingRefund', { headers: asApp, body: refundSecond, status: 201 });
  await r.call('createOAuthBillingRefund', { headers: asApp, body: refundSecond, status: 200 });
  await r.call('createOAuthBillingRefund', {
    headers: asApp,
    body: { ...refund, billing_reservation_id: null },
    status: 400,
  });
  await r.call('createOAuthBillingRefund', {
    headers: asApp,
    body: { ...refund, billing_reservation_id: '0b7c5d7e-1f2a-4c3b-9d8e-7f6a5b4c3d2e' },
    status: 404,
  });
}
