import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionConfig } from '../../../src/config.ts';
import type { Db } from '../../../src/db/database.ts';
import { defaultJobHandlers } from '../../../src/jobs/handlers.ts';
import { applyRetention } from '../../../src/jobs/retention.ts';
import { runJobsOnce } from '../../../src/jobs/worker.ts';
import { addWebhookEndpoint, setWebhookEndpointActive } from '../../../src/modules/webhooks/endpoints.ts';
import type { WebhookEventName } from '../../../src/modules/webhooks/events.ts';
import { emitWebhookEvent, redeliverWebhook, WEBHOOK_JOB } from '../../../src/modules/webhooks/service.ts';
import {
  STRANDED_ERROR,
  sweepStrandedDeliveries,
  WEBHOOK_SWEEP_JOB,
} from '../../../src/modules/webhooks/sweep.ts';
import { type IsolatedContext, isolatedContext } from '../../helpers/isolated.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';

/**
 * Outgoing webhooks through the worker: deliveries go over real HTTP to a receiver on loopback
 * (allowed by configuration here, as an operator would for a receiver on their own network), run
 * by the server's job handlers (`defaultJobHandlers`) on a database of this file's own, so the
 * worker never picks up other files' jobs. Time passing is played by moving a retry's run time.
 */

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let iso: IsolatedContext;
let server: http.Server;
let base: string;
const received: Received[] = [];
/** Status codes answered per path, in turn; the last one repeats. Default 200. */
const answers = new Map<string, number[]>();
const logged: string[] = [];
const logger = {
  info: (o: object, m?: string) => logged.push(`${m} ${JSON.stringify(o)}`),
  warn: (o: object, m?: string) => logged.push(`${m} ${JSON.stringify(o)}`),
  error: (o: object, m?: string) => logged.push(`${m} ${JSON.stringify(o)}`),
};

beforeAll(async () => {
  iso = await isolatedContext();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      const queue = answers.get(path) ?? [200];
      const status = queue.length > 1 ? queue.shift()! : queue[0]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : `boom ${status}`);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  await iso?.close();
});

