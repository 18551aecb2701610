import { type Static, Type } from '@sinclair/typebox';
import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { errors, type FieldErrors } from '../../http/errors.ts';
import { beforeTax, formatCents, toCents } from '../../lib/money.ts';
import { serviceFee } from '../checkout/charges.ts';
import { findLocation } from '../shipping/queries.ts';
import * as q from './bulk-queries.ts';
import type { OrderCaller } from './business-service.ts';
import { findOrderRefs } from './create-queries.ts';
import { CreateOrderBody } from './create-schemas.ts';
import { editOrder } from './edit-service.ts';
import { HOLDS_STOCK } from './lifecycle.ts';
import { releaseOrderStock } from './status.ts';
import { reserveStock } from './stock.ts';
import type { OrdersTable } from './tables.ts';
import { changeItems, checkDiscounts } from './update-items.ts';

/** `updateOrder`'s body: the reference's fields, each as `createOrder` takes it. */
export const UpdateOrderBody = Type.Partial(
  Type.Pick(CreateOrderBody, [
    'address',
    'channel_unique_id',
    'courier_service_id',
    'customer_email',
    'customer_name',
    'customer_phone',
    'dropshipper_name',
    'dropshipper_phone',
    'financial_entity_id',
    'is_dropshipping',
    'location_id',
    'notes',
    'orderbundles',
    'ordervariants',
    'other_income',
    'other_income_name',
    'page_unique_id',
    'payment_account_holder',
    'payment_account_number',
    'payment_account_unique_id',
    'payment_method',
    'postal_code',
    'product_discount',
    'shipment_provider_code',
    'shipping_cost',
    'shipping_discount',
    'sub_payment_method',
    'transferproof_url',
    'warehouse_unique_id',
  ]),
);
type Body = Static<typeof UpdateOrderBody>;

const MONEY_FIELDS = [
  'shipping_cost',
  'shipping_discount',
  'product_discount',
  'other_income',
  'payment_method',
] as const;
const text = (value: string | undefined) => (value === undefined ? undefined : value.trim() || null);

/** The order's amounts as stored, for the arithmetic the totals follow (checkout/pricing.ts). */
interface Amounts {
  product_price: string;
  product_discount: string;
  shipping_cost: string;
  shipping_discount: string;
  discount_code_discount: string;
  unique_code_discount: string;
  other_income: string;
  tax_rate: string;
}

/**
 * The totals again after a money change: gross = product − product discount + shipping − shipping
 * discount − code discount − unique code + other income + the e-payment fee on all that; net
 * leaves shipping, charges and fees out. Discounts cannot exceed what they discount.
 */
function retotal(order: Amounts, body: Body, paymentMethod: string, fieldErrors: FieldErrors) {
  const cents = (field: keyof Amounts, sent: number | undefined) =>
    sent === undefined ? toCents(order[field]) : toCents(sent);
  const productPrice = toCents(order.product_price);
  const productDiscount = cents('product_discount', body.product_discount);
  const shippingCost = cents('shipping_cost', body.shipping_cost);
  const shippingDiscount = cents('shipping_discount', body.shipping_discount);
  const otherIncome = cents('other_income', body.other_income);
  checkDiscounts({ productPrice, productDiscount, shippingCost, shippingDiscount }, fieldErrors);
  const codeAndUnique = toCents(order.discount_code_discount) + toCents(order.unique_code_discount);
  const base = productPrice - productDiscount + shippingCost - shippingDiscount - codeAndUnique;
  const fee = serviceFee(paymentMethod, base + otherIncome);
  const money = (value: bigint) => formatCents(value);
  return {
    product_discount: money(productDiscount),
    product_discount_bt: beforeTax(money(productDiscount), order.tax_rate),
    shipping_cost: money(shippingCost),
    shipping_discount: money(shippingDiscount),
    other_income: money(otherIncome),
    other_income_bt: beforeTax(money(otherIncome), order.tax_rate),
    service_fee: money(fee),
    gross_revenue: money(base + otherIncome + fee),
    net_revenue: money(productPrice - productDiscount - shippingDiscount - codeAndUnique),
  } satisfies Updateable<OrdersTable>;
}

/**
 * `updateOrder`: changes what the body names and nothing else, in one transaction with the order
 * locked. Amounts and items (and the payment method, which decides the e-payment fee) change only
 * while the order is unpaid and has no gateway payment, so a paid amount or an issued invoice never
 * disagrees with the order; the totals follow. New items replace the old (update-items.ts). Moving
 * the order to another warehouse takes its stock there and gives it back here, before shipment.
 */
