import { loadServerKeys } from '../../lib/secrets.ts';
import {
  addWebhookEndpoint,
  listWebhookEndpoints,
  setWebhookEndpointActive,
  type WebhookEndpointRecord,
} from '../../modules/webhooks/endpoints.ts';
import { WEBHOOK_EVENTS } from '../../modules/webhooks/events.ts';
import {
  listWebhookDeliveries,
  redeliverWebhook,
  sendTestWebhook,
  type WebhookDeliveryRecord,
} from '../../modules/webhooks/service.ts';
import { type Command, type OptionSpec, report, table, UsageError } from '../command.ts';
import { businessFrom, businessOption } from '../refs.ts';

const json: OptionSpec = { type: 'boolean', description: 'Print one JSON object instead of text' };
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 500;

function idOf(text: string | undefined, what: string): number {
  const value = text?.trim() ?? '';
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1)
    throw new UsageError(`${what} must be a whole number, got "${value}"`);
  return Number(value);
}

function limitOf(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_LIMIT)
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got "${text}"`);
  return Number(text);
}

const eventsText = (events: string[] | null) => (events ? events.join(',') : 'all');

function describeEndpoint(endpoint: WebhookEndpointRecord): string[] {
  return [
    String(endpoint.id),
    endpoint.is_active ? 'active' : 'disabled',
    eventsText(endpoint.events),
    endpoint.oauth_installation_id === null ? '-' : `app installation ${endpoint.oauth_installation_id}`,
    endpoint.url,
  ];
}

function describeDelivery(d: WebhookDeliveryRecord): string[] {
  const outcome =
    d.status === 'pending'
      ? `pending, next attempt ${d.next_attempt_at?.toISOString() ?? 'now'}`
      : `${d.status} after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  const lines = [
    `#${d.id}  ${d.created_at.toISOString()}  ${d.event}  ${d.event_unique_id}  endpoint ${d.endpoint_id}  ${outcome}` +
      (d.redelivery_of ? `  (redelivery of #${d.redelivery_of})` : ''),
  ];
  for (const a of d.attempt_log) {
    const answer =
      a.response_status === null ? (a.error ?? '') : `${a.response_status} ${a.response_body ?? ''}`;
    lines.push(`    ${a.attempt}  ${a.started_at.toISOString()}  ${a.duration_ms} ms  ${answer.trim()}`);
  }
  if (d.attempt_log.length === 0 && d.error) lines.push(`    ${d.error}`);
  return lines;
}

