import type { ConversionDelivery, ProviderRequest } from './provider.ts';

export const TIKTOK_EVENTS_URL = 'https://business-api.tiktok.com';

/**
 * TikTok Events API 2.0: `POST /open_api/v1.3/event/track/` with the `Access-Token` header and
 * `{event_source: "web", event_source_id: <pixel code>, data: [events]}`.
 */
export function tiktokRequest(delivery: ConversionDelivery, baseUrl = TIKTOK_EVENTS_URL): ProviderRequest {
  return {
    url: `${baseUrl.replace(/\/+$/, '')}/open_api/v1.3/event/track/`,
    headers: { 'content-type': 'application/json', 'access-token': delivery.accessToken },
    body: {
      event_source: 'web',
      event_source_id: delivery.pixelId,
      ...(delivery.testEventCode ? { test_event_code: delivery.testEventCode } : {}),
      data: delivery.events,
    },
  };
}

/** TikTok answers HTTP 200 with `{code, message}`; any code but 0 is a refusal. */
export function tiktokFailure(status: number, body: unknown): string | null {
  const answer = body as { code?: number; message?: string } | null;
  if (status >= 200 && status < 300 && answer?.code === 0) return null;
  return `TikTok answered ${status}${answer?.code !== undefined ? ` code ${answer.code}` : ''}${
    answer?.message ? `: ${answer.message}` : ''
  }`;
}