const db = (): Db => iso.ctx.database.db;
const allowed = { NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', NEXUS_WEBHOOKS_TIMEOUT_SECONDS: '5' };

/** One pass of the worker with the server's handlers, under `env`. */
function work(env: Record<string, string> = allowed) {
  return runJobsOnce({ db: db(), handlers: defaultJobHandlers({ keys: iso.ctx.keys, env }), logger });
}

/** Time passes: every queued webhook retry is due now. */
async function retriesDue() {
  const result = await db()
    .updateTable('jobs')
    .set({ run_at: sql<Date>`now()` })
    .where('kind', '=', WEBHOOK_JOB)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function endpoint(tenant: Tenant, path: string, events?: WebhookEventName[], url = `${base}${path}`) {
  return addWebhookEndpoint(
    db(),
    iso.ctx.keys,
    { allowPrivateNetworks: true },
    tenant.business.id,
    events ? { url, events } : { url },
  );
}

function emit(tenant: Tenant, event: WebhookEventName, data: object) {
  return db()
    .transaction()
    .execute((trx) => emitWebhookEvent(trx, tenant.business.id, event, data));
}

const delivery = (id: number) =>
  db().selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const attempts = (id: number) =>
  db()
    .selectFrom('webhook_delivery_attempts')
    .selectAll()
    .where('delivery_id', '=', id)
    .orderBy('attempt')
    .execute();
const to = (path: string) => received.filter((r) => r.path === path);

describe('webhook delivery through the worker', () => {
  it('retries a failing receiver with backoff until it acknowledges, every attempt signed and logged', async () => {
    const tenant = await createTenant('Toko Webhook', iso.ctx);
    const { endpoint: added, secret } = await endpoint(tenant, '/retry', ['order.created']);
    answers.set('/retry', [500, 500, 200]);
    const data = {
      id: '0190f0aa-0000-7000-8000-000000000001',
      order_id: '260101ABCDEF',
      customer_name: 'Budi',
    };
    const emitted = await emit(tenant, 'order.created', data);
    expect(emitted?.unique_id).toMatch(/^event_[A-Za-z0-9]{24}$/);
    const [deliveryId] = emitted!.delivery_ids;

    const before = Date.now();
    await work();
    expect(to('/retry')).toHaveLength(1);
    expect(await delivery(deliveryId!)).toMatchObject({
      status: 'pending',
      attempts: 1,
      response_status: 500,
    });
    // The retry is a queued job of its own, 15 s ±20% after the failed attempt.
    const [retry] = await db()
      .selectFrom('jobs')
      .select(['run_at', 'payload'])
      .where('kind', '=', WEBHOOK_JOB)
      .where('status', '=', 'queued')
      .execute();
    expect(retry?.payload).toEqual({ business_id: tenant.business.id, delivery_id: deliveryId, attempt: 2 });
    expect(retry!.run_at.getTime()).toBeGreaterThanOrEqual(before + 12_000);
    expect(retry!.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 18_000);
    await work();
    expect(to('/retry')).toHaveLength(1); // not due yet

    expect(await retriesDue()).toBe(1);
    await work();
    expect(await retriesDue()).toBe(1);
    await work();
    expect(await retriesDue()).toBe(0);
    await work();

    const requests = to('/retry');
    expect(requests).toHaveLength(3);
    const envelope = JSON.parse(requests[0]!.body.toString('utf8'));
    expect(envelope).toEqual({
      event: 'order.created',
      unique_id: emitted!.unique_id,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data,
    });
    for (const request of requests) {
      // Every attempt sends the same bytes, signed with the endpoint's secret.
      expect(request.body.equals(requests[0]!.body)).toBe(true);
      expect(request.headers['x-scalev-hmac-sha256']).toBe(
        createHmac('sha256', secret).update(request.body).digest('base64'),
      );
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/^Nexus-Webhooks\//);
    }

    expect(await delivery(deliveryId!)).toMatchObject({
      endpoint_id: added.id,
      status: 'succeeded',
      attempts: 3,
      response_status: 200,
      response_body: 'ok',
      error: null,
      next_attempt_at: null,
    });
    const log = await attempts(deliveryId!);
    expect(log.map((a) => [a.attempt, a.response_status, a.response_body])).toEqual([
      [1, 500, 'boom 500'],
      [2, 500, 'boom 500'],
      [3, 200, 'ok'],
    ]);
    expect(log.filter((a) => a.response_status === 200)).toHaveLength(1);
    const jobs = await db().selectFrom('jobs').select('status').where('kind', '=', WEBHOOK_JOB).execute();
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done']);

    // Redelivery: a new delivery of the same bytes, so the receiver can tell it has the event.
    const again = await redeliverWebhook(db(), tenant.business.id, deliveryId!);
    await work();
    expect(to('/retry')).toHaveLength(4);
    expect(to('/retry')[3]!.body.equals(requests[0]!.body)).toBe(true);
    expect(await delivery(again)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      redelivery_of: deliveryId,
    });

    const logs = logged.join('\n');
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(requests[0]!.headers['x-scalev-hmac-sha256']);
  });

  it('writes nothing when the emitting transaction rolls back', async () => {
    const tenant = await createTenant('Toko Batal', iso.ctx);
    await endpoint(tenant, '/rollback');
    let uniqueId: string | undefined;
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          uniqueId = (await emitWebhookEvent(trx, tenant.business.id, 'order.updated', { a: 1 }))?.unique_id;
          throw new Error('the order change failed');
        }),
    ).rejects.toThrow('the order change failed');
    expect(uniqueId).toMatch(/^event_/);
    const events = await db()
      .selectFrom('webhook_events')
      .select('id')
      .where('business_id', '=', tenant.business.id)
      .execute();
    expect(events).toEqual([]);
    await work();
    expect(to('/rollback')).toEqual([]);
  });

  it('refuses a loopback receiver unless configured to allow it, by address and by resolved name', async () => {
    const tenant = await createTenant('Toko Tertutup', iso.ctx);
    const port = (server.address() as AddressInfo).port;
    const literal = await endpoint(tenant, '/refused-literal');
    const named = await endpoint(tenant, '/refused-name', undefined, `http://localhost:${port}/refused-name`);
    const emitted = await emit(tenant, 'payment.received', { order_id: 'X' });
    expect(emitted?.delivery_ids).toHaveLength(2);

    await work({});
    expect(to('/refused-literal')).toEqual([]);
    expect(to('/refused-name')).toEqual([]);
    const [first, second] = emitted!.delivery_ids;
    for (const [id, reason] of [
      [first!, /^refused: 127\.0\.0\.1 is a loopback address$/],
      [second!, /^refused: localhost resolves to (127\.0\.0\.1|::1): .* is a loopback address$/],
    ] as const) {
      const row = await delivery(id);
      // Retrying cannot change the address: the delivery ends at once.
      expect(row).toMatchObject({ status: 'failed', attempts: 1, response_status: null });
      expect(row.error).toMatch(reason);
      expect(row.finished_at).toBeInstanceOf(Date);
    }
    expect(literal.endpoint.id).not.toBe(named.endpoint.id);
    expect(await retriesDue()).toBe(0);
  });

  it('sends an event only to the active endpoints of its business that subscribe to it', async () => {
    const shop = await createTenant('Toko Langganan', iso.ctx);
    const other = await createTenant('Toko Lain', iso.ctx);
    const created = await endpoint(shop, '/sub-created', ['order.created']);
    const paid = await endpoint(shop, '/sub-paid', ['payment.received', 'order.deleted']);
    const off = await endpoint(shop, '/sub-off');
    const all = await endpoint(shop, '/sub-all');
    await endpoint(other, '/other-all');
    await setWebhookEndpointActive(db(), shop.business.id, off.endpoint.id, false);

    const order = await emit(shop, 'order.created', { order_id: 'A1' });
    expect(order?.delivery_ids).toHaveLength(2);
    // Disabled after the event was emitted: its delivery ends without being sent.
    const payment = await emit(shop, 'payment.received', { order_id: 'A1' });
    await setWebhookEndpointActive(db(), shop.business.id, paid.endpoint.id, false);
    await work();

    const events = (path: string) => to(path).map((r) => JSON.parse(r.body.toString('utf8')).event);
    expect(events('/sub-created')).toEqual(['order.created']);
    expect(events('/sub-all').sort()).toEqual(['order.created', 'payment.received']);
    expect(events('/sub-paid')).toEqual([]);
    expect(events('/sub-off')).toEqual([]);
    expect(events('/other-all')).toEqual([]);
    const abandoned = await db()
      .selectFrom('webhook_deliveries')
      .select(['status', 'error', 'attempts'])
      .where('id', 'in', payment!.delivery_ids)
      .where('endpoint_id', '=', paid.endpoint.id)
      .executeTakeFirstOrThrow();
    expect(abandoned).toEqual({ status: 'failed', error: 'the endpoint was disabled', attempts: 0 });

    expect(await emit(other, 'order.status_changed', { order_id: 'B1' })).not.toBeNull();
    await work();
    expect(events('/other-all')).toEqual(['order.status_changed']);
    expect(to('/sub-all')).toHaveLength(2);
    expect(created.endpoint.id).not.toBe(all.endpoint.id);

    // An event nobody subscribes to is not stored at all.
    const quiet = await createTenant('Toko Sepi', iso.ctx);
    expect(await emit(quiet, 'order.created', { order_id: 'C1' })).toBeNull();
    const stored = await db()
      .selectFrom('webhook_events')
      .select('id')
      .where('business_id', '=', quiet.business.id)
      .execute();
    expect(stored).toEqual([]);
  });

  it('retention removes old succeeded deliveries and their events, and keeps failed ones longer', async () => {
    const tenant = await createTenant('Toko Arsip', iso.ctx);
    await endpoint(tenant, '/archive-ok');
    answers.set('/archive-bad', [404]);
    await endpoint(tenant, '/archive-bad');
    const emitted = await emit(tenant, 'order.deleted', { order_id: 'D1' });
    await work();
    const [ok, bad] = emitted!.delivery_ids;
    await db()
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', finished_at: new Date(), next_attempt_at: null })
      .where('id', '=', bad!)
      .execute();
    const old = sql<Date>`now() - interval '31 days'`;
    await db()
      .updateTable('webhook_deliveries')
      .set({ finished_at: old })
      .where('id', 'in', [ok!, bad!])
      .execute();
    await db()
      .updateTable('webhook_events')
      .set({ created_at: old })
      .where('unique_id', '=', emitted!.unique_id)
      .execute();

    const report = await applyRetention(db(), retentionConfig({}));
    expect(report.webhook_deliveries).toBe(1);
    expect(report.webhook_events).toBe(0);
    const left = await db()
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('id', 'in', [ok!, bad!])
      .execute();
    expect(left).toEqual([{ id: bad }]);
    expect(await attempts(ok!)).toEqual([]);

    // 91 days on, the failed delivery goes too, and then its event.
    await db()
      .updateTable('webhook_deliveries')
      .set({ finished_at: sql<Date>`now() - interval '91 days'` })
      .where('id', '=', bad!)
      .execute();
    expect(await applyRetention(db(), retentionConfig({}))).toMatchObject({
      webhook_deliveries: 1,
      webhook_events: 1,
    });
  });
});

