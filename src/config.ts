import path from 'node:path';
import { hasControlCharacters } from './lib/text.ts';

/**
 * Typed configuration read once from the environment. A bad value stops start-up with a
 * single readable line naming the setting (see `ConfigError`), never a stack trace.
 */
export interface Config {
  port: number;
  host: string;
  /** Public base URL used in links the API hands out (payment pages, reset links). */
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /**
   * How V8 compiles the embedded database's WebAssembly in the server: `baseline` (Liftoff only, the
   * default) or `optimizing` (hot functions compiled again by TurboFan: ~60 MB more resident memory,
   * ~10-25% more throughput on query-heavy reads; docs/performance.md, "Process memory").
   */
  embeddedWasm: 'baseline' | 'optimizing';
  redisUrl: string | undefined;
  /** Prefix for every Redis key, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** Overrides the generated secret stored in the database (cursor signing, customer JWTs). */
  secretKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * `auto`: readable lines (pino-pretty) when stdout is a terminal, JSON otherwise (pipes, files,
   * log collectors); `json` or `pretty` choose one whatever stdout is.
   */
  logFormat: 'auto' | 'json' | 'pretty';
  /** Largest accepted JSON request body, in bytes. */
  bodyLimit: number;
  /** Seconds to wait for in-flight requests on SIGTERM before exiting anyway. */
  shutdownGraceSeconds: number;
  /** Trust X-Forwarded-For from a reverse proxy when computing the client IP. */
  trustProxy: boolean;
  /** Seconds a resolved credential is cached in-process; revocations elsewhere take up to this long. */
  authCacheSeconds: number;
  /** Memory for listed orders' serialized views, in MB (orders/view-cache.ts); 0 serializes every time. */
  orderViewCacheMb: number;
  rateLimit: RateLimitConfig;
  /**
   * Create the demo business on first start against an empty database: by default only on the
   * embedded database outside production (a laptop trying Nexus), or when `NEXUS_SEED_DEMO` asks.
   */
  seedDemoOnEmpty: boolean;
  /** `NODE_ENV=production`: sandbox payment and shipping drivers refuse to start unless allowed. */
  production: boolean;
  /** `NEXUS_ALLOW_SANDBOX`: run sandbox drivers under `NODE_ENV=production` anyway (a staging server). */
  allowSandbox: boolean;
  storage: StorageConfig;
  payments: PaymentsConfig;
  shipping: ShippingConfig;
  messaging: MessagingConfig;
  webhooks: WebhooksConfig;
  retention: RetentionConfig;
  oauthBilling: OAuthBillingConfig;
}

/**
 * Outgoing webhooks (modules/webhooks). Receivers are URLs merchants type in, so by default a
 * delivery never connects to a private, loopback, link-local, CGNAT, multicast or reserved address
 * (the server's own network and the cloud metadata service).
 */
export interface WebhooksConfig {
  /** Deliver to those addresses too: a receiver on the server's own network, or tests on loopback. */
  allowPrivateNetworks: boolean;
  /** One delivery attempt, connect to the last byte read, is abandoned after this long. */
  timeoutSeconds: number;
}

/**
 * Couriers. Rates: only the deterministic sandbox exists until a real aggregator adapter lands.
 * Bookings (airway bills, cancellation, tracking): the sandbox by default, `biteship` for real ones.
 */
export interface ShippingConfig {
  driver: 'sandbox';
  booking: {
    driver: 'sandbox' | 'biteship';
    biteship: {
      apiKey: string | undefined;
      /** API base URL; tests point it at a local stub. */
      baseUrl: string;
      /** A Biteship call that takes longer fails (retryably) instead of holding the caller. */
      timeoutMs: number;
    };
    /** How often the tracking sweep asks the courier about booked orders. */
    trackingIntervalMinutes: number;
  };
}

/**
 * How long finished or expired rows are kept before the retention job (run every
 * `intervalMinutes`) deletes them: nothing that only served a moment stays for ever.
 */
export interface RetentionConfig {
  /** Idempotency keys (and the buyer data in their stored answers): a key is remembered this long. */
  idempotencyHours: number;
  /** Jobs that finished successfully. */
  finishedJobsDays: number;
  /** Jobs that failed for good (kept longer: an operator may want to read why). */
  failedJobsDays: number;
  /** Webhook deliveries that succeeded (with their attempts), and then events with none left. */
  webhookDeliveriesDays: number;
  /** Webhook deliveries that failed for good (kept longer: they may be redelivered). */
  failedWebhookDeliveriesDays: number;
  /**
   * Expired guest carts, login codes, password-reset tokens and customer refresh tokens are deleted
   * this long after they expire (they are useless from their expiry on).
   */
  expiredCredentialsHours: number;
  intervalMinutes: number;
}

