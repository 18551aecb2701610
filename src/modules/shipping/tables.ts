import type { Generated } from 'kysely';

export type CourierType = 'instant' | 'cashless' | 'standard';

/** Platform reference data (migration 0012): one row per code of the contract's CourierCode enum. */
export interface CouriersTable {
  id: number;
  code: string;
  name: string;
  courier_type: CourierType;
}

/** A courier's service; `id` is the `courier_service_id` of the contract. */
export interface CourierServicesTable {
  id: number;
  courier_code: string;
  service_code: string;
  name: string;
  is_cod_supported: boolean;
  is_pickup: boolean;
  is_active: boolean;
}

/** The couriers a store offers; a store without rows offers every courier. */
export interface StoreCouriersTable {
  store_id: number;
  courier_code: string;
  business_id: number;
  created_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    couriers: CouriersTable;
    courier_services: CourierServicesTable;
    store_couriers: StoreCouriersTable;
  }
}
