/**
 * When a failed delivery is tried again: 15 s after the first attempt, doubling up to 6 hours
 * between attempts, each delay ±20% so the deliveries of a receiver's outage do not all come back
 * at once. A delivery is tried for 24 hours from its creation (about 14 attempts), then marked
 * failed; `nexus webhooks redeliver` starts a new one.
 */
export const FIRST_RETRY_MS = 15_000;
export const MAX_RETRY_DELAY_MS = 6 * 3_600_000;
export const RETRY_WINDOW_MS = 24 * 3_600_000;

/** The pause after failed attempt number `attempt` (1-based); `random` in [0, 1). */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
  return Math.round(base * (0.8 + random() * 0.4));
}

/** When to try again after attempt `attempt` failed at `now`, or null when that is past the window. */
export function nextAttemptAt(
  createdAt: Date,
  attempt: number,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  const next = now.getTime() + retryDelayMs(attempt, random);
  return next <= createdAt.getTime() + RETRY_WINDOW_MS ? new Date(next) : null;
}
