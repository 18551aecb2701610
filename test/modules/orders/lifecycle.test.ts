import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/http/errors.ts';
import {
  checkLifecycle,
  ORDER_TRANSITIONS,
  PAYMENT_TRANSITIONS,
  type Transitions,
} from '../../../src/modules/orders/lifecycle.ts';
import { lockedOrder, moveOrder } from '../../../src/modules/orders/status.ts';
import {
  ORDER_STATUSES,
  type OrderActor,
  type OrderStatus,
  PAYMENT_STATUSES,
  type PaymentStatus,
} from '../../../src/modules/orders/tables.ts';
import { insertProduct, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, stockOf, variantLine } from './fixtures.ts';

const ACTORS: OrderActor[] = ['business', 'customer', 'system'];

/**
 * The decision in docs/decisions.md "Order lifecycle", written out independently of the module:
 * `from: { to: actors }`, b = business, c = customer, s = system.
 */
const EXPECTED_ORDER: Record<OrderStatus, Record<string, string>> = {
  draft: { pending: 'bcs', confirmed: 'bs', canceled: 'bcs' },
  pending: { confirmed: 'bs', canceled: 'bcs' },
  confirmed: { in_process: 'b', ready: 'b', shipped: 'bs', canceled: 'bs' },
  in_process: { confirmed: 'b', ready: 'b', shipped: 'bs', canceled: 'b' },
  ready: { in_process: 'b', shipped: 'bs', canceled: 'b' },
  shipped: { completed: 'bs', shipped_rts: 's', rts: 'bs' },
  shipped_rts: { rts: 'bs' },
  completed: { closed: 'bs', rts: 'b' },
  rts: { closed: 'bs' },
  canceled: {},
  closed: {},
};
const EXPECTED_PAYMENT: Record<PaymentStatus, Record<string, string>> = {
  unpaid: { paid: 'bs', conflict: 's' },
  paid: { settled: 's', conflict: 's', unpaid: 'b' },
  conflict: { paid: 'bs', unpaid: 'b' },
  settled: {},
};

function expectedAllowed(
  kind: 'status' | 'payment_status',
  from: string,
  to: string,
  actor: OrderActor,
): boolean {
  const table: Record<string, Record<string, string>> = kind === 'status' ? EXPECTED_ORDER : EXPECTED_PAYMENT;
  return (table[from]?.[to] ?? '').includes(actor[0]!);
}

describe('order lifecycle table', () => {
  it('passes its start-up check', () => {
    expect(() => checkLifecycle()).not.toThrow();
  });

  it('refuses inconsistent tables at start-up, naming each problem', () => {
    const broken = (patch: Partial<Record<OrderStatus, Partial<Record<OrderStatus, OrderActor[]>>>>) =>
      ({ ...ORDER_TRANSITIONS, ...patch }) as Transitions<OrderStatus>;
    const cases: Array<[Transitions<OrderStatus>, RegExp]> = [
      [broken({ shipped: { shipped: ['system'], completed: ['system'] } }), /shipped -> itself/],
      [broken({ pending: { confirmed: [], canceled: ['business'] } }), /allowed to nobody/],
      [
        broken({ shipped: { completed: ['business'], shipped_rts: ['business'], rts: ['system'] } }),
        /shipped_rts by someone other/,
      ],
      [broken({ canceled: { rts: ['business'] } }), /canceled leads to rts, giving stock back twice/],
      [broken({ rts: { completed: ['business'] }, completed: { rts: ['business'] } }), /rts can never end/],
      [
        broken({ shipped: { completed: ['system'] }, shipped_rts: { rts: ['system'] } }),
        /shipped_rts is unreachable/,
      ],
    ];
    for (const [table, problem] of cases)
      expect(() => checkLifecycle(table), String(problem)).toThrow(problem);
    const { settled: _, ...withoutSettled } = PAYMENT_TRANSITIONS;
    expect(() => checkLifecycle(ORDER_TRANSITIONS, withoutSettled as Transitions<PaymentStatus>)).toThrow(
      /no row for settled/,
    );
  });
});

