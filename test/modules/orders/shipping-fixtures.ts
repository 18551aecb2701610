import { randomString } from '../../../src/lib/ids.ts';
import { insertProduct, setStock } from '../../helpers/catalog.ts';
import type { Tenant } from '../../helpers/tenants.ts';
import { draftFor, moveOrderThrough, placeOrder, variantLine } from './fixtures.ts';

export interface ShippingFixture {
  warehouseId: number;
  /** The variant every order ships two of. */
  variantId: number;
  /** A bank-transfer order shipping SiCepat REG from the fixture's warehouse, moved to `status`. */
  order(
    status?: 'pending' | 'confirmed' | 'ready',
    overrides?: Parameters<typeof draftFor>[2],
  ): Promise<{
    id: string;
    order_id: string;
  }>;
}

/**
 * A warehouse a courier can pick up from and a physical product to ship; with `stock`, the product
 * is tracked as inventory and the warehouse holds that many, so orders reserve them.
 */
export async function shippingFixture(
  tenant: Tenant,
  options: { stock?: number } = {},
): Promise<ShippingFixture> {
  const db = tenant.ctx.database.db;
  const warehouse = await db
    .insertInto('warehouses')
    .values({
      business_id: tenant.business.id,
      unique_id: `warehouse_${randomString(24)}`,
      name: 'Gudang Cikini',
      contact_name: 'Sari',
      contact_phone: '081298765432',
      address: 'Jl. Cikini Raya No. 10',
      location_id: 317105,
      postal_code: '10330',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const inventory = options.stock !== undefined;
  const variant = (await insertProduct(tenant, { isInventory: inventory })).variants[0]!;
  if (inventory) await setStock(tenant, warehouse.id, variant.id, options.stock!);
  return {
    warehouseId: warehouse.id,
    variantId: variant.id,
    order: async (status = 'confirmed', overrides = {}) => {
      const created = await placeOrder(
        db,
        draftFor(tenant, [variantLine(variant, 2, { isInventory: inventory })], {
          courierServiceId: 1,
          courierService: {
            id: 1,
            code: 'REG',
            name: 'Reguler',
            courier: { code: 'sicepat', name: 'SiCepat' },
          },
          warehouseId: warehouse.id,
          ...overrides,
        }),
      );
      if (status !== 'pending') {
        await moveOrderThrough(db, tenant.business.id, created.id, {
          status: 'confirmed',
          actor: 'business',
        });
      }
      if (status === 'ready') {
        await moveOrderThrough(db, tenant.business.id, created.id, { status: 'ready', actor: 'business' });
      }
      return { id: created.id, order_id: created.order_id };
    },
  };
}

/** The order's airway-bill columns, read straight from the table. */
export function awbState(tenant: Tenant, orderId: string) {
  return tenant.ctx.database.db
    .selectFrom('orders')
    .select([
      'awb_status',
      'awb_ca_status',
      'shipment_receipt',
      'shipment_status',
      'shipment_provider_order_id',
      'courier_aggregator_code',
      'awb_outcome_unknown',
      'awb_booking_attempts',
    ])
    .where('business_id', '=', tenant.business.id)
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
}
