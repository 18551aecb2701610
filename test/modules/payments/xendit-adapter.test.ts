import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreatePaymentInput, EPaymentMethod } from '../../../src/providers/payments/provider.ts';
import { PaymentProviderError } from '../../../src/providers/payments/provider.ts';
import { XenditPayments } from '../../../src/providers/payments/xendit.ts';
import { at, STUB_SECRET_KEY, XenditStub } from './xendit-stub.ts';

const stub = new XenditStub();
let xendit: XenditPayments;

beforeAll(async () => {
  await stub.start();
  xendit = new XenditPayments({ secretKey: STUB_SECRET_KEY, baseUrl: `${stub.url}/`, timeoutMs: 500 });
});
afterAll(() => stub.stop());
beforeEach(() => {
  stub.failure = null;
});

const EXPIRES = new Date(Date.now() + 6 * 60 * 60 * 1000);

function input(method: EPaymentMethod, overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
  return {
    referenceId: randomUUID(),
    orderId: randomUUID(),
    orderNumber: '250130JQHFZG',
    businessId: 1,
    amount: '150000.50',
    currency: 'IDR',
    method,
    subMethod: method === 'va' ? 'bni' : null,
    customer: { name: 'Budi Santoso', email: 'budi@example.test', phone: '0812-3456-7890' },
    merchantName: 'Toko Budi',
    description: 'Pesanan 250130JQHFZG di Toko Budi',
    expiresAt: EXPIRES,
    successUrl: 'http://nexus.test/o/slug/success',
    failureUrl: 'http://nexus.test/o/slug',
    ...overrides,
  };
}

const urlTypes = (info: unknown) =>
  (at(info, 'actions') as Array<{ url_type: string }>).map((a) => a.url_type);

/** Creates a payment and returns what the stub received for it. */
async function create(method: EPaymentMethod, overrides: Partial<CreatePaymentInput> = {}) {
  const sent = input(method, overrides);
  const before = stub.requests.length;
  const created = await xendit.createPayment(sent);
  expect(stub.requests.length).toBe(before + 1);
  const received = stub.requests[before]!;
  expect(received.headers.authorization).toBe(
    `Basic ${Buffer.from(`${STUB_SECRET_KEY}:`).toString('base64')}`,
  );
  return { sent, created, received, info: created.pg_payment_info };
}

