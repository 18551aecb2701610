import { beforeAll, describe, expect, it } from 'vitest';
import { getTestContext } from '../helpers/app.ts';
import { attachProductToStore, insertProduct } from '../helpers/catalog.ts';
import { nexus } from '../helpers/cli.ts';
import { createTenant } from '../helpers/tenants.ts';

async function json(...argv: string[]) {
  const res = await nexus(...argv, '--json');
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

const COMMANDS = [
  'warehouse create',
  'warehouse list',
  'stock set',
  'stock list',
  'payment-account create',
  'payment-account list',
  'sales-person create',
  'sales-person list',
  'channel create',
  'channel list',
  'store payment-methods set',
  'store other-charge create',
  'store other-charge list',
];

beforeAll(async () => {
  await getTestContext();
});

describe('nexus store setup commands', () => {
  it('explains every command with --help', async () => {
    const overview = await nexus('--help');
    for (const command of COMMANDS) {
      expect(overview.stdout).toContain(command);
      const help = await nexus(...command.split(' '), '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: nexus ${command}`);
    }
  });

  it('manages warehouses and stock the store variant view reads', async () => {
    const tenant = await createTenant('CLI setup');
    const b = tenant.business.unique_id;
    const product = await insertProduct(tenant, { isInventory: true });
    await attachProductToStore(tenant, product.id);
    const { warehouse } = await json(
      'warehouse',
      'create',
      '--business',
      b,
      '--name',
      'Gudang CLI',
      '--postal-code',
      '10510',
    );
    expect(warehouse).toMatchObject({
      name: 'Gudang CLI',
      postal_code: '10510',
      unique_id: expect.stringMatching(/^warehouse_/),
    });
    expect((await json('warehouse', 'list', '--business', b)).warehouses).toHaveLength(1);
    const variant = product.variants[0]!.unique_id;
    const set = await json(
      'stock',
      'set',
      '--business',
      b,
      '--warehouse',
      warehouse.unique_id,
      '--variant',
      variant,
      '--qty',
      '7',
    );
    expect(set.stock).toEqual({
      warehouse_unique_id: warehouse.unique_id,
      variant_unique_id: variant,
      qty: 7,
    });
    expect(
      (await json('stock', 'list', '--business', b, '--warehouse', warehouse.unique_id)).stock,
    ).toMatchObject([{ variant_unique_id: variant, qty: 7 }]);
    const view = await tenant.request('GET', `/v3/stores/${tenant.store.id}/variants/${variant}`);
    expect(view.json().availability).toMatchObject({ available_qty: 7, stock_status: 'in_stock' });

    const bad = await nexus(
      'stock',
      'set',
      '--business',
      b,
      '--warehouse',
      warehouse.unique_id,
      '--variant',
      variant,
      '--qty',
      '-1',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--qty');
    const unknown = await nexus(
      'stock',
      'set',
      '--business',
      b,
      '--warehouse',
      'warehouse_nope',
      '--variant',
      variant,
      '--qty',
      '1',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No warehouse');
  });

  it('manages payment accounts, sales people, channels, payment methods and other charges', async () => {
    const tenant = await createTenant('CLI setup');
    const b = tenant.business.unique_id;
    const store = String(tenant.store.id);

    const { payment_account } = await json(
      'payment-account',
      'create',
      '--business',
      b,
      '--bank',
      'bca',
      '--number',
      '123 456 7890',
      '--holder',
      'Toko CLI',
    );
    expect(payment_account).toMatchObject({
      account_number: '1234567890',
      financial_entity: { code: 'BCA' },
    });
    const duplicate = await nexus(
      'payment-account',
      'create',
      '--business',
      b,
      '--bank',
      'BCA',
      '--number',
      '1234567890',
      '--holder',
      'X',
    );
    expect(duplicate.code).toBe(1);
    expect(
      (
        await nexus(
          'payment-account',
          'create',
          '--business',
          b,
          '--bank',
          'NOPE',
          '--number',
          '1234',
          '--holder',
          'X',
        )
      ).stderr,
    ).toContain('BCA');
    expect((await json('payment-account', 'list', '--business', b)).payment_accounts).toHaveLength(1);

    const { sales_person } = await json(
      'sales-person',
      'create',
      '--business',
      b,
      '--store',
      store,
      '--email',
      tenant.owner.email,
      '--weight',
      '4',
    );
    expect(sales_person).toMatchObject({ user_id: tenant.owner.id, weight: 4 });
    expect((await json('sales-person', 'list', '--business', b, '--store', store)).sales_people).toHaveLength(
      1,
    );
    expect(
      (
        await nexus(
          'sales-person',
          'create',
          '--business',
          b,
          '--store',
          store,
          '--email',
          'nobody@example.test',
        )
      ).code,
    ).toBe(2);

    const { channel } = await json(
      'channel',
      'create',
      '--business',
      b,
      '--store',
      store,
      '--name',
      'Instagram',
    );
    expect(channel.unique_id).toMatch(/^channel_/);
    expect((await json('channel', 'list', '--business', b, '--store', store)).channels).toHaveLength(1);

    const methods = await json(
      'store',
      'payment-methods',
      'set',
      '--business',
      b,
      '--store',
      store,
      '--methods',
      'cod,va,bank_transfer',
      '--va-banks',
      'bca,bni',
    );
    expect(methods).toEqual({
      payment_methods: ['bank_transfer', 'cod', 'va'],
      va_bank_codes: ['BCA', 'BNI'],
    });
    expect(
      (
        await nexus(
          'store',
          'payment-methods',
          'set',
          '--business',
          b,
          '--store',
          store,
          '--methods',
          'paypal',
        )
      ).code,
    ).toBe(1);

    const charges = await json(
      'store',
      'other-charge',
      'create',
      '--business',
      b,
      '--store',
      store,
      '--methods',
      'cod',
      '--type',
      'fixed',
      '--amount',
      '5000',
      '--name',
      'Biaya COD',
    );
    expect(charges).toEqual({
      other_income_name: 'Biaya COD',
      charges: [
        { payment_method: 'cod', sub_payment_method: null, type: 'fixed', amount: '5000.00', percentage: 0 },
      ],
    });
    // Setting the same method again replaces its charge.
    await json(
      'store',
      'other-charge',
      'create',
      '--business',
      b,
      '--store',
      store,
      '--methods',
      'cod',
      '--type',
      'percentage',
      '--percentage',
      '2',
    );
    expect((await json('store', 'other-charge', 'list', '--business', b, '--store', store)).charges).toEqual([
      { payment_method: 'cod', sub_payment_method: null, type: 'percentage', amount: '0.00', percentage: 2 },
    ]);
    expect(
      (
        await nexus(
          'store',
          'other-charge',
          'create',
          '--business',
          b,
          '--store',
          store,
          '--methods',
          'cod',
          '--type',
          'fixed',
        )
      ).code,
    ).toBe(1);

    const list = await tenant.request('GET', `/v3/stores/${tenant.store.id}/payment-methods`);
    expect(list.json().data.map((m: { payment_method: string }) => m.payment_method)).toEqual([
      'bank_transfer',
      'cod',
      'va',
    ]);
    const other = await createTenant('Other');
    const foreign = await nexus(
      'channel',
      'create',
      '--business',
      other.business.unique_id,
      '--store',
      store,
      '--name',
      'X',
    );
    // The store is looked up before anything runs: another business's is a usage mistake.
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain(`No store with id or unique_id ${store} in this business`);
  });
});
