import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { randomString } from '../../../src/lib/ids.ts';
import { sameErrorAs } from '../../helpers/errors.ts';
import { buyer, checkoutShop, orderCount, variantItem } from './fixtures.ts';

describe('createPublicCheckout with Idempotency-Key', () => {
  it('replays the first order for a retry with the same key and body', async () => {
    const { tenant, client, shirt } = await checkoutShop();
    const key = randomString(24);
    const body = { items: [variantItem(shirt)], ...buyer() };
    const first = await client.post('/checkout', body, { idempotencyKey: key });
    const retry = await client.post('/checkout', body, { idempotencyKey: key });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await orderCount(tenant)).toBe(1);

    const fresh = await client.post('/checkout', body, { idempotencyKey: randomString(24) });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json().id).not.toBe(first.json().id);
    expect(await orderCount(tenant)).toBe(2);
  });

  it('refuses the same key with another body (422) and replays a 4xx answer', async () => {
    const { tenant, client, shirt } = await checkoutShop({ stock: 1 });
    const key = randomString(24);
    const first = await client.post(
      '/checkout',
      { items: [variantItem(shirt)], ...buyer() },
      { idempotencyKey: key },
    );
    expect(first.statusCode).toBe(201);
    const reused = await client.post(
      '/checkout',
      { items: [variantItem(shirt, 2)], ...buyer() },
      { idempotencyKey: key },
    );
    expect(reused.statusCode).toBe(422);
    expect(reused.json().errors).toEqual({ 'Idempotency-Key': ['was already used for a different request'] });

    const soldOutKey = randomString(24);
    const soldOut = await client.post(
      '/checkout',
      { items: [variantItem(shirt)], ...buyer() },
      {
        idempotencyKey: soldOutKey,
      },
    );
    expect(soldOut.statusCode).toBe(409);
    const replayed = await client.post(
      '/checkout',
      { items: [variantItem(shirt)], ...buyer() },
      {
        idempotencyKey: soldOutKey,
      },
    );
    expect(replayed.statusCode).toBe(409);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.json()).toEqual(sameErrorAs(replayed, soldOut));
    expect(await orderCount(tenant)).toBe(1);
  });

  it('keeps keys of different guest tokens apart', async () => {
    const { tenant, client, ebook } = await checkoutShop();
    const key = randomString(24);
    const body = { ...buyer() };
    const tokenA = await client.cartWith([variantItem(ebook)]);
    const tokenB = await client.cartWith([variantItem(ebook)]);
    const a = await client.post('/checkout', body, { idempotencyKey: key, token: tokenA });
    const b = await client.post('/checkout', body, { idempotencyKey: key, token: tokenB });
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(await orderCount(tenant)).toBe(2);
  });

  it('rejects a malformed key with 422', async () => {
    const { client, shirt } = await checkoutShop();
    const response = await client.post(
      '/checkout',
      { items: [variantItem(shirt)], ...buyer() },
      {
        idempotencyKey: 'x'.repeat(300),
      },
    );
    expect(response.statusCode).toBe(422);
    expect(Object.keys(response.json().errors)).toEqual(['Idempotency-Key']);
  });

  it("stores the answer in the order's own transaction, so no crash can separate them", async () => {
    const { tenant, client, shirt } = await checkoutShop();
    const key = randomString(24);
    const placed = await client.post(
      '/checkout',
      { items: [variantItem(shirt)], ...buyer() },
      { idempotencyKey: key },
    );
    expect(placed.statusCode, placed.body).toBe(201);
    // The transaction that inserted the order is the one that completed the key: a process that dies
    // after the commit leaves the answer for the retry, never a pending claim beside a real order.
    const { rows } = await sql<{ order_tx: string; key_tx: string; state: string }>`
      select o.xmin::text as order_tx, k.xmin::text as key_tx, k.state
      from orders o, idempotency_keys k
      where o.id = ${placed.json().id} and k.business_id = ${tenant.business.id} and k.key = ${key}
    `.execute(tenant.ctx.database.db);
    expect(rows).toEqual([{ order_tx: rows[0]!.order_tx, key_tx: rows[0]!.order_tx, state: 'completed' }]);
  });
});
