import type { Redis } from 'ioredis';

/** A budget of `limit` requests per window, counted from the first request of the window. */
export interface RateWindow {
  name: string;
  limit: number;
  seconds: number;
}

export interface RateDecision {
  allowed: boolean;
  /** The window closest to running out; the `X-Ratelimit-*` headers describe it. */
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface RateLimitStore {
  /** Counts one request against every window of `bucket` and reports the most constraining one. */
  hit(bucket: string, windows: readonly RateWindow[]): Promise<RateDecision>;
  close(): Promise<void>;
}

interface Count {
  count: number;
  resetAt: number;
}

function decide(
  windows: readonly RateWindow[],
  counts: ReadonlyArray<{ count: number; ttlMs: number }>,
): RateDecision {
  let worst: RateDecision | undefined;
  let allowed = true;
  windows.forEach((window, i) => {
    const { count, ttlMs } = counts[i] ?? { count: 0, ttlMs: window.seconds * 1000 };
    if (count > window.limit) allowed = false;
    const candidate = {
      allowed: true,
      limit: window.limit,
      remaining: Math.max(0, window.limit - count),
      resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
    };
    const worse =
      !worst ||
      candidate.remaining / candidate.limit < worst.remaining / worst.limit ||
      (candidate.remaining === 0 && candidate.resetSeconds > worst.resetSeconds);
    if (worse) worst = candidate;
  });
  const chosen = worst ?? { allowed: true, limit: 0, remaining: 0, resetSeconds: 0 };
  return { ...chosen, allowed };
}

/** Single-process counters; the default when no `REDIS_URL` is configured. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counts = new Map<string, Count>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    // Drop expired windows so idle buckets do not accumulate.
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [key, value] of this.counts) if (value.resetAt <= now) this.counts.delete(key);
    }, 30_000);
    this.sweeper.unref();
  }

  async hit(bucket: string, windows: readonly RateWindow[]): Promise<RateDecision> {
    const now = Date.now();
    const counts = windows.map((window) => {
      const key = `${bucket}:${window.name}`;
      let entry = this.counts.get(key);
      if (!entry || entry.resetAt <= now) {
        entry = { count: 0, resetAt: now + window.seconds * 1000 };
        this.counts.set(key, entry);
      }
      entry.count += 1;
      return { count: entry.count, ttlMs: entry.resetAt - now };
    });
    return decide(windows, counts);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}

// One round trip for all windows: INCR each key, start its expiry on the first hit, return counts and TTLs.
const HIT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[i]) end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, ARGV[i]); ttl = tonumber(ARGV[i]) end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out`;

/** Counters shared by every instance through Redis, so the budget is per credential, not per process. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('nexusRateHit', { lua: HIT_SCRIPT });
  }

  async hit(bucket: string, windows: readonly RateWindow[]): Promise<RateDecision> {
    const keys = windows.map((window) => `${this.prefix}${bucket}:${window.name}`);
    const ttls = windows.map((window) => String(window.seconds * 1000));
    const raw = (await (
      this.redis as unknown as { nexusRateHit(n: number, ...args: string[]): Promise<number[]> }
    ).nexusRateHit(keys.length, ...keys, ...ttls)) as number[];
    const counts = windows.map((_, i) => ({ count: Number(raw[i * 2]), ttlMs: Number(raw[i * 2 + 1]) }));
    return decide(windows, counts);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
