/**
 * `duplicateOrder`: "Create a duplicate of an order and cancel the original" (S:2820), in one
 * transaction. The original is cancelled first through the lifecycle (its stock and discount use
 * come back), then the copy is created as the original was, reserving its stock anew; a cancel the
 * lifecycle forbids (a shipped order) is its 409 and nothing is created.
 */
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { outOfStockError } from '../checkout/rules.ts';
import { consumeDiscountCode } from '../discounts/evaluate.ts';
import { findBusinessOrders } from './business-order.ts';
import type { BusinessOrderObject } from './business-schemas.ts';
import type { OrderCaller } from './business-service.ts';
import { createOrder, type OrderDraft, OutOfStockError } from './create.ts';
import type { DuplicateOrderBodyObject } from './create-schemas.ts';
import { MAX_ATTACHMENT_BYTES } from './create-schemas.ts';
import { emitOrderEvents, moveEvents } from './events.ts';
import type { OrderlineRow, OrderRow } from './queries.ts';
import { lockedOrder, moveOrder } from './status.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const orderNotFound = () => errors.notFound('Order not found');

export async function duplicateOrder(
  db: Db,
  caller: OrderCaller,
  id: string,
  body: DuplicateOrderBodyObject,
  publicUrl: string,
): Promise<BusinessOrderObject> {
  if (!isUuid(id)) throw orderNotFound();
  const metadata = body.metadata === undefined ? undefined : JSON.stringify(body.metadata);
  if (metadata !== undefined && Buffer.byteLength(metadata) > MAX_ATTACHMENT_BYTES)
    throw errors.invalidField('metadata', `is too large (at most ${MAX_ATTACHMENT_BYTES} bytes of JSON)`);
  const { businessId } = caller;
  try {
    return await db.transaction().execute(async (trx) => {
      const original = await trx
        .selectFrom('orders')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('id', '=', id.toLowerCase())
        .forUpdate()
        .executeTakeFirst();
      if (!original) throw orderNotFound();
      const lines = await trx
        .selectFrom('orderlines')
        .selectAll()
        .where('business_id', '=', businessId)
        .where('order_id', '=', original.id)
        .orderBy('position')
        .execute();
      await checkCatalog(trx, businessId, lines);
      if (body.financial_entity_id !== undefined) await checkBank(trx, body.financial_entity_id);
      const store = await trx
        .selectFrom('stores')
        .select(['is_auto_expire', 'auto_expire_days'])
        .where('business_id', '=', businessId)
        .where('id', '=', original.store_id)
        .executeTakeFirstOrThrow();

      // Cancel first: its stock and discount use come back before the copy takes them again.
      const locked = lockedOrder(original);
      const moved = await moveOrder(trx, locked, {
        status: 'canceled',
        actor: 'business',
        actorUserId: caller.userId,
      });
      await emitOrderEvents(trx, businessId, original.id, moveEvents(moved, locked.paymentStatus), publicUrl);

      const draft = copyOf(original, lines, body, caller, metadata);
      if (store.is_auto_expire)
        draft.paymentExpiresAt = new Date(Date.now() + store.auto_expire_days * DAY_MS);
      const created = await createOrder(trx, draft);
      if (
        draft.discountCodeId !== null &&
        !(await consumeDiscountCode(trx, businessId, draft.discountCodeId))
      )
        throw errors.conflict(`The discount code ${draft.discountCode} has reached its usage limit`);
      await emitOrderEvents(trx, businessId, created.id, ['order.created'], publicUrl);
      const [answer] = await findBusinessOrders(trx, businessId, [created.id], publicUrl);
      return answer!;
    });
  } catch (error) {
    if (error instanceof OutOfStockError) throw outOfStockError(error.names);
    throw error;
  }
}

async function checkBank(trx: Db, financialEntityId: number): Promise<void> {
  const bank = await trx
    .selectFrom('financial_entities')
    .select('id')
    .where('id', '=', financialEntityId)
    .executeTakeFirst();
  if (!bank) throw errors.invalidField('financial_entity_id', 'is not a known bank or e-wallet');
}