describe('stranded deliveries', () => {
  /** The worker gave up on the delivery's job (its infrastructure retries spent), `hoursAgo` after creation. */
  async function strand(deliveryId: number, hoursAgo: number) {
    await db()
      .updateTable('jobs')
      .set({ status: 'failed', finished_at: sql<Date>`now()` })
      .where('kind', '=', WEBHOOK_JOB)
      .where(sql<string>`payload->>'delivery_id'`, '=', String(deliveryId))
      .execute();
    await db()
      .updateTable('webhook_deliveries')
      .set({
        created_at: sql<Date>`now() - make_interval(mins => ${hoursAgo * 60})`,
        next_attempt_at: sql<Date>`now() - make_interval(mins => ${hoursAgo * 60})`,
      })
      .where('id', '=', deliveryId)
      .execute();
  }

  it('gives a delivery whose job failed for good its attempt again, and ends it once its window is over', async () => {
    const tenant = await createTenant('Toko Terdampar', iso.ctx);
    await endpoint(tenant, '/stranded', ['order.updated']);
    const late = (await emit(tenant, 'order.updated', { id: 'late' }))!.delivery_ids[0]!;
    const old = (await emit(tenant, 'order.updated', { id: 'old' }))!.delivery_ids[0]!;
    const fresh = (await emit(tenant, 'order.updated', { id: 'fresh' }))!.delivery_ids[0]!;
    const queued = (await emit(tenant, 'order.updated', { id: 'queued' }))!.delivery_ids[0]!;
    await strand(late, 3);
    await strand(old, 25);
    await strand(fresh, 0.5); // not overdue yet: its job may only be slow
    // A delivery whose job is still queued is not stranded, however late.
    await db()
      .updateTable('webhook_deliveries')
      .set({
        created_at: sql<Date>`now() - interval '3 hours'`,
        next_attempt_at: sql<Date>`now() - interval '3 hours'`,
      })
      .where('id', '=', queued)
      .execute();
    await db()
      .updateTable('jobs')
      .set({ run_at: sql<Date>`now() + interval '1 hour'` })
      .where(sql<string>`payload->>'delivery_id'`, '=', String(queued))
      .execute();

    const sweep = await db()
      .insertInto('jobs')
      .values({ kind: WEBHOOK_SWEEP_JOB, payload: '{}' })
      .returning('id')
      .execute();
    expect(sweep).toHaveLength(1);
    await work();
    await work();
    expect(await delivery(late)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await delivery(old)).toMatchObject({ status: 'failed', attempts: 0, error: STRANDED_ERROR });
    expect(await delivery(fresh)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await delivery(queued)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(to('/stranded').map((r) => JSON.parse(r.body.toString('utf8')).data.id)).toEqual(['late']);

    // Sweeping again finds nothing more to do.
    expect(await sweepStrandedDeliveries(db())).toBe(0);
  });
});
