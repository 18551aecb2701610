import type { ShippingProvider } from './provider.ts';
import { SandboxShippingProvider } from './sandbox.ts';

export { type Proximity, proximity, proximityRank, type ShippingPlace } from './geography.ts';
export type { RateQuery, ServiceRef, ShippingProvider, ShippingRate } from './provider.ts';

const sandbox = new SandboxShippingProvider();

/**
 * The configured shipping provider. Only the sandbox exists today, so there is nothing to
 * configure yet; a real aggregator adapter would be chosen here from the config.
 */
export function shippingProvider(): ShippingProvider {
  return sandbox;
}
