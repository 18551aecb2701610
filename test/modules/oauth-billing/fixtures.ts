import { expect } from 'vitest';
import { createBillingTag } from '../../../src/modules/oauth-billing/billing-tags.ts';
import { creditMerchantWallet } from '../../../src/modules/oauth-billing/ledger.ts';
import type { TestContext } from '../../helpers/app.ts';
import { createTenant, type Method, send, type Tenant } from '../../helpers/tenants.ts';
import { developerApp, tokens } from '../oauth/flow.ts';

export const PRICE = 10_000;
export const RESERVATION_HEADER = 'x-scalev-billing-reservation-id';

export interface Billing {
  developer: Tenant;
  merchant: Tenant;
  app: Awaited<ReturnType<typeof developerApp>>;
  accessToken: string;
  /** Sends a request with the installed app's OAuth access token. */
  asApp(
    method: Method,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): ReturnType<typeof send>;
}

/**
 * A developer business with an app pricing `store.create` at PRICE (tag `store_create`) and
 * `discount_code.create` (tag `discount_create`), installed by a merchant through the real authorize flow, the
 * merchant's wallet funded with `funds`.
 */
export async function billingSetup(
  name: string,
  funds = 3 * PRICE,
  options: { on?: TestContext } = {},
): Promise<Billing> {
  const developer = await createTenant(`${name} Dev`, options.on);
  const app = await developerApp(developer, ['store:create', 'store:list', 'discount_code:create']);
  const db = developer.ctx.database.db;
  await createBillingTag(db, {
    applicationId: app.id,
    tagCode: 'store_create',
    label: 'New store',
    price: PRICE,
    actionKey: 'store.create',
  });
  await createBillingTag(db, {
    applicationId: app.id,
    tagCode: 'discount_create',
    label: 'New discount code',
    price: 2_500,
    actionKey: 'discount_code.create',
  });
  const buyer = await createTenant(`${name} Shop`, options.on);
  if (funds > 0) await creditMerchantWallet(db, buyer.business.id, funds);
  const { access_token } = await tokens(buyer, app);
  return {
    developer,
    merchant: buyer,
    app,
    accessToken: access_token,
    asApp: (method, url, body, headers = {}) =>
      send(developer.ctx, method, url, {
        ...(body === undefined ? {} : { body }),
        headers: { authorization: `Bearer ${access_token}`, ...headers },
      }),
  };
}

export async function reserve(billing: Billing, key: string, tag = 'store_create') {
  const response = await billing.asApp('POST', '/v3/oauth/billing/reservations', {
    billing_tag: tag,
    billing_idempotency_key: key,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; amount: number; billing_status: string };
}

/** The billed call: creating a store with the reservation named; answers the charge id. */
export async function billedCall(billing: Billing, reservationId: string) {
  const response = await billing.asApp(
    'POST',
    '/v3/stores',
    { name: 'Billed Store' },
    {
      [RESERVATION_HEADER]: reservationId,
    },
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.headers['x-scalev-billing-charge-id'] as string | undefined;
}

export async function walletOf(tenant: Tenant): Promise<number> {
  const row = await tenant.ctx.database.db
    .selectFrom('billing_accounts')
    .select('balance')
    .where('kind', '=', 'merchant_wallet')
    .where('business_id', '=', tenant.business.id)
    .executeTakeFirst();
  return row?.balance ?? 0;
}

/** Captures `count` reservations: the developer earns 9000 IDR for each. */
export async function earn(billing: Billing, count: number) {
  for (let i = 0; i < count; i += 1) {
    const reservation = await reserve(billing, `earn-${i}-${Math.random()}`);
    expect(await billedCall(billing, reservation.id)).toBeTruthy();
  }
}
