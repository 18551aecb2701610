import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decryptPixelToken,
  encryptPixelToken,
  pixelTokenKey,
} from '../../../src/modules/conversions/pixel-tokens.ts';
import {
  conversionsConfigFromEnv,
  createConversionsProvider,
} from '../../../src/providers/conversions/index.ts';
import { LiveConversions } from '../../../src/providers/conversions/live.ts';
import {
  type ConversionDelivery,
  ConversionDeliveryError,
} from '../../../src/providers/conversions/provider.ts';
import { getTestContext } from '../../helpers/app.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { addPixel, deliver, relay, type StubRequest, storeJobs, stubServer } from './helpers.ts';

type Stub = Awaited<ReturnType<typeof stubServer>>;

/** Answers like each platform: Meta by HTTP status, TikTok `{code}`, SnackVideo `{result}`. */
let next: (request: StubRequest) => { status: number; body: unknown };
let stub: Stub;
let live: LiveConversions;

const ok = (request: StubRequest) => {
  if (request.url.includes('/events')) return { status: 200, body: { events_received: 1, fbtrace_id: 'x' } };
  if (request.url.includes('/event/track/')) return { status: 200, body: { code: 0, message: 'OK' } };
  return { status: 200, body: { result: 1 } };
};

beforeAll(async () => {
  next = ok;
  stub = await stubServer((request) => next(request));
  live = new LiveConversions({
    metaGraphUrl: `${stub.url}/graph`,
    metaGraphVersion: 'v21.0',
    tiktokUrl: `${stub.url}/tiktok`,
    snackVideoUrl: `${stub.url}/kwai`,
  });
});

afterAll(async () => {
  await stub.close();
});

const delivery = (overrides: Partial<ConversionDelivery> = {}): ConversionDelivery => ({
  platform: 'meta',
  businessId: 1,
  storeId: 1,
  pixelId: '123',
  accessToken: 'secret-token',
  testEventCode: null,
  events: [{ event_name: 'Purchase', event_time: 1 }],
  ...overrides,
});

async function deliverLive(d: ConversionDelivery) {
  const { database } = await getTestContext();
  return live.deliver(d, { db: database.db, signal: AbortSignal.timeout(5000) });
}

