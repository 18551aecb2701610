import { randomString } from '../../../src/lib/ids.ts';
import { getTestContext } from '../../helpers/app.ts';
import type { Tenant } from '../../helpers/tenants.ts';

/** Subdistricts (official codes without dots) the tests ship between. */
export const PLACES = {
  gambir: 317101, // Kota Jakarta Pusat, DKI Jakarta
  kemayoran: 317103, // same city as Gambir
  tebet: 317401, // Kota Jakarta Selatan: same province
  bandung: 327301, // Kota Bandung, Jawa Barat: same island group (Java)
  makassar: 737101, // Kota Makassar, Sulawesi Selatan: another island group
  jayapura: 917101, // Kota Jayapura, Papua: far east, no COD
} as const;

export async function warehouseAt(
  tenant: Tenant,
  locationId: number | null,
  options: { name?: string; isActive?: boolean; address?: string } = {},
) {
  return tenant.ctx.database.db
    .insertInto('warehouses')
    .values({
      business_id: tenant.business.id,
      unique_id: `warehouse_${randomString(24)}`,
      name: options.name ?? `Gudang ${locationId}`,
      address: options.address ?? null,
      location_id: locationId,
      postal_code: locationId === null ? null : '10110',
      is_active: options.isActive ?? true,
    })
    .returning(['id', 'unique_id', 'name'])
    .executeTakeFirstOrThrow();
}

export async function setStoreWarehouse(tenant: Tenant, warehouseId: number | null) {
  await tenant.ctx.database.db
    .updateTable('stores')
    .set({ warehouse_id: warehouseId })
    .where('id', '=', tenant.store.id)
    .execute();
}

export async function warmUp(): Promise<void> {
  await getTestContext();
}
