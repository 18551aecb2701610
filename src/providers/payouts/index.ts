import type { OAuthBillingConfig } from '../../config.ts';
import type { PayoutProvider } from './provider.ts';
import { SandboxPayoutProvider } from './sandbox.ts';
import { XenditPayoutProvider } from './xendit.ts';

export {
  type Payout,
  type PayoutProvider,
  PayoutRejected,
  type PayoutRequest,
  type PayoutStatus,
  PayoutUnavailable,
} from './provider.ts';
export { SandboxPayoutProvider } from './sandbox.ts';
export { XenditPayoutProvider } from './xendit.ts';

/** The configured payout rail (`NEXUS_PAYOUTS_DRIVER`): the sandbox by default, Xendit when chosen. */
export function createPayoutProvider(config: OAuthBillingConfig['payouts']): PayoutProvider {
  if (config.driver === 'sandbox') return new SandboxPayoutProvider();
  if (!config.xendit.secretKey) throw new Error('XENDIT_SECRET_KEY is not set');
  return new XenditPayoutProvider({ secretKey: config.xendit.secretKey, baseUrl: config.xendit.baseUrl });
}
