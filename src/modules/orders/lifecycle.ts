import { ApiError } from '../../http/errors.ts';
import {
  ORDER_STATUSES,
  type OrderActor,
  type OrderStatus,
  PAYMENT_STATUSES,
  type PaymentStatus,
} from './tables.ts';

/**
 * The order lifecycle: which status may follow which, and who may make the move. Every status change
 * (business routes, CSV uploads, shipment tracking, payment callbacks and simulation, expiry,
 * duplicate-and-cancel, the buyer's public order update) asks this table; `status.ts` applies the
 * change. The reference says nothing about who may move an order where: docs/decisions.md
 * "Order lifecycle" gives the reasons for each row. Order status and payment status move
 * independently (`confirmed` does not mean paid).
 *
 * Actors: `business` is a member, an API key or an OAuth app acting for the business (routes and
 * uploads); `customer` is the buyer (public order page, customer account); `system` is this server
 * on an outside party's word (payment gateway, courier tracking) or its own clock (expiry).
 */
export type Transitions<S extends string> = Readonly<
  Record<S, Readonly<Partial<Record<S, readonly OrderActor[]>>>>
>;

const B: OrderActor = 'business';
const C: OrderActor = 'customer';
const S: OrderActor = 'system';

export const ORDER_TRANSITIONS: Transitions<OrderStatus> = {
  // Placed but incomplete (an upload without an address, a form abandoned before payment details).
  draft: { pending: [B, C, S], confirmed: [B, S], canceled: [B, C, S] },
  // Waiting for the merchant (or the payment) to confirm it.
  pending: { confirmed: [B, S], canceled: [B, C, S] },
  // Accepted; unpaid ones still expire (the system cancels them).
  confirmed: { in_process: [B], ready: [B], shipped: [B, S], canceled: [B, S] },
  in_process: { confirmed: [B], ready: [B], shipped: [B, S], canceled: [B] },
  ready: { in_process: [B], shipped: [B, S], canceled: [B] },
  // With the courier: delivered, or coming back. Only the courier's tracking says "returning".
  shipped: { completed: [B, S], shipped_rts: [S], rts: [B, S] },
  shipped_rts: { rts: [B, S] },
  // Delivered; a return after delivery brings the goods back.
  completed: { closed: [B, S], rts: [B] },
  // Returned to the sender.
  rts: { closed: [B, S] },
  canceled: {},
  closed: {},
};

export const PAYMENT_TRANSITIONS: Transitions<PaymentStatus> = {
  // The gateway says paid, or the merchant saw the bank transfer; `conflict` when money arrived that
  // cannot simply be kept (a canceled order, a short or double payment).
  unpaid: { paid: [B, S], conflict: [S] },
  // Settled when the money reaches the merchant's balance; a merchant may undo a mistaken mark.
  paid: { settled: [S], conflict: [S], unpaid: [B] },
  // The merchant resolves a conflict: keeps the money or refunds it.
  conflict: { paid: [B, S], unpaid: [B] },
  settled: {},
};

/** Statuses an order may be created in: checkout and forms, uploads by completeness, archive uploads. */
export const INITIAL_ORDER_STATUSES: readonly OrderStatus[] = ['draft', 'pending', 'confirmed', 'completed'];

/** Entering one of these gives back the order's stock and its discount code use. */
export const GIVES_BACK: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['canceled', 'rts']);

/** Before shipment, and neither canceled nor returned: the order still holds its stock and discount use. */
export const HOLDS_STOCK: ReadonlySet<OrderStatus> = new Set<OrderStatus>([
  'draft',
  'pending',
  'confirmed',
  'in_process',
  'ready',
]);

export type LifecycleKind = 'status' | 'payment_status';

function tableOf(kind: LifecycleKind): Transitions<string> {
  return kind === 'status' ? ORDER_TRANSITIONS : PAYMENT_TRANSITIONS;
}

export function canTransition(kind: LifecycleKind, from: string, to: string, actor: OrderActor): boolean {
  return tableOf(kind)[from]?.[to]?.includes(actor) ?? false;
}

