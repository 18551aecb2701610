import type { Payout, PayoutProvider, PayoutRequest } from './provider.ts';

const PREFIX = 'sandbox-disb-';

/**
 * Deterministic payouts without state, so the server and a separate `nexus worker` agree: a payout
 * is accepted on creation with an id derived from its reference (the same reference is the same
 * payout, as with Xendit's idempotency key) and has succeeded by the first status check. `sent`
 * keeps the requests this instance made, for tests and the operator.
 */
export class SandboxPayoutProvider implements PayoutProvider {
  readonly name = 'sandbox' as const;
  readonly sent: PayoutRequest[] = [];

  async createPayout(request: PayoutRequest): Promise<Payout> {
    this.sent.push(request);
    return {
      id: `${PREFIX}${request.referenceId}`,
      referenceId: request.referenceId,
      status: 'ACCEPTED',
      failureCode: null,
    };
  }

  async getPayout(id: string): Promise<Payout> {
    if (!id.startsWith(PREFIX)) throw new Error(`${id} is not a sandbox payout`);
    return { id, referenceId: id.slice(PREFIX.length), status: 'SUCCEEDED', failureCode: null };
  }
}
