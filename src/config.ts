import path from 'node:path';

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
  redisUrl: string | undefined;
  /** Prefix for every Redis key, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** Overrides the generated secret stored in the database (cursor signing, customer JWTs). */
  secretKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest accepted JSON request body, in bytes. */
  bodyLimit: number;
  /** Seconds to wait for in-flight requests on SIGTERM before exiting anyway. */
  shutdownGraceSeconds: number;
  /** Trust X-Forwarded-For from a reverse proxy when computing the client IP. */
  trustProxy: boolean;
  /** Seconds a resolved credential is cached in-process; revocations elsewhere take up to this long. */
  authCacheSeconds: number;
  rateLimit: RateLimitConfig;
  /** Create the demo business on first start against an empty database. */
  seedDemoOnEmpty: boolean;
}

export interface RateLimitConfig {
  /** Machine credentials (API keys, OAuth installations). */
  keyPerHour: number;
  keyPer10s: number;
  /** Browser traffic (storefront, page, guest) and unauthenticated requests, per client IP. */
  ipPerHour: number;
  ipPer10s: number;
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '0.0.0.0';
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const secretKey = env.NEXUS_SECRET_KEY?.trim() || undefined;
  if (secretKey !== undefined && secretKey.length < 32) {
    throw new ConfigError('NEXUS_SECRET_KEY', 'must be at least 32 characters long');
  }
  const publicUrl = url(env, 'NEXUS_PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  return {
    port,
    host,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.NEXUS_DATA_DIR?.trim() || './data'),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: env.NEXUS_REDIS_PREFIX?.trim() || 'nexus:',
    secretKey,
    logLevel,
    bodyLimit: int(env, 'NEXUS_BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    shutdownGraceSeconds: int(env, 'NEXUS_SHUTDOWN_GRACE_SECONDS', 25, 0, 3600),
    trustProxy: bool(env, 'NEXUS_TRUST_PROXY', false),
    authCacheSeconds: int(env, 'NEXUS_AUTH_CACHE_SECONDS', 5, 0, 300),
    seedDemoOnEmpty: bool(env, 'NEXUS_SEED_DEMO', true),
    rateLimit: {
      keyPerHour: int(env, 'NEXUS_RATE_LIMIT_KEY_PER_HOUR', 10_000, 1, 10_000_000),
      keyPer10s: int(env, 'NEXUS_RATE_LIMIT_KEY_PER_10S', 100, 1, 1_000_000),
      ipPerHour: int(env, 'NEXUS_RATE_LIMIT_IP_PER_HOUR', 20_000, 1, 10_000_000),
      ipPer10s: int(env, 'NEXUS_RATE_LIMIT_IP_PER_10S', 200, 1, 1_000_000),
    },
  };
}
