import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { MemoryRateLimitStore } from '../../src/http/rate-limit.ts';
import { createApiKey } from '../../src/modules/businesses/service.ts';
import type { DemoCatalogIds } from './catalog.ts';
import { Recorder, type RecordingContext } from './recorder.ts';
import type { StorefrontJourney } from './storefront.ts';

/** The same app on the same data, with other settings: to record what only they make happen. */
async function variant(context: RecordingContext, config: Config): Promise<FastifyInstance> {
  const app = await buildApp(
    { config, database: context.database, keys: context.keys, rateLimit: new MemoryRateLimitStore() },
    { logger: false },
  );
  await app.ready();
  return app;
}

/**
 * Error answers, recorded like the rest: the ones any operation of a kind may give (shown under
 * the shared response of their status), and a few particular to one operation.
 */
export async function recordErrors(
  context: RecordingContext,
  catalog: DemoCatalogIds,
  journey: StorefrontJourney,
): Promise<void> {
  const { recorder: r, demo, db } = context;
  const store = { store_id: demo.store_unique_id };

  await r.error(
    401,
    'missing_key',
    'No API key or OAuth token (or an unknown, revoked or expired one)',
    'getAuthenticatedIdentity',
    {
      headers: {},
    },
  );
  await r.error(
    401,
    'customer_token',
    'A customer access token that expired or was revoked',
    'getCustomerMe',
    {
      params: store,
      headers: {
        authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJhY2Nlc3MifQ.c2lnbmF0dXJl',
        'x-scalev-storefront-api-key': demo.storefront_api_key,
      },
    },
  );
  const restricted = await createApiKey(db, {
    businessId: demo.business_id,
    name: 'Laporan stok',
    kind: 'restricted',
    scopes: ['product:list'],
  });
  await r.error(
    403,
    'insufficient_scope',
    'A restricted key or OAuth token without the scope the operation needs',
    'getBusinessStore',
    {
      params: { id: demo.store_id },
      headers: { authorization: `Bearer ${restricted.token}` },
    },
  );
  await r.error(
    403,
    'origin_not_allowed',
    'A storefront key used from an origin the store has not registered',
    'listStorefrontItems',
    {
      params: store,
      headers: {
        'x-scalev-storefront-api-key': demo.storefront_api_key,
        origin: 'https://toko-lain.example.com',
      },
    },
  );
  await r.error(404, 'not_found', 'An id that names nothing, or another business’s record', 'getProduct', {
    params: { id: 999999 },
  });
  await r.error(
    409,
    'state_conflict',
    'The record’s state forbids the change (here: a product a bundle contains)',
    'deleteProduct',
    {
      params: { id: catalog.shirtId },
    },
  );
  await r.error(
    422,
    'validation_failed',
    'Fields that are missing or invalid, each with its messages',
    'createProduct',
    {
      body: { item_type: 'ebook', variants: [{ price: '-5' }] },
    },
  );
  await r.error(
    400,
    'invalid_cursor',
    'A cursor that is malformed or belongs to another list',
    'listProducts',
    {
      query: { next_cursor: 'eyJpZCI6MX0.forged' },
    },
  );

  await recordOperationErrors(r, catalog, journey, store);
  await recordServerSide(context, store);
}

