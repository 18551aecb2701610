import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../src/lib/jwt.ts';
import type { TestContext } from '../../helpers/app.ts';
import { type AuthShop, authShop, closeApp, expectTokens, probeApp, type ShopCustomer } from './fixtures.ts';

let probe: TestContext;
beforeAll(async () => {
  probe = await probeApp();
});
afterAll(async () => {
  await closeApp(probe);
});

async function signedIn(): Promise<{
  shop: AuthShop;
  customer: ShopCustomer;
  access: string;
  refresh: string;
}> {
  const shop = await authShop(probe);
  const customer = await shop.customer();
  const tokens = expectTokens(await shop.post('/login', customer), shop.tenant.store.unique_id);
  return { shop, customer, ...tokens };
}

describe('refreshCustomerJwt', () => {
  it('rotates: each refresh answers a new pair, and every new access token works', async () => {
    const { shop, refresh } = await signedIn();
    let current = refresh;
    const seen = new Set([refresh]);
    for (let i = 0; i < 3; i++) {
      const next = expectTokens(
        await shop.post('/jwt/refresh', { refresh: current }),
        shop.tenant.store.unique_id,
      );
      expect(seen.has(next.refresh)).toBe(false);
      seen.add(next.refresh);
      expect((await shop.probe(probe, next.access)).statusCode).toBe(200);
      current = next.refresh;
    }
  });

  it('reusing a rotated token answers 401 and revokes the whole family', async () => {
    const { shop, customer, refresh, access } = await signedIn();
    const other = expectTokens(await shop.post('/login', customer), shop.tenant.store.unique_id);
    const second = expectTokens(await shop.post('/jwt/refresh', { refresh }), shop.tenant.store.unique_id);

    const reused = await shop.post('/jwt/refresh', { refresh });
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ error_code: 'invalid_token' });
    expect(reused.json().message).toContain('already used');

    // The legitimate holder's newer refresh token and the family's access tokens are dead too.
    expect((await shop.post('/jwt/refresh', { refresh: second.refresh })).statusCode).toBe(401);
    expect((await shop.probe(probe, second.access)).statusCode).toBe(401);
    expect((await shop.probe(probe, access)).statusCode).toBe(401);
    // Another session of the same customer is untouched.
    expect((await shop.probe(probe, other.access)).statusCode).toBe(200);
    expectTokens(await shop.post('/jwt/refresh', { refresh: other.refresh }), shop.tenant.store.unique_id);
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const { shop, refresh } = await signedIn();
    const results = await Promise.all([
      shop.post('/jwt/refresh', { refresh }),
      shop.post('/jwt/refresh', { refresh }),
    ]);
    const codes = results.map((res) => res.statusCode).sort();
    expect(codes).toEqual([200, 401]);
  });

  it('refuses access tokens, forged, expired and other stores’ refresh tokens', async () => {
    const { shop, access, refresh } = await signedIn();
    const other = await authShop(probe);
    const claims = JSON.parse(Buffer.from(refresh.split('.')[1] ?? '', 'base64url').toString());
    const expired = signJwt(
      probe.keys.customerJwt,
      { typ: 'refresh', sub: claims.sub, sid: claims.sid, jti: claims.jti, fam: claims.fam },
      60,
      Date.now() - 120_000,
    );
    for (const token of [access, `${refresh.slice(0, -3)}abc`, expired, 'not-a-jwt']) {
      const res = await shop.post('/jwt/refresh', { refresh: token });
      expect(res.statusCode, token).toBe(401);
    }
    // The refresh token of this store, presented at another store (with that store's key).
    expect((await other.post('/jwt/refresh', { refresh })).statusCode).toBe(401);
    // None of that spent the token.
    expectTokens(await shop.post('/jwt/refresh', { refresh }), shop.tenant.store.unique_id);
  });

  it('validates the body and the storefront key', async () => {
    const { shop, refresh } = await signedIn();
    const missing = await shop.post('/jwt/refresh', {});
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toHaveProperty('refresh');
    const wrongKey = await shop.post('/jwt/refresh', { refresh }, { key: `sfpk_${'k'.repeat(64)}` });
    expect(wrongKey.statusCode).toBe(404);
  });

  it('stops refreshing once the customer is deactivated', async () => {
    const { shop, customer, refresh, access } = await signedIn();
    await probe.database.db
      .updateTable('customers')
      .set({ status: 'inactive' })
      .where('id', '=', customer.id)
      .execute();
    expect((await shop.probe(probe, access)).statusCode).toBe(401);
    expect((await shop.post('/jwt/refresh', { refresh })).statusCode).toBe(401);
  });
});

