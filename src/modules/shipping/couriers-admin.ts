/**
 * Courier setup the operator manages with the `nexus` CLI (src/cli/commands/couriers.ts): the
 * courier catalogue and the couriers each store offers.
 */
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import * as q from './queries.ts';
import { COURIER_CODES } from './schemas.ts';

export async function listCouriers(db: Db) {
  const [couriers, services] = await Promise.all([
    q.listCouriers(db),
    q.listCourierServices(db, { courierCodes: null }),
  ]);
  return couriers.map((courier) => ({
    ...courier,
    services: services
      .filter((service) => service.courier_code === courier.code)
      .map((service) => ({
        id: service.id,
        service_code: service.service_code,
        name: service.name,
        is_cod_supported: service.is_cod_supported,
      })),
  }));
}

async function requireStore(db: Db, storeId: number, businessId: number | null) {
  const store = await q.findStore(db, storeId);
  if (!store || (businessId !== null && store.business_id !== businessId))
    throw errors.notFound(`No store ${storeId}${businessId === null ? '' : ' in this business'}`);
  return store;
}

export interface StoreCouriers {
  store_id: number;
  /** false: nothing configured, the store offers every courier. */
  is_configured: boolean;
  couriers: string[];
}

export async function getStoreCouriers(db: Db, storeId: number, businessId: number | null = null) {
  const store = await requireStore(db, storeId, businessId);
  const shipping = await q.findStoreShipping(db, store.business_id, store.id);
  const configured = shipping?.courier_codes ?? [];
  return {
    store_id: store.id,
    is_configured: configured.length > 0,
    couriers: configured.length ? configured : [...COURIER_CODES].sort(),
  } satisfies StoreCouriers;
}

/** Replaces the store's couriers; `'all'` removes the selection so every courier is offered. */
export async function setStoreCouriers(
  db: Db,
  input: { storeId: number; businessId?: number | null; couriers: string[] | 'all' },
): Promise<StoreCouriers> {
  const store = await requireStore(db, input.storeId, input.businessId ?? null);
  let codes: string[] = [];
  if (input.couriers !== 'all') {
    codes = [...new Set(input.couriers.map((code) => code.trim().toLowerCase()).filter(Boolean))].sort();
    if (codes.length === 0) throw errors.invalidField('couriers', 'must name at least one courier');
    const unknown = codes.filter((code) => !(COURIER_CODES as readonly string[]).includes(code));
    if (unknown.length)
      throw errors.invalidField(
        'couriers',
        `unknown couriers ${unknown.join(', ')}; see \`nexus courier list\``,
      );
  }
  await q.replaceStoreCouriers(db, { id: store.id, businessId: store.business_id }, codes);
  return getStoreCouriers(db, store.id);
}
