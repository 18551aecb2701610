import { describe, expect, it } from 'vitest';
import { nexus } from '../../helpers/cli.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { deliver, relay } from './helpers.ts';

describe('nexus store pixel commands', () => {
  it('sets, lists (never showing the token), records sandbox events and removes a pixel', async () => {
    const tenant = await createTenant();
    const scope = ['--business', tenant.business.unique_id, '--store', String(tenant.store.id)];
    const set = await nexus(
      'store',
      'pixel',
      'set',
      ...scope,
      '--platform',
      'meta',
      '--pixel-id',
      '98765',
      '--access-token',
      'EAAB-cli-secret',
      '--placement',
      'checkout',
      '--json',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout).pixel).toMatchObject({
      platform: 'meta',
      pixel_id: '98765',
      placement: 'checkout',
    });
    expect(set.stdout).not.toContain('EAAB-cli-secret');

    const list = await nexus('store', 'pixel', 'list', ...scope);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('98765');
    expect(list.stdout).not.toContain('EAAB');

    const client = await relay(tenant);
    const sent = await client.post('meta', {
      event_source_url: 'https://shop.example.com/checkout',
      user_data: {},
      events: [{ event_name: 'InitiateCheckout' }],
    });
    expect(sent.statusCode).toBe(204);
    await deliver(tenant);
    const events = await nexus('store', 'pixel', 'events', ...scope, '--json');
    expect(events.code, events.stderr).toBe(0);
    expect(JSON.parse(events.stdout).events[0]).toMatchObject({ platform: 'meta', pixel_id: '98765' });

    const removed = await nexus(
      'store',
      'pixel',
      'remove',
      ...scope,
      '--platform',
      'meta',
      '--pixel-id',
      '98765',
    );
    expect(removed.code, removed.stderr).toBe(0);
    const again = await nexus(
      'store',
      'pixel',
      'remove',
      ...scope,
      '--platform',
      'meta',
      '--pixel-id',
      '98765',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Pixel not found');
  });

  it('refuses bad input and another business store', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const scope = ['--business', tenant.business.unique_id, '--store', String(tenant.store.id)];
    const bad = await nexus(
      'store',
      'pixel',
      'set',
      ...scope,
      '--platform',
      'snapchat',
      '--pixel-id',
      '1',
      '--access-token',
      'abcdefgh1',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('platform must be one of meta, tiktok, snackvideo');
    const noToken = await nexus('store', 'pixel', 'set', ...scope, '--platform', 'meta', '--pixel-id', '1');
    expect(noToken.code).toBe(2);
    const foreign = await nexus(
      'store',
      'pixel',
      'list',
      '--business',
      tenant.business.unique_id,
      '--store',
      String(other.store.id),
    );
    // Commands look the store up first: naming another business's store is a usage mistake (2).
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain(`No store with id or unique_id ${other.store.id} in this business`);
  });

  it('explains the worker command', async () => {
    const help = await nexus('worker', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: nexus worker');
  });
});
