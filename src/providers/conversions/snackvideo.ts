import type { ConversionDelivery, ProviderRequest } from './provider.ts';

export const SNACKVIDEO_EVENTS_URL = 'https://www.adsnebula.com';

/**
 * SnackVideo (Kwai for Business) server events: `POST /log/common/api`, one event per call, the
 * pixel's access token in the body and the event's `properties` as a JSON string. `testFlag`
 * sends to the pixel's test console when the pixel has a test code configured.
 */
export function snackVideoRequest(
  delivery: ConversionDelivery,
  baseUrl = SNACKVIDEO_EVENTS_URL,
): ProviderRequest {
  const event = delivery.events[0] ?? {};
  return {
    url: `${baseUrl.replace(/\/+$/, '')}/log/common/api`,
    headers: { 'content-type': 'application/json' },
    body: {
      access_token: delivery.accessToken,
      pixelId: delivery.pixelId,
      clickid: event.clickid,
      event_name: event.event_name,
      is_attributed: 1,
      mmpcode: 'PL',
      pixelSdkVersion: '9.9.9',
      properties: JSON.stringify(event.properties ?? {}),
      testFlag: Boolean(delivery.testEventCode),
      trackFlag: Boolean(delivery.testEventCode),
    },
  };
}

/** The API answers `{result: 1}` on success, another result with `error_msg` otherwise. */
export function snackVideoFailure(status: number, body: unknown): string | null {
  const answer = body as { result?: number; error_msg?: string } | null;
  if (status >= 200 && status < 300 && answer?.result === 1) return null;
  return `SnackVideo answered ${status}${answer?.error_msg ? `: ${answer.error_msg}` : ''}`;
}
