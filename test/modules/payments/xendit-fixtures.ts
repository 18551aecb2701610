import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildTestApp, getTestContext, type TestContext, testConfig } from '../../helpers/app.ts';
import { send } from '../../helpers/tenants.ts';
import type { PaymentFixture } from './fixtures.ts';
import { STUB_SECRET_KEY, type XenditStub } from './xendit-stub.ts';

export const CALLBACK_TOKEN = 'xnd-callback-token-for-tests-0123456789';

/** A second app on the tests' database with the `xendit` driver pointed at the stub. */
export async function xenditApp(stub: XenditStub): Promise<TestContext> {
  const shared = await getTestContext();
  return buildTestApp(
    shared.database,
    testConfig({
      payments: {
        driver: 'xendit',
        xendit: { secretKey: STUB_SECRET_KEY, callbackToken: CALLBACK_TOKEN, baseUrl: stub.url },
      },
    }),
  );
}

export async function closeApp(ctx: TestContext | undefined): Promise<void> {
  if (!ctx) return;
  await ctx.app.close();
  await ctx.rateLimit.close();
}

/** POSTs a callback to `/callbacks/xendit/{kind}` with the configured token (or `token`, or none). */
export function callback(
  ctx: TestContext,
  kind: 'payments' | 'invoices',
  body: unknown,
  token: string | null = CALLBACK_TOKEN,
): Promise<LightMyRequestResponse> {
  return send(ctx, 'POST', `/callbacks/xendit/${kind}`, {
    body,
    headers: token === null ? {} : { 'x-callback-token': token },
  });
}

export interface XenditOrder {
  id: string;
  order_id: string;
  secret_slug: string;
  /** Our reference (the payment attempt id) and Xendit's id for the payment. */
  attemptId: string;
  xenditId: string;
}

/** Places an order and creates its Xendit payment through the route of the `xendit` app. */
export async function xenditOrder(
  f: PaymentFixture,
  app: TestContext,
  method: string,
  overrides: Parameters<PaymentFixture['order']>[1] = {},
): Promise<XenditOrder> {
  const order = await f.order(method, overrides);
  const res = await f.pay(order.secret_slug, { app: app.app });
  expect(res.statusCode, res.body).toBe(200);
  const attempt = await app.database.db
    .selectFrom('payment_attempts')
    .select(['id', 'provider', 'provider_reference'])
    .where('order_id', '=', order.id)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  expect(attempt.provider).toBe('xendit');
  return { ...order, attemptId: attempt.id, xenditId: String(attempt.provider_reference) };
}

export interface PaymentCallbackBody {
  event: string;
  business_id: string;
  created: string;
  data: Record<string, unknown>;
}

/** A `payment.succeeded` callback as Xendit's Payment Request API sends it. */
export function paymentSucceeded(order: XenditOrder, amount = 150000): PaymentCallbackBody {
  return {
    event: 'payment.succeeded',
    business_id: '5f27a14a9bf05c73dd040bc8',
    created: new Date().toISOString(),
    data: {
      id: `py-${order.attemptId.slice(0, 8)}-0000-4000-8000-000000000000`,
      payment_request_id: order.xenditId,
      reference_id: order.attemptId,
      status: 'SUCCEEDED',
      amount,
      currency: 'IDR',
      country: 'ID',
      created: new Date().toISOString(),
    },
  };
}

/** The order row fields the payment tests look at, and its history. */
export async function orderState(ctx: TestContext, orderId: string) {
  const db = ctx.database.db;
  const order = await db
    .selectFrom('orders')
    .select([
      'status',
      'payment_status',
      'paid_time',
      'settled_time',
      'canceled_time',
      'pg_reference_id',
      'epayment_provider',
      'pg_payment_info',
    ])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const history = await db
    .selectFrom('order_status_histories')
    .select(['kind', 'status', 'actor'])
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
  const attempts = await db
    .selectFrom('payment_attempts')
    .select(['status', 'paid_amount'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
  return { ...order, history, attempts };
}
