import { LiveConversions } from './live.ts';
import type { ConversionsProvider } from './provider.ts';
import { SandboxConversions } from './sandbox.ts';
import { DEFAULT_ENDPOINTS, type ProviderEndpoints } from './wire.ts';

export { LiveConversions } from './live.ts';
export type {
  ConversionDelivery,
  ConversionPlatform,
  ConversionsProvider,
  DeliveryContext,
} from './provider.ts';
export { CONVERSION_PLATFORMS, ConversionDeliveryError } from './provider.ts';
export { SandboxConversions } from './sandbox.ts';
export { buildProviderRequest, type ProviderEndpoints } from './wire.ts';

export interface ConversionsConfig {
  driver: 'sandbox' | 'live';
  endpoints: ProviderEndpoints;
}

/**
 * `NEXUS_CONVERSIONS_DRIVER` = `sandbox` (default) or `live`; the `NEXUS_*_URL` settings point the
 * live adapters elsewhere (a proxy, a stub). Read here until the shared config grows a section.
 */
export function conversionsConfigFromEnv(env: Record<string, string | undefined>): ConversionsConfig {
  const driver = env.NEXUS_CONVERSIONS_DRIVER?.trim() || 'sandbox';
  if (driver !== 'sandbox' && driver !== 'live') {
    throw new Error(
      `Invalid configuration: NEXUS_CONVERSIONS_DRIVER must be sandbox or live, got "${driver}"`,
    );
  }
  return {
    driver,
    endpoints: {
      metaGraphUrl: env.NEXUS_META_GRAPH_URL?.trim() || DEFAULT_ENDPOINTS.metaGraphUrl,
      metaGraphVersion: env.NEXUS_META_GRAPH_VERSION?.trim() || DEFAULT_ENDPOINTS.metaGraphVersion,
      tiktokUrl: env.NEXUS_TIKTOK_EVENTS_URL?.trim() || DEFAULT_ENDPOINTS.tiktokUrl,
      snackVideoUrl: env.NEXUS_SNACKVIDEO_EVENTS_URL?.trim() || DEFAULT_ENDPOINTS.snackVideoUrl,
    },
  };
}

export function createConversionsProvider(config: ConversionsConfig): ConversionsProvider {
  return config.driver === 'live' ? new LiveConversions(config.endpoints) : new SandboxConversions();
}
