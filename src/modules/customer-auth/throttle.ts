import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../http/errors.ts';
import type { RateWindow } from '../../http/rate-limit.ts';
import { sha256Hex } from '../../lib/crypto.ts';

const WINDOW_SECONDS = 900;

/**
 * Login, OTP verification and password reset have budgets of their own on top of the general
 * per-IP limit: per client IP (password guessing across accounts) and per account (guessing one
 * account's password or code from many addresses, or flooding its mailbox). Every attempt counts,
 * successful or not. Like the general limiter, an unreachable Redis lets requests through.
 */
export async function throttleCustomerAuth(
  request: FastifyRequest,
  reply: FastifyReply,
  account: { businessId: number; email: string },
): Promise<void> {
  const { rateLimit, config } = request.server.deps;
  const checks: Array<{ bucket: string; window: RateWindow }> = [
    {
      bucket: `customer-auth:ip:${request.ip}`,
      window: { name: '15m', limit: config.rateLimit.customerAuthIpPer15m, seconds: WINDOW_SECONDS },
    },
    {
      // The e-mail is hashed so the shared counter store never holds customers' addresses.
      bucket: `customer-auth:account:${account.businessId}:${sha256Hex(account.email).slice(0, 32)}`,
      window: { name: '15m', limit: config.rateLimit.customerAuthAccountPer15m, seconds: WINDOW_SECONDS },
    },
  ];
  for (const { bucket, window } of checks) {
    let decision: Awaited<ReturnType<typeof rateLimit.hit>>;
    try {
      decision = await rateLimit.hit(bucket, [window]);
    } catch (error) {
      request.log.warn({ err: error }, 'rate limit store unavailable; customer auth attempt not counted');
      return;
    }
    if (!decision.allowed) {
      reply.header('retry-after', decision.resetSeconds);
      throw new ApiError(
        429,
        'rate_limited',
        `Too many attempts. Try again in ${decision.resetSeconds} seconds.`,
        {},
        'Too many attempts',
      );
    }
  }
}