/** 409 naming the current and the requested status, and what the actor could do instead. */
export function transitionError(kind: LifecycleKind, from: string, to: string, actor: OrderActor): ApiError {
  const allowed = Object.entries(tableOf(kind)[from] ?? {})
    .filter(([, actors]) => actors?.includes(actor))
    .map(([status]) => status);
  const field = kind === 'status' ? 'status' : 'payment_status';
  const next = allowed.length > 0 ? `it can move to ${allowed.join(', ')}` : 'it cannot move any further';
  return new ApiError(
    409,
    'state_conflict',
    `The order's ${field} is ${from} and cannot change to ${to}; ${next}`,
    { [field]: [`cannot change from ${from} to ${to}`] },
    'Status change not allowed',
  );
}

/** Statuses reachable from `from` in one or more moves (by anyone). */
function reachable<St extends string>(table: Transitions<St>, from: St): Set<St> {
  const seen = new Set<St>();
  const stack: St[] = [from];
  while (stack.length > 0) {
    for (const next of Object.keys(table[stack.pop()!] ?? {}) as St[]) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

function checkTable<St extends string>(
  name: string,
  table: Transitions<St>,
  statuses: readonly St[],
  starts: readonly St[],
) {
  const problems: string[] = [];
  const known = new Set<string>(statuses);
  for (const from of Object.keys(table))
    if (!known.has(from)) problems.push(`${name}: unknown status ${from}`);
  for (const from of statuses) {
    const row = table[from];
    if (row === undefined) {
      problems.push(`${name}: no row for ${from}`);
      continue;
    }
    for (const [to, actors] of Object.entries(row) as Array<[string, readonly OrderActor[]]>) {
      if (!known.has(to)) problems.push(`${name}: ${from} -> unknown status ${to}`);
      if (to === from) problems.push(`${name}: ${from} -> itself (repeating a status is not a move)`);
      if (actors.length === 0) problems.push(`${name}: ${from} -> ${to} allowed to nobody`);
    }
    const onward = reachable(table, from);
    if (
      Object.keys(row).length > 0 &&
      ![...onward].some((status) => Object.keys(table[status] ?? {}).length === 0)
    ) {
      problems.push(`${name}: ${from} can never end`);
    }
  }
  const fromStarts = new Set<St>(starts);
  for (const start of starts) for (const status of reachable(table, start)) fromStarts.add(status);
  for (const status of statuses)
    if (!fromStarts.has(status)) problems.push(`${name}: ${status} is unreachable`);
  return problems;
}

/**
 * Checks the tables at start-up (`buildApp`): every status has a row, every move names known
 * statuses and someone who may make it, every status is reachable and can end, and an order gives
 * its stock back at most once (no give-back status leads to another). Throws listing every problem.
 */
export function checkLifecycle(
  orders: Transitions<OrderStatus> = ORDER_TRANSITIONS,
  payments: Transitions<PaymentStatus> = PAYMENT_TRANSITIONS,
): void {
  const problems = [
    ...checkTable('order status', orders, ORDER_STATUSES, INITIAL_ORDER_STATUSES),
    ...checkTable('payment status', payments, PAYMENT_STATUSES, ['unpaid']),
  ];
  for (const status of GIVES_BACK) {
    for (const later of reachable(orders, status)) {
      if (GIVES_BACK.has(later))
        problems.push(`order status: ${status} leads to ${later}, giving stock back twice`);
    }
  }
  // The contract's writes never set shipped_rts: only courier tracking reports it.
  for (const [from, row] of Object.entries(orders) as Array<
    [string, Partial<Record<string, readonly OrderActor[]>>]
  >) {
    if (row.shipped_rts?.some((actor) => actor !== 'system')) {
      problems.push(`order status: ${from} -> shipped_rts by someone other than the system`);
    }
  }
  if (problems.length > 0)
    throw new Error(`The order lifecycle is inconsistent:\n- ${problems.join('\n- ')}`);
}
