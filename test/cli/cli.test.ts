import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/crypto.ts';
import { getTestContext } from '../helpers/app.ts';
import { nexus } from '../helpers/cli.ts';
import { send } from '../helpers/tenants.ts';

function uniqueEmail(label: string): string {
  return `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

describe('nexus CLI', () => {
  it('explains every command with --help', async () => {
    const overview = await nexus('--help');
    expect(overview.code).toBe(0);
    for (const command of ['migrate', 'seed demo', 'business create', 'api-key create', 'locations import']) {
      expect(overview.stdout).toContain(command);
      const help = await nexus(...command.split(' '), '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: nexus ${command}`);
    }
  });

  it('seeds the demo once and always prints a working key as one JSON object', async () => {
    const first = await nexus('seed', 'demo', '--json');
    expect(first.code, first.stderr).toBe(0);
    const demo = JSON.parse(first.stdout);
    for (const field of [
      'business_unique_id',
      'api_key',
      'store_id',
      'store_unique_id',
      'storefront_api_key',
    ]) {
      expect(demo[field], field).toBeTruthy();
    }
    const second = JSON.parse((await nexus('seed', 'demo', '--json')).stdout);
    expect(second.business_unique_id).toBe(demo.business_unique_id);
    expect(second.store_id).toBe(demo.store_id);
    expect(second.storefront_api_key).toBe(demo.storefront_api_key);
    expect(second.api_key).not.toBe(demo.api_key);
    const ctx = await getTestContext();
    const me = await send(ctx, 'GET', '/v3/me', { headers: { authorization: `Bearer ${second.api_key}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().business.unique_id).toBe(demo.business_unique_id);
    const businesses = await ctx.database.db
      .selectFrom('businesses')
      .select('id')
      .where('username', '=', 'tokodemo')
      .execute();
    expect(businesses).toHaveLength(1);
  });

  it('gives the demo store a realistic catalog, created once', async () => {
    const demo = JSON.parse((await nexus('seed', 'demo', '--json')).stdout);
    const ctx = await getTestContext();
    const auth = { authorization: `Bearer ${demo.api_key}` };
    const products = (await send(ctx, 'GET', '/v3/products', { headers: auth })).json().data;
    const byType = Object.fromEntries(products.map((p: { item_type: string }) => [p.item_type, p]));
    expect(Object.keys(byType).sort()).toEqual(['course', 'digital', 'physical', 'subscription']);

    const shirt = (await send(ctx, 'GET', `/v3/products/${byType.physical.id}`, { headers: auth })).json();
    expect(shirt.variants).toHaveLength(4);
    expect(shirt.warehouses).toHaveLength(2);
    expect(shirt.is_inventory).toBe(true);
    const ebook = (await send(ctx, 'GET', `/v3/products/${byType.digital.id}`, { headers: auth })).json();
    expect(ebook.variants[0].digital_product_files).toEqual([
      expect.objectContaining({ content_type: 'application/pdf' }),
    ]);
    const course = await send(ctx, 'GET', `/v3/variants/${byType.course.variants[0].id}/course`, {
      headers: auth,
    });
    expect(course.json().course_sections.length).toBeGreaterThan(0);

    const storeProducts = (
      await send(ctx, 'GET', `/v3/stores/${demo.store_id}/products`, { headers: auth })
    ).json().data;
    expect(storeProducts).toHaveLength(4);
    const storeBundles = (
      await send(ctx, 'GET', `/v3/stores/${demo.store_id}/bundles`, { headers: auth })
    ).json().data;
    expect(storeBundles).toHaveLength(1);
    expect(storeBundles[0].bundle_price_options).toHaveLength(2);

    const again = JSON.parse((await nexus('seed', 'demo', '--json')).stdout);
    expect(again.catalog).toBeNull();
    expect((await send(ctx, 'GET', '/v3/products/count', { headers: auth })).json().count).toBe(4);
  });

  it('creates a business, then secret and restricted keys stored only as hashes', async () => {
    const created = await nexus(
      'business',
      'create',
      '--name',
      'Toko CLI',
      '--owner-email',
      uniqueEmail('cli'),
      '--store',
      'Main',
      '--json',
    );
    expect(created.code, created.stderr).toBe(0);
    const { business, store } = JSON.parse(created.stdout);
    expect(business.unique_id).toMatch(/^[A-Z0-9]{16}$/);
    expect(store.unique_id).toMatch(/^store_[A-Za-z0-9]{24}$/);

    const secret = JSON.parse(
      (await nexus('api-key', 'create', '--business', business.unique_id, '--json')).stdout,
    );
    expect(secret.api_key).toMatch(/^sk_[A-Za-z0-9]{64}$/);
    const restricted = await nexus(
      'api-key',
      'create',
      '--business',
      business.unique_id,
      '--scopes',
      'store:read',
      '--expires',
      '30d',
      '--json',
    );
    const rk = JSON.parse(restricted.stdout);
    expect(rk).toMatchObject({ type: 'restricted', scopes: ['store:read'] });
    expect(rk.api_key).toMatch(/^rk_/);
    expect(new Date(rk.expires_at).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const ctx = await getTestContext();
    const stored = await ctx.database.db
      .selectFrom('api_keys')
      .select(['token_hash'])
      .where('id', '=', secret.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256Hex(secret.api_key));

    const denied = await send(ctx, 'POST', `/v3/stores/${store.id}/public-api-keys`, {
      headers: { authorization: `Bearer ${rk.api_key}` },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error_code).toBe('insufficient_scope');

    const revoked = await nexus(
      'api-key',
      'revoke',
      '--business',
      business.unique_id,
      '--id',
      String(secret.id),
      '--json',
    );
    expect(JSON.parse(revoked.stdout)).toEqual({ id: secret.id, revoked: true });
    ctx.app.deps.credentials.forgetAllApiKeys();
    const after = await send(ctx, 'GET', '/v3/me', {
      headers: { authorization: `Bearer ${secret.api_key}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('lists the scopes a restricted key may hold, including those Nexus adds, and accepts them', async () => {
    const listed = await nexus('api-key', 'scopes', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const scopes = JSON.parse(listed.stdout);
    expect(scopes.contract).toContain('bundle:list');
    expect(scopes.contract).not.toContain('discount_code:create');
    expect(scopes.nexus.map((entry: { scope: string }) => entry.scope)).toEqual(
      expect.arrayContaining(['discount_code:list', 'discount_code:create', 'business_user:update']),
    );
    const text = await nexus('api-key', 'scopes');
    expect(text.stdout).toMatch(/discount_code:delete\s+Delete discount codes/);

    const { business } = JSON.parse(
      (
        await nexus(
          'business',
          'create',
          '--name',
          'Toko Scopes',
          '--owner-email',
          uniqueEmail('scopes'),
          '--json',
        )
      ).stdout,
    );
    const created = await nexus(
      'api-key',
      'create',
      '--business',
      business.unique_id,
      '--scopes',
      'discount_code:create',
      '--json',
    );
    expect(created.code, created.stderr).toBe(0);
    const rk = JSON.parse(created.stdout);
    expect(rk.scopes).toEqual(['discount_code:create']);
    const ctx = await getTestContext();
    const auth = { authorization: `Bearer ${rk.api_key}` };
    const code = await send(ctx, 'POST', '/v3/discount-codes', {
      headers: auth,
      body: { code: 'CLI5K', applied_to: 'shipping_cost', amount_type: 'fixed', amount: 5000 },
    });
    expect(code.statusCode, code.body).toBe(200);
    const list = await send(ctx, 'GET', '/v3/discount-codes', { headers: auth });
    expect(list.statusCode).toBe(403);
    expect(list.json().error_code).toBe('insufficient_scope');
  });

  it('refuses bad input with a usage message and a non-zero exit', async () => {
    const missing = await nexus('business', 'create', '--name', 'No owner');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--owner-email is required');
    const unknownScope = await nexus('api-key', 'create', '--business', 'NOPE', '--scopes', 'x:y');
    expect(unknownScope.code).toBe(2);
    const unknown = await nexus('frobnicate');
    expect(unknown.code).toBe(2);
  });

  it('reports migrations as one JSON object', async () => {
    const res = await nexus('migrate', '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toHaveProperty('applied');
  });
});
