import { beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope } from '../../helpers/errors.ts';
import { issueOAuthToken } from '../../helpers/oauth.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { createCode } from './fixtures.ts';

/**
 * The contract lists no scope for discount-code management; Nexus requires `discount_code:*` of
 * restricted keys and OAuth tokens (docs/decisions.md, "Least privilege where the contract names
 * no scope"), because a code can make every order free.
 */

const HEMAT10 = {
  code: 'HEMAT10',
  applied_to: 'product_price',
  amount_type: 'percentage',
  percentage: 10,
  is_max_amount: true,
  max_amount: 25000,
};
const FREE = {
  code: 'GRATIS100',
  applied_to: 'product_price',
  amount_type: 'percentage',
  percentage: 100,
  is_max_amount: false,
};

type Call = { scope: string; method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; body?: unknown };

function calls(id: number): Call[] {
  return [
    { scope: 'discount_code:list', method: 'GET', url: '/v3/discount-codes' },
    { scope: 'discount_code:read', method: 'GET', url: `/v3/discount-codes/${id}` },
    { scope: 'discount_code:create', method: 'POST', url: '/v3/discount-codes', body: FREE },
    {
      scope: 'discount_code:update',
      method: 'PATCH',
      url: `/v3/discount-codes/${id}`,
      body: { is_enabled: false },
    },
    { scope: 'discount_code:delete', method: 'DELETE', url: `/v3/discount-codes/${id}` },
  ];
}

function expectInsufficientScope(
  res: { statusCode: number; body: string; headers: Record<string, unknown>; json(): unknown },
  scope: string,
) {
  expect(res.statusCode, res.body).toBe(403);
  expect(res.json()).toEqual(
    errorEnvelope(res, {
      error: 'Insufficient scope',
      error_code: 'insufficient_scope',
      message: `This request requires the ${scope} scope`,
      errors: {},
    }),
  );
}

describe('discount codes with restricted keys', () => {
  let tenant: Tenant;
  let hemat: { id: number } & Record<string, unknown>;
  beforeAll(async () => {
    tenant = await createTenant('Scoped Diskon');
    hemat = await createCode(tenant, HEMAT10);
  });

  it('refuses every discount-code route to a read-only key of another resource and changes nothing', async () => {
    const key = await tenant.restrictedKey(['bundle:list']);
    for (const call of calls(hemat.id)) {
      const res = await tenant.request(call.method, call.url, {
        key,
        ...(call.body ? { body: call.body } : {}),
      });
      expectInsufficientScope(res, call.scope);
    }
    const after = await tenant.request('GET', `/v3/discount-codes/${hemat.id}`);
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual(hemat);
    const list = await tenant.request('GET', '/v3/discount-codes');
    expect(list.json().data.map((code: { code: string }) => code.code)).toEqual(['HEMAT10']);
    // The same key still identifies itself.
    const me = await tenant.request('GET', '/v3/me', { key });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().api_key.scopes).toEqual(['bundle:list']);
  });

  it('lets each discount_code scope through its own route only, and a secret key through all', async () => {
    const own = await createTenant('Scoped Diskon Each');
    const code = await createCode(own, { ...HEMAT10, code: 'EACH10' });
    const keys: Record<string, string> = {};
    for (const call of calls(code.id)) keys[call.scope] = await own.restrictedKey([call.scope]);
    // Each key is refused on the four other routes (before any of them could change the code)...
    for (const granted of calls(code.id)) {
      for (const call of calls(code.id)) {
        if (call.scope === granted.scope) continue;
        const res = await own.request(call.method, call.url, {
          key: keys[granted.scope],
          ...(call.body ? { body: call.body } : {}),
        });
        expectInsufficientScope(res, call.scope);
      }
    }
    // ...and admitted on its own.
    const list = await own.request('GET', '/v3/discount-codes', { key: keys['discount_code:list'] });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().data.map((c: { id: number }) => c.id)).toEqual([code.id]);
    const read = await own.request('GET', `/v3/discount-codes/${code.id}`, {
      key: keys['discount_code:read'],
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().code).toBe('EACH10');
    const created = await own.request('POST', '/v3/discount-codes', {
      key: keys['discount_code:create'],
      body: FREE,
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().code).toBe('GRATIS100');
    const updated = await own.request('PATCH', `/v3/discount-codes/${code.id}`, {
      key: keys['discount_code:update'],
      body: { is_enabled: false },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().is_enabled).toBe(false);
    const deleted = await own.request('DELETE', `/v3/discount-codes/${code.id}`, {
      key: keys['discount_code:delete'],
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await own.request('GET', `/v3/discount-codes/${code.id}`)).statusCode).toBe(404);

    // A secret key holds every scope.
    const other = await createCode(own, { ...HEMAT10, code: 'SECRET10' });
    for (const call of calls(other.id)) {
      const body = call.method === 'POST' ? { ...FREE, code: 'SECRET100' } : call.body;
      const res = await own.request(call.method, call.url, body ? { body } : {});
      expect(res.statusCode, `${call.method} ${call.url}: ${res.body}`).toBe(
        call.method === 'DELETE' ? 204 : 200,
      );
    }
  });
});

describe('discount codes with OAuth tokens', () => {
  it('needs the scope granted by both the token and the installation', async () => {
    const tenant = await createTenant('OAuth Diskon');
    const hemat = await createCode(tenant, HEMAT10);
    const oauth = async (tokenScopes: string[], installationScopes: string[]) =>
      (
        await issueOAuthToken(tenant.ctx, {
          userId: tenant.owner.id,
          scopes: tokenScopes,
          installations: [{ businessId: tenant.business.id, scopes: installationScopes }],
        })
      ).token;
    const create = (token: string) =>
      send(tenant.ctx, 'POST', '/v3/discount-codes', {
        headers: { authorization: `Bearer ${token}` },
        body: FREE,
      });
    const remove = (token: string) =>
      send(tenant.ctx, 'DELETE', `/v3/discount-codes/${hemat.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });

    const readOnly = await oauth(['bundle:list'], ['bundle:list']);
    expectInsufficientScope(await create(readOnly), 'discount_code:create');
    expectInsufficientScope(await remove(readOnly), 'discount_code:delete');
    const tokenOnly = await oauth(['discount_code:create', 'discount_code:delete'], ['bundle:list']);
    expectInsufficientScope(await create(tokenOnly), 'discount_code:create');
    expectInsufficientScope(await remove(tokenOnly), 'discount_code:delete');
    expect((await tenant.request('GET', `/v3/discount-codes/${hemat.id}`)).json()).toEqual(hemat);

    const me = await send(tenant.ctx, 'GET', '/v3/me', { headers: { authorization: `Bearer ${readOnly}` } });
    expect(me.statusCode, me.body).toBe(200);

    const granted = ['discount_code:create', 'discount_code:delete'];
    const writer = await oauth(granted, granted);
    const created = await create(writer);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ code: 'GRATIS100', business_id: tenant.business.id });
    expect((await remove(writer)).statusCode).toBe(204);
  });
});