async function recordOperationErrors(
  r: Recorder,
  catalog: DemoCatalogIds,
  journey: StorefrontJourney,
  store: { store_id: string },
): Promise<void> {
  const contact = {
    customer_name: journey.buyer.name,
    customer_email: journey.buyer.email,
    customer_phone: journey.buyer.phone,
    shipping_address: 'Jl. Ir. H. Juanda No. 99',
    shipping_location_id: journey.destination.location_id,
    shipping_postal_code: journey.destination.postal_code,
  };
  await r.call('createPublicCheckout', {
    params: store,
    body: { items: [{ type: 'variant', variant_id: catalog.blackL.id, quantity: 1 }], customer_name: 'S' },
    status: 422,
  });
  await r.call('createPublicCheckout', {
    params: store,
    body: {
      items: [{ type: 'variant', variant_id: catalog.blackL.id, quantity: 500 }],
      ...contact,
      payment_method: 'bank_transfer',
      courier_service_id: journey.courierServiceId,
      warehouse_unique_id: journey.warehouseUniqueId,
    },
    status: 409,
  });
  await r.call('getStorefrontPublicOrder', {
    params: { ...store, secret_slug: 'Xk3fQ9LmP2vR8sT1uW4yZ6aB0cD5eF7gH9iJ2kL4' },
    status: 404,
  });
  await r.call('loginCustomer', {
    params: store,
    body: { email: journey.buyer.email, password: 'salah-kata-sandi' },
    status: 401,
  });
}

/** What takes another configuration to happen: a rate limit, a payment gateway or a database down. */
async function recordServerSide(context: RecordingContext, store: { store_id: string }): Promise<void> {
  const { recorder: r, config, demo } = context;
  const limited = new Recorder(
    await variant(context, { ...config, rateLimit: { ...config.rateLimit, ipPer10s: 1, keyPer10s: 1 } }),
    r.credentials,
  );
  await limited.call('getAuthenticatedIdentity', { quiet: true });
  const tooMany = await limited.app.inject({
    method: 'GET',
    url: '/v3/me',
    headers: { authorization: `Bearer ${r.credentials.apiKey}` },
  });
  if (tooMany.statusCode !== 429) throw new Error(`expected 429, got ${tooMany.statusCode}`);
  r.sharedError(429, 'rate_limited', {
    summary: 'Over a rate-limit budget; Retry-After says when to try again',
    value: tooMany.body,
    mediaType: 'text/plain',
  });
  await limited.app.close();

  for (let attempt = 0; attempt < 10; attempt++) {
    await r.call('loginCustomer', {
      params: store,
      body: { email: 'tamu@example.com', password: 'tebak-tebakan' },
      status: 401,
      quiet: true,
    });
  }
  await r.error(
    429,
    'login_throttled',
    'Too many sign-in attempts for one account or address',
    'loginCustomer',
    {
      params: store,
      body: { email: 'tamu@example.com', password: 'tebak-tebakan' },
    },
  );

  const gatewayDown = new Recorder(
    await variant(context, {
      ...config,
      payments: {
        ...config.payments,
        driver: 'xendit',
        xendit: {
          ...config.payments.xendit,
          secretKey: 'xnd_development_docs',
          callbackToken: 'docs',
          baseUrl: 'http://127.0.0.1:9',
        },
      },
    } as Config),
    r.credentials,
  );
  const unpaid = await context.db
    .selectFrom('orders')
    .select('secret_slug')
    .where('business_id', '=', demo.business_id)
    .where('payment_method', '=', 'qris')
    .executeTakeFirstOrThrow();
  const answer = await gatewayDown.call('createStorefrontPublicOrderPayment', {
    params: { ...store, secret_slug: unpaid.secret_slug },
    status: 503,
    quiet: true,
  });
  r.sharedError(503, 'gateway_unavailable', {
    summary: 'The payment gateway did not answer; nothing was charged, try again',
    value: answer.json(),
  });
  await gatewayDown.app.close();

  const down = await openDatabase({});
  await down.close();
  const broken = await buildApp(
    { config, database: down, keys: context.keys, rateLimit: new MemoryRateLimitStore() },
    { logger: false },
  );
  await broken.ready();
  const failed = await broken.inject({
    method: 'GET',
    url: '/v3/me',
    headers: { authorization: `Bearer ${demo.api_key}` },
  });
  if (failed.statusCode !== 500) throw new Error(`expected 500, got ${failed.statusCode} ${failed.body}`);
  r.sharedError(500, 'server_error', {
    summary: 'Something failed on the server (here: the database was unreachable); quote X-Request-Id',
    value: failed.json(),
  });
  await broken.close();
}
