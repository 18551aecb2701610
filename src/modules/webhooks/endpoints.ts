import type { WebhooksConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { randomString } from '../../lib/ids.ts';
import { sealSecret } from '../../lib/sealed.ts';
import type { ServerKeys } from '../../lib/secrets.ts';
import { isWebhookEvent, WEBHOOK_EVENTS } from './events.ts';
import * as q from './queries.ts';
import { checkWebhookUrl, type Resolver, WebhookTargetError } from './target.ts';

/**
 * A business's subscribers (`nexus webhooks …` until webhook settings arrive in the API). The
 * secret signs deliveries, so it is sealed, not hashed, and shown once, when the endpoint is added.
 * Installed OAuth apps subscribe through rows of the same table, kept by app-subscriptions.ts.
 */

// Every emission queues one delivery per subscribed endpoint inside the order's transaction.
const MAX_ACTIVE_ENDPOINTS = 20;

/** A receiver URL as stored, checked by the SSRF guard now (it is checked again at every delivery). */
export async function receiverUrl(
  text: string,
  config: Pick<WebhooksConfig, 'allowPrivateNetworks'>,
  resolve?: Resolver,
  field = 'url',
): Promise<string> {
  try {
    return (await checkWebhookUrl(text, config, resolve)).href;
  } catch (error) {
    if (error instanceof WebhookTargetError) throw errors.invalidField(field, error.message);
    throw error;
  }
}

export const newWebhookSecret = () => `whsec_${randomString(40)}`;

export interface AddEndpointInput {
  url: string;
  /** The events it receives; omitted: every event, including ones added later. */
  events?: string[] | undefined;
  /** The signing secret; omitted: a new random one (returned once). */
  secret?: string | undefined;
}

function eventsOf(input: string[] | undefined): string[] | null {
  if (input === undefined) return null;
  const events = [...new Set(input.map((event) => event.trim()).filter(Boolean))];
  if (events.length === 0) throw errors.invalidField('events', 'must name at least one event');
  const unknown = events.filter((event) => !isWebhookEvent(event));
  if (unknown.length > 0)
    throw errors.invalidField(
      'events',
      `unknown: ${unknown.join(', ')}; known: ${WEBHOOK_EVENTS.join(', ')}`,
    );
  return events;
}

export async function addWebhookEndpoint(
  db: Db,
  keys: ServerKeys,
  config: Pick<WebhooksConfig, 'allowPrivateNetworks'>,
  businessId: number,
  input: AddEndpointInput,
  resolve?: Resolver,
) {
  const url = await receiverUrl(input.url, config, resolve);
  const events = eventsOf(input.events);
  const secret = input.secret ?? newWebhookSecret();
  if (secret.length < 16 || secret.length > 200 || /\s/.test(secret))
    throw errors.invalidField('secret', 'must be 16-200 characters without spaces');
  if ((await q.countActiveEndpoints(db, businessId)) >= MAX_ACTIVE_ENDPOINTS)
    throw errors.conflict(`A business may have ${MAX_ACTIVE_ENDPOINTS} active webhook endpoints`);
  if ((await q.countActiveEndpoints(db, businessId, url)) > 0)
    throw errors.conflict(`An active webhook endpoint already receives at ${url}`);
  const endpoint = await q.insertEndpoint(db, {
    businessId,
    url,
    secretCiphertext: sealSecret(keys.webhookSecrets, secret),
    events,
  });
  return { endpoint, secret };
}

export function listWebhookEndpoints(db: Db, businessId: number) {
  return q.listEndpoints(db, businessId);
}
export type WebhookEndpointRecord = Awaited<ReturnType<typeof listWebhookEndpoints>>[number];

/**
 * Disabling stops new deliveries; pending ones end as failed at their next attempt. An app's endpoint
 * follows its installation (`nexus oauth installation disable|enable`), not this switch.
 */
export async function setWebhookEndpointActive(
  db: Db,
  businessId: number,
  endpointId: number,
  active: boolean,
) {
  const current = await q.findEndpoint(db, businessId, endpointId);
  if (!current) throw errors.notFound(`No webhook endpoint ${endpointId} in this business`);
  if (current.oauth_installation_id !== null)
    throw errors.conflict(
      `Webhook endpoint ${endpointId} belongs to an installed app: disable or enable the app's installation`,
    );
  if (current.is_active === active) return current;
  if (active && (await q.countActiveEndpoints(db, businessId)) >= MAX_ACTIVE_ENDPOINTS)
    throw errors.conflict(`A business may have ${MAX_ACTIVE_ENDPOINTS} active webhook endpoints`);
  return (await q.setEndpointActive(db, businessId, endpointId, active)) ?? current;
}
