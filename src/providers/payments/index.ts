import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { PaymentProvider } from './provider.ts';
import { SandboxPayments } from './sandbox.ts';
import { XenditPayments } from './xendit.ts';

export { type Channel, channelFor, e164Indonesia, isEPaymentMethod } from './channels.ts';
export {
  type CreatedPayment,
  type CreatePaymentInput,
  type EPaymentMethod,
  type PaymentProvider,
  PaymentProviderError,
  type PaymentProviderName,
  type PaymentState,
  type PaymentStatus,
  wholeRupiah,
} from './provider.ts';
export { buildQrisString, crc16, parseTlv } from './qris.ts';
export { SandboxPayments } from './sandbox.ts';
export { XenditPayments } from './xendit.ts';

export interface PaymentDeps {
  config: Pick<Config, 'payments' | 'publicUrl'>;
  db: Db;
}

/** The configured gateway (`NEXUS_PAYMENTS_DRIVER`): sandbox by default, Xendit when chosen. */
export function createPaymentProvider(deps: PaymentDeps): PaymentProvider {
  const { payments } = deps.config;
  if (payments.driver === 'xendit') return xenditFor(deps.config);
  return new SandboxPayments(deps.db, deps.config.publicUrl.replace(/\/+$/, ''));
}

/** Xendit with the configured key, whatever the current driver (payments made before a switch). */
export function xenditFor(config: Pick<Config, 'payments'>): XenditPayments {
  const { xendit } = config.payments;
  if (!xendit.secretKey) throw new Error('XENDIT_SECRET_KEY is not set');
  return new XenditPayments({ secretKey: xendit.secretKey, baseUrl: xendit.baseUrl });
}

const cache = new WeakMap<object, PaymentProvider>();

/** One provider per app (or CLI run): `deps` is `request.server.deps`. */
export function paymentProviderFor(deps: PaymentDeps): PaymentProvider {
  let provider = cache.get(deps);
  if (!provider) {
    provider = createPaymentProvider(deps);
    cache.set(deps, provider);
  }
  return provider;
}