export async function updateOrder(db: Db, caller: OrderCaller, id: string, body: Body, publicUrl: string) {
  const itemsSent = body.ordervariants !== undefined || body.orderbundles !== undefined;
  return editOrder(db, caller, id, publicUrl, async (trx, locked) => {
    const order = await trx
      .selectFrom('orders as o')
      .innerJoin('stores as s', 's.id', 'o.store_id')
      .select([
        'o.product_price',
        'o.product_discount',
        'o.shipping_cost',
        'o.shipping_discount',
        'o.discount_code_discount',
        'o.unique_code_discount',
        'o.other_income',
        'o.other_income_name',
        'o.tax_rate',
        'o.store_id',
        'o.page_id',
        'o.discount_code_code',
        'o.payment_method',
        'o.pg_reference_id',
        'o.warehouse_id',
        's.unique_id as store_unique_id',
      ])
      .where('o.business_id', '=', caller.businessId)
      .where('o.id', '=', locked.id)
      .executeTakeFirstOrThrow();
    const fieldErrors: FieldErrors = {};
    const values: Updateable<OrdersTable> = {};
    const refs = await findOrderRefs(trx, caller.businessId, {
      storeUniqueId: order.store_unique_id,
      warehouseUniqueId: text(body.warehouse_unique_id) ?? null,
      pageUniqueId: text(body.page_unique_id) ?? null,
      channelUniqueId: text(body.channel_unique_id) ?? null,
      paymentAccountUniqueId: text(body.payment_account_unique_id) ?? null,
      financialEntityId: body.financial_entity_id ?? null,
    });

    // The buyer and where the parcel goes.
    if (body.customer_name !== undefined) {
      if (!body.customer_name.trim()) fieldErrors.customer_name = ['must not be blank'];
      values.customer_name = body.customer_name.trim();
    }
    if (body.customer_email !== undefined)
      values.customer_email = text(body.customer_email)?.toLowerCase() ?? null;
    if (body.customer_phone !== undefined) values.customer_phone = text(body.customer_phone);
    if (body.address !== undefined) values.shipping_address = text(body.address);
    if (body.postal_code !== undefined) values.shipping_postal_code = text(body.postal_code);
    if (body.location_id !== undefined) {
      const location = await findLocation(trx, body.location_id);
      if (!location) fieldErrors.location_id = ['is not a known location'];
      else {
        values.shipping_location_id = location.id;
        values.shipping_province = location.province_name;
        values.shipping_city = location.city_name;
        values.shipping_subdistrict = location.subdistrict_name;
      }
    }
    if (body.notes !== undefined) values.notes = text(body.notes);
    if (body.is_dropshipping !== undefined) values.is_dropshipping = body.is_dropshipping;
    if (body.dropshipper_name !== undefined) values.dropshipper_name = text(body.dropshipper_name);
    if (body.dropshipper_phone !== undefined) values.dropshipper_phone = text(body.dropshipper_phone);

    // Where it came from and how it ships.
    if (body.page_unique_id !== undefined) {
      if (text(body.page_unique_id) && refs.page_id === null)
        fieldErrors.page_unique_id = ['is not a page of this business'];
      values.page_id = refs.page_id;
    }
    if (body.channel_unique_id !== undefined) {
      if (text(body.channel_unique_id) && refs.channel_id === null) {
        fieldErrors.channel_unique_id = ['is not a channel of the order’s store'];
      }
      values.channel_id = refs.channel_id;
    }
    if (body.shipment_provider_code !== undefined)
      values.shipment_provider_code = body.shipment_provider_code;
    if (body.courier_service_id !== undefined) {
      const service = await trx
        .selectFrom('courier_services as cs')
        .innerJoin('couriers as c', 'c.code', 'cs.courier_code')
        .select(['cs.id', 'cs.service_code', 'cs.name', 'c.code as courier_code', 'c.name as courier_name'])
        .where('cs.id', '=', body.courier_service_id)
        .where('cs.is_active', '=', true)
        .executeTakeFirst();
      if (!service) fieldErrors.courier_service_id = ['is not an active courier service'];
      else {
        values.courier_service_id = service.id;
        values.courier_service = JSON.stringify({
          id: service.id,
          code: service.service_code,
          name: service.name,
          courier: { code: service.courier_code, name: service.courier_name },
        });
      }
    }

    // How it is paid.
    if (body.payment_account_unique_id !== undefined) {
      const account = refs.payment_account;
      if (text(body.payment_account_unique_id) && !account) {
        fieldErrors.payment_account_unique_id = ['is not a payment account of this business'];
      }
      values.payment_account_id = account?.id ?? null;
      if (account) {
        values.payment_account_bank = account.bank;
        values.payment_account_number = account.account_number;
        values.payment_account_holder = account.account_holder;
        values.financial_entity_id = account.financial_entity_id;
      }
    }
    if (body.payment_account_holder !== undefined)
      values.payment_account_holder = text(body.payment_account_holder);
    if (body.payment_account_number !== undefined)
      values.payment_account_number = text(body.payment_account_number);
    if (body.financial_entity_id !== undefined) {
      if (refs.financial_entity_code === null) fieldErrors.financial_entity_id = ['is not a known bank'];
      values.financial_entity_id = body.financial_entity_id;
    }
    if (body.sub_payment_method !== undefined) values.sub_payment_method = body.sub_payment_method;
    if (body.transferproof_url !== undefined) values.transferproof_url = text(body.transferproof_url);

    // Amounts and items: only while nothing was paid or invoiced at the old ones.
    const paymentMethod = body.payment_method ?? order.payment_method;
    if (itemsSent || MONEY_FIELDS.some((field) => body[field] !== undefined)) {
      if (locked.payment_status !== 'unpaid' || order.pg_reference_id !== null) {
        throw errors.conflict(
          `The order's items, amounts and payment method cannot change once it is ${
            locked.payment_status !== 'unpaid' ? locked.payment_status : 'invoiced by the payment gateway'
          }`,
        );
      }
      if (body.payment_method !== undefined) values.payment_method = body.payment_method;
      if (body.other_income_name !== undefined) values.other_income_name = text(body.other_income_name);
      // New items bring their own totals (below).
      if (!itemsSent) Object.assign(values, retotal(order, body, paymentMethod, fieldErrors));
    } else if (body.other_income_name !== undefined) {
      values.other_income_name = text(body.other_income_name);
    }

    // Another warehouse: the stock moves with the order, before shipment only.
    const warehouseId = text(body.warehouse_unique_id) ? refs.warehouse_id : undefined;
    if (body.warehouse_unique_id !== undefined && warehouseId === null) {
      fieldErrors.warehouse_unique_id = ['is not a warehouse of this business'];
    }
    if (Object.keys(fieldErrors).length > 0) throw errors.validation(fieldErrors);
    const warehouseMoves =
      warehouseId !== undefined && warehouseId !== null && warehouseId !== order.warehouse_id;
    if (itemsSent) {
      // The new items take their stock where the order now ships from.
      const warehouse = {
        current: order.warehouse_id,
        target: warehouseMoves ? warehouseId : order.warehouse_id,
      };
      Object.assign(
        values,
        await changeItems(trx, caller.businessId, locked, order, body, paymentMethod, warehouse),
      );
      if (warehouseMoves) values.warehouse_id = warehouseId;
    } else if (warehouseMoves) {
      if (!HOLDS_STOCK.has(locked.status)) {
        throw errors.conflict(`The order is ${locked.status}: its warehouse can no longer change`);
      }
      await moveStock(trx, caller.businessId, locked.id, warehouseId);
      values.warehouse_id = warehouseId;
    }
    if (Object.keys(values).length > 0)
      await q.updateBusinessOrder(trx, caller.businessId, locked.id, values);
  });
}

/** Gives back the order's stock and takes the same units from `warehouseId`; 409 when it lacks them. */
async function moveStock(trx: Db, businessId: number, orderId: string, warehouseId: number): Promise<void> {
  const lines = await trx
    .selectFrom('orderlines')
    .select(['name', 'quantity', 'components'])
    .where('business_id', '=', businessId)
    .where('order_id', '=', orderId)
    .execute();
  const needs = new Map<number, number>();
  for (const line of lines) {
    for (const part of line.components) {
      if (part.is_inventory)
        needs.set(part.variant_id, (needs.get(part.variant_id) ?? 0) + part.quantity * line.quantity);
    }
  }
  await releaseOrderStock(trx, businessId, orderId);
  await q.deleteReleasedAllocations(trx, businessId, orderId);
  const reservation = await reserveStock(trx, { id: orderId, businessId }, warehouseId, needs);
  if (!reservation.ok) {
    throw errors.conflict('The new warehouse does not hold enough stock for the order; nothing was changed');
  }
}
