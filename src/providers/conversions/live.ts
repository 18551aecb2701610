import {
  type ConversionDelivery,
  ConversionDeliveryError,
  type ConversionsProvider,
  type DeliveryContext,
} from './provider.ts';
import { buildProviderRequest, DEFAULT_ENDPOINTS, type ProviderEndpoints, providerFailure } from './wire.ts';

const MAX_ANSWER_BYTES = 64 * 1024;

async function readAnswer(response: Response): Promise<unknown> {
  const text = (await response.text()).slice(0, MAX_ANSWER_BYTES);
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Sends to the platforms' documented endpoints. Throttling (429) and server errors are retryable;
 * any other refusal (bad token, unknown pixel, malformed event) is not, so the job fails at once
 * with the platform's message instead of retrying something that cannot succeed.
 */
export class LiveConversions implements ConversionsProvider {
  readonly name = 'live' as const;

  constructor(
    private readonly endpoints: ProviderEndpoints = DEFAULT_ENDPOINTS,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async deliver(delivery: ConversionDelivery, context: DeliveryContext): Promise<void> {
    const request = buildProviderRequest(delivery, this.endpoints);
    let response: Response;
    try {
      response = await this.fetchImpl(request.url, {
        method: 'POST',
        headers: request.headers,
        body: JSON.stringify(request.body),
        signal: context.signal,
      });
    } catch (error) {
      throw new ConversionDeliveryError(
        `${delivery.platform} request failed: ${(error as Error).message}`,
        true,
      );
    }
    const failure = providerFailure(delivery.platform, response.status, await readAnswer(response));
    if (failure) {
      throw new ConversionDeliveryError(failure, response.status === 429 || response.status >= 500);
    }
  }
}
