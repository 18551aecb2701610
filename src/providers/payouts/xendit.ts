import type { Payout, PayoutProvider, PayoutRequest, PayoutStatus } from './provider.ts';
import { PayoutRejected, PayoutUnavailable } from './provider.ts';

export interface XenditPayoutOptions {
  secretKey: string;
  /** `https://api.xendit.co`; tests point it at a local stub. */
  baseUrl: string;
  timeoutMs?: number;
}

const STATUSES = new Set<PayoutStatus>([
  'ACCEPTED',
  'REQUESTED',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'REVERSED',
]);

interface XenditPayout {
  id?: unknown;
  reference_id?: unknown;
  status?: unknown;
  failure_code?: unknown;
}

/**
 * Xendit Payouts v2 over `fetch` (docs.xendit.co, "Payouts"): `POST /v2/payouts` with the
 * `Idempotency-key` header (our settlement id) and `GET /v2/payouts/{id}`, Basic auth with the secret
 * key as user name. 5xx and network failures are `PayoutUnavailable` (retried later with the same
 * key); 4xx answers are `PayoutRejected` with Xendit's `error_code`.
 */
export class XenditPayoutProvider implements PayoutProvider {
  readonly name = 'xendit' as const;
  private readonly timeoutMs: number;

  constructor(private readonly options: XenditPayoutOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  createPayout(request: PayoutRequest): Promise<Payout> {
    return this.call('POST', '/v2/payouts', {
      headers: { 'idempotency-key': request.referenceId },
      body: {
        reference_id: request.referenceId,
        channel_code: request.channelCode,
        channel_properties: {
          account_holder_name: request.accountHolderName,
          account_number: request.accountNumber,
        },
        amount: request.amount,
        currency: request.currency,
        description: request.description,
      },
    });
  }

  getPayout(id: string): Promise<Payout> {
    return this.call('GET', `/v2/payouts/${encodeURIComponent(id)}`, {});
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    options: { headers?: Record<string, string>; body?: unknown },
  ): Promise<Payout> {
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${this.options.secretKey}:`).toString('base64')}`,
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PayoutUnavailable(`Xendit payouts unreachable: ${(error as Error).message}`);
    }
    const text = await response.text();
    let json: XenditPayout & { error_code?: unknown; message?: unknown } = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      if (response.ok) throw new PayoutUnavailable('Xendit answered a payout with a body that is not JSON');
    }
    if (response.status >= 500) throw new PayoutUnavailable(`Xendit payouts answered ${response.status}`);
    if (!response.ok) {
      const code = typeof json.error_code === 'string' ? json.error_code : `HTTP_${response.status}`;
      const message = typeof json.message === 'string' ? json.message : `Xendit refused the payout (${code})`;
      throw new PayoutRejected(message, code);
    }
    const status = json.status as PayoutStatus;
    if (typeof json.id !== 'string' || !STATUSES.has(status))
      throw new PayoutUnavailable('Xendit answered a payout without an id or a known status');
    return {
      id: json.id,
      referenceId: typeof json.reference_id === 'string' ? json.reference_id : '',
      status,
      failureCode: typeof json.failure_code === 'string' ? json.failure_code : null,
    };
  }
}
