import { describe, expect, it } from 'vitest';
import { GRANTABLE_SCOPES } from '../../src/http/auth/scopes.ts';
import { nexus } from '../helpers/cli.ts';
import { createTenant } from '../helpers/tenants.ts';

/** How commands take their arguments (issue 11): ids as the operator has them, mistakes explained. */
describe('nexus command arguments', () => {
  it('names every missing option at once', async () => {
    const run = await nexus('business', 'create');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nexus business create: missing --name, --owner-email');
    const one = await nexus('business', 'create', '--name', 'Toko');
    expect(one.stderr).toContain('--owner-email is required');
    const blank = await nexus('api-key', 'list', '--business', '  ');
    expect(blank.stderr).toContain('--business is required');
  });

  it('explains an unknown option, with the likely one, and an option missing its value', async () => {
    const typo = await nexus('api-key', 'list', '--busines', 'X');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      'unknown option --busines (did you mean --business?); this command takes --business, --json',
    );
    const unrelated = await nexus('mail', 'list', '--colour');
    expect(unrelated.stderr).toContain('unknown option --colour; this command takes --to, --limit, --json');
    const noValue = await nexus('api-key', 'list', '--business');
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--business needs a value');
  });

  it('takes a business and a store by numeric id or unique_id alike', async () => {
    const tenant = await createTenant('CLI refs');
    const other = await createTenant('CLI refs other');
    const byId = await nexus('api-key', 'list', '--business', String(tenant.business.id));
    const byUid = await nexus('api-key', 'list', '--business', tenant.business.unique_id.toLowerCase());
    expect(byId.code, byId.stderr).toBe(0);
    expect(byUid.stdout).toBe(byId.stdout);
    // Lists print a header line.
    expect(byId.stdout.split('\n')[0]).toMatch(/^ID\s+TYPE\s+ENDS\s+STATUS\s+EXPIRES\s+NAME$/);

    for (const store of [String(tenant.store.id), tenant.store.unique_id]) {
      const couriers = await nexus('store', 'couriers', 'list', '--store', store, '--json');
      expect(couriers.code, couriers.stderr).toBe(0);
      const channel = await nexus(
        'channel',
        'create',
        '--business',
        tenant.business.unique_id,
        '--store',
        store,
        '--name',
        `Kanal ${store}`,
      );
      expect(channel.code, channel.stderr).toBe(0);
    }
    const channels = await nexus(
      'channel',
      'list',
      '--business',
      String(tenant.business.id),
      '--store',
      tenant.store.unique_id,
    );
    expect(channels.stdout.split('\n')[0]).toMatch(/^UNIQUE_ID\s+NAME$/);
    expect(channels.stdout.split('\n')).toHaveLength(4);

    // Another business's store is refused, named as given.
    const foreign = await nexus(
      'channel',
      'list',
      '--business',
      tenant.business.unique_id,
      '--store',
      other.store.unique_id,
    );
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain(
      `No store with id or unique_id ${other.store.unique_id} in this business`,
    );
    const unknown = await nexus('api-key', 'list', '--business', '999999999');
    expect(unknown.stderr).toContain('No business with id or unique_id 999999999');
  });

  it('lists the valid scopes when --scopes names an unknown one', async () => {
    const tenant = await createTenant('CLI scopes');
    const run = await nexus(
      'api-key',
      'create',
      '--business',
      tenant.business.unique_id,
      '--scopes',
      'product:list,products:read,nope',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown scopes products:read, nope; a restricted key may hold');
    for (const scope of GRANTABLE_SCOPES) expect(run.stderr).toContain(scope);
    const empty = await nexus(
      'api-key',
      'create',
      '--business',
      tenant.business.unique_id,
      '--scopes',
      ' , ',
    );
    expect(empty.stderr).toContain('--scopes lists no scope');
  });
});
