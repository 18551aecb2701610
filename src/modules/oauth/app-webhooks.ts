import type { WebhooksConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import type { ServerKeys } from '../../lib/secrets.ts';
import { prepareAppReceiver, syncAppSubscription } from '../webhooks/app-subscriptions.ts';
import { WEBHOOK_EVENTS } from '../webhooks/events.ts';
import * as q from './queries.ts';

/**
 * App webhooks: an app with a webhook URL receives, for each business it is installed in, the
 * events the merchant granted that the app still subscribes to (both must include an event, as the
 * reference says), signed with the app's webhook secret. The subscription itself is an endpoint row
 * of the webhooks module, kept in step here in the transaction of every change that affects it.
 */

/** Granted at installation and still wanted by the app: a narrowed app list applies at once, a widened one at the next authorization. */
export function subscribedEvents(granted: readonly string[], wanted: readonly string[]): string[] {
  return granted.filter((event) => wanted.includes(event));
}

/** `webhook_status` of an installation: whether its business's events go to the app now. */
export function installationWebhookStatus(row: {
  status: string;
  is_enabled: boolean;
  webhook_url: string | null;
  granted_webhook_events: string[];
  application_webhook_events: string[];
}): 'active' | 'inactive' {
  const live = row.status === 'active' && row.is_enabled && row.webhook_url !== null;
  return live && subscribedEvents(row.granted_webhook_events, row.application_webhook_events).length > 0
    ? 'active'
    : 'inactive';
}

/** Brings the webhook subscriptions of these installations (or of every installation of an app) in line. */
export async function syncInstallationWebhooks(
  trx: Db,
  of: { applicationId: number } | { installationIds: readonly number[] },
): Promise<void> {
  for (const row of await q.installationWebhookSources(trx, of)) {
    await syncAppSubscription(trx, {
      businessId: row.business_id,
      installationId: row.id,
      clientId: row.client_id,
      receiver:
        row.webhook_url !== null && row.webhook_secret_ciphertext !== null
          ? { url: row.webhook_url, secretCiphertext: row.webhook_secret_ciphertext }
          : null,
      events: subscribedEvents(row.granted_webhook_events, row.webhook_events),
      live: row.status === 'active' && row.is_enabled && row.application_is_active,
    });
  }
}

export interface AppWebhookInput {
  url: string;
  /** Replaces the events the app subscribes to; omitted: unchanged. */
  events?: string[] | undefined;
  /** A new signing secret even if the app has one (the old one stops signing at once). */
  rotateSecret?: boolean | undefined;
}

/**
 * `nexus oauth app set-webhook`: the app's receiver URL (checked by the SSRF guard) and events. The
 * signing secret is minted the first time (or when rotated) and returned only then.
 */
export async function setAppWebhook(
  db: Db,
  keys: ServerKeys,
  config: Pick<WebhooksConfig, 'allowPrivateNetworks'>,
  ownerBusinessId: number,
  clientId: string,
  input: AppWebhookInput,
) {
  const events = input.events === undefined ? undefined : [...new Set(input.events)];
  if (events !== undefined) {
    const known = new Set<string>(WEBHOOK_EVENTS);
    const unknown = events.filter((event) => !known.has(event));
    if (unknown.length) throw errors.invalidField('events', `unknown webhook events ${unknown.join(', ')}`);
    if (events.length === 0) throw errors.invalidField('events', 'must name at least one event');
  }
  const app = await q.findOwnedAppWebhook(db, ownerBusinessId, clientId);
  if (!app) throw errors.notFound('No OAuth application with that client_id in this business');
  const prepared = await prepareAppReceiver(keys, config, {
    url: input.url,
    newSecret: Boolean(input.rotateSecret) || app.webhook_secret_ciphertext === null,
  });
  const updated = await db.transaction().execute(async (trx) => {
    const row = await q.setApplicationWebhook(trx, app.id, {
      webhook_url: prepared.url,
      ...(events ? { webhook_events: events } : {}),
      ...(prepared.secret ? { webhook_secret_ciphertext: prepared.secret.ciphertext } : {}),
    });
    await syncInstallationWebhooks(trx, { applicationId: app.id });
    return row;
  });
  return { ...updated, webhook_secret: prepared.secret?.clear ?? null };
}
