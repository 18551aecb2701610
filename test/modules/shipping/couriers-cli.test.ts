import { beforeAll, describe, expect, it } from 'vitest';
import { nexus } from '../../helpers/cli.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { warmUp } from './fixtures.ts';

beforeAll(warmUp);

async function json(...argv: string[]) {
  const res = await nexus(...argv, '--json');
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

describe('nexus courier commands', () => {
  it('explains every command with --help', async () => {
    const overview = await nexus('--help');
    for (const command of ['courier list', 'store couriers set', 'store couriers list']) {
      expect(overview.stdout).toContain(command);
      const help = await nexus(...command.split(' '), '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: nexus ${command}`);
    }
  });

  it('lists the couriers with their services', async () => {
    const { couriers } = await json('courier', 'list');
    expect(couriers).toHaveLength(24);
    expect(couriers.find((c: { code: string }) => c.code === 'jne')).toEqual({
      id: 8,
      code: 'jne',
      name: 'JNE',
      courier_type: 'standard',
      services: [
        { id: 15, service_code: 'REG', name: 'JNE Reguler', is_cod_supported: true },
        { id: 16, service_code: 'YES', name: 'JNE Yakin Esok Sampai', is_cod_supported: false },
        { id: 17, service_code: 'OKE', name: 'JNE Ongkos Kirim Ekonomis', is_cod_supported: true },
        { id: 18, service_code: 'JTR', name: 'JNE Trucking', is_cod_supported: false },
      ],
    });
    const text = await nexus('courier', 'list');
    expect(text.stdout).toContain('15  REG        JNE Reguler  (COD)');
  });

  it("sets, shows and clears a store's couriers", async () => {
    const tenant = await createTenant('CLI kurir');
    const store = String(tenant.store.id);
    const initial = await json('store', 'couriers', 'list', '--store', store);
    expect(initial.is_configured).toBe(false);
    expect(initial.couriers).toHaveLength(24);

    const set = await json('store', 'couriers', 'set', '--store', store, '--couriers', 'SiCepat, jne,jne');
    expect(set).toEqual({ store_id: tenant.store.id, is_configured: true, couriers: ['jne', 'sicepat'] });
    const text = await nexus(
      'store',
      'couriers',
      'list',
      '--store',
      store,
      '--business',
      tenant.business.unique_id,
    );
    expect(text.stdout).toContain(`Store ${store} offers jne, sicepat`);

    const cleared = await json('store', 'couriers', 'set', '--store', store, '--all');
    expect(cleared).toMatchObject({ is_configured: false });
  });

  it('refuses unknown couriers, other businesses and unclear options', async () => {
    const tenant = await createTenant('CLI kurir salah');
    const other = await createTenant('CLI kurir lain');
    const store = String(tenant.store.id);
    const unknown = await nexus('store', 'couriers', 'set', '--store', store, '--couriers', 'jne,fedex');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown couriers fedex');
    const foreign = await nexus(
      'store',
      'couriers',
      'set',
      '--store',
      store,
      '--business',
      other.business.unique_id,
      '--couriers',
      'jne',
    );
    // Commands look the store up first: naming another business's store is a usage mistake (2).
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain(`No store with id or unique_id ${store} in this business`);
    const both = await nexus('store', 'couriers', 'set', '--store', store, '--couriers', 'jne', '--all');
    expect(both.code).toBe(2);
    const neither = await nexus('store', 'couriers', 'set', '--store', store);
    expect(neither.code).toBe(2);
    const badStore = await nexus('store', 'couriers', 'list', '--store', 'abc');
    expect(badStore.code).toBe(2);
    const noStore = await nexus('store', 'couriers', 'list', '--store', '999999999');
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain('No store with id or unique_id 999999999');
    expect((await json('store', 'couriers', 'list', '--store', store)).is_configured).toBe(false);
  });
});
