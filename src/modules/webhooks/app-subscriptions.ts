import type { WebhooksConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { sealSecret } from '../../lib/sealed.ts';
import type { ServerKeys } from '../../lib/secrets.ts';
import { newWebhookSecret, receiverUrl } from './endpoints.ts';
import * as q from './queries.ts';

/**
 * Installed OAuth apps as subscribers. Each installation subscribes through one endpoint row of its
 * business (`oauth_installation_id`, `oauth_client_id` for the `X-Scalev-App-Id` header) holding a
 * copy of the app's URL and sealed secret, so emission and delivery treat it like any endpoint: one
 * delivery path. The OAuth module owns apps and installations and calls `syncAppSubscription`
 * whenever either changes, in the transaction that changes it.
 */

/** An app's receiver as the OAuth module stores it: the URL and the secret sealed for delivery. */
export interface AppReceiver {
  url: string;
  secretCiphertext: string;
}

/**
 * Checks an app's receiver URL with the SSRF guard (as for a business's endpoint) and, when asked,
 * mints a new signing secret: returned once in clear, stored only sealed.
 */
export async function prepareAppReceiver(
  keys: ServerKeys,
  config: Pick<WebhooksConfig, 'allowPrivateNetworks'>,
  input: { url: string; newSecret: boolean },
): Promise<{ url: string; secret: { clear: string; ciphertext: string } | null }> {
  const url = await receiverUrl(input.url, config, undefined, 'webhook_url');
  if (!input.newSecret) return { url, secret: null };
  const clear = newWebhookSecret();
  return { url, secret: { clear, ciphertext: sealSecret(keys.webhookSecrets, clear) } };
}

export interface AppSubscription {
  businessId: number;
  installationId: number;
  clientId: string;
  /** The app's receiver; null: the app has no webhook URL. */
  receiver: AppReceiver | null;
  /** The events it receives: granted by the merchant and still wanted by the app. */
  events: string[];
  /** The installation is active and enabled, and the app is active. */
  live: boolean;
}

/**
 * Makes the installation's endpoint match its app and installation. Switching off leaves the row
 * (and its delivery log) in place; pending deliveries then end as failed at their next attempt, as
 * for a disabled endpoint. A re-install or enable switches the same row on again.
 */
export async function syncAppSubscription(trx: Db, sub: AppSubscription): Promise<void> {
  const existing = await q.findInstallationEndpoint(trx, sub.businessId, sub.installationId);
  const receiver = sub.live && sub.events.length > 0 ? sub.receiver : null;
  if (!existing) {
    if (!receiver) return;
    await q.insertEndpoint(trx, {
      businessId: sub.businessId,
      url: receiver.url,
      secretCiphertext: receiver.secretCiphertext,
      events: sub.events,
      app: { installationId: sub.installationId, clientId: sub.clientId },
    });
    return;
  }
  await q.updateAppEndpoint(
    trx,
    sub.businessId,
    existing.id,
    receiver
      ? { url: receiver.url, secretCiphertext: receiver.secretCiphertext, events: sub.events, isActive: true }
      : { isActive: false },
  );
}
