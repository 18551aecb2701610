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
 * An installed OAuth app will subscribe through the same rows: `oauthInstallationId` and the app's
 * own `secret`, nothing else different.
 */

// Every emission queues one delivery per subscribed endpoint inside the order's transaction.
const MAX_ACTIVE_ENDPOINTS = 20;

export interface AddEndpointInput {
  url: string;
  /** The events it receives; omitted: every event, including ones added later. */
  events?: string[] | undefined;
  /** The signing secret; omitted: a new random one (returned once). */
  secret?: string | undefined;
  oauthInstallationId?: number | undefined;
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
  let url: string;
  try {
    url = (await checkWebhookUrl(input.url, config, resolve)).href;
  } catch (error) {
    if (error instanceof WebhookTargetError) throw errors.invalidField('url', error.message);
    throw error;
  }
  const events = eventsOf(input.events);
  const secret = input.secret ?? `whsec_${randomString(40)}`;
  if (secret.length < 16 || secret.length > 200 || /\s/.test(secret))
    throw errors.invalidField('secret', 'must be 16-200 characters without spaces');
  if ((await q.countActiveEndpoints(db, businessId)) >= MAX_ACTIVE_ENDPOINTS)
    throw errors.conflict(`A business may have ${MAX_ACTIVE_ENDPOINTS} active webhook endpoints`);
  if (input.oauthInstallationId === undefined && (await q.countActiveEndpoints(db, businessId, url)) > 0)
    throw errors.conflict(`An active webhook endpoint already receives at ${url}`);
  const endpoint = await q.insertEndpoint(db, {
    businessId,
    url,
    secretCiphertext: sealSecret(keys.webhookSecrets, secret),
    events,
    oauthInstallationId: input.oauthInstallationId ?? null,
  });
  return { endpoint, secret };
}

export function listWebhookEndpoints(db: Db, businessId: number) {
  return q.listEndpoints(db, businessId);
}
export type WebhookEndpointRecord = Awaited<ReturnType<typeof listWebhookEndpoints>>[number];

/** Disabling stops new deliveries; pending ones end as failed at their next attempt. */
export async function setWebhookEndpointActive(
  db: Db,
  businessId: number,
  endpointId: number,
  active: boolean,
) {
  const current = await q.findEndpoint(db, businessId, endpointId);
  if (!current) throw errors.notFound(`No webhook endpoint ${endpointId} in this business`);
  if (current.is_active === active) return current;
  if (active && (await q.countActiveEndpoints(db, businessId)) >= MAX_ACTIVE_ENDPOINTS)
    throw errors.conflict(`A business may have ${MAX_ACTIVE_ENDPOINTS} active webhook endpoints`);
  return (await q.setEndpointActive(db, businessId, endpointId, active)) ?? current;
}
