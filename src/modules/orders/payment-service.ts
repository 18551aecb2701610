import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { checkOrderPaymentWithGateway, type PaymentCheck } from '../payments/check.ts';
import { ensureBusinessOrderPayment, type PaymentServiceDeps } from '../payments/service.ts';
import type { BusinessOrderObject } from './business-schemas.ts';
import { getOrder, type OrderCaller } from './business-service.ts';
import { ordersByPgReferenceIds } from './payment-queries.ts';

/** At most this many references per `listOrdersByPgReferenceIds` call (one index probe each). */
export const MAX_PG_REFERENCE_IDS = 100;

const orderNotFound = () => errors.notFound('Order not found');

/**
 * `createOrderPayment`: the buyer's payment creation (`ensureOrderPayment`, idempotent, one gateway
 * payment per order) for the business's order; answers the order with its instructions.
 */
export async function createOrderPayment(
  deps: PaymentServiceDeps,
  caller: OrderCaller,
  id: string,
): Promise<BusinessOrderObject> {
  if (!(await ensureBusinessOrderPayment(deps, caller.businessId, id))) throw orderNotFound();
  return getOrder(deps.db, caller, id, deps.config.publicUrl);
}

/** `checkOrderPayment` / `checkOrderSettlement`: the gateway's word applied, then the order. */
export async function checkOrderPayment(
  deps: PaymentServiceDeps,
  caller: OrderCaller,
  id: string,
  check: PaymentCheck,
): Promise<BusinessOrderObject> {
  if (!(await checkOrderPaymentWithGateway(deps, caller.businessId, id, check))) throw orderNotFound();
  return getOrder(deps.db, caller, id, deps.config.publicUrl);
}

/** `getOrderByPgReferenceId`: the business's order whose payment the gateway knows by this id. */
export async function getOrderByPgReferenceId(db: Db, caller: OrderCaller, reference: string) {
  const found = (await ordersByPgReferenceIds(db, caller.businessId, [reference])).get(reference);
  if (!found) throw orderNotFound();
  return found;
}

/**
 * `listOrdersByPgReferenceIds`: `{ref: {id, order_id}}` for the references that name one of the
 * business's orders; unknown references are left out. Blank items are ignored; more than
 * `MAX_PG_REFERENCE_IDS` distinct references is a 422.
 */
export async function listOrdersByPgReferenceIds(db: Db, caller: OrderCaller, list: string) {
  const references = [
    ...new Set(
      list
        .split(',')
        .map((reference) => reference.trim())
        .filter((reference) => reference.length > 0),
    ),
  ];
  if (references.length === 0) throw errors.invalidField('pg_reference_ids', 'names no reference');
  if (references.length > MAX_PG_REFERENCE_IDS) {
    throw errors.invalidField('pg_reference_ids', `names more than ${MAX_PG_REFERENCE_IDS} references`);
  }
  const found = await ordersByPgReferenceIds(db, caller.businessId, references);
  return Object.fromEntries(
    references.flatMap((reference) => {
      const order = found.get(reference);
      return order ? [[reference, order]] : [];
    }),
  );
}