/**
 * E-mail: `sandbox` (default) keeps every message in the outbox (`mail_messages`, read with
 * `nexus mail list`) and delivers nothing; `smtp` sends through an SMTP server with nodemailer.
 */
export interface MessagingConfig {
  driver: 'sandbox' | 'smtp';
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`; required for `smtp`. */
  smtpUrl: string | undefined;
  /** The From header: `no-reply@host` or `Name <no-reply@host>`. */
  from: string;
}

/**
 * Payment gateway: `sandbox` (default) issues realistic instructions and lets the operator settle
 * or expire payments (`nexus payments simulate`); `xendit` uses the Xendit API with `xendit-node`.
 */
export interface PaymentsConfig {
  driver: 'sandbox' | 'xendit';
  xendit: {
    secretKey: string | undefined;
    /** Verifies Xendit's callbacks (`x-callback-token`). */
    callbackToken: string | undefined;
    /** API base URL; tests point it at a local stub. */
    baseUrl: string;
  };
}

/**
 * OAuth Billing (issue 14): the platform's cut of each charge in basis points (below 10000, so a
 * developer always nets at least 1 IDR), how long a reservation holds the merchant's funds, and the
 * payout rail for developer withdrawals: `sandbox` (default) or `xendit` (`POST /v2/payouts`).
 */
export interface OAuthBillingConfig {
  platformFeeBps: number;
  reservationTtlSeconds: number;
  payouts: {
    driver: 'sandbox' | 'xendit';
    xendit: { secretKey: string | undefined; baseUrl: string };
  };
}

/**
 * Where uploaded files (digital products, transfer proofs) live: `local` keeps them under
 * `localDir` and serves signed URLs from this server (the sandbox default); `s3` hands out
 * presigned URLs of an S3-compatible bucket.
 */
export interface StorageConfig {
  driver: 'local' | 's3';
  localDir: string;
  /** Largest accepted upload, in bytes. */
  maxUploadBytes: number;
  /** Lifetime of signed upload/download URLs, in seconds. */
  urlTtlSeconds: number;
  s3: {
    bucket: string | undefined;
    region: string;
    endpoint: string | undefined;
    accessKeyId: string | undefined;
    secretAccessKey: string | undefined;
  };
}

export interface RateLimitConfig {
  /** Machine credentials (API keys, OAuth installations). */
  keyPerHour: number;
  keyPer10s: number;
  /** Browser traffic (storefront, page, guest) and unauthenticated requests, per client IP. */
  ipPerHour: number;
  ipPer10s: number;
  /** Customer login, OTP verification and password reset requests per client IP per 15 minutes. */
  customerAuthIpPer15m: number;
  /** The same requests per customer account (store's business + e-mail) per 15 minutes. */
  customerAuthAccountPer15m: number;
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${setting} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function storageConfig(env: Env): StorageConfig {
  const driver = (env.NEXUS_STORAGE_DRIVER?.trim() || 'local') as StorageConfig['driver'];
  if (driver !== 'local' && driver !== 's3') {
    throw new ConfigError('NEXUS_STORAGE_DRIVER', `must be local or s3, got "${env.NEXUS_STORAGE_DRIVER}"`);
  }
  const dataDir = path.resolve(env.NEXUS_DATA_DIR?.trim() || './data');
  const s3 = {
    bucket: env.NEXUS_S3_BUCKET?.trim() || undefined,
    region: env.NEXUS_S3_REGION?.trim() || 'us-east-1',
    endpoint: url(env, 'NEXUS_S3_ENDPOINT', ['http:', 'https:']),
    accessKeyId: env.NEXUS_S3_ACCESS_KEY_ID?.trim() || undefined,
    secretAccessKey: env.NEXUS_S3_SECRET_ACCESS_KEY?.trim() || undefined,
  };
  if (driver === 's3') {
    for (const [name, value] of [
      ['NEXUS_S3_BUCKET', s3.bucket],
      ['NEXUS_S3_ACCESS_KEY_ID', s3.accessKeyId],
      ['NEXUS_S3_SECRET_ACCESS_KEY', s3.secretAccessKey],
    ] as const) {
      if (!value) throw new ConfigError(name, 'is required when NEXUS_STORAGE_DRIVER is s3');
    }
  }
  return {
    driver,
    localDir: path.resolve(env.NEXUS_STORAGE_DIR?.trim() || path.join(dataDir, 'uploads')),
    maxUploadBytes: int(env, 'NEXUS_MAX_UPLOAD_BYTES', 100 * 1024 * 1024, 1024, 5 * 1024 * 1024 * 1024),
    urlTtlSeconds: int(env, 'NEXUS_UPLOAD_URL_TTL_SECONDS', 900, 60, 7 * 86_400),
    s3,
  };
}

function shippingConfig(env: Env): ShippingConfig {
  const driver = env.NEXUS_SHIPPING_DRIVER?.trim() || 'sandbox';
  if (driver !== 'sandbox') {
    throw new ConfigError(
      'NEXUS_SHIPPING_DRIVER',
      `must be sandbox (the only driver so far), got "${driver}"`,
    );
  }
  return { driver, booking: shippingBookingConfig(env) };
}

/** The bookings block alone, for processes that only run jobs (the jobs worker's tracking sweep). */
export function shippingBookingConfig(env: Env): ShippingConfig['booking'] {
  const driver = (env.NEXUS_SHIPPING_BOOKING_DRIVER?.trim() ||
    'sandbox') as ShippingConfig['booking']['driver'];
  if (driver !== 'sandbox' && driver !== 'biteship') {
    throw new ConfigError(
      'NEXUS_SHIPPING_BOOKING_DRIVER',
      `must be sandbox or biteship, got "${env.NEXUS_SHIPPING_BOOKING_DRIVER}"`,
    );
  }
  const biteship = {
    apiKey: env.BITESHIP_API_KEY?.trim() || undefined,
    baseUrl: url(env, 'BITESHIP_BASE_URL', ['http:', 'https:']) ?? 'https://api.biteship.com',
    timeoutMs: int(env, 'BITESHIP_TIMEOUT_MS', 15_000, 1_000, 120_000),
  };
  if (driver === 'biteship' && !biteship.apiKey) {
    throw new ConfigError('BITESHIP_API_KEY', 'is required when NEXUS_SHIPPING_BOOKING_DRIVER is biteship');
  }
  const trackingIntervalMinutes = int(env, 'NEXUS_SHIPPING_TRACKING_INTERVAL_MINUTES', 30, 1, 24 * 60);
  return { driver, biteship, trackingIntervalMinutes };
}

/** The retention block alone, for processes that only run jobs (the jobs worker). */
export function retentionConfig(env: Env): RetentionConfig {
  return {
    idempotencyHours: int(env, 'NEXUS_RETENTION_IDEMPOTENCY_HOURS', 24, 1, 24 * 365),
    finishedJobsDays: int(env, 'NEXUS_RETENTION_JOBS_DAYS', 7, 1, 3650),
    failedJobsDays: int(env, 'NEXUS_RETENTION_FAILED_JOBS_DAYS', 30, 1, 3650),
    webhookDeliveriesDays: int(env, 'NEXUS_RETENTION_WEBHOOKS_DAYS', 30, 1, 3650),
    failedWebhookDeliveriesDays: int(env, 'NEXUS_RETENTION_FAILED_WEBHOOKS_DAYS', 90, 1, 3650),
    expiredCredentialsHours: int(env, 'NEXUS_RETENTION_EXPIRED_HOURS', 24, 0, 24 * 365),
    intervalMinutes: int(env, 'NEXUS_RETENTION_INTERVAL_MINUTES', 60, 1, 24 * 60),
  };
}

/** The webhooks block alone, for processes that only deliver them (the jobs worker). */
export function webhooksConfig(env: Env): WebhooksConfig {
  return {
    allowPrivateNetworks: bool(env, 'NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS', false),
    // Below the worker's 60 s handler timeout, so an attempt always ends as a recorded timeout.
    timeoutSeconds: int(env, 'NEXUS_WEBHOOKS_TIMEOUT_SECONDS', 10, 1, 50),
  };
}

function paymentsConfig(env: Env): PaymentsConfig {
  const driver = (env.NEXUS_PAYMENTS_DRIVER?.trim() || 'sandbox') as PaymentsConfig['driver'];
  if (driver !== 'sandbox' && driver !== 'xendit') {
    throw new ConfigError(
      'NEXUS_PAYMENTS_DRIVER',
      `must be sandbox or xendit, got "${env.NEXUS_PAYMENTS_DRIVER}"`,
    );
  }
  const xendit = {
    secretKey: env.XENDIT_SECRET_KEY?.trim() || undefined,
    callbackToken: env.XENDIT_CALLBACK_TOKEN?.trim() || undefined,
    baseUrl: url(env, 'XENDIT_BASE_URL', ['http:', 'https:']) ?? 'https://api.xendit.co',
  };
  if (driver === 'xendit') {
    if (!xendit.secretKey)
      throw new ConfigError('XENDIT_SECRET_KEY', 'is required when NEXUS_PAYMENTS_DRIVER is xendit');
    if (!xendit.callbackToken) {
      throw new ConfigError('XENDIT_CALLBACK_TOKEN', 'is required when NEXUS_PAYMENTS_DRIVER is xendit');
    }
  }
  return { driver, xendit };
}

/** The OAuth Billing block alone, for processes that only run its jobs (the worker). */
export function oauthBillingConfig(env: Env): OAuthBillingConfig {
  const driver = (env.NEXUS_PAYOUTS_DRIVER?.trim() || 'sandbox') as OAuthBillingConfig['payouts']['driver'];
  if (driver !== 'sandbox' && driver !== 'xendit') {
    throw new ConfigError(
      'NEXUS_PAYOUTS_DRIVER',
      `must be sandbox or xendit, got "${env.NEXUS_PAYOUTS_DRIVER}"`,
    );
  }
  const payouts = {
    driver,
    xendit: {
      secretKey: env.XENDIT_SECRET_KEY?.trim() || undefined,
      baseUrl: url(env, 'XENDIT_BASE_URL', ['http:', 'https:']) ?? 'https://api.xendit.co',
    },
  };
  if (driver === 'xendit') {
    if (!payouts.xendit.secretKey)
      throw new ConfigError('XENDIT_SECRET_KEY', 'is required when NEXUS_PAYOUTS_DRIVER is xendit');
  }
  return {
    platformFeeBps: int(env, 'NEXUS_OAUTH_BILLING_PLATFORM_FEE_BPS', 1000, 0, 9999),
    reservationTtlSeconds: int(env, 'NEXUS_OAUTH_BILLING_RESERVATION_TTL_SECONDS', 900, 10, 86_400),
    payouts,
  };
}

const MAIL_FROM = /^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/** The messaging block alone, for processes that only deliver mail (the jobs worker). */
export function messagingConfig(env: Env): MessagingConfig {
  const driver = (env.NEXUS_MAIL_DRIVER?.trim() || 'sandbox') as MessagingConfig['driver'];
  if (driver !== 'sandbox' && driver !== 'smtp') {
    throw new ConfigError('NEXUS_MAIL_DRIVER', `must be sandbox or smtp, got "${env.NEXUS_MAIL_DRIVER}"`);
  }
  const smtpUrl = url(env, 'NEXUS_SMTP_URL', ['smtp:', 'smtps:']);
  if (driver === 'smtp' && !smtpUrl) {
    throw new ConfigError('NEXUS_SMTP_URL', 'is required when NEXUS_MAIL_DRIVER is smtp');
  }
  const publicUrl = url(env, 'NEXUS_PUBLIC_URL', ['http:', 'https:']);
  const host = publicUrl ? new URL(publicUrl).hostname : 'localhost';
  const from = env.NEXUS_MAIL_FROM?.trim() || `no-reply@${host}`;
  if (!MAIL_FROM.test(from) || hasControlCharacters(from)) {
    throw new ConfigError('NEXUS_MAIL_FROM', `must be an address or "Name <address>", got "${from}"`);
  }
  return { driver, smtpUrl, from };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
const EMBEDDED_WASM = ['baseline', 'optimizing'] as const;

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '0.0.0.0';
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const logFormat = (env.NEXUS_LOG_FORMAT?.trim() || 'auto') as Config['logFormat'];
  if (!LOG_FORMATS.includes(logFormat)) {
    throw new ConfigError(
      'NEXUS_LOG_FORMAT',
      `must be one of ${LOG_FORMATS.join(', ')}, got "${env.NEXUS_LOG_FORMAT}"`,
    );
  }
  const embeddedWasm = (env.NEXUS_EMBEDDED_WASM?.trim() || 'baseline') as Config['embeddedWasm'];
  if (!EMBEDDED_WASM.includes(embeddedWasm)) {
    throw new ConfigError(
      'NEXUS_EMBEDDED_WASM',
      `must be one of ${EMBEDDED_WASM.join(', ')}, got "${env.NEXUS_EMBEDDED_WASM}"`,
    );
  }
  const secretKey = env.NEXUS_SECRET_KEY?.trim() || undefined;
  if (secretKey !== undefined && secretKey.length < 32) {
    throw new ConfigError('NEXUS_SECRET_KEY', 'must be at least 32 characters long');
  }
  const publicUrl = url(env, 'NEXUS_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const production = env.NODE_ENV?.trim() === 'production';
  return {
    port,
    host,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    databaseUrl,
    dataDir: path.resolve(env.NEXUS_DATA_DIR?.trim() || './data'),
    embeddedWasm,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: env.NEXUS_REDIS_PREFIX?.trim() || 'nexus:',
    secretKey,
    logLevel,
    logFormat,
    bodyLimit: int(env, 'NEXUS_BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    shutdownGraceSeconds: int(env, 'NEXUS_SHUTDOWN_GRACE_SECONDS', 25, 0, 3600),
    trustProxy: bool(env, 'NEXUS_TRUST_PROXY', false),
    authCacheSeconds: int(env, 'NEXUS_AUTH_CACHE_SECONDS', 5, 0, 300),
    orderViewCacheMb: int(env, 'NEXUS_ORDER_VIEW_CACHE_MB', 32, 0, 4096),
    seedDemoOnEmpty: bool(env, 'NEXUS_SEED_DEMO', !databaseUrl && !production),
    production,
    allowSandbox: bool(env, 'NEXUS_ALLOW_SANDBOX', false),
    storage: storageConfig(env),
    payments: paymentsConfig(env),
    shipping: shippingConfig(env),
    messaging: messagingConfig(env),
    webhooks: webhooksConfig(env),
    retention: retentionConfig(env),
    oauthBilling: oauthBillingConfig(env),
    rateLimit: {
      keyPerHour: int(env, 'NEXUS_RATE_LIMIT_KEY_PER_HOUR', 10_000, 1, 10_000_000),
      keyPer10s: int(env, 'NEXUS_RATE_LIMIT_KEY_PER_10S', 100, 1, 1_000_000),
      ipPerHour: int(env, 'NEXUS_RATE_LIMIT_IP_PER_HOUR', 20_000, 1, 10_000_000),
      ipPer10s: int(env, 'NEXUS_RATE_LIMIT_IP_PER_10S', 200, 1, 1_000_000),
      customerAuthIpPer15m: int(env, 'NEXUS_RATE_LIMIT_CUSTOMER_AUTH_IP_PER_15M', 100, 1, 1_000_000),
      customerAuthAccountPer15m: int(env, 'NEXUS_RATE_LIMIT_CUSTOMER_AUTH_ACCOUNT_PER_15M', 10, 1, 10_000),
    },
  };
}

/** The outside-service drivers a process runs with, named at start-up so nobody mistakes a sandbox for real. */
export function driversOf(config: Config, env: Env = process.env): Record<string, string> {
  return {
    payments: config.payments.driver,
    shipping: config.shipping.driver,
    storage: config.storage.driver,
    mail: config.messaging.driver,
    conversions: env.NEXUS_CONVERSIONS_DRIVER?.trim() || 'sandbox',
    bookings: config.shipping.booking.driver,
    payouts: config.oauthBilling.payouts.driver,
  };
}

/**
 * Under `NODE_ENV=production` a sandbox payment gateway would take orders nobody can pay and a
 * sandbox courier would quote made-up rates: refuse to start unless the operator says so.
 */
export function assertProductionDrivers(config: Config): void {
  if (!config.production || config.allowSandbox) return;
  const sandboxed = [
    config.payments.driver === 'sandbox' ? 'NEXUS_PAYMENTS_DRIVER' : null,
    config.shipping.driver === 'sandbox' ? 'NEXUS_SHIPPING_DRIVER' : null,
  ].filter((name): name is string => name !== null);
  if (sandboxed.length === 0) return;
  throw new ConfigError(
    sandboxed.join(' and '),
    `${sandboxed.length > 1 ? 'are' : 'is'} sandbox with NODE_ENV=production; choose a real driver, or set NEXUS_ALLOW_SANDBOX=true to run on the sandbox anyway`,
  );
}
