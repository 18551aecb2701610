import { META_GRAPH_URL, META_GRAPH_VERSION, metaFailure, metaRequest } from './meta.ts';
import type { ConversionDelivery, ConversionPlatform, ProviderRequest } from './provider.ts';
import { SNACKVIDEO_EVENTS_URL, snackVideoFailure, snackVideoRequest } from './snackvideo.ts';
import { TIKTOK_EVENTS_URL, tiktokFailure, tiktokRequest } from './tiktok.ts';

/** Where the live adapters send; tests point these at a local stub server. */
export interface ProviderEndpoints {
  metaGraphUrl: string;
  metaGraphVersion: string;
  tiktokUrl: string;
  snackVideoUrl: string;
}

export const DEFAULT_ENDPOINTS: ProviderEndpoints = {
  metaGraphUrl: META_GRAPH_URL,
  metaGraphVersion: META_GRAPH_VERSION,
  tiktokUrl: TIKTOK_EVENTS_URL,
  snackVideoUrl: SNACKVIDEO_EVENTS_URL,
};

export function buildProviderRequest(
  delivery: ConversionDelivery,
  endpoints: ProviderEndpoints = DEFAULT_ENDPOINTS,
): ProviderRequest {
  switch (delivery.platform) {
    case 'meta':
      return metaRequest(delivery, endpoints.metaGraphUrl, endpoints.metaGraphVersion);
    case 'tiktok':
      return tiktokRequest(delivery, endpoints.tiktokUrl);
    case 'snackvideo':
      return snackVideoRequest(delivery, endpoints.snackVideoUrl);
  }
}

export function providerFailure(platform: ConversionPlatform, status: number, body: unknown): string | null {
  switch (platform) {
    case 'meta':
      return metaFailure(status, body);
    case 'tiktok':
      return tiktokFailure(status, body);
    case 'snackvideo':
      return snackVideoFailure(status, body);
  }
}

const CREDENTIAL_FIELDS = new Set(['access_token']);

/** The request body as it would go out, minus credentials: what the sandbox records. */
export function redactedBody(request: ProviderRequest): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request.body).filter(([key]) => !CREDENTIAL_FIELDS.has(key)));
}
