import { describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '../../../src/modules/index.ts';
import { BILLING_ACTIONS } from '../../../src/modules/oauth-billing/actions.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { billedCall, billingSetup, PRICE, RESERVATION_HEADER, reserve, walletOf } from './fixtures.ts';

const RESERVE = '/v3/oauth/billing/reservations';
const REFUND = '/v3/oauth/billing/refunds';

function expectError(
  response: { statusCode: number; body: string; json(): unknown },
  status: number,
  code?: string,
) {
  expect(response.statusCode, response.body).toBe(status);
  if (code) expect(response.json()).toMatchObject({ error_code: code });
}

describe('OAuth billing actions', () => {
  it('bills only routes an OAuth token may call', () => {
    const oauthRoutes = new Set(
      ALL_ROUTES.filter((r) => r.auth.includes('oauth')).map((r) => `${r.method} ${r.path}`),
    );
    for (const action of BILLING_ACTIONS)
      for (const template of action.endpoint_templates) expect(oauthRoutes, template).toContain(template);
  });
});

describe('createOAuthBillingReservation', () => {
  it('holds the approved price against the wallet and answers a retry with the same reservation', async () => {
    const billing = await billingSetup('Reserve');
    const first = await billing.asApp('POST', RESERVE, {
      billing_tag: 'store_create',
      billing_idempotency_key: 'order-1',
      metadata: { note: 'x' },
    });
    expect(first.statusCode, first.body).toBe(201);
    const reservation = first.json();
    expect(reservation).toMatchObject({
      billing_status: 'reserved',
      billing_tag: 'store_create',
      action_key: 'store.create',
      amount: PRICE,
      currency: 'IDR',
      metadata: { note: 'x' },
      charge_id: null,
      oauth_application_id: billing.app.id,
      merchant_business_id: billing.merchant.business.id,
      developer_business_id: billing.developer.business.id,
    });
    expect(await walletOf(billing.merchant)).toBe(2 * PRICE);
    const retry = await billing.asApp('POST', RESERVE, {
      billing_tag: 'store_create',
      billing_idempotency_key: 'order-1',
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(reservation.id);
    expect(await walletOf(billing.merchant)).toBe(2 * PRICE);
    const reused = await billing.asApp('POST', RESERVE, {
      billing_tag: 'discount_create',
      billing_idempotency_key: 'order-1',
    });
    expectError(reused, 409, 'state_conflict');
  });

  it('answers 402 when the wallet cannot cover the price, and leaves nothing behind', async () => {
    const billing = await billingSetup('Reserve broke', PRICE - 1);
    expectError(
      await billing.asApp('POST', RESERVE, { billing_tag: 'store_create', billing_idempotency_key: 'k' }),
      402,
      'insufficient_balance',
    );
    expect(await walletOf(billing.merchant)).toBe(PRICE - 1);
    const rows = await billing.merchant.ctx.database.db
      .selectFrom('oauth_billing_reservations')
      .select('id')
      .where('merchant_business_id', '=', billing.merchant.business.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('never lets two reservations racing for the last balance both succeed', async () => {
    const billing = await billingSetup('Reserve race', PRICE + 100);
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        billing.asApp('POST', RESERVE, { billing_tag: 'store_create', billing_idempotency_key: key }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 402, 402]);
    expect(await walletOf(billing.merchant)).toBe(100);
  });

  it('rejects bad input, unapproved tags and credentials that are not installed-app tokens', async () => {
    const billing = await billingSetup('Reserve bad');
    expectError(await billing.asApp('POST', RESERVE, { billing_tag: 'store_create' }), 422);
    expectError(
      await billing.asApp('POST', RESERVE, { billing_tag: 'store_create', billing_idempotency_key: '' }),
      422,
    );
    expectError(
      await billing.asApp('POST', RESERVE, { billing_tag: 'nope', billing_idempotency_key: 'k' }),
      422,
      'validation_failed',
    );
    const body = { billing_tag: 'store_create', billing_idempotency_key: 'k' };
    // Business API keys (even the developer's or merchant's secret key) do not apply on this route.
    expectError(await billing.merchant.request('POST', RESERVE, { body }), 401);
    expectError(await billing.developer.request('POST', RESERVE, { body }), 401);
    expectError(
      await billing.asApp('POST', RESERVE, body, { authorization: 'Bearer oat_not-a-real-token-at-all' }),
      401,
    );
    // b_uid of a business this installation does not connect.
    const other = await createTenant('Reserve other');
    expectError(
      await billing.asApp('POST', `${RESERVE}?b_uid=${other.business.unique_id}`, body),
      403,
      'business_access_denied',
    );
  });
});

describe('releaseOAuthBillingReservation', () => {
  it('gives the hold back to the wallet, answers a second release alike, and refuses after capture', async () => {
    const billing = await billingSetup('Release');
    const reservation = await reserve(billing, 'r1');
    const released = await billing.asApp('POST', `${RESERVE}/${reservation.id}/release`);
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ billing_status: 'released', released_reason: 'released_by_app' });
    expect(await walletOf(billing.merchant)).toBe(3 * PRICE);
    expect((await billing.asApp('POST', `${RESERVE}/${reservation.id}/release`)).statusCode).toBe(200);
    expect(await walletOf(billing.merchant)).toBe(3 * PRICE);
    // A released reservation is not captured by a matching call.
    expect(await billedCall(billing, reservation.id)).toBeUndefined();

    const captured = await reserve(billing, 'r2');
    expect(await billedCall(billing, captured.id)).toBeTruthy();
    expectError(await billing.asApp('POST', `${RESERVE}/${captured.id}/release`), 409, 'state_conflict');
  });

  it("hides another business's installation's reservations and rejects other credentials", async () => {
    const mine = await billingSetup('Release mine');
    const theirs = await billingSetup('Release theirs');
    const reservation = await reserve(mine, 'r1');
    expectError(await theirs.asApp('POST', `${RESERVE}/${reservation.id}/release`), 404, 'not_found');
    expectError(await theirs.asApp('POST', `${RESERVE}/not-a-uuid/release`), 404);
    expectError(await mine.merchant.request('POST', `${RESERVE}/${reservation.id}/release`), 401);
    expect(await walletOf(mine.merchant)).toBe(2 * PRICE);
  });
});

describe('capture by the billed call', () => {
  it('charges the reservation when a matching call succeeds, with the platform fee rounded down', async () => {
    const billing = await billingSetup('Capture');
    const reservation = await reserve(billing, 'c1');
    // A call outside the action's templates, or a failed matching call, captures nothing.
    const list = await billing.asApp('GET', '/v3/stores', undefined, {
      [RESERVATION_HEADER]: reservation.id,
    });
    expect(list.statusCode).toBe(200);
    expect(list.headers['x-scalev-billing-charge-id']).toBeUndefined();
    const failed = await billing.asApp('POST', '/v3/stores', {}, { [RESERVATION_HEADER]: reservation.id });
    expect(failed.statusCode).toBe(422);
    expect(failed.headers['x-scalev-billing-charge-id']).toBeUndefined();

    const chargeId = await billedCall(billing, reservation.id);
    expect(chargeId).toBeTruthy();
    const charge = await billing.developer.request('GET', `/v3/developer/oauth-billing/charges/${chargeId}`);
    expect(charge.json()).toMatchObject({
      reservation_id: reservation.id,
      gross_amount: PRICE,
      platform_fee_bps: 1000,
      platform_fee_amount: 1000,
      developer_net_amount: 9000,
      capture_context: { method: 'POST', endpoint_template: 'POST /v3/stores', response_status: 200 },
    });
    expect(charge.json().request_id).toBe(charge.json().capture_context.request_id);
    const earnings = await billing.developer.request('GET', '/v3/developer/oauth-billing/earnings');
    expect(earnings.json()).toEqual({ balance: 9000, currency: 'IDR' });
    // Spent: a second call with the same reservation is not charged again.
    expect(await billedCall(billing, reservation.id)).toBeUndefined();
  });
});

describe('createOAuthBillingRefund', () => {
  it('reverses a captured charge in full and answers a retry with the same refund', async () => {
    const billing = await billingSetup('Refund');
    const reservation = await reserve(billing, 'f1');
    const chargeId = (await billedCall(billing, reservation.id)) as string;
    expect(await walletOf(billing.merchant)).toBe(2 * PRICE);
    const body = {
      billing_reservation_id: reservation.id,
      refund_idempotency_key: 'refund-1',
      reason_code: 'customer_request',
      reason: 'Store created by mistake',
    };
    const refund = await billing.asApp('POST', REFUND, body);
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json()).toMatchObject({
      billing_charge_id: chargeId,
      billing_reservation_id: reservation.id,
      refund_status: 'succeeded',
      amount: PRICE,
      currency: 'IDR',
      reason_code: 'customer_request',
    });
    expect(await walletOf(billing.merchant)).toBe(3 * PRICE);
    const earnings = await billing.developer.request('GET', '/v3/developer/oauth-billing/earnings');
    expect(earnings.json().balance).toBe(0);

    const retry = await billing.asApp('POST', REFUND, { ...body, billing_charge_id: chargeId });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().refund_id).toBe(refund.json().refund_id);
    expect(await walletOf(billing.merchant)).toBe(3 * PRICE);
    expectError(
      await billing.asApp('POST', REFUND, { ...body, refund_idempotency_key: 'refund-2' }),
      409,
      'state_conflict',
    );
  });

  it('refunds once when retries race, and gives a key racing for two charges to one of them', async () => {
    const billing = await billingSetup('Refund race');
    const first = await reserve(billing, 'a');
    const second = await reserve(billing, 'b');
    const third = await reserve(billing, 'c');
    for (const reservation of [first, second, third]) await billedCall(billing, reservation.id);
    const body = (id: string, key: string) => ({
      billing_reservation_id: id,
      refund_idempotency_key: key,
      reason_code: 'x',
      reason: 'y',
    });
    const retries = await Promise.all(
      [1, 2, 3].map(() => billing.asApp('POST', REFUND, body(first.id, 'same'))),
    );
    expect(retries.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(retries.map((r) => r.json().refund_id)).size).toBe(1);
    const split = await Promise.all([
      billing.asApp('POST', REFUND, body(second.id, 'shared')),
      billing.asApp('POST', REFUND, body(third.id, 'shared')),
    ]);
    expect(split.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await walletOf(billing.merchant)).toBe(2 * PRICE);
  });

  it('rejects bad input, uncaptured reservations, other installations and other credentials', async () => {
    const billing = await billingSetup('Refund bad');
    const other = await billingSetup('Refund other');
    const first = await reserve(billing, 'a');
    const second = await reserve(billing, 'b');
    const firstCharge = (await billedCall(billing, first.id)) as string;
    await billedCall(billing, second.id);
    const base = { refund_idempotency_key: 'k', reason_code: 'x', reason: 'y' };
    expectError(await billing.asApp('POST', REFUND, base), 400);
    expectError(await billing.asApp('POST', REFUND, { ...base, billing_charge_id: 'nope' }), 422);
    expectError(
      await billing.asApp('POST', REFUND, { ...base, billing_charge_id: firstCharge, reason: '' }),
      422,
    );
    expectError(
      await billing.asApp('POST', REFUND, {
        ...base,
        billing_charge_id: firstCharge,
        billing_reservation_id: second.id,
      }),
      400,
    );
    const pending = await reserve(billing, 'c');
    expectError(await billing.asApp('POST', REFUND, { ...base, billing_reservation_id: pending.id }), 404);
    expectError(await other.asApp('POST', REFUND, { ...base, billing_charge_id: firstCharge }), 404);
    expectError(
      await billing.merchant.request('POST', REFUND, { body: { ...base, billing_charge_id: firstCharge } }),
      401,
    );
  });
});
