import { describe, expect, it } from 'vitest';
import { assertProductionDrivers, ConfigError, driversOf, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has defaults that run on a laptop', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      redisUrl: undefined,
      publicUrl: 'http://localhost:3000',
    });
    expect(config.rateLimit).toMatchObject({ keyPer10s: 100, keyPerHour: 10_000 });
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.embeddedWasm).toBe('baseline');
    expect(loadConfig({ NEXUS_EMBEDDED_WASM: 'optimizing' }).embeddedWasm).toBe('optimizing');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ NEXUS_SECRET_KEY: 'short' }, 'NEXUS_SECRET_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NEXUS_EMBEDDED_WASM: 'turbo' }, 'NEXUS_EMBEDDED_WASM'],
    [{ NEXUS_TRUST_PROXY: 'maybe' }, 'NEXUS_TRUST_PROXY'],
    [{ NEXUS_SHIPPING_DRIVER: 'jne' }, 'NEXUS_SHIPPING_DRIVER'],
    [{ NEXUS_SHIPPING_BOOKING_DRIVER: 'shipper' }, 'NEXUS_SHIPPING_BOOKING_DRIVER'],
    [{ NEXUS_SHIPPING_BOOKING_DRIVER: 'biteship' }, 'BITESHIP_API_KEY'],
    [{ BITESHIP_BASE_URL: 'ftp://biteship' }, 'BITESHIP_BASE_URL'],
    [{ BITESHIP_TIMEOUT_MS: '10' }, 'BITESHIP_TIMEOUT_MS'],
    [{ NEXUS_ALLOW_SANDBOX: 'perhaps' }, 'NEXUS_ALLOW_SANDBOX'],
    [{ NEXUS_RETENTION_IDEMPOTENCY_HOURS: '0' }, 'NEXUS_RETENTION_IDEMPOTENCY_HOURS'],
    [{ NEXUS_RETENTION_JOBS_DAYS: 'week' }, 'NEXUS_RETENTION_JOBS_DAYS'],
    [{ NEXUS_RETENTION_WEBHOOKS_DAYS: '0' }, 'NEXUS_RETENTION_WEBHOOKS_DAYS'],
    [{ NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'sometimes' }, 'NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS'],
    [{ NEXUS_WEBHOOKS_TIMEOUT_SECONDS: '60' }, 'NEXUS_WEBHOOKS_TIMEOUT_SECONDS'],
  ])('stops on a bad setting with one line naming it (%o)', (env, setting) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(setting);
    expect((error as ConfigError).message).not.toContain('\n');
  });

  it('keeps webhooks off private networks unless allowed', () => {
    expect(loadConfig({}).webhooks).toEqual({ allowPrivateNetworks: false, timeoutSeconds: 10 });
    expect(loadConfig({}).retention).toMatchObject({
      webhookDeliveriesDays: 30,
      failedWebhookDeliveriesDays: 90,
    });
    expect(
      loadConfig({ NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', NEXUS_WEBHOOKS_TIMEOUT_SECONDS: '3' })
        .webhooks,
    ).toEqual({ allowPrivateNetworks: true, timeoutSeconds: 3 });
  });

  it('seeds the demo only on the embedded database outside production, unless asked', () => {
    expect(loadConfig({}).seedDemoOnEmpty).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/nexus' }).seedDemoOnEmpty).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemoOnEmpty).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/nexus', NEXUS_SEED_DEMO: 'true' }).seedDemoOnEmpty).toBe(
      true,
    );
    expect(loadConfig({ NEXUS_SEED_DEMO: 'false' }).seedDemoOnEmpty).toBe(false);
  });

  it('names every driver in use', () => {
    expect(driversOf(loadConfig({}), {})).toEqual({
      payments: 'sandbox',
      shipping: 'sandbox',
      storage: 'local',
      mail: 'sandbox',
      conversions: 'sandbox',
      bookings: 'sandbox',
      payouts: 'sandbox',
    });
    const real = {
      NEXUS_PAYMENTS_DRIVER: 'xendit',
      XENDIT_SECRET_KEY: 'xnd_development_x',
      XENDIT_CALLBACK_TOKEN: 'cb',
      NEXUS_MAIL_DRIVER: 'smtp',
      NEXUS_SMTP_URL: 'smtp://mail.example.com:587',
      NEXUS_CONVERSIONS_DRIVER: 'live',
    };
    expect(driversOf(loadConfig(real), real)).toMatchObject({
      payments: 'xendit',
      mail: 'smtp',
      conversions: 'live',
    });
  });

  it('refuses sandbox payment and shipping drivers under NODE_ENV=production unless allowed', () => {
    expect(() => assertProductionDrivers(loadConfig({}))).not.toThrow();
    const refused = () => assertProductionDrivers(loadConfig({ NODE_ENV: 'production' }));
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(
      /NEXUS_PAYMENTS_DRIVER and NEXUS_SHIPPING_DRIVER are sandbox with NODE_ENV=production/,
    );
    expect(() =>
      assertProductionDrivers(loadConfig({ NODE_ENV: 'production', NEXUS_ALLOW_SANDBOX: 'true' })),
    ).not.toThrow();
  });

  it('books shipments in the sandbox unless Biteship is chosen, and never prints its key', () => {
    expect(loadConfig({}).shipping.booking).toEqual({
      driver: 'sandbox',
      biteship: { apiKey: undefined, baseUrl: 'https://api.biteship.com', timeoutMs: 15_000 },
      trackingIntervalMinutes: 30,
    });
    const env = {
      NEXUS_SHIPPING_BOOKING_DRIVER: 'biteship',
      BITESHIP_API_KEY: ' biteship_live.secret ',
      BITESHIP_BASE_URL: 'http://127.0.0.1:9999',
      BITESHIP_TIMEOUT_MS: '5000',
      NEXUS_SHIPPING_TRACKING_INTERVAL_MINUTES: '10',
    };
    expect(loadConfig(env).shipping.booking).toEqual({
      driver: 'biteship',
      biteship: { apiKey: 'biteship_live.secret', baseUrl: 'http://127.0.0.1:9999', timeoutMs: 5000 },
      trackingIntervalMinutes: 10,
    });
    expect(() => loadConfig({ ...env, BITESHIP_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, BITESHIP_TIMEOUT_MS: 'soon' })).not.toThrow(/secret/);
  });

  it('keeps rows for the documented retention periods unless configured', () => {
    expect(loadConfig({}).retention).toEqual({
      idempotencyHours: 24,
      finishedJobsDays: 7,
      failedJobsDays: 30,
      webhookDeliveriesDays: 30,
      failedWebhookDeliveriesDays: 90,
      expiredCredentialsHours: 24,
      intervalMinutes: 60,
    });
    expect(
      loadConfig({
        NEXUS_RETENTION_IDEMPOTENCY_HOURS: '48',
        NEXUS_RETENTION_EXPIRED_HOURS: '0',
        NEXUS_RETENTION_FAILED_WEBHOOKS_DAYS: '7',
      }).retention,
    ).toMatchObject({ idempotencyHours: 48, expiredCredentialsHours: 0, failedWebhookDeliveriesDays: 7 });
  });
});