describe('every cell of the lifecycle, on a stored order', () => {
  /**
   * Each cell runs in its own transaction on one order put in the `from` state, then rolled back:
   * an allowed move writes the status, its time and a history entry; a forbidden one is a 409
   * naming both statuses and writes nothing.
   */
  async function tryCell(
    db: Awaited<ReturnType<typeof createTenant>>['ctx']['database']['db'],
    businessId: number,
    orderId: string,
    kind: 'status' | 'payment_status',
    from: string,
    to: string,
    actor: OrderActor,
  ) {
    const rollback = new Error('rollback');
    let outcome: { moved: boolean; error?: ApiError; row?: Record<string, unknown>; history?: number } = {
      moved: false,
    };
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`update orders set ${sql.ref(kind)} = ${from} where id = ${orderId}`.execute(trx);
        const before = await trx
          .selectFrom('order_status_histories')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('order_id', '=', orderId)
          .executeTakeFirstOrThrow();
        const row = await trx
          .selectFrom('orders')
          .select(['id', 'business_id', 'status', 'payment_status', 'discount_code_id'])
          .where('id', '=', orderId)
          .where('business_id', '=', businessId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const order = lockedOrder(row);
        try {
          const moved = await moveOrder(
            trx,
            order,
            kind === 'status'
              ? { status: to as OrderStatus, actor }
              : { paymentStatus: to as PaymentStatus, actor },
          );
          outcome.moved = moved.status || moved.paymentStatus;
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          outcome.error = error;
        }
        const after = await trx
          .selectFrom('orders')
          .select(['status', 'payment_status', sql<Date | null>`${sql.ref(`${to}_time`)}`.as('time')])
          .where('id', '=', orderId)
          .executeTakeFirstOrThrow();
        const history = await trx
          .selectFrom('order_status_histories')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('order_id', '=', orderId)
          .executeTakeFirstOrThrow();
        outcome = { ...outcome, row: after, history: Number(history.n) - Number(before.n) };
        throw rollback;
      })
      .catch((error) => {
        if (error !== rollback) throw error;
      });
    return outcome;
  }

  it.each([
    ['status', ORDER_STATUSES],
    ['payment_status', PAYMENT_STATUSES],
  ] as const)(
    '%s: allowed cells move and record, forbidden cells are 409 and write nothing',
    async (kind, statuses) => {
      const tenant = await createTenant();
      const product = await insertProduct(tenant);
      const db = tenant.ctx.database.db;
      const created = await placeOrder(
        db,
        draftFor(tenant, [variantLine(product.variants[0]!, 1, { isInventory: false })]),
      );
      let allowed = 0;
      let forbidden = 0;
      for (const from of statuses) {
        for (const to of statuses) {
          if (to === from) continue;
          for (const actor of ACTORS) {
            const cell = `${kind} ${from} -> ${to} by ${actor}`;
            const outcome = await tryCell(db, tenant.business.id, created.id, kind, from, to, actor);
            if (expectedAllowed(kind, from, to, actor)) {
              allowed++;
              expect(outcome.error, cell).toBeUndefined();
              expect(outcome.moved, cell).toBe(true);
              expect(outcome.row?.[kind], cell).toBe(to);
              expect(outcome.row?.time, cell).toBeInstanceOf(Date);
              expect(outcome.history, cell).toBe(1);
            } else {
              forbidden++;
              expect(outcome.error?.statusCode, cell).toBe(409);
              expect(outcome.error?.message, cell).toContain(`is ${from} and cannot change to ${to}`);
              expect(outcome.row?.[kind], cell).toBe(from);
              expect(outcome.history, cell).toBe(0);
            }
          }
        }
      }
      const table = kind === 'status' ? EXPECTED_ORDER : EXPECTED_PAYMENT;
      const cells = Object.values(table).reduce(
        (sum, row) => sum + Object.values(row).reduce((n, actors) => n + actors.length, 0),
        0,
      );
      expect(allowed).toBe(cells);
      expect(allowed + forbidden).toBe(statuses.length * (statuses.length - 1) * ACTORS.length);
    },
  );

  it('repeating the current status changes nothing and is no error', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant);
    const db = tenant.ctx.database.db;
    const created = await placeOrder(
      db,
      draftFor(tenant, [variantLine(product.variants[0]!, 1, { isInventory: false })]),
    );
    const moved = await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('orders')
        .select(['id', 'business_id', 'status', 'payment_status', 'discount_code_id'])
        .where('id', '=', created.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      return moveOrder(trx, lockedOrder(row), {
        status: 'pending',
        paymentStatus: 'unpaid',
        actor: 'customer',
      });
    });
    expect(moved).toEqual({ status: false, paymentStatus: false });
  });

  it('gives stock back when an order is returned after shipping, and once only', async () => {
    const tenant = await createTenant();
    const product = await insertProduct(tenant, { isInventory: true });
    const variant = product.variants[0]!;
    const warehouse = await insertWarehouse(tenant, 'A');
    await setStock(tenant, warehouse.id, variant.id, 5);
    const db = tenant.ctx.database.db;
    const created = await placeOrder(db, draftFor(tenant, [variantLine(variant, 2)]));
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(3);
    const move = (...statuses: OrderStatus[]) =>
      db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('orders')
          .select(['id', 'business_id', 'status', 'payment_status', 'discount_code_id'])
          .where('id', '=', created.id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const order = lockedOrder(row);
        for (const status of statuses) await moveOrder(trx, order, { status, actor: 'business' });
      });
    await move('confirmed', 'shipped');
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(3);
    await move('rts');
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(5);
    await move('closed');
    expect(await stockOf(tenant, warehouse.id, variant.id)).toBe(5);
  });
});
