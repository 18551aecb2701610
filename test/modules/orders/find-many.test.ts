import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import { findOrderById, findOrdersByIds } from '../../../src/modules/orders/create.ts';
import { insertProduct } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, variantLine } from './fixtures.ts';

function counting(db: Db): { db: Db; count: () => number } {
  let queries = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      queries += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(counter) as Db, count: () => queries };
}

describe('findOrdersByIds', () => {
  it('loads many orders in three queries, each exactly as findOrderById does, in the order asked', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const product = await insertProduct(tenant, {
      name: 'Kaos',
      isInventory: false,
      variants: [{ price: '10000' }, { price: '20000' }, { price: '30000' }],
    });
    const [a, b, c] = product.variants;
    const db = tenant.ctx.database.db;
    const ids: string[] = [];
    for (const lines of [
      [variantLine(a!, 1, { isInventory: false })],
      [variantLine(b!, 2, { isInventory: false }), variantLine(c!, 1, { isInventory: false })],
      [variantLine(c!, 3, { isInventory: false }), variantLine(a!, 1, { isInventory: false })],
    ])
      ids.push((await placeOrder(db, draftFor(tenant, lines))).id);
    const otherProduct = await insertProduct(other, { name: 'Lain', variants: [{ price: '5000' }] });
    const foreign = await placeOrder(
      other.ctx.database.db,
      draftFor(other, [variantLine(otherProduct.variants[0]!, 1, { isInventory: false })]),
    );

    const asked = [ids[2]!, 'not-a-uuid', ids[0]!, foreign.id, ids[1]!.toUpperCase()];
    const counted = counting(db);
    const records = await findOrdersByIds(counted.db, tenant.business.id, asked);
    expect(counted.count()).toBe(3);
    expect(records.map((record) => record.order.id)).toEqual([ids[2], ids[0], ids[1]]);
    for (const record of records)
      expect(record).toEqual(await findOrderById(db, tenant.business.id, record.order.id));
    expect(records[1]!.lines).toHaveLength(1);
    expect(records[2]!.lines.map((line) => line.position)).toEqual([0, 1]);
    expect(records.every((record) => record.history.length === 2)).toBe(true);

    const none = counting(db);
    expect(await findOrdersByIds(none.db, tenant.business.id, ['junk'])).toEqual([]);
    expect(none.count()).toBe(0);
  });
});