describe('XenditPayments against a Xendit stub', () => {
  it('creates a virtual account payment request with whole rupiah and the idempotency key', async () => {
    const { sent, created, received, info } = await create('va');
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/payment_requests');
    expect(received.headers['idempotency-key']).toBe(sent.referenceId);
    expect(received.body).toMatchObject({
      reference_id: sent.referenceId,
      amount: 150001,
      currency: 'IDR',
      metadata: { order_id: '250130JQHFZG' },
      payment_method: {
        type: 'VIRTUAL_ACCOUNT',
        reusability: 'ONE_TIME_USE',
        virtual_account: {
          channel_code: 'BNI',
          channel_properties: { customer_name: 'Budi Santoso', expires_at: EXPIRES.toISOString() },
        },
      },
    });
    const stored = stub.paymentRequests.get(created.reference_id);
    expect(stored).toBeDefined();
    expect(created).toMatchObject({ provider: 'xendit', reference_id: stored?.id, expires_at: EXPIRES });
    const vaNumber = 'payment_method.virtual_account.channel_properties.virtual_account_number';
    expect(at(info, vaNumber)).toMatch(/^8808\d{12}$/);
    expect(at(info, vaNumber)).toBe(at(stored, vaNumber));
    expect(info).toMatchObject({
      id: stored?.id,
      reference_id: sent.referenceId,
      status: 'PENDING',
      amount: 150001,
    });
    // Merchant data Xendit answers with stays out of the buyer-facing instructions.
    expect(info).not.toHaveProperty('business_id');
    expect(info).not.toHaveProperty('metadata');
    expect(JSON.stringify(created.request)).not.toContain(STUB_SECRET_KEY);
  });

  it('answers QRIS with the qr_string storefronts read', async () => {
    const { received, info } = await create('gopay');
    expect(received.body).toMatchObject({
      payment_method: { type: 'QR_CODE', qr_code: { channel_code: 'QRIS' } },
    });
    const qr = at(info, 'payment_method.qr_code.channel_properties.qr_string');
    expect(qr).toMatch(/^000201/);
    expect(info.qr_string).toBe(qr);
  });

  it('answers e-wallets with their actions and return URLs', async () => {
    const dana = await create('dana');
    expect(dana.received.body).toMatchObject({
      payment_method: {
        type: 'EWALLET',
        ewallet: {
          channel_code: 'DANA',
          channel_properties: {
            success_return_url: 'http://nexus.test/o/slug/success',
            failure_return_url: 'http://nexus.test/o/slug',
          },
        },
      },
    });
    expect(dana.info.status).toBe('REQUIRES_ACTION');
    expect(urlTypes(dana.info)).toEqual(['WEB', 'MOBILE']);
    expect(at(dana.info, 'actions.0')).toEqual({
      action: 'AUTH',
      url_type: 'WEB',
      method: 'GET',
      url: `https://ewallet.xendit.test/${dana.created.reference_id}/web`,
      qr_code: null,
    });
    const shopee = await create('shopeepay');
    expect(urlTypes(shopee.info)).toEqual(['DEEPLINK', 'WEB']);
    const ovo = await create('ovo');
    expect(ovo.received.body).toMatchObject({
      payment_method: {
        ewallet: { channel_code: 'OVO', channel_properties: { mobile_number: '+6281234567890' } },
      },
    });
    expect(ovo.info.actions).toEqual([]);
  });

  it('answers retail outlets with their payment code', async () => {
    const { received, info } = await create('indomaret');
    expect(received.body).toMatchObject({
      payment_method: { type: 'OVER_THE_COUNTER', over_the_counter: { channel_code: 'INDOMARET' } },
    });
    expect(at(info, 'payment_method.over_the_counter.channel_properties.payment_code')).toMatch(
      /^TEST\d{8}$/,
    );
  });

  it('creates card and payment-link orders as invoices', async () => {
    const expiresAt = new Date(Date.now() + 2 * 60 * 60 * 1000);
    const card = await create('card', { amount: '99999.00', expiresAt });
    expect(card.received.path).toBe('/v2/invoices');
    expect(card.received.body).toMatchObject({
      external_id: card.sent.referenceId,
      amount: 99999,
      currency: 'IDR',
      payer_email: 'budi@example.test',
      payment_methods: ['CREDIT_CARD'],
      success_redirect_url: 'http://nexus.test/o/slug/success',
      failure_redirect_url: 'http://nexus.test/o/slug',
    });
    const duration = Number(card.received.body?.invoice_duration);
    expect(Math.abs(duration - 2 * 60 * 60)).toBeLessThan(5);
    expect(card.info).toEqual({
      id: card.created.reference_id,
      external_id: card.sent.referenceId,
      status: 'PENDING',
      amount: 99999,
      currency: 'IDR',
      invoice_url: `https://checkout-staging.xendit.co/web/${card.created.reference_id}`,
      expiry_date: expect.any(String),
      created: expect.any(String),
    });
    const link = await create('invoice');
    expect(link.received.body).not.toHaveProperty('payment_methods');
  });

  it('reads payment and invoice states back', async () => {
    const va = await create('va');
    expect(await xendit.getPayment(va.created.reference_id, 'va')).toEqual({
      reference_id: va.created.reference_id,
      status: 'pending',
      paid_amount: null,
    });
    stub.setStatus(va.created.reference_id, 'SUCCEEDED');
    expect(await xendit.getPayment(va.created.reference_id, 'va')).toMatchObject({
      status: 'paid',
      paid_amount: '150001.00',
    });
    const card = await create('card');
    stub.setStatus(card.created.reference_id, 'SETTLED');
    expect(await xendit.getPayment(card.created.reference_id, 'card')).toMatchObject({ status: 'settled' });
    expect(stub.requests.at(-1)?.path).toBe(`/v2/invoices/${card.created.reference_id}`);
    expect(await xendit.getPayment('pr-unknown', 'qris')).toBeUndefined();
  });

  it('maps gateway failures: 4xx are final, 5xx, 429, timeouts and lost connections retryable', async () => {
    const failure = async (run: () => Promise<unknown>) => {
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PaymentProviderError);
      return error as PaymentProviderError;
    };
    const wrongKey = new XenditPayments({ secretKey: 'xnd_development_wrong', baseUrl: stub.url });
    expect(await failure(() => wrongKey.createPayment(input('qris')))).toMatchObject({
      retryable: false,
      status: 401,
    });
    stub.failure = { status: 400, body: { error_code: 'API_VALIDATION_ERROR', message: 'bad channel' } };
    const refused = await failure(() => xendit.createPayment(input('va')));
    expect(refused).toMatchObject({ retryable: false, status: 400 });
    expect(refused.message).toContain('API_VALIDATION_ERROR');
    for (const status of [500, 503, 429]) {
      stub.failure = { status };
      expect(await failure(() => xendit.createPayment(input('card')))).toMatchObject({
        retryable: true,
        status,
      });
    }
    stub.failure = 'hang';
    const started = Date.now();
    expect(await failure(() => xendit.createPayment(input('qris')))).toMatchObject({
      retryable: true,
      status: null,
    });
    expect(Date.now() - started).toBeLessThan(3000);
    stub.failure = 'drop';
    expect(await failure(() => xendit.getPayment('pr-x', 'va'))).toMatchObject({ retryable: true });
    // A gateway error on a status check is not "unknown payment".
    stub.failure = { status: 502 };
    expect(await failure(() => xendit.getPayment('pr-x', 'va'))).toMatchObject({
      retryable: true,
      status: 502,
    });
  });
});