/** `nexus webhooks …`: a business's outgoing webhook endpoints and their delivery log. */
export const webhookCommands: Command[] = [
  {
    name: ['webhooks', 'add'],
    summary: 'Subscribe a URL to a business’s webhook events; prints the signing secret once.',
    details:
      'Every delivery is a POST of {event, unique_id, timestamp, data} with X-Scalev-Hmac-Sha256:\n' +
      'Base64(HMAC-SHA256(secret, raw body)). The secret is stored encrypted and never shown again.\n' +
      'Private, loopback and link-local addresses are refused unless\n' +
      'NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true.\n' +
      `Events: ${WEBHOOK_EVENTS.join(', ')}.`,
    positionals: [{ name: 'url', description: 'Receiver URL (http:// or https://)', required: true }],
    options: {
      business: businessOption,
      events: {
        type: 'string',
        valueName: 'a,b',
        description: 'Only these events (default: every event, including ones added later)',
      },
      json,
    },
    run: async (ctx, values, positionals) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const keys = await loadServerKeys(db, ctx.config.secretKey);
      const { endpoint, secret } = await addWebhookEndpoint(db, keys, ctx.config.webhooks, business.id, {
        url: positionals[0] ?? '',
        events: typeof values.events === 'string' ? values.events.split(',') : undefined,
      });
      report(ctx, Boolean(values.json), { endpoint, secret }, [
        `Webhook endpoint ${endpoint.id} added for business ${business.id}: ${endpoint.url} (events: ${eventsText(endpoint.events)})`,
        'Signing secret (shown only now; receivers verify X-Scalev-Hmac-Sha256 with it):',
        `  ${secret}`,
      ]);
    },
  },
  {
    name: ['webhooks', 'list'],
    summary: 'List a business’s webhook endpoints (secrets are never shown).',
    options: { business: businessOption, json },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const endpoints = await listWebhookEndpoints(db, business.id);
      report(
        ctx,
        Boolean(values.json),
        { endpoints },
        endpoints.length
          ? table(['id', 'status', 'events', 'subscriber', 'url'], endpoints.map(describeEndpoint))
          : ['No webhook endpoints: events of this business are not sent anywhere.'],
      );
    },
  },
  ...(['enable', 'disable'] as const).map(
    (action): Command => ({
      name: ['webhooks', action],
      summary:
        action === 'enable'
          ? 'Resume sending events to a webhook endpoint.'
          : 'Stop sending events to a webhook endpoint (its pending deliveries end as failed).',
      positionals: [
        { name: 'endpoint-id', description: 'The endpoint’s id (webhooks list)', required: true },
      ],
      options: { business: businessOption, json },
      run: async (ctx, values, positionals) => {
        const endpointId = idOf(positionals[0], 'endpoint-id');
        const db = (await ctx.database()).db;
        const business = await businessFrom(db, values);
        const endpoint = await setWebhookEndpointActive(db, business.id, endpointId, action === 'enable');
        report(ctx, Boolean(values.json), { endpoint }, [
          `Webhook endpoint ${endpoint.id} is ${endpoint.is_active ? 'active' : 'disabled'}: ${endpoint.url}`,
        ]);
      },
    }),
  ),
  {
    name: ['webhooks', 'deliveries'],
    summary: 'Show the webhook delivery log, newest first, with every attempt.',
    options: {
      business: businessOption,
      endpoint: { type: 'string', valueName: 'id', description: 'Only this endpoint’s deliveries' },
      status: { type: 'string', valueName: 'status', description: 'pending, succeeded or failed' },
      limit: {
        type: 'string',
        valueName: 'n',
        description: `How many deliveries (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})`,
      },
      json,
    },
    run: async (ctx, values) => {
      const limit = limitOf(values.limit);
      const endpointId =
        typeof values.endpoint === 'string' ? idOf(values.endpoint, '--endpoint') : undefined;
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const deliveries = await listWebhookDeliveries(db, business.id, {
        endpointId,
        status: typeof values.status === 'string' ? values.status : undefined,
        limit,
      });
      report(
        ctx,
        Boolean(values.json),
        { deliveries },
        deliveries.length ? deliveries.flatMap(describeDelivery) : ['No webhook deliveries.'],
      );
    },
  },
  {
    name: ['webhooks', 'redeliver'],
    summary: 'Send a finished delivery’s event to its endpoint again, as a new delivery.',
    positionals: [
      { name: 'delivery-id', description: 'The delivery’s id (webhooks deliveries)', required: true },
    ],
    options: { business: businessOption, json },
    run: async (ctx, values, positionals) => {
      const deliveryId = idOf(positionals[0], 'delivery-id');
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const id = await redeliverWebhook(db, business.id, deliveryId);
      report(ctx, Boolean(values.json), { delivery_id: id, redelivery_of: deliveryId }, [
        `Delivery ${id} queued: it sends delivery ${deliveryId}'s event again.`,
      ]);
    },
  },
  {
    name: ['webhooks', 'test'],
    summary: 'Send a business.test_event to one endpoint, whatever events it subscribes to.',
    positionals: [{ name: 'endpoint-id', description: 'The endpoint’s id (webhooks list)', required: true }],
    options: { business: businessOption, json },
    run: async (ctx, values, positionals) => {
      const endpointId = idOf(positionals[0], 'endpoint-id');
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const emitted = await sendTestWebhook(db, business.id, endpointId);
      const [deliveryId] = emitted.delivery_ids;
      report(ctx, Boolean(values.json), { unique_id: emitted.unique_id, delivery_id: deliveryId }, [
        `Test event ${emitted.unique_id} queued as delivery ${deliveryId}; see it with nexus webhooks deliveries.`,
      ]);
    },
  },
];