describe('live conversions adapters (against a local stub)', () => {
  it('Meta: POST /{version}/{pixel}/events with the token in the body', async () => {
    next = ok;
    await deliverLive(delivery({ testEventCode: 'TEST1' }));
    const request = stub.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/graph/v21.0/123/events');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      data: [{ event_name: 'Purchase', event_time: 1 }],
      test_event_code: 'TEST1',
      access_token: 'secret-token',
    });
  });

  it('TikTok: POST /open_api/v1.3/event/track/ with the Access-Token header', async () => {
    next = ok;
    await deliverLive(delivery({ platform: 'tiktok', pixelId: 'CPIX', events: [{ event: 'ViewContent' }] }));
    const request = stub.requests.at(-1)!;
    expect(request.url).toBe('/tiktok/open_api/v1.3/event/track/');
    expect(request.headers['access-token']).toBe('secret-token');
    expect(request.body).toEqual({
      event_source: 'web',
      event_source_id: 'CPIX',
      data: [{ event: 'ViewContent' }],
    });
  });

  it('SnackVideo: POST /log/common/api, one event, properties as a JSON string', async () => {
    next = ok;
    await deliverLive(
      delivery({
        platform: 'snackvideo',
        pixelId: '777',
        testEventCode: 'on',
        events: [{ event_name: 'EVENT_PURCHASE', clickid: 'clk', properties: { value: 5 } }],
      }),
    );
    const request = stub.requests.at(-1)!;
    expect(request.url).toBe('/kwai/log/common/api');
    expect(request.body).toEqual({
      access_token: 'secret-token',
      pixelId: '777',
      clickid: 'clk',
      event_name: 'EVENT_PURCHASE',
      is_attributed: 1,
      mmpcode: 'PL',
      pixelSdkVersion: '9.9.9',
      properties: '{"value":5}',
      testFlag: true,
      trackFlag: true,
    });
  });

  it('classifies refusals: throttling and outages retry, everything else does not', async () => {
    const cases: Array<[ConversionDelivery, { status: number; body: unknown }, boolean, string]> = [
      [
        delivery(),
        { status: 400, body: { error: { message: 'Invalid OAuth access token' } } },
        false,
        'Invalid OAuth',
      ],
      [delivery(), { status: 429, body: {} }, true, 'Meta answered 429'],
      [delivery(), { status: 503, body: {} }, true, 'Meta answered 503'],
      [
        delivery({ platform: 'tiktok' }),
        { status: 200, body: { code: 40001, message: 'bad token' } },
        false,
        'code 40001',
      ],
      [
        delivery({ platform: 'snackvideo' }),
        { status: 200, body: { result: 0, error_msg: 'bad pixel' } },
        false,
        'bad pixel',
      ],
    ];
    for (const [d, answer, retryable, text] of cases) {
      next = () => answer;
      const error = await deliverLive(d).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConversionDeliveryError);
      expect((error as ConversionDeliveryError).retryable).toBe(retryable);
      expect((error as Error).message).toContain(text);
    }
    const unreachable = new LiveConversions({
      metaGraphUrl: 'http://127.0.0.1:1',
      metaGraphVersion: 'v21.0',
      tiktokUrl: 'http://127.0.0.1:1',
      snackVideoUrl: 'http://127.0.0.1:1',
    });
    const { database } = await getTestContext();
    const error = await unreachable
      .deliver(delivery(), { db: database.db, signal: AbortSignal.timeout(5000) })
      .catch((e: unknown) => e);
    expect((error as ConversionDeliveryError).retryable).toBe(true);
  });

  it('through the worker: a refused token fails the job for good, an outage retries', async () => {
    const tenant = await createTenant();
    const client = await relay(tenant);
    await addPixel(tenant, 'meta', { pixelId: '555', token: 'the-real-token' });
    const body = { user_data: {}, events: [{ event_name: 'PageView' }] };

    next = () => ({ status: 503, body: {} });
    expect((await client.post('meta', body)).statusCode).toBe(204);
    await deliver(tenant, live);
    let [job] = await storeJobs(tenant.ctx.database.db, tenant.store.id);
    expect(job).toMatchObject({ status: 'queued', attempts: 1, last_error: 'Meta answered 503' });
    expect(
      stub.requests.some((r) => (r.body as { access_token?: string }).access_token === 'the-real-token'),
    ).toBe(true);

    next = () => ({ status: 400, body: { error: { message: 'Invalid OAuth access token' } } });
    await tenant.ctx.database.db
      .updateTable('jobs')
      .set({ run_at: new Date(0) })
      .where('id', '=', job!.id)
      .execute();
    await deliver(tenant, live);
    [job] = await storeJobs(tenant.ctx.database.db, tenant.store.id);
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_error: 'Meta answered 400: Invalid OAuth access token',
    });
    next = ok;
  });
});

describe('pixel access tokens and provider selection', () => {
  it('stores tokens encrypted and reads them back only with the server key', async () => {
    const tenant = await createTenant();
    await addPixel(tenant, 'meta', { pixelId: '42', token: 'EAAG-very-secret' });
    const row = await tenant.ctx.database.db
      .selectFrom('store_conversion_pixels')
      .selectAll()
      .where('store_id', '=', tenant.store.id)
      .executeTakeFirstOrThrow();
    expect(row.access_token_ciphertext).not.toContain('EAAG');
    const key = pixelTokenKey(tenant.ctx.keys);
    expect(decryptPixelToken(key, row.access_token_ciphertext)).toBe('EAAG-very-secret');
    expect(decryptPixelToken(Buffer.alloc(32, 1), row.access_token_ciphertext)).toBeNull();
    expect(decryptPixelToken(key, `${row.access_token_ciphertext}x`)).toBeNull();
    expect(encryptPixelToken(key, 'same')).not.toBe(encryptPixelToken(key, 'same'));
  });

  it('defaults to the sandbox; NEXUS_CONVERSIONS_DRIVER=live selects the real adapters', () => {
    expect(createConversionsProvider(conversionsConfigFromEnv({})).name).toBe('sandbox');
    const config = conversionsConfigFromEnv({
      NEXUS_CONVERSIONS_DRIVER: 'live',
      NEXUS_TIKTOK_EVENTS_URL: 'http://x',
    });
    expect(createConversionsProvider(config).name).toBe('live');
    expect(config.endpoints.tiktokUrl).toBe('http://x');
    expect(config.endpoints.metaGraphUrl).toBe('https://graph.facebook.com');
    expect(() => conversionsConfigFromEnv({ NEXUS_CONVERSIONS_DRIVER: 'smtp' })).toThrow(
      /NEXUS_CONVERSIONS_DRIVER/,
    );
  });
});
