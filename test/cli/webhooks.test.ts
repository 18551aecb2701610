import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSecret } from '../../src/lib/sealed.ts';
import { getTestContext } from '../helpers/app.ts';
import { nexus, runNexus } from '../helpers/cli.ts';
import { createTenant, type Tenant } from '../helpers/tenants.ts';

// `.test` names never resolve: adding them needs no network, and nothing here runs the worker.
const hookUrl = (name: string) => `https://hooks-${name}.example.test/nexus?source=cli`;

async function add(tenant: Tenant, url: string, ...extra: string[]) {
  const res = await nexus(
    'webhooks',
    'add',
    url,
    '--business',
    tenant.business.unique_id,
    ...extra,
    '--json',
  );
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as {
    endpoint: { id: number; url: string; events: string[] | null };
    secret: string;
  };
}

async function deliveriesOf(tenant: Tenant, ...extra: string[]) {
  const res = await nexus(
    'webhooks',
    'deliveries',
    '--business',
    String(tenant.business.id),
    ...extra,
    '--json',
  );
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout).deliveries as Array<Record<string, unknown>>;
}

describe('nexus webhooks', () => {
  it('adds an endpoint, printing its secret once, stores it sealed and lists endpoints without it', async () => {
    const tenant = await createTenant('Toko Kait');
    const text = await nexus(
      'webhooks',
      'add',
      hookUrl('text'),
      '--business',
      String(tenant.business.id),
      '--events',
      'order.created, payment.received',
    );
    expect(text.code, text.stderr).toBe(0);
    const secret = text.stdout.match(/^ {2}(whsec_[A-Za-z0-9]{40})$/m)?.[1];
    expect(secret, text.stdout).toBeDefined();
    expect(text.stdout).toContain('(events: order.created,payment.received)');

    const json = await add(tenant, hookUrl('json'));
    expect(json.endpoint).toMatchObject({ url: hookUrl('json'), events: null, is_active: true });
    expect(json.secret).toMatch(/^whsec_/);
    expect(json.secret).not.toBe(secret);

    const { db } = (await getTestContext()).database;
    const keys = (await getTestContext()).keys;
    const rows = await db
      .selectFrom('webhook_endpoints')
      .select(['url', 'secret_ciphertext'])
      .where('business_id', '=', tenant.business.id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.url)).toEqual([hookUrl('text'), hookUrl('json')]);
    expect(rows[0]!.secret_ciphertext).not.toContain(secret!);
    expect(openSecret(keys.webhookSecrets, rows[0]!.secret_ciphertext)).toBe(secret);

    const list = await nexus('webhooks', 'list', '--business', tenant.business.unique_id);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^id\s+status\s+events\s+subscriber\s+url$/);
    expect(list.stdout).toContain('order.created,payment.received');
    expect(list.stdout).toContain(hookUrl('json'));
    expect(list.stdout).not.toContain('whsec_');
    const listed = JSON.parse(
      (await nexus('webhooks', 'list', '--business', tenant.business.unique_id, '--json')).stdout,
    );
    expect(listed.endpoints).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect(JSON.stringify(listed)).not.toContain('secret');

    // Another business sees none of them.
    const other = await createTenant('Toko Lain');
    const empty = await nexus('webhooks', 'list', '--business', other.business.unique_id);
    expect(empty.stdout.trim()).toBe('No webhook endpoints: events of this business are not sent anywhere.');
  });

  it('refuses URLs the guard would refuse, unless private networks are allowed, and unknown events', async () => {
    const tenant = await createTenant('Toko Tolak');
    const business = ['--business', tenant.business.unique_id];
    for (const [url, reason] of [
      ['http://127.0.0.1:8080/hook', '127.0.0.1 is a loopback address'],
      ['http://[::ffff:169.254.169.254]/latest', 'link-local'],
      ['http://192.168.1.20/hook', 'private-network'],
      ['http://localhost:8080/hook', 'localhost resolves to'],
      ['ftp://hooks.example.test/', 'must start with http:// or https://'],
    ]) {
      const res = await nexus('webhooks', 'add', url!, ...business);
      expect(res.code, url).toBe(1);
      expect(res.stderr).toContain(reason);
    }
    const unknown = await nexus(
      'webhooks',
      'add',
      hookUrl('x'),
      ...business,
      '--events',
      'order.created,order.eaten',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('events unknown: order.eaten');

    const allowed = await runNexus(['webhooks', 'add', 'http://127.0.0.1:8080/hook', ...business, '--json'], {
      env: { NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout).endpoint.url).toBe('http://127.0.0.1:8080/hook');
    const again = await runNexus(['webhooks', 'add', 'http://127.0.0.1:8080/hook', ...business], {
      env: { NEXUS_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already receives');
  });

  it('sends a test event to one endpoint, lists deliveries with filters and redelivers a finished one', async () => {
    const tenant = await createTenant('Toko Uji');
    const orders = await add(tenant, hookUrl('orders'), '--events', 'order.created');
    const everything = await add(tenant, hookUrl('all'));

    const tested = await nexus(
      'webhooks',
      'test',
      String(orders.endpoint.id),
      '--business',
      tenant.business.unique_id,
    );
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^Test event event_[A-Za-z0-9]{24} queued as delivery \d+/);
    const testedJson = JSON.parse(
      (
        await nexus(
          'webhooks',
          'test',
          String(everything.endpoint.id),
          '--business',
          tenant.business.unique_id,
          '--json',
        )
      ).stdout,
    );

    const all = await deliveriesOf(tenant);
    expect(all.map((d) => [d.id, d.endpoint_id, d.event, d.status, d.attempts])).toEqual([
      [testedJson.delivery_id, everything.endpoint.id, 'business.test_event', 'pending', 0],
      [expect.any(Number), orders.endpoint.id, 'business.test_event', 'pending', 0],
    ]);
    expect(all[0]!.event_unique_id).toBe(testedJson.unique_id);
    expect(await deliveriesOf(tenant, '--endpoint', String(orders.endpoint.id))).toHaveLength(1);
    expect(await deliveriesOf(tenant, '--status', 'failed')).toEqual([]);
    const text = await nexus(
      'webhooks',
      'deliveries',
      '--business',
      tenant.business.unique_id,
      '--limit',
      '1',
    );
    expect(text.stdout).toContain(`#${testedJson.delivery_id}`);
    expect(text.stdout).toContain('business.test_event');
    expect(text.stdout).toContain('pending, next attempt');
    expect(text.stdout.match(/^#/gm)).toHaveLength(1);

    const redeliver = (id: unknown, ...extra: string[]) =>
      nexus('webhooks', 'redeliver', String(id), '--business', tenant.business.unique_id, ...extra);
    const pending = await redeliver(testedJson.delivery_id);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain('still pending');

    // As if its 24 hours had run out.
    const { db } = (await getTestContext()).database;
    await db
      .updateTable('webhook_deliveries')
      .set({
        status: 'failed',
        attempts: 14,
        error: 'timed out after 10000 ms',
        finished_at: sql<Date>`now()`,
        next_attempt_at: null,
      })
      .where('id', '=', testedJson.delivery_id)
      .execute();
    const failed = await deliveriesOf(tenant, '--status', 'failed');
    expect(failed.map((d) => d.id)).toEqual([testedJson.delivery_id]);
    const again = await redeliver(testedJson.delivery_id, '--json');
    expect(again.code, again.stderr).toBe(0);
    const { delivery_id: newId } = JSON.parse(again.stdout);
    const [latest] = await deliveriesOf(tenant, '--limit', '1');
    expect(latest).toMatchObject({
      id: newId,
      redelivery_of: testedJson.delivery_id,
      event_unique_id: testedJson.unique_id,
      status: 'pending',
    });
  });

  it('disables and enables an endpoint, and keeps to the named business', async () => {
    const tenant = await createTenant('Toko Mati');
    const other = await createTenant('Toko Tetangga');
    const { endpoint } = await add(tenant, hookUrl('toggle'));
    const id = String(endpoint.id);
    const mine = ['--business', tenant.business.unique_id];

    const off = await nexus('webhooks', 'disable', id, ...mine);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain(`Webhook endpoint ${id} is disabled`);
    const refused = await nexus('webhooks', 'test', id, ...mine);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is disabled');
    expect((await nexus('webhooks', 'enable', id, ...mine, '--json')).stdout).toContain('"is_active": true');
    expect((await nexus('webhooks', 'test', id, ...mine)).code).toBe(0);

    // Another business cannot see, test, disable or redeliver this business's endpoint.
    const theirs = ['--business', other.business.unique_id];
    for (const command of ['test', 'disable', 'enable'])
      expect((await nexus('webhooks', command, id, ...theirs)).stderr).toContain(`No webhook endpoint ${id}`);
    const [delivery] = await deliveriesOf(tenant);
    const redeliver = await nexus('webhooks', 'redeliver', String(delivery!.id), ...theirs);
    expect(redeliver.code).toBe(1);
    expect(redeliver.stderr).toContain('No webhook delivery');
    expect(await deliveriesOf(other)).toEqual([]);
  });

  it('names usage mistakes with exit status 2', async () => {
    const tenant = await createTenant('Toko Salah');
    const business = ['--business', tenant.business.unique_id];
    const missing = await nexus('webhooks', 'add', hookUrl('m'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--business is required');
    expect((await nexus('webhooks', 'test', 'abc', ...business)).stderr).toContain(
      'endpoint-id must be a whole number',
    );
    expect((await nexus('webhooks', 'redeliver', ...business)).stderr).toContain('delivery-id is required');
    expect((await nexus('webhooks', 'deliveries', ...business, '--limit', '0')).code).toBe(2);
    expect((await nexus('webhooks', 'deliveries', ...business, '--endpoint', 'x')).code).toBe(2);
    const status = await nexus('webhooks', 'deliveries', ...business, '--status', 'lost');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('status must be one of pending, succeeded, failed');
    const help = await nexus('webhooks', 'add', '--help');
    expect(help.stdout).toContain('Usage: nexus webhooks add <url>');
    expect(help.stdout).toContain('X-Scalev-Hmac-Sha256');
    const overview = (await nexus('--help')).stdout;
    for (const command of ['add', 'list', 'deliveries', 'redeliver', 'test', 'enable', 'disable'])
      expect(overview).toContain(`webhooks ${command}`);
  });
});