/** A line whose product was deleted since cannot be ordered again: 409 naming it. */
async function checkCatalog(trx: Db, businessId: number, lines: OrderlineRow[]): Promise<void> {
  const wanted = new Set<number>();
  for (const line of lines) {
    if (line.variant_id !== null) wanted.add(line.variant_id);
    for (const part of line.components) wanted.add(part.variant_id);
  }
  const found =
    wanted.size === 0
      ? []
      : await trx
          .selectFrom('variants')
          .select('id')
          .where('business_id', '=', businessId)
          .where('id', 'in', [...wanted])
          .execute();
  const known = new Set(found.map((row) => row.id));
  const gone = lines.filter(
    (line) =>
      (line.variant_id === null && line.bundle_price_option_id === null) ||
      (line.variant_id !== null && !known.has(line.variant_id)) ||
      line.components.some((part) => !known.has(part.variant_id)),
  );
  if (gone.length > 0)
    throw errors.conflict(
      `These items are no longer in the catalog: ${gone.map((line) => line.name).join(', ')}`,
    );
}

/**
 * The copy: same lines, prices and totals as the original (no re-pricing: the merchant agreed them
 * with the buyer), same buyer, destination, courier and warehouse, a new payment method when the
 * body names one. A draft stays a draft; anything further along starts `pending` again, unpaid.
 */
function copyOf(
  original: OrderRow,
  lines: OrderlineRow[],
  body: DuplicateOrderBodyObject,
  caller: OrderCaller,
  metadata: string | undefined,
): OrderDraft {
  const paymentMethod = body.payment_method ?? original.payment_method;
  return {
    businessId: original.business_id,
    storeId: original.store_id,
    source: 'business',
    actorUserId: caller.userId,
    customerId: original.customer_id,
    customer: {
      name: original.customer_name,
      email: original.customer_email ?? '',
      phone: original.customer_phone,
    },
    destination:
      original.shipping_address !== null || original.shipping_location_id !== null
        ? {
            address: original.shipping_address,
            location_id: original.shipping_location_id,
            postal_code: original.shipping_postal_code,
            province: original.shipping_province,
            city: original.shipping_city,
            subdistrict: original.shipping_subdistrict,
          }
        : null,
    paymentMethod,
    subPaymentMethod:
      paymentMethod === 'va' ? (body.sub_payment_method ?? original.sub_payment_method) : null,
    courierServiceId: original.courier_service_id,
    courierService: original.courier_service,
    courierAggregatorCode: original.courier_aggregator_code,
    warehouseId: original.warehouse_id,
    discountCodeId: original.discount_code_id,
    discountCode: original.discount_code_code,
    notes: original.notes,
    pageId: original.page_id,
    lines: lines.map((line) => ({
      variant_id: line.variant_id,
      bundle_price_option_id: line.bundle_price_option_id,
      name: line.name,
      unit_price: line.unit_price,
      quantity: line.quantity,
      weight_grams: line.weight,
      item_type: line.item_type,
      stock: line.components,
    })),
    totals: {
      product_price: original.product_price,
      product_discount: original.product_discount,
      shipping_cost: original.shipping_cost,
      shipping_discount: original.shipping_discount,
      discount_code_discount: original.discount_code_discount,
      unique_code_discount: original.unique_code_discount,
      other_income: original.other_income,
      other_income_name: original.other_income_name,
      service_fee: original.service_fee,
      gross_revenue: original.gross_revenue,
      net_revenue: original.net_revenue,
    },
    paymentExpiresAt: null,
    paymentAccount:
      original.payment_account_bank !== null
        ? {
            bank: original.payment_account_bank,
            account_number: body.payment_account_number ?? original.payment_account_number ?? '',
            account_holder: body.payment_account_holder ?? original.payment_account_holder ?? '',
          }
        : null,
    initialStatus: original.status === 'draft' ? 'draft' : 'pending',
    isProbablySpam: original.is_probably_spam,
    columns: {
      tags: original.tags,
      utm_source: original.utm_source,
      utm_medium: original.utm_medium,
      utm_campaign: original.utm_campaign,
      utm_content: original.utm_content,
      utm_term: original.utm_term,
      external_id: original.external_id,
      platform: original.platform,
      channel_id: original.channel_id,
      handler_user_id: original.handler_user_id,
      advertiser_user_id: original.advertiser_user_id,
      payment_account_id: original.payment_account_id,
      financial_entity_id: body.financial_entity_id ?? original.financial_entity_id,
      shipment_provider_code: original.shipment_provider_code,
      agent_context: original.agent_context === null ? null : JSON.stringify(original.agent_context),
      metadata: metadata ?? JSON.stringify(original.metadata),
      last_updated_by_user_id: caller.userId,
    },
  };
}