describe('blacklistCustomerJwt', () => {
  it('answers 204; the access token is refused at once and the refresh family can no longer refresh', async () => {
    const { shop, access, refresh } = await signedIn();
    expect((await shop.probe(probe, access)).statusCode).toBe(200);
    const res = await shop.post('/jwt/blacklist', { tokens: [access, refresh] });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const refused = await shop.probe(probe, access);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error_code).toBe('invalid_token');
    expect((await shop.post('/jwt/refresh', { refresh })).statusCode).toBe(401);
    const revoked = await probe.database.db
      .selectFrom('customer_revoked_tokens')
      .select('expires_at')
      .where('jti', '=', JSON.parse(Buffer.from(access.split('.')[1] ?? '', 'base64url').toString()).jti)
      .executeTakeFirstOrThrow();
    expect(revoked.expires_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('revokes only the access token when only it is sent', async () => {
    const { shop, access, refresh } = await signedIn();
    expect((await shop.post('/jwt/blacklist', { tokens: [access] })).statusCode).toBe(204);
    expect((await shop.probe(probe, access)).statusCode).toBe(401);
    const next = expectTokens(await shop.post('/jwt/refresh', { refresh }), shop.tenant.store.unique_id);
    expect((await shop.probe(probe, next.access)).statusCode).toBe(200);
  });

  it('a refresh token alone ends its session, access tokens included', async () => {
    const { shop, access, refresh } = await signedIn();
    expect((await shop.post('/jwt/blacklist', { tokens: [refresh] })).statusCode).toBe(204);
    expect((await shop.probe(probe, access)).statusCode).toBe(401);
  });

  it('ignores garbage and other stores’ tokens, and validates the body', async () => {
    const a = await signedIn();
    const b = await signedIn();
    const res = await a.shop.post('/jwt/blacklist', { tokens: ['garbage', b.access, b.refresh] });
    expect(res.statusCode).toBe(204);
    expect((await b.shop.probe(probe, b.access)).statusCode).toBe(200);
    expectTokens(await b.shop.post('/jwt/refresh', { refresh: b.refresh }), b.shop.tenant.store.unique_id);

    for (const body of [{}, { tokens: [] }, { tokens: [''] }]) {
      const bad = await a.shop.post('/jwt/blacklist', body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(422);
      expect(Object.keys(bad.json().errors).join()).toMatch(/^tokens/);
    }
    const wrongKey = await a.shop.post('/jwt/blacklist', { tokens: [a.access] }, { key: b.shop.key });
    expect(wrongKey.statusCode).toBe(404);
    expect((await a.shop.probe(probe, a.access)).statusCode).toBe(200);
  });
});

describe('customer token checks on customer routes', () => {
  it('refuses tokens issued before tokens_valid_after, tokens of unknown customers and malformed ids', async () => {
    const { shop, customer, access } = await signedIn();
    const sid = shop.tenant.store.id;
    const key = probe.keys.customerJwt;
    const minted = signJwt(key, { typ: 'access', sub: String(customer.id), sid, jti: randomUUID() }, 900);
    expect((await shop.probe(probe, minted)).statusCode).toBe(200);

    await probe.database.db
      .updateTable('customers')
      .set({ tokens_valid_after: sql<Date>`now() + interval '2 seconds'` })
      .where('id', '=', customer.id)
      .execute();
    expect((await shop.probe(probe, access)).statusCode).toBe(401);
    expect((await shop.probe(probe, minted)).statusCode).toBe(401);

    const other = await authShop(probe);
    const foreign = await other.customer();
    for (const claims of [
      { sub: '999999999999', jti: randomUUID() },
      { sub: String(foreign.id), jti: randomUUID() },
      { sub: String(customer.id), jti: 'not-a-uuid' },
      { sub: 'abc', jti: randomUUID() },
    ]) {
      const token = signJwt(key, { typ: 'access', sid, ...claims }, 900);
      const res = await shop.probe(probe, token);
      expect(res.statusCode, JSON.stringify(claims)).toBe(401);
    }
  });
});
