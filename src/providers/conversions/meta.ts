import type { ConversionDelivery, ProviderRequest } from './provider.ts';

export const META_GRAPH_URL = 'https://graph.facebook.com';
export const META_GRAPH_VERSION = 'v21.0';

/**
 * Meta Conversions API: `POST /{api-version}/{pixel_id}/events` with `{data: [server events]}`.
 * The access token travels in the body rather than the query string, so it never lands in an
 * access log; Graph accepts it in either place.
 */
export function metaRequest(
  delivery: ConversionDelivery,
  baseUrl = META_GRAPH_URL,
  version = META_GRAPH_VERSION,
): ProviderRequest {
  return {
    url: `${baseUrl.replace(/\/+$/, '')}/${version}/${encodeURIComponent(delivery.pixelId)}/events`,
    headers: { 'content-type': 'application/json' },
    body: {
      data: delivery.events,
      ...(delivery.testEventCode ? { test_event_code: delivery.testEventCode } : {}),
      access_token: delivery.accessToken,
    },
  };
}

/** Graph answers `{events_received, fbtrace_id}` on success and `{error: {message, code}}` otherwise. */
export function metaFailure(status: number, body: unknown): string | null {
  if (status >= 200 && status < 300) return null;
  const error = (body as { error?: { message?: string } } | null)?.error;
  return `Meta answered ${status}${error?.message ? `: ${error.message}` : ''}`;
}
