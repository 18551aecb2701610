import type { Db } from '../../../src/db/database.ts';
import { randomString } from '../../../src/lib/ids.ts';
import { createOrder, type OrderDraft, type OrderDraftLine } from '../../../src/modules/orders/create.ts';
import { lockedOrder, moveOrder, type StatusMove } from '../../../src/modules/orders/status.ts';
import type { FixtureVariant } from '../../helpers/catalog.ts';
import type { Tenant } from '../../helpers/tenants.ts';

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A variant line consuming one unit of itself. */
export function variantLine(
  variant: FixtureVariant,
  quantity: number,
  options: { isInventory?: boolean; name?: string; itemType?: string } = {},
): OrderDraftLine {
  return {
    variant_id: variant.id,
    bundle_price_option_id: null,
    name: options.name ?? `Variant ${variant.id}`,
    unit_price: variant.price,
    quantity,
    weight_grams: 500,
    item_type: options.itemType ?? 'physical',
    stock: [{ variant_id: variant.id, quantity: 1, is_inventory: options.isInventory ?? true }],
  };
}

/** A storefront bank-transfer draft with totals that add up (no shipping, no discounts). */
export function draftFor(
  tenant: Tenant,
  lines: OrderDraftLine[],
  overrides: Partial<OrderDraft> = {},
): OrderDraft {
  const productPrice = lines
    .reduce((sum, line) => sum + Number(line.unit_price) * line.quantity, 0)
    .toFixed(2);
  return {
    businessId: tenant.business.id,
    storeId: tenant.store.id,
    source: 'storefront',
    customer: { name: 'Budi Santoso', email: `Budi.${randomString(6)}@Example.test`, phone: '081234567890' },
    destination: {
      address: 'Jl. Merdeka No. 1',
      location_id: 317105,
      postal_code: '10110',
      province: 'DKI Jakarta',
      city: 'Kota Jakarta Pusat',
      subdistrict: 'Gambir',
    },
    paymentMethod: 'bank_transfer',
    subPaymentMethod: null,
    courierServiceId: null,
    warehouseId: null,
    discountCodeId: null,
    discountCode: null,
    notes: null,
    lines,
    totals: {
      product_price: productPrice,
      product_discount: '0',
      shipping_cost: '0',
      shipping_discount: '0',
      discount_code_discount: '0',
      unique_code_discount: '0',
      other_income: '0',
      other_income_name: null,
      service_fee: '0',
      gross_revenue: productPrice,
      net_revenue: productPrice,
    },
    paymentExpiresAt: null,
    paymentAccount: null,
    initialStatus: 'pending',
    ...overrides,
  };
}

export function placeOrder(db: Db, draft: OrderDraft) {
  return db.transaction().execute((trx) => createOrder(trx, draft));
}

export async function stockOf(tenant: Tenant, warehouseId: number, variantId: number): Promise<number> {
  const row = await tenant.ctx.database.db
    .selectFrom('warehouse_stocks')
    .select('qty')
    .where('warehouse_id', '=', warehouseId)
    .where('variant_id', '=', variantId)
    .executeTakeFirst();
  return row?.qty ?? 0;
}

/** Moves an order through the lifecycle, one move after another, as the routes and jobs do. */
export async function moveOrderThrough(db: Db, businessId: number, orderId: string, ...moves: StatusMove[]) {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('orders')
      .select(['id', 'business_id', 'status', 'payment_status', 'discount_code_id'])
      .where('business_id', '=', businessId)
      .where('id', '=', orderId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const order = lockedOrder(row);
    for (const move of moves) await moveOrder(trx, order, move);
  });
}
